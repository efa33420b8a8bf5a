/* store.h: the archive's storage, and the only interface to the database.
 *
 * Nothing outside src/store/ knows SQL. The operations are the ones ingest
 * and pages need, not a query language: upsert a user, a channel, a message
 * and its reactions; list the channels active on a day with their counts,
 * the days of a channel with their counts, the messages of a channel-day
 * with their threads; fetch one message; settings.
 *
 * Backed by SQLite (src/store/sqlite.c: WAL, prepared statements, schema
 * version with forward migrations). PostgreSQL can be added behind the same
 * functions.
 *
 * Strings handed in are copied; strings handed out live in the arena the
 * caller passes (read functions) and stay valid until that arena is reset.
 * Functions return 0 on success and -1 on error (store_errmsg() says what),
 * unless documented otherwise. */
#ifndef SLACKLOG_STORE_H
#define SLACKLOG_STORE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lib/arena.h"

typedef struct store store_t;

enum {
	STORE_READONLY = 1,     /* open for reading only (serve, build, stats) */
	STORE_CREATE = 2,       /* create the file and schema if missing */
	STORE_ALL = 4,          /* read functions see unpublished channels too */
	STORE_NOMAP = 8,        /* readers: no memory map of the file (a long-running
				 * server's RSS stays its own memory plus SQLite's
				 * page cache, not every page it ever touched) */
};

store_t *store_open(const char *path, int flags, char *err, size_t errlen);
void store_close(store_t *s);
/* Remove the archive at path with the files SQLite keeps beside it: for a
 * command that made one and then had nothing to put in it. */
void store_remove(const char *path);
const char *store_errmsg(store_t *s);

/* Transactions: ingest batches its writes; a killed process leaves the last
 * committed batch, and re-running finishes the job (writes are upserts). */
int store_begin(store_t *s);
int store_commit(store_t *s);
int store_rollback(store_t *s);
/* Around a bulk load (outside transactions): on an archive without
 * messages, writes go through a rollback journal instead of WAL until
 * store_bulk_end, which goes back to WAL. Both are safe against a killed
 * process (the journal restores the last commit); a first import writes
 * each page once instead of twice. store_bulk_begin returns 1 when it
 * switched, 0 when the archive already has messages, -1 on error. */
int store_bulk_begin(store_t *s);
int store_bulk_end(store_t *s);
/* A read snapshot around the queries of one page: they all see the archive
 * as of the first, and take the database's read lock once instead of once
 * per query. Outside a transaction only (otherwise both do nothing);
 * store_read_end() after every store_read_begin() that returned 0. They
 * nest: inside an outer snapshot (a build job's), the inner ones read it. */
int store_read_begin(store_t *s);
void store_read_end(store_t *s);

/* Archive settings (time_zone, site title, ...). get returns an arena copy
 * or NULL when unset. */
const char *store_get_setting(store_t *s, arena_t *a, const char *key);
int store_set_setting(store_t *s, const char *key, const char *value);

/* ---- records ---------------------------------------------------------- */

/* CH_UNKNOWN: a conversation only events name, none of which said what
 * it is (an ID starting with C may be public or, since 2021, private):
 * unpublished like a private channel until something says. */
typedef enum { CH_PUBLIC = 0, CH_PRIVATE = 1, CH_DM = 2, CH_MPIM = 3, CH_UNKNOWN = 4 } channel_kind;
const char *channel_kind_name(channel_kind k);   /* "public", "private", "dm", "mpim", "unknown" */

typedef struct st_user {
	const char *id;
	const char *name;            /* handle: "abilinski" */
	const char *real_name;
	const char *display_name;    /* profile.display_name */
	const char *title;
	const char *avatar;          /* image_72 URL */
	const char *tz;
	bool deleted, is_bot;
	const char *raw;             /* original JSON object (may be NULL) */
	size_t rawlen;
	/* read side only: the best name to show (display -> real -> name -> id) */
	const char *shown;
} st_user;

