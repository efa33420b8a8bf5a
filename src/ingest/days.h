/* days.h: the second pass over an export: day files -> batches.
 *
 * Every <folder>/YYYY-MM-DD.json is read whole (one file at a time),
 * streamed element by element through json_each, and each element is
 * normalized into the current batch, which is handed to a sink when it is
 * full and at the end. The sink is the store writer, called directly or
 * through a queue from a reader thread; this code does not know which. */
#ifndef SLACKLOG_INGEST_DAYS_H
#define SLACKLOG_INGEST_DAYS_H
#include "ingest/batch.h"
#include "ingest/meta.h"
#include "ingest/walk.h"

/* Takes ownership of b. Nonzero stops the reading. */
typedef int (*batch_sink)(void *ctx, batch *b);

typedef struct days_cfg {
	walker *w;                        /* rewound to its first entry */
	warner *warn;                     /* the walker's: redirected into batches */
	const meta *m;
	const char *label;
	batch_sink sink;
	void *ctx;
} days_cfg;

/* 0 when every day file was read, -1 when the sink stopped it. */
int days_read(const days_cfg *c);
#endif
