/* import.h: import one Slack export (zip or directory), or one emoji.list
 * JSON file, into the store.
 *
 * Two passes over the export (meta.h): the metadata is stored in one
 * transaction, then the day files are read by a reader thread and written
 * by the calling thread in transactions of a few batches each (days.h), so
 * a process killed at any moment leaves a consistent archive, and running
 * the import again completes it: every write is an idempotent upsert.
 *
 * Warnings are printed as they come (log_warn) and counted; the progress
 * bar (cli.h) shows day files and messages. */
#ifndef SLACKLOG_INGEST_IMPORT_H
#define SLACKLOG_INGEST_IMPORT_H
#include <stdint.h>
#include "store/store.h"

typedef struct import_totals {
	uint64_t conversations, users, emoji;
	uint64_t messages;                         /* read from day files */
	uint64_t inserted, updated, unchanged, refused;
	uint64_t threads, replies, reactions, files;
	uint64_t warnings;
	double seconds;
} import_totals;

/* threads: 2 reads and writes in parallel, 1 does both in turn. Returns 0
 * when the import ran (perhaps with warnings: t->warnings), -1 when it
 * failed: nothing could be read, or the store failed (printed). */
int import_path(store_t *s, const char *path, int threads, import_totals *t);
#endif