typedef struct st_channel {
	const char *id;
	const char *name;
	channel_kind kind;
	const char *topic, *purpose;
	int64_t created;
	bool archived;
	const char *creator;
	const char *raw;
	size_t rawlen;
	/* read side only */
	const char *path;            /* its URL segment: the name, or the ID when
				      * a published channel before it in (kind,
				      * id) order has the name (names repeat when
				      * two workspaces' exports are merged, or
				      * the archive missed a rename), or when the
				      * name cannot be a segment (empty, or with
				      * '/', '.' or a control character) */
	bool published;
	int64_t messages;            /* messages a page shows, all days */
	const char *first_day, *last_day;   /* the first and last day page (a day
				      * with messages, or with replies to other
				      * days' threads: store_late_days) */
} st_channel;

typedef struct st_reaction {
	const char *name;            /* "clap::skin-tone-3" */
	int count;                   /* authoritative (users may be truncated) */
	const char *users;           /* comma-separated user IDs */
} st_reaction;

typedef struct st_message {
	const char *channel_id;
	const char *ts;              /* canonical, see ts.h */
	const char *day;             /* YYYY-MM-DD of ts in the archive's zone */
	const char *thread_ts;       /* NULL when not part of a thread */
	const char *user_id;         /* author: user, comment.user, or NULL */
	const char *bot_id;
	const char *username;        /* bot or legacy name field */
	const char *subtype;         /* NULL for plain messages */
	const char *text;            /* mrkdwn as stored in Slack */
	const char *edited_ts;       /* canonical or NULL */
	int reply_count;
	bool has_files, has_links;
	const char *raw;             /* the original JSON object */
	size_t rawlen;
	/* write side, optional: the plain text to index for search
	 * (render_message_text of raw); indexed when the upsert stores the
	 * message (see the search section) */
	const char *plain;
	size_t plainlen;
	/* write side: when this copy's state was current (canonical ts): an
	 * event's time, a Web API read's, at least the export's for an export;
	 * NULL: its edited_ts, else its ts. */
	const char *seen;
	/* write side: the copy says nothing of reactions (an event's message):
	 * the stored ones stay. Otherwise m->reactions is Slack's list as of
	 * seen, in Slack's order. */
	bool keep_reactions;
	/* read side only */
	const char *page_day;        /* day whose page shows it (parent's day for replies) */
	bool hidden;                 /* joins/leaves: stored, not shown */
	bool withheld;               /* taken down or its author opted out: a
				      * blank stand-in (no author, text, JSON or
				      * reactions) kept where a thread needs it */
	st_reaction *reactions;
	size_t nreactions;
} st_message;

/* Result of an upsert. */
enum { ST_UNCHANGED = 0, ST_INSERTED = 1, ST_UPDATED = 2, ST_REFUSED = 3, ST_ERROR = -1 };

int store_upsert_user(store_t *s, const st_user *u);
int store_upsert_channel(store_t *s, const st_channel *c);
/* Insert (channel_id, ts), or replace it with a newer copy: copies are
 * ordered by edited_ts, then seen, then the longer and byte-wise larger
 * JSON, so copies arriving in any order end in the same row. A newer copy
 * with the same JSON only moves seen (ST_UNCHANGED). A message deleted
 * earlier (see store_delete_message) is ST_REFUSED. Keeps page_day of it
 * and of its replies right whatever the arrival order. Unless
 * keep_reactions, m->reactions is a list as of seen: it replaces an older
 * list, and reaction events after seen apply on top of it
 * (store_reaction_event). */
int store_upsert_message(store_t *s, const st_message *m);
/* Delete: the message disappears from pages and counts; a tombstone keeps
 * a replayed older copy from coming back. */
int store_delete_message(store_t *s, const char *channel_id, const char *ts);
/* One person's reaction added or removed at time at (a canonical ts): the
 * newest change of each (message, name, person) wins, and a message's
 * list of reactions as of a later time wins over it. Reactions keep
 * Slack's order: by when each was first added (the list's order for
 * those in a message's list), its people likewise. 0 when applied (or
 * there was nothing to change), 1 when older than what the archive
 * knows (ignored), -1 on error. */
