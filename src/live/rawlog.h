/* rawlog.h: the raw event log of `slacklog listen --log-dir DIR`.
 *
 * Each event is appended as one line to DIR/YYYY-MM-DD.jsonl, the day of
 * its event_time in the archive's zone: JSON Lines that `slacklog ingest`
 * reads back, so an archive can be rebuilt from the log alone. Files are
 * created 0600 (they hold private channels' and DMs' events too), never
 * through a symbolic link.
 *
 * Durability follows the archive's (SQLite in WAL mode, synchronous=NORMAL:
 * a commit survives the process, not necessarily the machine): a line is
 * written with one write() before its event is committed and acknowledged,
 * so a killed listener loses no acknowledged event from the log either;
 * the file is flushed to the disk (fdatasync) when the day changes, once a
 * minute when something was written, and when the listener stops. A
 * failed or short write is cut back, so the file never holds half a line. */
#ifndef SLACKLOG_LIVE_RAWLOG_H
#define SLACKLOG_LIVE_RAWLOG_H
#include <stddef.h>
#include <stdint.h>

typedef struct rawlog rawlog;

/* NULL with err filled when dir is not a writable directory. */
rawlog *rawlog_open(const char *dir, char *err, size_t errlen);
/* Append line (without its newline) to the file of the day of when (Unix
 * seconds). 0, or -1 with err filled. */
int rawlog_put(rawlog *l, int64_t when, const char *line, size_t len, char *err, size_t errlen);
/* fdatasync what was written since the last flush. */
void rawlog_flush(rawlog *l);
void rawlog_close(rawlog *l);
#endif
