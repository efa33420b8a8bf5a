/* backfill.h: what `slacklog listen` missed, fetched from the Web API.
 *
 * Events sent while no connection was open are not sent again: on start
 * and after each reconnection the listener asks for a backfill, which runs
 * `sync` (src/sync/sync.h: users, emoji, public channels, each channel's
 * history and the threads active in the window) with history asked from
 * a little before the newest event the listener stored. It runs in a
 * thread of its own, with its own archive handle, so events keep being
 * stored and acknowledged meanwhile (Slack waits 3 seconds for an ack; a
 * backfill may take minutes). Requests made while one runs are merged
 * into one more run after it. */
#ifndef SLACKLOG_LIVE_BACKFILL_H
#define SLACKLOG_LIVE_BACKFILL_H
#include <stdbool.h>
#include "sync/sync.h"

typedef struct backfill backfill;

/* o is copied (its strings must outlive the backfill); db is the archive. */
backfill *backfill_new(const char *db, const sync_opts *o);
/* Fetch what happened since (a ts; NULL: sync's own rules, each channel
 * from its last sync or its beginning). */
void backfill_ask(backfill *b, const char *since);
/* Whether Slack refused the token: a run said so (it is not retried). */
bool backfill_refused(backfill *b);
/* Stop the run in progress (before its next call) and the thread. */
void backfill_free(backfill *b);
#endif
