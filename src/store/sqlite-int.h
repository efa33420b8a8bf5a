/* sqlite-int.h: what the files of the SQLite store share, and nothing
 * outside src/store/ may use. sqlite.c owns the handle, the schema and the
 * migrations; the full-text index plugs in here: its tokenizer, ranking
 * and SQL functions are registered on every connection before the schema
 * is touched (search-sqlite.c), its tables are migrations, its statements
 * live in the handle's extra statement slots. search-sqlite.c keeps the
 * index in step with the messages, search-query.c answers store_search,
 * search-rank.c ranks, search-token.c tokenizes. */
#ifndef SLACKLOG_STORE_SQLITE_INT_H
#define SLACKLOG_STORE_SQLITE_INT_H
#include "store/store.h"
#include "lib/buf.h"
#include "lib/ts.h"
#include <sqlite3.h>

/* Extra prepared-statement slots in a handle: search-sqlite.c has those
 * below SEARCH_QUERY_SLOTS, search-query.c those up to LIVE_SLOTS,
 * live-sqlite.c the two from LIVE_SLOTS, late-sqlite.c the two from
 * LATE_SLOTS, the change log (changes-sqlite.c) the one after,
 * reactions-sqlite.c those from REACTIONS_SLOTS to the end. */
enum { SEARCH_QUERY_SLOTS = 12, LIVE_SLOTS = 18, LATE_SLOTS = 20, CHANGES_SLOT = 22, REACTIONS_SLOTS = 23,
       STORE_XSTMT = 33 };

sqlite3 *store_sqlite_db(store_t *s);
/* Prepare once per handle (slot < STORE_XSTMT), then reset and reuse. */
sqlite3_stmt *store_sqlite_stmt(store_t *s, int slot, const char *sql);
/* Room for element n of an arena array of *cap elements of size bytes
 * (doubling, the old ones copied): the array to use. */
void *store_sqlite_grow(arena_t *a, void *v, size_t n, size_t *cap, size_t size);
/* Column i of the current row as an arena string (NULL for NULL). */
const char *store_sqlite_col(arena_t *a, sqlite3_stmt *q, int i);
/* Step q to its end, appending the first ncols columns of each row to out
 * as NUL-terminated text (NULL as ""), and counting the rows in *n: for
 * loops that write as they go through them, which must not run while q
 * still steps. The caller resets or finalizes q. 0, or -1 ("what: ..."). */
int store_sqlite_rows(store_t *s, sqlite3_stmt *q, int ncols, buf_t *out, size_t *n, const char *what);
/* Set the handle's error message: "what: sqlite's message"; returns -1. */
int store_sqlite_fail(store_t *s, const char *what);
void store_sqlite_seterr(store_t *s, const char *msg);

/* Texts to index wait in the handle's queue until the transaction
 * commits (store_commit flushes, store_rollback and store_close discard):
 * see search-sqlite.c for why. */
struct search_queue;
struct search_queue **store_sqlite_searchq(store_t *s);
bool store_sqlite_in_tx(store_t *s);
/* Opened with STORE_ALL: reads see unpublished channels too. */
bool store_sqlite_all(store_t *s);
int search_sqlite_flush(store_t *s);
void search_sqlite_discard(store_t *s);
/* A write handle closes outside a transaction: after writing a good
 * part of a large index (an import), merge its segments into one. */
void search_sqlite_closing(store_t *s);
/* After store_upsert_message: drop a replaced message's entry, queue the
 * new plain text (m->plain) when there is one. */
int search_sqlite_upserted(store_t *s, const st_message *m, int result);
/* The same for a message just inserted as row id, which the index skips
 * when hidden (a join or leave, or not in a published channel). */
int search_sqlite_inserted(store_t *s, int64_t id, const st_message *m, bool hidden);
/* A message's reactions changed: its has:reaction token follows. */
int search_sqlite_reacted(store_t *s, const char *channel_id, const char *ts);
/* A channel stopped being published: its messages leave the index. */
int search_sqlite_unpublished(store_t *s, const char *channel_id);
/* Messages leave the index: those whose messages.id the query ids_sql
 * returns, its ?1, ?2... bound to args (NULL-terminated strings). For
 * the store's other files (moderation), which must not write the index's
 * tables themselves. */
int search_sqlite_drop(store_t *s, const char *ids_sql, const char *const *args);

/* A message whose plain text must be rendered again by the caller (see
 * store_search_stale): it waits in the handle's list. */
void search_sqlite_stale(store_t *s, const char *channel_id, const char *ts);
/* A person's shown name changed (old: the name before, NULL when new):
 * the indexed messages naming them leave the index for the list. */
int search_sqlite_renamed(store_t *s, const char *user_id, const char *old);

/* The change log (changes-sqlite.c): record that a write changed what
 * pages show (kind: CHG_* of store.h; day "" when none); _all: every
 * page. The handle's memory of what this transaction recorded is dropped
 * by _reset at each transaction's start and end. */
