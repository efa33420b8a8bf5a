/* evlog.h: event-log files, read line by line, once or as they grow.
 *
 * An event log is JSON Lines: one event per line, in a file named *.txt,
 * *.jsonl or *.json, perhaps gzip-compressed (*.gz; zlib reads plain files
 * through the same calls). A directory stands for the logs in it, read in
 * name order; its users.json and channels.json are snapshots (users.list
 * and conversations.list shapes) handed over before any line.
 *
 * evlog_poll reads what is new since the last call: like `tail -F`, a
 * file that grew is read from where it stopped, one replaced by a new file
 * of the same name (rotation) or cut shorter (truncation) is read again
 * from its start, and a new file in a watched directory is picked up, so a
 * daily rotation to a new name needs nothing special. A line is handed
 * over only once it is complete (has its newline), except at the end of a
 * final read. Reading again is harmless: applying an event twice changes
 * nothing. A file whose first lines are no JSON objects (a README, an
 * export's day file) is not JSON Lines: it is refused as a whole, with
 * one message, before any line of it is handed over. */
#ifndef SLACKLOG_INGEST_EVLOG_H
#define SLACKLOG_INGEST_EVLOG_H
#include <stdbool.h>
#include <stddef.h>
#include "ingest/warn.h"

/* One line (without its newline) of file, numbered from 1. Nonzero stops
 * the reading. */
typedef int (*evlog_line_fn)(void *ctx, const char *line, size_t len, const char *file, size_t lineno);
/* A snapshot file in a directory: which is EV_SNAP_USERS or EV_SNAP_CHANNELS
 * (events.h). Nonzero stops. */
typedef int (*evlog_snap_fn)(void *ctx, const char *path, int which);

typedef struct evlog evlog;

evlog *evlog_new(evlog_line_fn line, evlog_snap_fn snap, void *ctx, const warner *w);
void evlog_free(evlog *l);
/* A file or a directory of logs. Their users.json and channels.json are
 * looked for in the logs' directory, else in the one above it (logs in
 * DIR/logs/, snapshots in DIR), and handed over once each. Returns the
 * EV_SNAP_* found (0 when neither), -1 with err filled when path cannot be
 * read, EVLOG_STOPPED when the snapshot callback stopped (it said why). */
enum { EVLOG_STOPPED = -2 };
int evlog_add(evlog *l, const char *path, char *err, size_t errlen);
/* Read everything new. final: a last line without its newline is read
 * too (no writer is expected to finish it). Returns -1 when a callback
 * stopped the reading, else 0. */
int evlog_poll(evlog *l, bool final);
/* Log files known so far. */
size_t evlog_files(const evlog *l);
/* Files given by name that are not event logs (refused with an error;
 * one found in a directory is skipped with a warning). */
size_t evlog_refused(const evlog *l);
#endif
