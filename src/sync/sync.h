/* sync.h: backfill from Slack's Web API.
 *
 * users.list, emoji.list and conversations.list (public channels), then
 * each channel's conversations.history and, for each thread parent it
 * returns, conversations.replies. Every list is paged with Slack's
 * cursors. Messages go through events.h's ev_message, so they are stored
 * exactly as an export's or an event's copy of them would be.
 *
 * Incremental and resumable, with progress kept in the archive's settings:
 *   sync:CHANNEL:newest   newest ts of a finished run: the next run asks
 *                         for messages after it (oldest=)
 *   sync:CHANNEL:cursor   the next page of a run in progress
 *   sync:CHANNEL:oldest   that run's oldest= (a resumed run reuses it)
 *   sync:CHANNEL:top      newest ts that run has seen so far
 * Each page (with the replies of its threads) is written in one
 * transaction together with the cursor of the page after it, so a run
 * killed at any point resumes at the first page it had not committed.
 *
 * Known gap of the Web API: a new reply to a thread whose parent is older
 * than oldest= is not listed by conversations.history, so an incremental
 * run does not see it (the Events API or a later export does). */
#ifndef SLACKLOG_SYNC_SYNC_H
#define SLACKLOG_SYNC_SYNC_H
#include <stdint.h>
#include "store/store.h"

typedef struct sync_opts {
	const char *api_url;         /* ends with '/' */
	const char *token;
	double min_interval;         /* < 0: Slack's tiers */
	int page;                    /* limit= per call */
} sync_opts;

typedef struct sync_totals {
	uint64_t users, channels, skipped_channels, messages, stored, emoji, warnings;
	unsigned long calls;
	double waited, seconds;
} sync_totals;

/* 0: done (t->warnings says if some channels were skipped); -1: failed
 * (the token was refused, the API kept failing, or the store failed),
 * with the reason printed. */
int sync_run(store_t *s, const sync_opts *o, sync_totals *t);
#endif