int store_reaction_event(store_t *s, const char *channel_id, const char *ts, const char *name, const char *user,
			 bool add, const char *at);
/* The same without a time: applied at once, an added person last. */
int store_reaction_add(store_t *s, const char *channel_id, const char *ts, const char *name, const char *user);
int store_reaction_remove(store_t *s, const char *channel_id, const char *ts, const char *name, const char *user);
/* Custom emoji (emoji.list shape): value is a URL or "alias:name". */
int store_upsert_emoji(store_t *s, const char *name, const char *value);
int store_delete_emoji(store_t *s, const char *name);

/* ---- reading ---------------------------------------------------------- */

/* Channels, ordered by name, kind and ID (published ones unless STORE_ALL), without
 * raw (NULL: the channel by name or ID has it). */
int store_channels(store_t *s, arena_t *a, st_channel **out, size_t *n);
const st_channel *store_channel_by_name(store_t *s, arena_t *a, const char *name);
const st_channel *store_channel_by_id(store_t *s, arena_t *a, const char *id);
const st_user *store_user(store_t *s, arena_t *a, const char *id);
/* By ID, name or display name (first match). */
const st_user *store_user_find(store_t *s, arena_t *a, const char *who);
const char *store_emoji(store_t *s, arena_t *a, const char *name);   /* value or NULL */
/* What the archive knows of a bot (B...) from the export's own data, for
 * messages that name no author: the bot user whose profile.bot_id it is
 * (*user_id, else NULL), and the text of the channel's latest bot_add,
 * bot_remove, bot_enable or bot_disable message about it (*text, else
 * NULL), which links the integration as <https://.../services/B...|name>.
 * channel_id may be NULL (no message is looked for). 0, or -1 on error. */
int store_bot(store_t *s, arena_t *a, const char *channel_id, const char *bot_id, const char **user_id,
	      const char **text);

typedef struct st_daycount {
	const char *day;             /* or channel_id for store_day_channels */
	const char *name;            /* channel name for store_day_channels */
	int64_t count;
} st_daycount;

/* Days of a channel with the count its day page shows, oldest first. */
int store_channel_days(store_t *s, arena_t *a, const char *channel_id, st_daycount **out, size_t *n);
/* Channels with messages on a day (published), alphabetically, with counts. */
int store_day_channels(store_t *s, arena_t *a, const char *day, st_daycount **out, size_t *n);
/* Channels a user wrote in (published ones unless STORE_ALL), by name,
 * counting their messages that pages show (day = channel_id, as above). */
int store_user_channels(store_t *s, arena_t *a, const char *user_id, st_daycount **out, size_t *n);
/* Only the IDs of those channels, published or not: one range of an
 * index, for pages asking of each person they name whether they have a
 * page (site_is_author). */
int store_user_channel_ids(store_t *s, arena_t *a, const char *user_id, const char ***out, size_t *n);
/* Messages a channel-day page shows, in ts order: top-level messages of the
 * day and the replies of their threads (any day), joins/leaves excluded
 * unless with_hidden. Reactions filled in. */
int store_day_messages(store_t *s, arena_t *a, const char *channel_id, const char *day,
		       bool with_hidden, st_message **out, size_t *n);
/* A whole thread (parent first), or one message. */
int store_thread(store_t *s, arena_t *a, const char *channel_id, const char *thread_ts, st_message **out, size_t *n);
const st_message *store_message(store_t *s, arena_t *a, const char *channel_id, const char *ts);
/* Previous/next day with messages in a channel; NULL when none. */
const char *store_adjacent_day(store_t *s, arena_t *a, const char *channel_id, const char *day, int dir);

/* Totals for `slacklog stats`. */
typedef struct st_totals {
	int64_t users, messages, threads, replies, reactions, files, channels;
} st_totals;
int store_totals(store_t *s, st_totals *t);
/* Every stored message record of a channel (any subtype). */
int64_t store_channel_records(store_t *s, const char *channel_id);
/* Conversations that would be published if the archive knew more: of
 * unknown kind (*type), public or of unknown kind and known only by
 * their ID (*name). */