struct changes;
struct changes **store_sqlite_changes(store_t *s);
int changes_sqlite_record(store_t *s, int kind, const char *key, const char *day);
int changes_sqlite_all(store_t *s);
void changes_sqlite_reset(store_t *s);
void changes_sqlite_free(store_t *s);

/* Moderation (moderation-sqlite.c): its per-handle state, forgotten at
 * each transaction's start. */
struct moderation;
struct moderation **store_sqlite_mod(store_t *s);
void moderation_sqlite_free(store_t *s);
void moderation_sqlite_reset(store_t *s);
/* Before storing a message: ST_REFUSED for an erased author; otherwise
 * *out is m or a copy whose JSON, text and username no longer name erased
 * people (erase.c) and whose plain text is dropped when it named someone
 * opted out or erased, and *hidden is raised to 2 for an opted-out author
 * or a takedown. */
int moderation_sqlite_message(store_t *s, const st_message *m, const st_message **out, int *hidden);
/* Before storing a user, a channel, a reaction: refuse or rewrite. */
bool moderation_sqlite_refuse_user(store_t *s, const char *user_id);
/* ST_REFUSED for an erased person; otherwise 0 and *u is the record or a
 * copy whose raw no longer names erased people (ST_ERROR on error). */
int moderation_sqlite_user_in(store_t *s, const st_user **u);
const st_channel *moderation_sqlite_channel(store_t *s, const st_channel *c, int *published);
/* After reading messages: leave out moderated ones (hidden == 2), or
 * blank them into stand-ins: for thread parents with shown replies
 * (stand_ins), or all of them (a single message asked for). */
void moderation_sqlite_filter(st_message *v, size_t *n, bool stand_ins, bool keep_all);
/* After reading messages: quotes (shared messages, unfurls) of someone
 * opted out, or of a withheld message, become a neutral stand-in in their
 * raw (copies in a); quotes of erased people are stand-ins when stored. */
int moderation_sqlite_scrub(store_t *s, arena_t *a, st_message *v, size_t n);
/* Before storing a setting: the order of live events ("ev:" keys, see
 * ingest/order.h) names people in keys (reactions, users, members) and
 * quotes topics in values: 1 when the key names an erased person (it is
 * not stored), else 0 with *value rewritten if it named one; -1 on error. */
int moderation_sqlite_setting(store_t *s, const char *key, const char **value);
/* The salted SHA-256 (hex) of the n bytes at s that erasure keeps. */
void moderation_sqlite_hash(const char *salt, const char *s, size_t n, char out[65]);
/* The neutral record for an opted-out or erased person, or u. */
const st_user *moderation_sqlite_user(store_t *s, arena_t *a, const st_user *u, const char *id);

/* Erasure's walk (erase.c): an erased person taken out of a record. What
 * is theirs is known by salted hashes only: theirs(ud, s, n) says whether
 * the n bytes at s are one of their identifiers (an ID, a name, a file's
 * ID, "CHANNEL/TS" of one of their messages). Copies go in a. */
typedef struct erase_ctx {
	bool (*theirs)(void *ud, const char *s, size_t n);
	void *ud;
	arena_t *a;
} erase_ctx;
/* raw (a JSON record) with every value naming them rewritten and, with
 * names (a message: it embeds others' words), their names too and their
 * objects made stand-ins; NULL when nothing names them. */
const char *erase_json(const erase_ctx *e, const char *raw, size_t len, bool names, size_t *outlen);
/* mrkdwn (a message's text, a legacy username) the same way, the whole
 * string as a name too when names is set; NULL when nothing names them. */
const char *erase_text(const erase_ctx *e, const char *t, size_t len, bool names, size_t *outlen);
/* The next user- or file-ID-shaped token (U, W or F and six or more of
 * [A-Z0-9], not part of a longer word) at or after *at. */
bool erase_next_id(const char *t, size_t len, size_t *at, size_t *n);

/* Registers on a connection: the "slacklog" FTS5 tokenizer, the
 * slacklog_rank() ranking function and the SQL functions the index's
 * migrations and statements use. */
int search_sqlite_init(sqlite3 *db);
int search_token_register(fts5_api *api);
int search_rank_register(fts5_api *api);

/* The index's rowid is the message's day and time (search-sqlite.c):
 * the day's number since 1970 (17 bits), the ts's second counted from 14
 * hours before the day's UTC midnight (19 bits), and a slot (8 bits): the
 * 256th of the second, or the next free one when two messages share it. */
enum { SEARCH_SLOT_BITS = 8, SEARCH_SLOTS = 1 << SEARCH_SLOT_BITS, SEARCH_TIME_BITS = 19,
       SEARCH_DAY_SHIFT = SEARCH_SLOT_BITS + SEARCH_TIME_BITS, SEARCH_DAY_MAX = (1 << 17) - 1 };
int64_t search_key(const char *day, const char *ts);
/* The first rowid of the first day >= day ("2016", "2016-03" or a day). */
int64_t search_day_key(const char *day);
/* The meta column: a message's filters as tokens ("a cc024be91l uu1 l t").
 * Also what a query writes to match them, so both sides agree. */
