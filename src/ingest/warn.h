/* warn.h: where import's warnings go.
 *
 * The walker, the metadata reader and the day-file reader all report bad
 * input the same way: one formatted line naming the export, the file
 * inside it and, where there is one, the line and column. Who receives the
 * line depends on the thread: the main thread prints it, the reader thread
 * queues it with the batch it belongs to so that output stays in order. */
#ifndef SLACKLOG_INGEST_WARN_H
#define SLACKLOG_INGEST_WARN_H
#include "lib/json.h"
#include <stdbool.h>

typedef struct warner {
	void (*fn)(void *ctx, const char *msg);   /* msg: one line, no newline */
	void *ctx;
} warner;

void warnf(const warner *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Line and column of positions in one buffer, found by scanning forward
 * from the previous position (items arrive in order: linear overall). The
 * buffer may be a window of the file (json_each_read) that starts at
 * bline, bcol. */
typedef struct locator {
	const char *base;
	size_t off, line, col, bline, bcol;
} locator;
void locator_init(locator *l, const char *base);
/* Follow json_each_read's window (call before locator_at). */
void locator_sync(locator *l, const json_reader *rd);
void locator_at(locator *l, const char *p, size_t *line, size_t *col);

/* One element of a file's top-level array: "LABEL: NAME:LINE:COL: what"
 * at raw (located with l), or "LABEL: NAME: item N: what" for a scalar
 * element, which has no bytes of its own. */
void warn_item(const warner *w, const char *label, const char *name, locator *l, const char *raw,
	       size_t index, const char *what);

/* A file that is empty or only white space: warn ("empty file") and
 * return true, so that the caller skips it. */
bool warn_if_empty(const warner *w, const char *label, const char *name, const char *data, size_t len);

/* A file's JSON problems, as "LABEL: NAME:LINE:COL: what" lines: a syntax
 * error (the items before it were kept), a value that is not an array, and
 * how many strings had invalid UTF-8 or lone surrogates replaced. */
void warn_json(const warner *w, const char *label, const char *name, int rc,
	       const json_err *err, const json_stats *st);
#endif
