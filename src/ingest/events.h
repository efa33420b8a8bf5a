/* events.h: one Slack event -> changes in the store.
 *
 * The same events arrive three ways: lines of an event log (`slacklog
 * ingest`), HTTP POSTs from the Events API (`serve`), and, in spirit, the
 * Web API's history (`sync`, which hands its messages to ev_message). An
 * event may be bare (RTM), in an Events API envelope (type event_callback,
 * the event in "event") or in a Socket Mode envelope (type events_api, the
 * envelope in "payload"); ev_unwrap finds the event in all three.
 *
 * Messages go through norm_message like an export's, so every way in
 * stores the same record. What the events change:
 *   message (any visible subtype)      upsert (channel, ts), as of the
 *                                      event's time; links' labels
 *                                      (<#C1|name>) name conversations
 *   message_changed / message_replied  upsert the inner message (a
 *                                      tombstone included), as of the
 *                                      event's time
 *   message_deleted                    store_delete_message(deleted_ts)
 *   reaction_added / reaction_removed  one user's reaction on a message
 *   channel_* / group_*                created, rename, archive, unarchive;
 *                                      topic, purpose and name also from
 *                                      the message subtypes channel_topic,
 *                                      channel_purpose, channel_name
 *   member_joined/left_channel         membership (a setting; not shown);
 *                                      channel_type "G" says private
 *   user_change / team_join            store_upsert_user
 *   emoji_changed                      add, remove, rename
 * Anything else is counted as skipped.
 *
 * Replaying events, or reading logs in any order, converges on one
 * archive: messages and reactions by the store's rules; every other
 * change by remembering, per thing changed (a channel's name, kind or
 * topic, an emoji, a user record), the time of the change applied last
 * and ignoring older ones (order.h). A reaction on a deleted message is
 * dropped; a reaction on a message not stored yet is kept and shows once
 * the message arrives (an event's message carries no reactions, so the
 * ones stored stay; an edit keeps them too). What a conversation only
 * events name is, and its name: see "conversations" in events.c.
 *
 * The caller holds the transaction. The handle must be opened with
 * STORE_ALL (changes to unpublished channels read their records). */
#ifndef SLACKLOG_INGEST_EVENTS_H
#define SLACKLOG_INGEST_EVENTS_H
#include <stdint.h>
#include "ingest/warn.h"
#include "lib/json.h"
#include "store/store.h"

typedef struct ev_counts {
	uint64_t events;             /* lines or requests seen */
	uint64_t messages, deleted, reactions, channels, users, emoji, members;
	uint64_t older;              /* changes older than one applied: ignored */
	uint64_t skipped;            /* events of kinds that change nothing */
	uint64_t bad;                /* invalid JSON, missing fields (warned) */
} ev_counts;

typedef struct ev ev;

/* Open the archive for live writes (created if missing; STORE_ALL) and
 * set the process's zone to the archive's (UTC, kept, when it has none).
 * NULL after printing why. */
store_t *ev_open_archive(const char *path);

ev *ev_new(store_t *s, const warner *w);
void ev_free(ev *e);
const ev_counts *ev_counts_of(const ev *e);

enum { EV_APPLIED = 0, EV_SKIPPED = 1, EV_BAD = 2, EV_FAILED = -1 };

/* Parse one line or body and apply it. where names it in warnings
 * ("file:line"). EV_FAILED is a store error (store_errmsg says what). */
int ev_apply_text(ev *e, const char *text, size_t len, const char *where);
/* The same for a parsed value. */
int ev_apply(ev *e, const jv *root, const char *where);

/* The event inside an envelope (or root itself), and the envelope's
 * event_id and event_time when there is one (NULL / 0 otherwise). */
const jv *ev_unwrap(const jv *root, const char **event_id, int64_t *event_time);

/* One message object of channel_id (Web API history, replies): upserts
 * it as of now (its conversation made if unknown), with its reactions
 * (none when o has none). Returns the ST_* result; ST_REFUSED also when o
 * is not a message (warned and counted bad); ST_ERROR on a store error. */
int ev_message(ev *e, const jv *o, const char *channel_id, const char *where);
/* Snapshots (users.list, conversations.list shapes; each element): stored
 * subject to the same ordering as the events. */
int ev_user(ev *e, const jv *u, const char *where);
int ev_channel(ev *e, const jv *c, channel_kind kind, const char *where);
/* Load users.json / channels.json (a bare array or a Web API response
 * object) from memory. */
int ev_snapshot(ev *e, const char *data, size_t len, int which, const char *where);
enum { EV_SNAP_USERS = 1, EV_SNAP_CHANNELS = 2 };
#endif