void search_meta_channel(buf_t *b, const char *channel_id);
void search_meta_user(buf_t *b, const char *user_id);
enum { SEARCH_META_ALL = 'a', SEARCH_META_LINK = 'l', SEARCH_META_FILE = 'f',
       SEARCH_META_REACTION = 'r', SEARCH_META_THREAD = 't' };

/* Page size of the ranking: relevance ranks the newest SEARCH_RANK_WINDOW
 * hits (see search-query.c). */
enum { SEARCH_RANK_WINDOW = 2000 };

/* Schema version 2: the first index (rowid = messages.id, body only). No
 * triggers: store_upsert_message and store_delete_message keep it in step
 * (a trigger would make every write to messages open a savepoint, and
 * FTS5 flushes at each one). */
#define SEARCH_SCHEMA_V2 \
	"CREATE VIRTUAL TABLE search USING fts5(body, tokenize = 'slacklog');"
/* Schema version 3: moderation (moderation-sqlite.c). A message hidden by
 * moderation has messages.hidden = 2. */
#define MODERATION_SCHEMA_V3 \
	"CREATE TABLE optout(user_id TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID;" \
	"CREATE TABLE redacted(channel_id TEXT NOT NULL, ts TEXT NOT NULL, thread INTEGER NOT NULL DEFAULT 0," \
	"  PRIMARY KEY(channel_id, ts)) WITHOUT ROWID;" \
	"CREATE TABLE erased(hash TEXT PRIMARY KEY) WITHOUT ROWID;" \
	"CREATE TABLE modlog(id INTEGER PRIMARY KEY, at INTEGER NOT NULL, by TEXT, action TEXT NOT NULL," \
	"  target TEXT NOT NULL, reason TEXT);"

/* Schema version 4 (search-sqlite.c): search_text holds each indexed
 * message's text and filter tokens under its messages.id, with the rowid
 * key; the FTS5 table indexes it as external content. The texts of version
 * 2 are carried over, so an archive keeps its index. from: looks a person
 * up by handle, display or real name: indexes make that three lookups
 * instead of a scan of the users (1.5 ms with 5,000 of them). */
#define SEARCH_TEXT_TABLE \
	"CREATE TABLE search_text(id INTEGER PRIMARY KEY, key INTEGER NOT NULL, body TEXT NOT NULL, meta TEXT NOT NULL);" \
	"CREATE UNIQUE INDEX search_text_key ON search_text(key);"
/* The FTS5 table over search_text, its settings (pending terms written at
 * commit rather than every megabyte, levels merged 8 segments at a time:
 * half the CPU of indexing) and its postings built from the content. */
#define SEARCH_FTS_TABLE \
	"CREATE VIRTUAL TABLE search USING fts5(body, meta, content = 'search_text', content_rowid = 'key', " \
	"tokenize = 'slacklog');" \
	"INSERT INTO search(search, rank) VALUES ('hashsize', 33554432);" \
	"INSERT INTO search(search, rank) VALUES ('automerge', 8);" \
	"INSERT INTO search(search) VALUES ('rebuild');"
/* INSERT ... SELECT of a query giving id, k (its second's key, slot 0),
 * ts, body and meta: slots by ts within each second. */
#define SEARCH_SLOTTED(sel) \
	"SELECT id, k + slot, body, meta FROM (SELECT id, k, body, meta, " \
	"row_number() OVER (PARTITION BY k ORDER BY ts, id) - 1 AS slot FROM (" sel ")) WHERE slot < 256"
#define SEARCH_SCHEMA_V4 \
	SEARCH_TEXT_TABLE \
	"INSERT INTO search_text(id, key, body, meta) " SEARCH_SLOTTED( \
	"SELECT m.id AS id, slacklog_search_key(m.day, m.ts) AS k, m.ts AS ts, o.body AS body, " \
	"slacklog_search_meta(m.channel_id, m.user_id, m.thread_ts IS NOT NULL, m.has_links, m.has_files, " \
	"EXISTS (SELECT 1 FROM reactions r WHERE r.channel_id = m.channel_id AND r.ts = m.ts)) AS meta " \
	"FROM search o JOIN messages m ON m.id = o.rowid") ";" \
	"DROP TABLE search;" \
	SEARCH_FTS_TABLE \
	"CREATE INDEX users_name ON users(name);" \
	"CREATE INDEX users_display_name ON users(display_name);" \
	"CREATE INDEX users_real_name ON users(real_name);"
/* Schema version 5 (live-sqlite.c): the Events API's event_ids, with
 * the time each is kept from, moved out of the settings. */
#define EVENTS_SCHEMA_V5 \
	"CREATE TABLE IF NOT EXISTS event_ids(id TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID;" \
	"CREATE INDEX IF NOT EXISTS event_ids_at ON event_ids(at);" \
	"INSERT OR IGNORE INTO event_ids(id, at) SELECT substr(key, 7), coalesce(CAST(value AS INTEGER), 0) " \
	"FROM settings WHERE key >= 'ev:id:' AND key < 'ev:id;';" \
	"DELETE FROM settings WHERE key >= 'ev:id:' AND key < 'ev:id;';"
