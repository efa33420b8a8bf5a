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
 * conversations.history with oldest= does not list a new reply to a thread
 * whose parent is older than oldest=. An incremental run therefore looks
 * again at the threads active within thread_window seconds before the
 * last run's newest message: their parents come again from history with
 * their latest_reply, and a thread is fetched only when that is newer
 * than the newest reply stored (threads active in the window whose parent
 * is older than it are asked for replies after the newest stored one).
 * A reply to a thread inactive for longer shows up through the Events
 * API, a broadcast, or a later export. */
#ifndef SLACKLOG_SYNC_SYNC_H
#define SLACKLOG_SYNC_SYNC_H
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include "store/store.h"

typedef struct sync_opts {
	const char *api_url;         /* ends with '/' */
	const char *token;
	double min_interval;         /* < 0: Slack's tiers */
	int page;                    /* limit= per call */
	int64_t thread_window;       /* seconds; 0: no second look at threads */
	const char *since;           /* a ts: history is asked from the later
	                                of it and a channel's own newest (what
	                                came before it is known); NULL: newest */
	volatile sig_atomic_t *cancel;  /* when set: stop before the next call */
} sync_opts;

typedef struct sync_totals {
	uint64_t users, channels, skipped_channels, messages, stored, emoji, warnings;
	uint64_t threads;            /* threads whose replies were fetched */
	uint64_t rechecked;          /* messages of the window read again */
	unsigned long calls;
	double waited, seconds;
	bool refused;                /* Slack refused the token */
} sync_totals;

/* 0: done (t->warnings says if some channels were skipped); -1: failed
 * (the token was refused, the API kept failing, or the store failed),
 * with the reason printed. */
int sync_run(store_t *s, const sync_opts *o, sync_totals *t);
#endif
