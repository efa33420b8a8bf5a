/* walk.h: the files of a Slack export, from a .zip or an unpacked directory,
 * one at a time.
 *
 * Import reads an export twice (metadata first, then day files), so a
 * walker can start over; for a zip that reopens the archive and skips the
 * entries nobody asks for, which costs almost nothing. An entry is read
 * whole (walk_read) or in pieces (walk_read_some), so memory follows the
 * largest file, or a piece of it, never the export.
 *
 * Entry names are '/'-separated UTF-8 paths relative to the export's root.
 * Slack's zips do not set the UTF-8 flag, but their names are UTF-8: the
 * walker decodes them as such (not as CP437). Names that could escape a
 * directory or mean something else on another system (absolute, "..",
 * backslashes, control bytes, invalid UTF-8) are skipped with a warning.
 *
 * Entries are capped (zip bombs): one larger than WALK_MAX_ENTRY bytes, or
 * a zip entry inflating more than WALK_MAX_RATIO times its compressed size,
 * is not read; the caller gets a warning and no data (read in pieces, the
 * ratio is checked past the first MiB, so a day file stopped by it may
 * have given the messages of its first MiB). A damaged archive
 * (truncated, corrupt) yields what could be read before the damage. */
#ifndef SLACKLOG_INGEST_WALK_H
#define SLACKLOG_INGEST_WALK_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lib/buf.h"
#include "ingest/warn.h"

enum {
	WALK_MAX_RATIO = 200,          /* inflated/compressed, checked past 1 MiB */
};
#define WALK_MAX_ENTRY ((int64_t)256 << 20)

typedef struct walker walker;

/* Open a directory or a zip file; warnings (which name the export and the
 * entry) go to *warn, which must outlive the walker. NULL with err filled
 * when the path cannot be read at all ("PATH: not a zip file or
 * directory" for a file that is not a zip). */
walker *walk_open(const char *path, const warner *warn, char *err, size_t errlen);
/* The next entry's name (valid until the next call), or NULL at the end or
 * when the archive is damaged (then walk_damaged() is true). */
const char *walk_next(walker *w);
/* Read the current entry into b (replacing its contents). Returns 0, or -1
 * after a warning: too large, or a read error (b then holds the bytes read
 * before the error, which the caller may still use). */
int walk_read(walker *w, buf_t *b);
/* Read the current entry in pieces: up to cap bytes into p. Returns how
 * many (0 at its end), or -1 after a warning (a limit, a read error); then
 * walk_read_limited() says whether a limit stopped it, in which case what
 * was handed out before should not count either (walk_read drops it; a
 * streaming reader may already have used it). Memory: only p. */
long walk_read_some(walker *w, char *p, size_t cap);
bool walk_read_limited(const walker *w);
/* Start again from the first entry. Skipped names and damage, warned
 * about on the first pass, are not warned about again. -1 with err filled
 * when the zip cannot be opened again. */
int walk_rewind(walker *w, char *err, size_t errlen);
/* From now on, only entries under folder (e.g. "export/", with its
 * slash) are walked, and their names lose that prefix: for an export
 * zipped together with the folder it was unpacked into. */
void walk_set_root(walker *w, const char *folder, size_t len);
/* The archive ended early (truncated or corrupt). */
bool walk_damaged(const walker *w);
void walk_close(walker *w);

/* Why a path inside an export is refused, or NULL when it is fine. */
const char *walk_bad_name(const char *name, size_t len);
#endif