/* Schema version 6: what builds and person pages need. messages_user
 * answers store_user_channels and a person's page by index instead of a
 * scan of every message; changes is the change log (changes-sqlite.c),
 * one row per thing a page shows, with the sequence number of its latest
 * change; archive_id tells one archive's sequence from another's. (IF NOT
 * EXISTS: an archive taken back to an older version migrates again.) */
#define BUILD_SCHEMA_V6 \
	"CREATE INDEX IF NOT EXISTS messages_user ON messages(user_id, channel_id) WHERE hidden = 0;" \
	"CREATE TABLE IF NOT EXISTS changes(kind TEXT NOT NULL, key TEXT NOT NULL, day TEXT NOT NULL," \
	"  seq INTEGER NOT NULL, PRIMARY KEY(kind, key, day)) WITHOUT ROWID;" \
	"CREATE INDEX IF NOT EXISTS changes_seq ON changes(seq);" \
	"INSERT OR IGNORE INTO settings(key, value) VALUES ('archive_id', lower(hex(randomblob(8))));"
/* Schema version 7: what every build reads, from indexes alone. Each day
 * page's and each person's newest ts or edit (sitemaps' lastmod) took a
 * read of every message row, and each thread's days (its document's URL
 * and whether it changed) a read of every reply's; with ts and edited_ts
 * in messages_page and messages_user, and ts, hidden and page_day in
 * messages_thread, they are walks of those indexes. The same prefixes:
 * every query that used them still does. */
#define BUILD_SCHEMA_V7 \
	"DROP INDEX IF EXISTS messages_page;" \
	"CREATE INDEX messages_page ON messages(channel_id, page_day, hidden, ts, edited_ts);" \
	"DROP INDEX IF EXISTS messages_user;" \
	"CREATE INDEX messages_user ON messages(user_id, channel_id, ts, edited_ts) WHERE hidden = 0;" \
	"DROP INDEX IF EXISTS messages_thread;" \
	"CREATE INDEX messages_thread ON messages(channel_id, thread_ts, ts, hidden, page_day) WHERE thread_ts IS NOT NULL;"
/* Schema version 8: day_counts, the count each day page shows (messages
 * with hidden = 0, by channel and page_day), kept by triggers so that
 * every write to messages (import, ingest, events, sync, edits, deletes,
 * moves of replies, moderation, store_rebucket_days) keeps it true without
 * knowing of it. The day page's sidebar reads one day's rows through
 * day_counts_day; a channel's calendar, its first and last day and its
 * total read the channel's rows: a few hundred rows where counting the
 * messages walked the channel's whole index (every message of the archive
 * for the channel list). A count that reaches 0 takes its row out, so a
 * row is a day with messages. (IF NOT EXISTS: see version 6.) */
/* day_counts counted from messages, as version 8 made it. */
#define DAY_COUNTS_RECOUNT_V8 \
	"DELETE FROM day_counts;" \
	"INSERT INTO day_counts(channel_id, page_day, n) SELECT channel_id, page_day, count(*) FROM messages " \
	"  WHERE hidden = 0 GROUP BY channel_id, page_day;"
/* The statements of the count's triggers that versions 8 and 9 share:
 * a shown message gone from its day, one moved between days or between
 * shown and hidden (the WHEN, then the body). */
#define DAY_COUNT_DOWN \
	"  DELETE FROM day_counts WHERE channel_id = old.channel_id AND page_day = old.page_day AND n <= 1;" \
	"  UPDATE day_counts SET n = n - 1 WHERE channel_id = old.channel_id AND page_day = old.page_day;"
#define DAY_COUNT_MOVED \
	"  WHEN (old.hidden = 0 OR new.hidden = 0) AND (old.hidden IS NOT new.hidden" \
	"  OR old.channel_id IS NOT new.channel_id OR old.page_day IS NOT new.page_day) BEGIN"
#define DAY_COUNT_MOVE \
	"  DELETE FROM day_counts WHERE old.hidden = 0 AND channel_id = old.channel_id AND page_day = old.page_day" \
	"    AND n <= 1;" \
	"  UPDATE day_counts SET n = n - 1 WHERE old.hidden = 0 AND channel_id = old.channel_id" \
	"    AND page_day = old.page_day;" \
	"  INSERT INTO day_counts(channel_id, page_day, n) SELECT new.channel_id, new.page_day, 1 WHERE new.hidden = 0" \
	"  ON CONFLICT(channel_id, page_day) DO UPDATE SET n = n + 1;"