int store_channels_waiting(store_t *s, int64_t *type, int64_t *name);

/* ---- search ----------------------------------------------------------
 * A full-text index (SQLite FTS5, src/store/search-sqlite.c) over each
 * message's plain text: render_message_text() of its JSON, so mentions are
 * names, entities decoded, link labels and URLs, attachments' and files'
 * titles and text. Ingest sets st_message.plain and store_upsert_message()
 * indexes it whenever it inserts or replaces the message (ST_INSERTED,
 * ST_UPDATED); replacing a message without plain text, or deleting it,
 * drops its old entry, so stale text is never found. Only messages of
 * published channels are ever returned, whatever the handle's flags. */

/* Index (or re-index) the plain text of a stored message. Joins/leaves and
 * messages not in the store are skipped (returns 0). */
int store_search_index(store_t *s, const char *channel_id, const char *ts, const char *text, size_t len);
int store_search_unindex(store_t *s, const char *channel_id, const char *ts);
/* Messages stored but not indexed (an archive made before the index, or
 * an index dropped to be rebuilt): how many, and the next batch of up to
 * max of them after *cursor (0 at first; updated) with channel, ts, day,
 * thread, author and raw JSON, to render and index. */
int64_t store_search_missing(store_t *s);
int store_search_pending(store_t *s, arena_t *a, int64_t *cursor, size_t max, st_message **out, size_t *n);
/* Messages to render again and index (store_search_index), up to max at a
 * time, each handed out once (*n == 0: none left): the store dropped their
 * plain text because it named someone opted out or erased, or took them
 * out of the index because a person they name was renamed (an upsert of a
 * user whose shown name changed finds them by the old name or the ID).
 * Render them from their JSON with the store's names (store_user). The
 * list is the handle's: write paths empty it before closing, ideally in
 * the transaction that filled it. */
int store_search_stale(store_t *s, arena_t *a, size_t max, st_message **out, size_t *n);
/* Empty the index (before rebuilding it with a new renderer or tokenizer). */
int store_search_clear(store_t *s);
/* Merge the index into one segment: queries walk it fastest. 4 s of CPU
 * per million messages; a write handle that indexed a quarter of the
 * archive and 250,000 messages or more does it when it closes. */
int store_search_optimize(store_t *s);

enum { ST_SORT_RELEVANCE = 0, ST_SORT_NEW = 1, ST_SORT_OLD = 2 };

/* The ID of the published channel named name, or whose ID is name; NULL
 * when there is none (a private channel's name is not an answer). One
 * lookup, without the channel's counts. */
const char *store_search_channel(store_t *s, arena_t *a, const char *name);

/* A query as the search module hands it over: FTS5 expressions built from
 * a parsed query (every term a quoted FTS5 string) and resolved filters.
 * All strings are bound as parameters. */
typedef struct st_search {
	const char *match;           /* FTS5 MATCH expression, or NULL: filters only */
	const char *exclude;         /* messages matching this are left out, or NULL */
	const char **channel_ids;    /* any of them (empty: every published channel) */
	size_t nchannels;
	const char **user_ids;       /* any of them */
	size_t nusers;
	const char *day_from;        /* day >= day_from (a prefix: "2016", "2016-03") */
	const char *day_to;          /* day < day_to */
	bool has_link, has_file, has_reaction, is_thread;
	int sort;                    /* ST_SORT_* (no match: newest first unless OLD) */
	int limit, offset;
	int64_t count_max;           /* count hits up to this many (0: all of them) */
} st_search;

/* Snippet highlight marks: never present in indexed text (control
 * characters are blanked when indexing), so a page can escape the snippet
 * and then turn the marks into markup. */
#define ST_MARK_OPEN "\x02"
#define ST_MARK_CLOSE "\x03"

