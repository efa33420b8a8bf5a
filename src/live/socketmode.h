/* socketmode.h: Slack's Socket Mode, the protocol behind `slacklog listen`.
 *
 * apps.connections.open (a POST with the app-level token) gives a
 * WebSocket URL holding a one-time ticket; the connection (ws.h) then
 * carries JSON envelopes:
 *   hello            the connection is ready
 *   events_api       an Events API payload: stored like every event
 *                    (src/ingest/events.c, deduplicated by event_id in the
 *                    same transaction) and acknowledged with
 *                    {"envelope_id": ...} only after the commit, so an
 *                    acknowledged event is never lost; one that could not
 *                    be stored is not acknowledged and Slack sends it again
 *   slash_commands,  acknowledged and ignored (an archive has no answer
 *   interactive      to give), so Slack does not retry them
 *   disconnect       refresh_requested or warning: a new connection is
 *                    opened while the old one still delivers, and the old
 *                    one is left to Slack to close (closed by us 30 s after
 *                    the new one's hello at the latest); link_disabled:
 *                    Socket Mode was turned off for the app, fatal.
 * A connection that ends otherwise (a network error, a malformed frame or
 * message, no hello within 10 s, no answer to a ping after 45 s of
 * silence) is closed and another opened after an exponential backoff with
 * jitter (0.5-1 s, doubling up to 30-60 s; a clean close from Slack is
 * followed at once). Events Slack sent while no connection was open are
 * fetched by a backfill (backfill.h) once the next one says hello. The
 * ticketed URL is logged without its query; the token never. */
#ifndef SLACKLOG_LIVE_SOCKETMODE_H
#define SLACKLOG_LIVE_SOCKETMODE_H
#include <signal.h>
#include <stdint.h>
#include "store/store.h"

#define SM_MAX_MESSAGE ((size_t)1 << 20)   /* as the Events API endpoint's body */

typedef struct sm_opts {
	const char *db;              /* the archive (the backfill's handle) */
	const char *api_url;         /* ends with '/' */
	const char *app_token;       /* xapp-...: apps.connections.open */
	const char *bot_token;       /* xoxb-...: the backfill; NULL: none */
	const char *log_dir;         /* the raw event log (rawlog.h); NULL: none */
	double min_interval;         /* the backfill's pace (sync_opts) */
	int64_t thread_window;       /* seconds (sync_opts) */
} sm_opts;

/* Listen until *stop is set (0: the connections closed cleanly) or
 * something fatal happens (-1, said: the token refused, Socket Mode
 * turned off, the archive or the log failing to open). s is the archive,
 * opened for live writes (ev_open_archive). */
int sm_run(store_t *s, const sm_opts *o, volatile sig_atomic_t *stop);
#endif