#define DAYS_SCHEMA_V8 \
	"CREATE TABLE IF NOT EXISTS day_counts(channel_id TEXT NOT NULL, page_day TEXT NOT NULL, n INTEGER NOT NULL," \
	"  PRIMARY KEY(channel_id, page_day)) WITHOUT ROWID;" \
	"CREATE INDEX IF NOT EXISTS day_counts_day ON day_counts(page_day, channel_id, n);" \
	DAY_COUNTS_RECOUNT_V8 \
	"CREATE TRIGGER IF NOT EXISTS day_counts_insert AFTER INSERT ON messages WHEN new.hidden = 0 BEGIN" \
	"  INSERT INTO day_counts(channel_id, page_day, n) VALUES (new.channel_id, new.page_day, 1)" \
	"  ON CONFLICT(channel_id, page_day) DO UPDATE SET n = n + 1;" \
	"END;" \
	"CREATE TRIGGER IF NOT EXISTS day_counts_delete AFTER DELETE ON messages WHEN old.hidden = 0 BEGIN" \
	DAY_COUNT_DOWN \
	"END;" \
	"CREATE TRIGGER IF NOT EXISTS day_counts_update AFTER UPDATE OF channel_id, page_day, hidden ON messages" \
	DAY_COUNT_MOVED \
	DAY_COUNT_MOVE \
	"END;"
/* Schema version 9: day_counts also keeps each day page's last change,
 * the newest ts or edit among the messages it counts: what a sitemap and
 * a build's walk read for every day page, which was a walk of every
 * message's entry in messages_page. An insert can only move it forward;
 * a delete, a move, a change of hidden or an edit sets it again from the
 * day's messages (one range of messages_page, whose entries hold ts and
 * edited_ts). The table is made again and counted, not altered, so that
 * an archive taken back to an older version migrates again. */
/* The last change of a group of messages: the newest ts or edit (ts and
 * edited_ts are fixed-width text, so text order is time order). */
#define MESSAGES_LAST_CHANGE "max(max(ts, coalesce(edited_ts, '')))"
#define DAY_LAST_CHANGE(ch, day) \
	"(SELECT " MESSAGES_LAST_CHANGE " FROM messages WHERE channel_id = " ch \
	" AND page_day = " day " AND hidden = 0)"
#define DAY_SET_CHANGE(ch, day) \
	"  UPDATE day_counts SET changed = " DAY_LAST_CHANGE(ch, day) " WHERE channel_id = " ch " AND page_day = " day ";"
/* day_counts counted again from messages: the rule the triggers keep. */
#define DAY_COUNTS_RECOUNT \
	"DELETE FROM day_counts;" \
	"INSERT INTO day_counts(channel_id, page_day, n, changed) SELECT channel_id, page_day, count(*), " \
	"  " MESSAGES_LAST_CHANGE " FROM messages WHERE hidden = 0 GROUP BY channel_id, page_day;"
#define DAYS_SCHEMA_V9 \
	"DROP TRIGGER IF EXISTS day_counts_insert;" \
	"DROP TRIGGER IF EXISTS day_counts_delete;" \
	"DROP TRIGGER IF EXISTS day_counts_update;" \
	"DROP TRIGGER IF EXISTS day_counts_edit;" \
	"DROP TABLE IF EXISTS day_counts;" \
	"CREATE TABLE day_counts(channel_id TEXT NOT NULL, page_day TEXT NOT NULL, n INTEGER NOT NULL," \
	"  changed TEXT, PRIMARY KEY(channel_id, page_day)) WITHOUT ROWID;" \
	"CREATE INDEX day_counts_day ON day_counts(page_day, channel_id, n);" \
	DAY_COUNTS_RECOUNT \
	"CREATE TRIGGER day_counts_insert AFTER INSERT ON messages WHEN new.hidden = 0 BEGIN" \
	"  INSERT INTO day_counts(channel_id, page_day, n, changed)" \
	"  VALUES (new.channel_id, new.page_day, 1, max(new.ts, coalesce(new.edited_ts, '')))" \
	"  ON CONFLICT(channel_id, page_day) DO UPDATE SET n = n + 1, changed = max(coalesce(changed, ''), excluded.changed);" \
	"END;" \
	"CREATE TRIGGER day_counts_delete AFTER DELETE ON messages WHEN old.hidden = 0 BEGIN" \
	DAY_COUNT_DOWN \
	DAY_SET_CHANGE("old.channel_id", "old.page_day") \
	"END;" \
	"CREATE TRIGGER day_counts_update AFTER UPDATE OF channel_id, page_day, hidden ON messages" \
	DAY_COUNT_MOVED \
	DAY_COUNT_MOVE \
	DAY_SET_CHANGE("old.channel_id", "old.page_day") \
	DAY_SET_CHANGE("new.channel_id", "new.page_day") \
	"END;" \
	"CREATE TRIGGER day_counts_edit AFTER UPDATE OF edited_ts ON messages" \
	"  WHEN new.hidden = 0 AND old.edited_ts IS NOT new.edited_ts BEGIN" \
	DAY_SET_CHANGE("new.channel_id", "new.page_day") \
	"END;"
/* Schema version 10: user_counts, each person's shown messages in each
 * channel and their last change, kept by triggers as day_counts is: the
 * people with a page and each one's last change (every sitemap and build
 * reads both for every person) and a person's channels were walks of
 * messages_user, every shown message of the archive for the first two;
 * now they are its rows (about one per 10 messages). A delete, a move or
 * an edit sets the last change again from the person's messages in the
 * channel (one range of messages_user). Made again and counted, as in
 * version 9. */