typedef struct st_hit {
	const char *channel_id, *channel;    /* ID and name */
	const char *path;                    /* the channel's path (st_channel) */
	const char *ts, *day, *page_day, *thread_ts;
	const char *user_id;                 /* may be NULL (bots) */
	const char *user;                    /* the name shown for the author */
	const char *snippet;                 /* plain text with ST_MARK_* around matches */
} st_hit;

/* Run a query: up to limit hits from offset, and the total number of hits.
 * Relevance ranks the newest hits (a window of a few thousand) and lists
 * the older ones after them, newest first. Returns 0 when *total is exact,
 * 1 when there are more than *total hits (more than count_max, or than the
 * page reached), -1 on error. A malformed MATCH expression is an error
 * (store_errmsg() says why). */
int store_search(store_t *s, arena_t *a, const st_search *q, st_hit **out, size_t *n, int64_t *total);

/* ---- publishing (src/store/pub-sqlite.c) --------------------------------
 * For sitemaps, feeds and the static build; not meant per request. */

/* IDs of the users with messages a page of the channel shows. */
int store_channel_authors(store_t *s, arena_t *a, const char *channel_id, const char ***out, size_t *n);
/* The same for every channel at once (one read of the messages_user
 * index): each person with shown messages, with each channel they wrote
 * in, by person. */
typedef struct st_author {
	const char *user_id, *channel_id;
} st_author;
int store_authors(store_t *s, arena_t *a, st_author **out, size_t *n);
/* ts of the channel's newest shown messages, newest first, at most limit,
 * none before from (NULL: any). */
int store_channel_recent(store_t *s, arena_t *a, const char *channel_id, int limit, const char *from,
			 const char ***out, size_t *n);
typedef struct st_daychange {
	const char *day;             /* a day page of the channel */
	int64_t changed;             /* unix time of its newest message or edit */
} st_daychange;
/* Every day page of a channel with its last change, oldest first. */
int store_channel_days_changed(store_t *s, arena_t *a, const char *channel_id, st_daychange **out, size_t *n);
/* Every day page of every channel the handle shows (published ones unless
 * STORE_ALL) with the count it shows, by channel ID, then day: one read
 * of the archive's day_counts for what store_channel_days and
 * store_day_channels answer one channel or day at a time (a build's
 * sidebars and calendars).
 * With changed, also each page's last change as store_channel_days_changed
 * has it, which costs a read of every message row. */
typedef struct st_chanday {
	const char *channel_id;      /* consecutive rows share the pointer */
	const char *day;
	int64_t count;
	int64_t changed;             /* 0 unless asked for */
} st_chanday;
int store_day_counts(store_t *s, arena_t *a, bool changed, st_chanday **out, size_t *n);
/* Threads of a channel with a reply pages show (the JSON API's thread
 * documents), by ts, with the first and last day page their messages are
 * on (they differ only for replies whose parent is not archived). */
typedef struct st_threadspan {
	const char *ts;
	const char *first_day, *last_day;
} st_threadspan;
int store_thread_spans(store_t *s, arena_t *a, const char *channel_id, st_threadspan **out, size_t *n);
/* Each person's newest shown message or edit in the channels the handle
 * shows (unix time), by user ID: the last change of their page. */
int store_user_changes(store_t *s, arena_t *a, st_daychange **out, size_t *n);

/* ---- replies on other days (src/store/late-sqlite.c) --------------------
 * A thread's replies are shown and counted on its start's day page
 * (page_day). Those posted on another day are also known by the day they
 * were posted, so that day's page can say that its threads were active:
 * a line per thread, not a message (it changes no count). Only shown
 * replies count (not hidden, not moderated), in published channels
 * unless the handle has STORE_ALL. Kept in the archive (late_replies,
 * schema 11) by every write. */
typedef struct st_late {
	const char *thread_ts;       /* the thread's start */
	const char *page_day;        /* the day page that shows the thread */
	const char *first_ts;        /* the first of the day's replies (its anchor there) */
	int64_t replies;             /* how many of its replies were posted that day */
} st_late;
/* The threads of other days that got replies on a channel-day, by the
 * time of the first of them. */