#define USER_SET_CHANGE(u, ch) \
	"  UPDATE user_counts SET changed = (SELECT " MESSAGES_LAST_CHANGE " FROM messages WHERE user_id = " u \
	"  AND channel_id = " ch " AND hidden = 0) WHERE user_id = " u " AND channel_id = " ch ";"
#define USER_COUNTS_RECOUNT \
	"DELETE FROM user_counts;" \
	"INSERT INTO user_counts(user_id, channel_id, n, changed) SELECT user_id, channel_id, count(*), " \
	"  " MESSAGES_LAST_CHANGE " FROM messages INDEXED BY messages_user WHERE hidden = 0 AND user_id IS NOT NULL " \
	"  GROUP BY user_id, channel_id;"
#define USERS_SCHEMA_V10 \
	"DROP TRIGGER IF EXISTS user_counts_insert;" \
	"DROP TRIGGER IF EXISTS user_counts_delete;" \
	"DROP TRIGGER IF EXISTS user_counts_update;" \
	"DROP TRIGGER IF EXISTS user_counts_edit;" \
	"DROP TABLE IF EXISTS user_counts;" \
	"CREATE TABLE user_counts(user_id TEXT NOT NULL, channel_id TEXT NOT NULL, n INTEGER NOT NULL," \
	"  changed TEXT, PRIMARY KEY(user_id, channel_id)) WITHOUT ROWID;" \
	USER_COUNTS_RECOUNT \
	"CREATE TRIGGER user_counts_insert AFTER INSERT ON messages WHEN new.hidden = 0 AND new.user_id IS NOT NULL" \
	"  BEGIN INSERT INTO user_counts(user_id, channel_id, n, changed)" \
	"  VALUES (new.user_id, new.channel_id, 1, max(new.ts, coalesce(new.edited_ts, '')))" \
	"  ON CONFLICT(user_id, channel_id) DO UPDATE SET n = n + 1, changed = max(coalesce(changed, ''), excluded.changed);" \
	"END;" \
	"CREATE TRIGGER user_counts_delete AFTER DELETE ON messages WHEN old.hidden = 0 AND old.user_id IS NOT NULL BEGIN" \
	"  DELETE FROM user_counts WHERE user_id = old.user_id AND channel_id = old.channel_id AND n <= 1;" \
	"  UPDATE user_counts SET n = n - 1 WHERE user_id = old.user_id AND channel_id = old.channel_id;" \
	USER_SET_CHANGE("old.user_id", "old.channel_id") \
	"END;" \
	"CREATE TRIGGER user_counts_update AFTER UPDATE OF channel_id, user_id, hidden ON messages" \
	"  WHEN (old.hidden = 0 OR new.hidden = 0) AND (old.hidden IS NOT new.hidden" \
	"  OR old.channel_id IS NOT new.channel_id OR old.user_id IS NOT new.user_id) BEGIN" \
	"  DELETE FROM user_counts WHERE old.hidden = 0 AND user_id = old.user_id AND channel_id = old.channel_id" \
	"    AND n <= 1;" \
	"  UPDATE user_counts SET n = n - 1 WHERE old.hidden = 0 AND user_id = old.user_id" \
	"    AND channel_id = old.channel_id;" \
	"  INSERT INTO user_counts(user_id, channel_id, n) SELECT new.user_id, new.channel_id, 1" \
	"    WHERE new.hidden = 0 AND new.user_id IS NOT NULL" \
	"  ON CONFLICT(user_id, channel_id) DO UPDATE SET n = n + 1;" \
	USER_SET_CHANGE("old.user_id", "old.channel_id") \
	USER_SET_CHANGE("new.user_id", "new.channel_id") \
	"END;" \
	"CREATE TRIGGER user_counts_edit AFTER UPDATE OF edited_ts ON messages" \
	"  WHEN new.hidden = 0 AND new.user_id IS NOT NULL AND old.edited_ts IS NOT new.edited_ts BEGIN" \
	USER_SET_CHANGE("new.user_id", "new.channel_id") \
	"END;"
/* Schema version 11: late_replies, the replies a thread got on other days
 * than its start's: shown replies (hidden = 0) whose day is not their
 * page_day, a row per channel, day, thread and page day, with how many
 * they are, the first (what the day's line links to on the start's page)
 * and the last (the day page's last change). The day they were posted
 * shows a line per thread (ui-day.c); a channel's calendar marks the
 * days that have only such replies. Kept by triggers as day_counts is,
 * so every write path keeps it without knowing of it; a delete, a move or
 * a change of hidden that takes away a row's first or last reply sets it
 * again from the thread's messages. Made again and counted, as in
 * version 9. */
#define LATE_REPLY(r) \
	"(" r ".hidden = 0 AND " r ".thread_ts IS NOT NULL AND " r ".thread_ts <> " r ".ts AND " r ".day <> " r ".page_day)"
#define LATE_KEY(r) \
	"channel_id = " r ".channel_id AND day = " r ".day AND thread_ts = " r ".thread_ts AND page_day = " r ".page_day"
/* the first or last of old's row again, min or max, if old was it */
#define LATE_BOUND(col, fn) \
	col " = CASE WHEN " col " = old.ts THEN (SELECT " fn "(m.ts) FROM messages m WHERE m.channel_id = old.channel_id" \
	" AND m.thread_ts = old.thread_ts AND m.day = old.day AND m.page_day = old.page_day AND " LATE_REPLY("m") \
	") ELSE " col " END"
/* old leaves its row (if it was in one), new joins its row (if it is one) */
#define LATE_DOWN \
	"  DELETE FROM late_replies WHERE " LATE_REPLY("old") " AND " LATE_KEY("old") " AND n <= 1;" \
	"  UPDATE late_replies SET n = n - 1, " LATE_BOUND("first_ts", "min") ", " LATE_BOUND("last_ts", "max") \
	"  WHERE " LATE_REPLY("old") " AND " LATE_KEY("old") ";"
#define LATE_UP \
	"  INSERT INTO late_replies(channel_id, day, thread_ts, page_day, n, first_ts, last_ts)" \
	"  SELECT new.channel_id, new.day, new.thread_ts, new.page_day, 1, new.ts, new.ts WHERE " LATE_REPLY("new") \
	"  ON CONFLICT(channel_id, day, thread_ts, page_day) DO UPDATE SET n = n + 1," \
	"  first_ts = min(first_ts, excluded.first_ts), last_ts = max(last_ts, excluded.last_ts);"
/* late_replies counted again from messages: the rule the triggers keep */
#define LATE_REPLIES_RECOUNT \
	"DELETE FROM late_replies;" \
	"INSERT INTO late_replies(channel_id, day, thread_ts, page_day, n, first_ts, last_ts)" \
	"  SELECT channel_id, day, thread_ts, page_day, count(*), min(ts), max(ts) FROM messages m" \
	"  WHERE " LATE_REPLY("m") " GROUP BY channel_id, day, thread_ts, page_day;"
#define LATE_SCHEMA_V11 \
	"DROP TRIGGER IF EXISTS late_replies_insert;" \
	"DROP TRIGGER IF EXISTS late_replies_delete;" \
	"DROP TRIGGER IF EXISTS late_replies_update;" \
	"DROP TABLE IF EXISTS late_replies;" \
	"CREATE TABLE late_replies(channel_id TEXT NOT NULL, day TEXT NOT NULL, thread_ts TEXT NOT NULL," \
	"  page_day TEXT NOT NULL, n INTEGER NOT NULL, first_ts TEXT NOT NULL, last_ts TEXT NOT NULL," \
	"  PRIMARY KEY(channel_id, day, thread_ts, page_day)) WITHOUT ROWID;" \
	LATE_REPLIES_RECOUNT \
	"CREATE TRIGGER late_replies_insert AFTER INSERT ON messages WHEN " LATE_REPLY("new") " BEGIN" \
	LATE_UP \
	"END;" \
	"CREATE TRIGGER late_replies_delete AFTER DELETE ON messages WHEN " LATE_REPLY("old") " BEGIN" \
	LATE_DOWN \
	"END;" \
	"CREATE TRIGGER late_replies_update AFTER UPDATE OF channel_id, thread_ts, day, page_day, hidden ON messages" \
	"  WHEN (" LATE_REPLY("old") " OR " LATE_REPLY("new") ") AND (old.hidden IS NOT new.hidden" \
	"  OR old.channel_id IS NOT new.channel_id OR old.thread_ts IS NOT new.thread_ts OR old.day IS NOT new.day" \
	"  OR old.page_day IS NOT new.page_day) BEGIN" \
	LATE_DOWN \
	LATE_UP \
	"END;"
/* Columns added by later versions, which add_columns (sqlite.c) adds
 * before the version's SQL runs, unless an archive taken back to an older
 * version has them already (ALTER TABLE has no IF NOT EXISTS): version,
 * table, column, type. */
#define SEEN_COLUMNS_V12 {12, "messages", "seen", "TEXT"}
#define REACTIONS_COLUMNS_V13 \
	{13, "messages", "reactions_at", "TEXT"}, {13, "reactions", "pos", "TEXT NOT NULL DEFAULT ''"}, \
	{13, "reactions", "ats", "TEXT"}
/* Schema version 12: messages.seen, when the stored copy's state was
 * current (store_upsert_message); NULL in older rows: as of their edit,
 * else their ts. The column is all of it. */
#define SEEN_SCHEMA_V12 ""
/* Schema version 13: reactions in Slack's order (reactions-sqlite.c).
 * reactions_at orders the lists of reactions copies carry
 * (reactions_sqlite_key). A reaction's pos is its place: for one in a
 * list, the message's ts and its index there (here the index in the
 * stored JSON's list, else after those, in the old order); for one added
 * by events, when it was added. ats are the times of the people events
 * added (NULL: all came in a list; reactions_sqlite_upgrade fills it in
 * from reacted). reacted keeps each person's newest reaction event, as
 * the settings did under ev:re:CH:TS:NAME:USER = "TIME +|-" (NAME may
 * hold ':', USER does not). */