int store_day_late(store_t *s, arena_t *a, const char *channel_id, const char *day, st_late **out, size_t *n);
/* A channel's days with such replies, oldest first: count is how many,
 * changed the unix time of the newest. */
int store_late_days(store_t *s, arena_t *a, const char *channel_id, st_chanday **out, size_t *n);

/* ---- the change log (src/store/changes-sqlite.c) ------------------------
 * Every write that changes what a page shows records what it touched,
 * with a sequence number that grows with each committed write; an
 * incremental build renders what changed since the sequence it last
 * built up to. */
enum {
	CHG_DAY = 'd',        /* key channel ID, day: a day page's messages, counts, reactions */
	CHG_USER = 'u',       /* key user ID: the profile pages show (names, title, avatar) */
	CHG_COUNTS = 'n',     /* key user ID: how many messages of theirs pages show */
	CHG_CHANNEL = 'c',    /* key channel ID: new, or its topic, purpose, archived flag */
	CHG_MESSAGE = 'm',    /* key channel ID, day = ts: moved, deleted or hidden (links to it) */
	CHG_ALL = 'g',        /* every page (a rename, the zone, moderation, custom emoji) */
};
typedef struct st_change {
	int kind;                    /* CHG_* */
	const char *key, *day;       /* day is "" when the kind has none */
} st_change;
/* The sequence of the newest committed change (0: none), or -1. */
int64_t store_change_seq(store_t *s);
/* The same for a watcher that asks often: while no other connection has
 * committed since this handle's last call, its last answer, without a
 * query (SQLite: PRAGMA data_version, read from the shared memory). */
int64_t store_change_seq_poll(store_t *s);
/* An identifier made when the archive was created: sequences of two
 * archives cannot be compared. */
const char *store_archive_id(store_t *s, arena_t *a);
/* What changed after sequence since, by kind, key, day. */
int store_changes(store_t *s, arena_t *a, int64_t since, st_change **out, size_t *n);
/* The channel-days (page day, and own day when it differs) of shown
 * messages whose author, JSON (mentions, links) or reactions name one of
 * tokens as a whole [A-Za-z0-9] word (user IDs, "p" + a ts's 16 digits).
 * Reads every message: for changes that are rare. Sorts tokens. */
int store_days_naming(store_t *s, arena_t *a, const char **tokens, size_t ntok, st_chanday **out, size_t *n);
/* The same for permalinks ("p" + a ts's 16 digits) of messages posted
 * at after or later: only messages posted or edited after `after` can
 * link to them, and only those are read. */
int store_days_linking(store_t *s, arena_t *a, const char **tokens, size_t ntok, const char *after, st_chanday **out,
		       size_t *n);

/* ---- moderation (src/store/moderation-sqlite.c) ----------------------
 * Opt-outs, takedowns and erasures are enforced here, so every surface
 * (pages, counts, search, API, static site) follows them whatever the
 * handle's flags:
 *  - an opted-out person's messages and taken-down messages are kept but
 *    never shown: read functions leave them out, or return a blank
 *    stand-in (withheld) for a thread parent whose replies are shown; they
 *    are not in the search index; counts leave them out;
 *  - store_user() of an opted-out person returns the neutral record
 *    (shown = ST_NEUTRAL_NAME, nothing else), and store_user_find() does
 *    not find them by name unless the handle has STORE_ALL;
 *  - an erased person is gone from the store, also from what others'
 *    messages carried of them (their files, quotes, profile snapshots
 *    become stand-ins; mentions name ST_ERASED_ID): only salted SHA-256
 *    hashes of their ID, names, files and messages remain, and the
 *    upserts refuse (users, their messages, their reactions) or rewrite
 *    the same way what a later import or event brings;
 *  - which channels are published follows the publish policy (public
 *    ones unless unpublished, private ones only when named, DMs and group
 *    DMs never), kept in the archive so imports honour it too.
 * Changes drop the affected messages (and messages naming the person)
 * from the search index: the caller re-indexes what store_search_missing
 * then reports, rendered with the new names. */