#define REACTIONS_SCHEMA_V13 \
	"UPDATE reactions SET pos = ts || ':' || printf('%06d', coalesce((SELECT j.key FROM messages m," \
	"  json_each(CASE WHEN json_valid(m.raw) THEN m.raw ELSE '{}' END, '$.reactions') j" \
	"  WHERE m.channel_id = reactions.channel_id AND m.ts = reactions.ts" \
	"  AND CASE WHEN j.type = 'object' THEN json_extract(j.value, '$.name') END = reactions.name)," \
	"  1000 + (SELECT count(*) FROM reactions o WHERE o.channel_id = reactions.channel_id" \
	"  AND o.ts = reactions.ts AND o.rowid < reactions.rowid)));" \
	"CREATE TABLE IF NOT EXISTS reacted(channel_id TEXT NOT NULL, ts TEXT NOT NULL, name TEXT NOT NULL," \
	"  user TEXT NOT NULL, at TEXT NOT NULL, added INTEGER NOT NULL, PRIMARY KEY(channel_id, ts, name, user))" \
	"  WITHOUT ROWID;" \
	"INSERT OR REPLACE INTO reacted(channel_id, ts, name, user, at, added)" \
	"  SELECT ch, substr(r2, 1, 17), substr(head, 1, length(head) - 1), substr(r3, length(head) + 1)," \
	"  substr(value, 1, 17), substr(value, 19, 1) = '+' FROM (" \
	"  SELECT ch, r2, r3, rtrim(r3, replace(r3, ':', '')) AS head, value FROM (" \
	"  SELECT ch, r2, substr(r2, 19) AS r3, value FROM (" \
	"  SELECT substr(rest, 1, instr(rest, ':') - 1) AS ch, substr(rest, instr(rest, ':') + 1) AS r2, value FROM (" \
	"  SELECT substr(key, 7) AS rest, value FROM settings WHERE key >= 'ev:re:' AND key < 'ev:re;'))))" \
	"  WHERE length(ch) > 0 AND length(head) > 1 AND length(r3) > length(head);" \
	"DELETE FROM settings WHERE key >= 'ev:re:' AND key < 'ev:re;';"
enum { REACTIONS_SCHEMA_VERSION = 13 };
/* Schema version 14: conversations only events named, with an ID
 * starting with C and no kind told (ev:ch:ID:kind), had been made
 * private: they are of unknown kind (CH_UNKNOWN = 4). */
#define KINDS_SCHEMA_V14 \
	"UPDATE channels SET kind = 4 WHERE raw IS NULL AND kind = 1 AND id GLOB 'C*'" \
	"  AND NOT EXISTS (SELECT 1 FROM settings WHERE key = 'ev:ch:' || channels.id || ':kind');"

/* Reactions (reactions-sqlite.c). A copy of a message that carries its
 * list of reactions tells them as of its seen; the list's key orders such
 * lists: "T" for an empty one, "T PPPPPPPPHHHHHHHH" (the number of
 * people, a hash of the list) otherwise, so lists told at the same time
 * are ordered too. */
enum { REACTIONS_KEY_LEN = TS_LEN + 17 };
void reactions_sqlite_key(const st_message *m, const char *t, char out[REACTIONS_KEY_LEN + 1]);
/* m's list (key) replaces the stored reactions when newer than old, the
 * stored list's key (NULL: none); the reaction events after it are
 * applied again. inserted: the message row was just written with key;
 * fresh: nothing was stored for the message (a first import). 1 when it
 * replaced, 0 when not, -1 on error. */
int reactions_sqlite_list(store_t *s, const st_message *m, const char *key, const char *old, bool inserted,
			  bool fresh);
/* The stored list's key of a message, "" when none. 0 or -1. */
int reactions_sqlite_listed(store_t *s, const char *channel_id, const char *ts, char out[REACTIONS_KEY_LEN + 1]);
/* After schema version 12's SQL: people whose reaction events the archive
 * kept get their time, so their reactions take their place. */
int reactions_sqlite_upgrade(store_t *s);
/* sqlite.c, for reactions-sqlite.c: a message's reactions changed (the
 * change log and its has:reaction token follow); a reaction event ends a
 * first import's shortcuts. */
int store_sqlite_reacted(store_t *s, const char *channel_id, const char *ts);
void store_sqlite_unfresh(store_t *s);

/* The days changed (store_rebucket_days): every entry gets its new key. */
int search_sqlite_rekey(store_t *s);
/* The SQL of a channel's path (store.h) for the row of channels named t:
 * its ID when its name cannot be one URL segment of a page and a file name
 * of the static site (empty, or holding '/', '.' or a control character:
 * Slack's names never do, hostile or foreign data may) or when a published
 * channel before it in (kind, id) order has its name; else its name. */
#define CHANNEL_PATH_OF(t) "CASE WHEN " t ".name = '' OR " t ".name GLOB '*[\x01-\x1f/.\x7f]*' " \
	"OR " t ".published AND EXISTS (SELECT 1 FROM channels o " \
	"WHERE o.name = " t ".name AND o.published AND (o.kind < " t ".kind OR o.kind = " t ".kind " \
	"AND o.id < " t ".id)) THEN " t ".id ELSE " t ".name END"
#endif