#define ST_NEUTRAL_NAME "a former member"
#define ST_ERASED_ID "UERASED"
#define ST_ERASED_FILE "FERASED"
#define ST_NEUTRAL_FILE "a former member's file"

/* What store_optout and store_redact return when what was asked is the
 * case already: nothing is changed or recorded. */
enum { ST_MOD_ALREADY = -2 };
/* Opt a user out (undo: back in). Returns the messages whose visibility
 * changed, ST_MOD_ALREADY (opted out already; undo: not opted out), or -1. */
int64_t store_optout(store_t *s, const char *user_id, bool undo);
bool store_is_opted_out(store_t *s, const char *user_id);
/* Take down a message (thread: and every reply of its thread). Returns
 * the messages hidden (0: no such message), ST_MOD_ALREADY when a takedown
 * covers it already (the same, or its thread's), or -1. A takedown is
 * never narrowed: the message alone after its thread keeps the thread's. */
int64_t store_redact(store_t *s, const char *channel_id, const char *ts, bool thread);
/* Erase a user from the store (see above). Runs its own transaction and
 * leaves no copy of the deleted text in the file (secure_delete, index
 * merged, WAL truncated) unless another connection is reading an older
 * snapshot: then old page images remain until store_checkpoint succeeds.
 * Returns the messages deleted, or -1. */
int64_t store_forget(store_t *s, const char *user_id);
/* Copy the WAL into the database file and truncate it, trying again for
 * up to wait seconds while other connections read older snapshots (a
 * server's requests). 0: done, nothing old is left in the WAL or in the
 * pages it replaced; 1: readers are still on older snapshots; -1: error.
 * Outside transactions. */
int store_checkpoint(store_t *s, double wait);
bool store_is_erased(store_t *s, const char *user_id);

/* The publish policy: channel names (or IDs) of private channels to
 * publish and of public ones not to. Stored in the archive; published is
 * recomputed for every channel. Returns how many channels changed. */
int store_set_publish_policy(store_t *s, char *const *publish, char *const *unpublish);

/* The audit log of moderation actions. */
typedef struct st_modlog {
	int64_t id, at;              /* at: Unix seconds */
	const char *by, *action, *target, *reason;
} st_modlog;
int store_modlog_add(store_t *s, const char *by, const char *action, const char *target, const char *reason);
int store_modlog(store_t *s, arena_t *a, st_modlog **out, size_t *n);

/* ---- live ingest (src/store/live-sqlite.c) -------------------------------
 * Slack retries a delivery it thinks failed (three times within about an
 * hour) and may deliver an event twice: each event_id is remembered, and
 * forgotten ST_EVENT_ID_KEEP seconds after the later of its event_time and
 * its arrival, so the table holds about a day of events, not all of them. */
#define ST_EVENT_ID_KEEP (24 * 3600)
/* Record event id, whose event_time is at (0: unknown), arriving at now
 * (Unix seconds); ids kept from before now - ST_EVENT_ID_KEEP are
 * forgotten first. Returns 1 when the id is new, 0 when it was seen, -1 on
 * error. Inside the transaction that applies the event. */
int store_event_id(store_t *s, const char *id, int64_t at, int64_t now);

/* Threads, for a sync to ask Slack again about those with new replies.
 * Every stored message counts, moderated ones too. */
typedef struct st_thread {
	const char *thread_ts;       /* the parent's ts */
	const char *latest;          /* the thread's newest stored message */
} st_thread;
/* The newest stored reply of a thread, or NULL when none is stored, and
 * how many replies are stored. */
const char *store_thread_latest(store_t *s, arena_t *a, const char *channel_id, const char *thread_ts,
				int64_t *replies);
/* The threads of a channel with a message (parent or reply) at or after
 * since, oldest parent first. */
int store_channel_threads(store_t *s, arena_t *a, const char *channel_id, const char *since, st_thread **out,
			  size_t *n);

/* Recompute every message's day after a change of the archive's zone. */
int store_rebucket_days(store_t *s);
#endif
