/* sqlite.c: the SQLite store behind store.h.
 *
 * One file, WAL mode, every statement prepared once per handle and reused.
 * The schema has a version (PRAGMA user_version) and forward migrations:
 * each entry of migrations[] moves the schema one version up, inside a
 * transaction, so an archive made by an older slacklog opens in a newer one.
 *
 * Messages are keyed by (channel_id, ts). Two derived columns make pages
 * cheap: `hidden` (joins/leaves, stored but not shown) and `page_day`, the
 * day whose page shows the message: its own day, or its thread parent's day
 * when the parent is in the archive. page_day is kept right whatever order
 * messages arrive in: inserting a reply looks up its parent, inserting a
 * parent moves its replies.
 *
 * A handle is used by one thread at a time; threads open their own. */
#include "store/store.h"
#include "store/sqlite-int.h"
#include "lib/buf.h"
#include "lib/ts.h"
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

enum stmt_id {
	Q_GET_SETTING, Q_SET_SETTING,
	Q_UPSERT_USER, Q_UPSERT_CHANNEL,
	Q_IS_DELETED, Q_PARENT_DAY, Q_UPSERT_MSG, Q_MOVE_REPLIES,
	Q_DEL_REACTIONS, Q_DELETE_MSG, Q_ADD_TOMBSTONE,
	Q_UPSERT_EMOJI, Q_DELETE_EMOJI, Q_GET_EMOJI,
	Q_CHANNELS, Q_CHANNEL_BY_NAME, Q_CHANNEL_BY_ID, Q_CHANNEL_SPAN,
	Q_USER, Q_USER_FIND,
	Q_CHANNEL_DAYS, Q_DAY_CHANNELS, Q_DAY_COUNTS, Q_DATA_VERSION, Q_DAY_MESSAGES, Q_DAY_BROADCASTS,
	Q_REACTIONS, Q_REACTIONS_MANY, Q_THREAD, Q_MESSAGE, Q_PREV_DAY, Q_NEXT_DAY,
	Q_CHANNEL_RECORDS, Q_PUBLISHED, Q_BOT_USER, Q_BOT_ADDED, Q_USER_SHOWN, Q_USER_CHANNEL_IDS,
	Q_COUNT
};

static const char *const stmt_sql[Q_COUNT] = {
	[Q_GET_SETTING] = "SELECT value FROM settings WHERE key = ?1",
	[Q_SET_SETTING] = "INSERT INTO settings(key, value) VALUES (?1, ?2) "
			  "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	[Q_UPSERT_USER] = "INSERT INTO users(id, name, real_name, display_name, title, avatar, tz, deleted, is_bot, raw) "
			  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
			  "ON CONFLICT(id) DO UPDATE SET name = excluded.name, real_name = excluded.real_name, "
			  "display_name = excluded.display_name, title = excluded.title, avatar = excluded.avatar, "
			  "tz = excluded.tz, deleted = excluded.deleted, is_bot = excluded.is_bot, raw = excluded.raw "
			  "WHERE users.raw IS NOT excluded.raw",
	[Q_UPSERT_CHANNEL] = "INSERT INTO channels(id, name, kind, topic, purpose, created, archived, creator, published, raw) "
			     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
			     "ON CONFLICT(id) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
			     "topic = excluded.topic, purpose = excluded.purpose, created = excluded.created, "
			     "archived = excluded.archived, creator = excluded.creator, published = excluded.published, "
			     "raw = excluded.raw "
			     "WHERE channels.raw IS NOT excluded.raw OR channels.name IS NOT excluded.name "
			     "OR channels.kind IS NOT excluded.kind OR channels.topic IS NOT excluded.topic "
			     "OR channels.purpose IS NOT excluded.purpose OR channels.archived IS NOT excluded.archived",
	/* a tombstone, and the stored copy's days, author and visibility
	 * (what the change log needs of the copy a write replaces), whether
	 * its JSON is ?3, and the key of its list of reactions */
	[Q_IS_DELETED] = "SELECT EXISTS (SELECT 1 FROM deleted WHERE channel_id = ?1 AND ts = ?2), "
			 "m.page_day, m.day, m.user_id, m.hidden, m.raw IS ?3, m.reactions_at FROM (SELECT 1) "
			 "LEFT JOIN messages m ON m.channel_id = ?1 AND m.ts = ?2",
	[Q_PARENT_DAY] = "SELECT day FROM messages WHERE channel_id = ?1 AND ts = ?2",
	/* Replace only with a newer copy: a newer edit; for the same edit,
	 * a state seen later (an edit can take previews away, or a change
	 * come without an edit); for the same edit and time, a deterministic
	 * choice (longer, then larger JSON): any arrival order converges on
	 * the same row. reactions_at is written here for a new row only
	 * (reactions_sqlite_list keeps it). */
	[Q_UPSERT_MSG] = "INSERT INTO messages(channel_id, ts, day, page_day, thread_ts, user_id, bot_id, username, "
			 "subtype, text, edited_ts, reply_count, has_files, has_links, hidden, raw, seen, reactions_at) "
			 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18) "
			 "ON CONFLICT(channel_id, ts) DO UPDATE SET day = excluded.day, page_day = excluded.page_day, "
			 "thread_ts = excluded.thread_ts, user_id = excluded.user_id, bot_id = excluded.bot_id, "
			 "username = excluded.username, subtype = excluded.subtype, text = excluded.text, "
			 "edited_ts = excluded.edited_ts, reply_count = excluded.reply_count, "
			 "has_files = excluded.has_files, has_links = excluded.has_links, hidden = excluded.hidden, "
			 "raw = excluded.raw, seen = excluded.seen "
			 "WHERE (coalesce(excluded.edited_ts, ''), coalesce(excluded.seen, excluded.edited_ts, excluded.ts), "
			 "length(excluded.raw), excluded.raw) > (coalesce(messages.edited_ts, ''), "
			 "coalesce(messages.seen, messages.edited_ts, messages.ts), length(messages.raw), messages.raw)",
	/* a moved reply was on its own day's page (its parent was missing) */
	[Q_MOVE_REPLIES] = "UPDATE messages SET page_day = ?3 WHERE channel_id = ?1 AND thread_ts = ?2 "
			   "AND ts <> ?2 AND page_day <> ?3 RETURNING day, ts",
	[Q_DEL_REACTIONS] = "DELETE FROM reactions WHERE channel_id = ?1 AND ts = ?2",
	[Q_DELETE_MSG] = "DELETE FROM messages WHERE channel_id = ?1 AND ts = ?2",
	[Q_ADD_TOMBSTONE] = "INSERT OR IGNORE INTO deleted(channel_id, ts) VALUES (?1, ?2)",
	[Q_UPSERT_EMOJI] = "INSERT INTO emoji(name, value) VALUES (?1, ?2) "
			   "ON CONFLICT(name) DO UPDATE SET value = excluded.value WHERE emoji.value IS NOT excluded.value",
	[Q_DELETE_EMOJI] = "DELETE FROM emoji WHERE name = ?1",
	[Q_GET_EMOJI] = "SELECT value FROM emoji WHERE name = ?1",
#define CHANNEL_PATH CHANNEL_PATH_OF("channels")
#define CHANNEL_COLS "id, name, kind, topic, purpose, created, archived, creator, published, raw, " CHANNEL_PATH
	/* the list leaves raw out: 6.8 MB of a 1M archive's channels.json,
	 * which no list needs and every reload would read */
	[Q_CHANNELS] = "SELECT id, name, kind, topic, purpose, created, archived, creator, published, NULL, "
		       CHANNEL_PATH " FROM channels WHERE published >= ?1 ORDER BY name, kind, id",
	[Q_CHANNEL_BY_NAME] = "SELECT " CHANNEL_COLS " FROM channels WHERE name = ?1 AND published >= ?2 ORDER BY kind, id LIMIT 1",
	[Q_CHANNEL_BY_ID] = "SELECT " CHANNEL_COLS " FROM channels WHERE id = ?1 AND published >= ?2",
	/* day_counts (schema 8): a row per day with messages, its count; and
	 * the first and last day of late_replies (schema 11): a day that has
	 * only replies to other days' threads has a page too */
	[Q_CHANNEL_SPAN] = "SELECT coalesce(sum(n), 0), min(page_day), max(page_day), "
			   "(SELECT min(day) FROM late_replies WHERE channel_id = ?1), "
			   "(SELECT max(day) FROM late_replies WHERE channel_id = ?1) FROM day_counts WHERE channel_id = ?1",
#define USER_COLS "id, name, real_name, display_name, title, avatar, tz, deleted, is_bot, raw"
	[Q_USER] = "SELECT " USER_COLS " FROM users WHERE id = ?1",
	[Q_USER_FIND] = "SELECT " USER_COLS " FROM users WHERE id = ?1 OR name = ?1 OR display_name = ?1 "
			"OR real_name = ?1 ORDER BY (id = ?1) DESC, (name = ?1) DESC, deleted LIMIT 1",
	[Q_CHANNEL_DAYS] = "SELECT page_day, n FROM day_counts WHERE channel_id = ?1 ORDER BY page_day",
	/* the day's rows of day_counts_day, one range of an index */
	[Q_DAY_CHANNELS] = "SELECT c.id, c.name, d.n FROM day_counts d JOIN channels c ON c.id = d.channel_id "
			   "WHERE d.page_day = ?1 AND c.published >= ?2 ORDER BY c.name, c.kind, c.id",
	/* the same with the channel list in memory (read-only handles) */
	[Q_DAY_COUNTS] = "SELECT channel_id, n FROM day_counts WHERE page_day = ?1 ORDER BY channel_id",
	[Q_DATA_VERSION] = "PRAGMA data_version",
#define MSG_COLS "channel_id, ts, day, page_day, thread_ts, user_id, bot_id, username, subtype, text, " \
		 "edited_ts, reply_count, has_files, has_links, hidden, raw"
	/* hidden = 2 (moderated): left out or blanked by moderation-sqlite.c.
	 * These two are sorted by ts in C: an ORDER BY ts here makes SQLite
	 * walk the channel's whole (channel_id, ts) index instead of the
	 * day's rows. */
	[Q_DAY_MESSAGES] = "SELECT " MSG_COLS " FROM messages WHERE channel_id = ?1 AND page_day = ?2 "
			   "AND (hidden <= ?3 OR hidden = 2)",
	[Q_DAY_BROADCASTS] = "SELECT " MSG_COLS " FROM messages WHERE channel_id = ?1 AND day = ?2 "
			     "AND subtype = 'thread_broadcast' AND page_day <> ?2",
	/* in Slack's order (reactions-sqlite.c) */
	[Q_REACTIONS] = "SELECT name, count, users FROM reactions WHERE channel_id = ?1 AND ts = ?2 ORDER BY pos, name",
	/* a page's messages at once: their ts as a JSON array */
	[Q_REACTIONS_MANY] = "SELECT ts, name, count, users FROM reactions WHERE channel_id = ?1 "
			     "AND ts IN (SELECT value FROM json_each(?2)) ORDER BY ts, pos, name",
	/* the parent, then the replies: two indexed lookups (one OR would
	 * walk the channel) */
	[Q_THREAD] = "SELECT * FROM (SELECT " MSG_COLS ", 0 AS k FROM messages WHERE channel_id = ?1 AND ts = ?2 "
		     "UNION ALL SELECT " MSG_COLS ", 1 AS k FROM messages WHERE channel_id = ?1 AND thread_ts = ?2 "
		     "AND ts <> ?2) ORDER BY k, ts",
	[Q_MESSAGE] = "SELECT " MSG_COLS " FROM messages WHERE channel_id = ?1 AND ts = ?2",
	[Q_PREV_DAY] = "SELECT page_day FROM day_counts WHERE channel_id = ?1 AND page_day < ?2 "
		       "ORDER BY page_day DESC LIMIT 1",
	[Q_NEXT_DAY] = "SELECT page_day FROM day_counts WHERE channel_id = ?1 AND page_day > ?2 "
		       "ORDER BY page_day LIMIT 1",
	[Q_CHANNEL_RECORDS] = "SELECT count(*) FROM messages WHERE channel_id = ?1",
	[Q_PUBLISHED] = "SELECT published FROM channels WHERE id = ?1",
	/* a person's shown messages in the published channels (user_counts),
	 * or 2 when they have more than one in channel ?2 (one lookup, and
	 * the answer for most messages) or no profile (no page either way) */
	[Q_USER_SHOWN] = "SELECT CASE WHEN (SELECT n FROM user_counts WHERE user_id = ?1 AND channel_id = ?2) > 1 "
			 "OR NOT EXISTS (SELECT 1 FROM users WHERE id = ?1) THEN 2 "
			 "ELSE (SELECT coalesce(sum(u.n), 0) FROM user_counts u JOIN channels c "
			 "ON c.id = u.channel_id WHERE u.user_id = ?1 AND c.published = 1) END",
	[Q_USER_CHANNEL_IDS] = "SELECT channel_id FROM user_counts WHERE user_id = ?1",
	[Q_BOT_USER] = "SELECT id FROM users WHERE is_bot = 1 AND CASE WHEN json_valid(raw) "
		       "THEN json_extract(raw, '$.profile.bot_id') END = ?1 ORDER BY deleted, id LIMIT 1",
	[Q_BOT_ADDED] = "SELECT text FROM messages WHERE channel_id = ?1 AND bot_id = ?2 AND subtype IN "
			"('bot_add', 'bot_remove', 'bot_enable', 'bot_disable') ORDER BY ts DESC LIMIT 1",
};

/* migrations[i] takes the schema from version i to i + 1 */
static const char *const migrations[] = {
	"CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
	"CREATE TABLE users(id TEXT PRIMARY KEY, name TEXT, real_name TEXT, display_name TEXT, title TEXT,"
	"  avatar TEXT, tz TEXT, deleted INTEGER NOT NULL DEFAULT 0, is_bot INTEGER NOT NULL DEFAULT 0, raw TEXT);"
	"CREATE TABLE channels(id TEXT PRIMARY KEY, name TEXT NOT NULL, kind INTEGER NOT NULL,"
	"  topic TEXT, purpose TEXT, created INTEGER, archived INTEGER NOT NULL DEFAULT 0, creator TEXT,"
	"  published INTEGER NOT NULL DEFAULT 0, raw TEXT);"
	"CREATE INDEX channels_name ON channels(name);"
	"CREATE TABLE messages(id INTEGER PRIMARY KEY, channel_id TEXT NOT NULL, ts TEXT NOT NULL,"
	"  day TEXT NOT NULL, page_day TEXT NOT NULL, thread_ts TEXT, user_id TEXT, bot_id TEXT, username TEXT,"
	"  subtype TEXT, text TEXT, edited_ts TEXT, reply_count INTEGER NOT NULL DEFAULT 0,"
	"  has_files INTEGER NOT NULL DEFAULT 0, has_links INTEGER NOT NULL DEFAULT 0,"
	"  hidden INTEGER NOT NULL DEFAULT 0, raw TEXT NOT NULL, UNIQUE(channel_id, ts));"
	"CREATE INDEX messages_page ON messages(channel_id, page_day, hidden);"
	"CREATE INDEX messages_thread ON messages(channel_id, thread_ts) WHERE thread_ts IS NOT NULL;"
	"CREATE INDEX messages_broadcast ON messages(channel_id, day) WHERE subtype = 'thread_broadcast';"
	"CREATE TABLE reactions(channel_id TEXT NOT NULL, ts TEXT NOT NULL, name TEXT NOT NULL,"
	"  count INTEGER NOT NULL, users TEXT, PRIMARY KEY(channel_id, ts, name));"
	"CREATE TABLE deleted(channel_id TEXT NOT NULL, ts TEXT NOT NULL, PRIMARY KEY(channel_id, ts)) WITHOUT ROWID;"
	"CREATE TABLE emoji(name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;",
	SEARCH_SCHEMA_V2,          /* the full-text index: search-sqlite.c */
	MODERATION_SCHEMA_V3,      /* opt-outs, takedowns, erasures: moderation-sqlite.c */
	SEARCH_SCHEMA_V4,          /* the index's rowids in time order, filters as tokens */
	EVENTS_SCHEMA_V5,          /* Events API event_ids, pruned by time: live-sqlite.c */
	BUILD_SCHEMA_V6,           /* messages by author, the change log: changes-sqlite.c */
	BUILD_SCHEMA_V7,           /* last changes from indexes alone: pub-sqlite.c */
	DAYS_SCHEMA_V8,            /* each day page's count, kept by triggers */
	DAYS_SCHEMA_V9,            /* and its last change */
	USERS_SCHEMA_V10,          /* each person's count and last change per channel */
	LATE_SCHEMA_V11,           /* replies on other days than their thread's page */
	SEEN_SCHEMA_V12,           /* when a message's stored copy was current */
	REACTIONS_SCHEMA_V13,      /* reactions in Slack's order: reactions-sqlite.c */
	KINDS_SCHEMA_V14,          /* conversations of unknown kind */
};
enum { SCHEMA_VERSION = sizeof migrations / sizeof *migrations };

struct store {
	sqlite3 *db;
	sqlite3_stmt *st[Q_COUNT];
	sqlite3_stmt *xst[STORE_XSTMT];    /* statements of the other store files */
	struct search_queue *sq;           /* texts to index at commit (search-sqlite.c) */
	struct moderation *mod;            /* moderation-sqlite.c */
	struct changes *chg;               /* changes-sqlite.c */
	int flags;
	int in_tx;
	int reading;                       /* store_read_begin()s not ended */
	struct chlist {                    /* read-only handles: the channels a day's sidebar lists */
		char **id, **name;
		size_t n;
		int64_t version;           /* PRAGMA data_version it was read at */
		bool loaded;
	} chl;
	int fresh;                         /* see "fresh archives" below; -1: not known yet */
	int bulk;                          /* between store_bulk_begin and store_bulk_end */
	char pub_id[64];                   /* the last channel whose published flag was read */
	int pub;
	int64_t data_version;              /* when fresh was found: others' commits change it */
	uint64_t *orphans;                 /* Bloom filter of threads with replies stored before their parent */
	char err[512];
};

static int64_t scalar(store_t *s, const char *sql);
static int day_counts_repair(store_t *s, bool always);
static int upsert_user(store_t *s, const st_user *u);

const char *channel_kind_name(channel_kind k)
{
	switch (k) {
	case CH_PUBLIC: return "public";
	case CH_PRIVATE: return "private";
	case CH_DM: return "dm";
	case CH_MPIM: return "mpim";
	case CH_UNKNOWN: return "unknown";
	}
	return "public";
}

static int fail(store_t *s, const char *what)
{
	snprintf(s->err, sizeof s->err, "%s: %s", what, sqlite3_errmsg(s->db));
	return -1;
}

const char *store_errmsg(store_t *s)
{
	return s ? s->err : "no store";
}

/* Prepare into *slot once, then reset and reuse. */
static sqlite3_stmt *prepared(store_t *s, sqlite3_stmt **slot, const char *sql)
{
	if (!*slot) {
		if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, slot, NULL) != SQLITE_OK) {
			fail(s, "preparing a query");
			return NULL;
		}
	} else {
		sqlite3_reset(*slot);
		sqlite3_clear_bindings(*slot);
	}
	return *slot;
}

static sqlite3_stmt *stmt(store_t *s, enum stmt_id id)
{
	return prepared(s, &s->st[id], stmt_sql[id]);
}

/* For the other files of the SQLite store (sqlite-int.h). */
sqlite3 *store_sqlite_db(store_t *s)
{
	return s->db;
}

int store_sqlite_fail(store_t *s, const char *what)
{
	return fail(s, what);
}

void store_sqlite_seterr(store_t *s, const char *msg)
{
	snprintf(s->err, sizeof s->err, "%s", msg);
}

struct search_queue **store_sqlite_searchq(store_t *s)
{
	return &s->sq;
}

struct moderation **store_sqlite_mod(store_t *s)
{
	return &s->mod;
}

struct changes **store_sqlite_changes(store_t *s)
{
	return &s->chg;
}

bool store_sqlite_in_tx(store_t *s)
{
	return s->in_tx;
}

bool store_sqlite_all(store_t *s)
{
	return s->flags & STORE_ALL;
}

sqlite3_stmt *store_sqlite_stmt(store_t *s, int slot, const char *sql)
{
	return prepared(s, &s->xst[slot], sql);
}

static void bind_text(sqlite3_stmt *q, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(q, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, i);
}

static void bind_blob_text(sqlite3_stmt *q, int i, const char *v, size_t n)
{
	if (v)
		sqlite3_bind_text(q, i, v, (int)n, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, i);
}

/* Run a stepped write statement; returns rows changed or -1. */
static int step_write(store_t *s, sqlite3_stmt *q, const char *what)
{
	if (!q)
		return -1;
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return fail(s, what);
	return sqlite3_changes(s->db);
}

const char *store_sqlite_col(arena_t *a, sqlite3_stmt *q, int i)
{
	const unsigned char *t = sqlite3_column_text(q, i);
	if (!t)
		return NULL;
	return arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(q, i));
}

int store_sqlite_rows(store_t *s, sqlite3_stmt *q, int ncols, buf_t *out, size_t *n, const char *what)
{
	int rc;
	*n = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		for (int c = 0; c < ncols; c++) {
			const unsigned char *t = sqlite3_column_text(q, c);
			buf_puts(out, t ? (const char *)t : "");
			buf_putc(out, 0);
		}
		(*n)++;
	}
	return rc == SQLITE_DONE ? 0 : fail(s, what);
}

static int exec(store_t *s, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(s->err, sizeof s->err, "%s", msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static void sql_day(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const unsigned char *t = sqlite3_value_text(argv[0]);
	if (!t) {
		sqlite3_result_null(ctx);
		return;
	}
	char day[11];
	ts_day(ts_seconds((const char *)t), day);
	sqlite3_result_text(ctx, day, 10, SQLITE_TRANSIENT);
}

/* The columns a version adds (sqlite-int.h), unless there already. */
static int add_columns(store_t *s, int version)
{
	static const struct { int version; const char *table, *column, *type; } cols[] = {
		SEEN_COLUMNS_V12, REACTIONS_COLUMNS_V13,
	};
	for (size_t i = 0; i < sizeof cols / sizeof *cols; i++) {
		if (cols[i].version != version)
			continue;
		char sql[200];
		snprintf(sql, sizeof sql, "SELECT count(*) FROM pragma_table_info('%s') WHERE name = '%s'", cols[i].table,
			 cols[i].column);
		int64_t n = scalar(s, sql);
		snprintf(sql, sizeof sql, "ALTER TABLE %s ADD COLUMN %s %s", cols[i].table, cols[i].column, cols[i].type);
		if (n < 0 || (n == 0 && exec(s, sql) < 0))
			return -1;
	}
	return 0;
}

static int migrate(store_t *s)
{
	sqlite3_stmt *q;
	int version = 0;
	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &q, NULL) != SQLITE_OK)
		return fail(s, "reading the schema version");
	if (sqlite3_step(q) == SQLITE_ROW)
		version = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	if (version > (int)SCHEMA_VERSION) {
		snprintf(s->err, sizeof s->err,
			 "the archive's schema version %d is newer than this slacklog understands (%d); upgrade slacklog",
			 version, (int)SCHEMA_VERSION);
		return -1;
	}
	if (version == (int)SCHEMA_VERSION)
		return 0;
	if (s->flags & STORE_READONLY) {
		snprintf(s->err, sizeof s->err, "the archive needs a schema upgrade (version %d to %d); run slacklog import once",
			 version, (int)SCHEMA_VERSION);
		return -1;
	}
	if (exec(s, "BEGIN IMMEDIATE") < 0)
		return -1;
	for (int v = version; v < (int)SCHEMA_VERSION; v++) {
		char pragma[64];
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
		if (add_columns(s, v + 1) < 0 || exec(s, migrations[v]) < 0 || exec(s, pragma) < 0 ||
		    (v + 1 == REACTIONS_SCHEMA_VERSION && reactions_sqlite_upgrade(s) < 0)) {
			char keep[400];
			snprintf(keep, sizeof keep, "%.399s", s->err);
			exec(s, "ROLLBACK");
			snprintf(s->err, sizeof s->err, "schema migration to version %d failed: %s", v + 1, keep);
			return -1;
		}
	}
	return exec(s, "COMMIT");
}

/* Before SQLite's first use: no count of its memory. Counting takes a
 * process-wide mutex around every allocation, which the threads of a
 * server or a build, each with its own connection, would share; nothing
 * here reads the count. */
static void sqlite_setup(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

store_t *store_open(const char *path, int flags, char *err, size_t errlen)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, sqlite_setup);
	store_t *s = xcalloc(1, sizeof *s);
	s->flags = flags;
	s->fresh = -1;
	int oflags = (flags & STORE_READONLY) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	if ((flags & STORE_CREATE) && !(flags & STORE_READONLY))
		oflags |= SQLITE_OPEN_CREATE;
	oflags |= SQLITE_OPEN_NOMUTEX;
	int rc = sqlite3_open_v2(path, &s->db, oflags, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot open archive %s: %s", path, s->db ? sqlite3_errmsg(s->db) : "out of memory");
		sqlite3_close(s->db);
		free(s);
		return NULL;
	}
	sqlite3_busy_timeout(s->db, 5000);
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_create_function(s->db, "slacklog_day", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_day, NULL, NULL);
	if (search_sqlite_init(s->db) != SQLITE_OK) {
		snprintf(err, errlen, "archive %s: cannot set up the search tokenizer: %s", path, sqlite3_errmsg(s->db));
		store_close(s);
		return NULL;
	}
	/* readers map the file: pages built from many small queries (a day
	 * page's sidebar counts every channel) otherwise spend most of their
	 * time copying database pages out of the OS cache with pread() */
	const char *setup = (flags & STORE_READONLY)
		? (flags & STORE_NOMAP) ? "PRAGMA query_only = 1; PRAGMA cache_size = -8000; PRAGMA mmap_size = 0;"
					: "PRAGMA query_only = 1; PRAGMA cache_size = -8000; PRAGMA mmap_size = 4294967296;"
		: "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16000;"
		  "PRAGMA foreign_keys = OFF; PRAGMA temp_store = MEMORY;";
	if (exec(s, setup) < 0 || migrate(s) < 0) {
		snprintf(err, errlen, "archive %s: %s", path, s->err);
		store_close(s);
		return NULL;
	}
	/* a file that is not a database fails on first read, not on open */
	if (exec(s, "SELECT count(*) FROM settings") < 0) {
		snprintf(err, errlen, "archive %s: %s", path, s->err);
		store_close(s);
		return NULL;
	}
	/* after a bulk load that did not finish; if the archive is busy, the
	 * next writer tries again */
	if (!(flags & STORE_READONLY))
		day_counts_repair(s, false);
	return s;
}

static void chlist_clear(struct chlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->id[i]);
		free(l->name[i]);
	}
	free(l->id);
	free(l->name);
	memset(l, 0, sizeof *l);
}

void store_close(store_t *s)
{
	if (!s)
		return;
	if (!s->in_tx && !(s->flags & STORE_READONLY))
		search_sqlite_closing(s);
	for (int i = 0; i < Q_COUNT; i++)
		sqlite3_finalize(s->st[i]);
	for (int i = 0; i < STORE_XSTMT; i++)
		sqlite3_finalize(s->xst[i]);
	search_sqlite_discard(s);
	free(s->orphans);
	chlist_clear(&s->chl);
	moderation_sqlite_free(s);
	changes_sqlite_free(s);
	if (s->in_tx || s->reading)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	if (!(s->flags & STORE_READONLY))
		sqlite3_exec(s->db, "PRAGMA optimize", NULL, NULL, NULL);
	sqlite3_close(s->db);
	free(s);
}

int store_begin(store_t *s)
{
	if (exec(s, "BEGIN IMMEDIATE") < 0)
		return -1;
	s->in_tx = 1;
	s->pub_id[0] = 0;
	changes_sqlite_reset(s);
	if (s->fresh == 1 && scalar(s, "PRAGMA data_version") != s->data_version)
		s->fresh = 0;           /* another connection wrote to the archive */
	moderation_sqlite_reset(s);
	return 0;
}

int store_commit(store_t *s)
{
	if (search_sqlite_flush(s) < 0) {
		char keep[512];
		snprintf(keep, sizeof keep, "%s", s->err);
		store_rollback(s);
		snprintf(s->err, sizeof s->err, "%s", keep);
		return -1;
	}
	s->in_tx = 0;
	changes_sqlite_reset(s);
	return exec(s, "COMMIT");
}

int store_read_begin(store_t *s)
{
	if (s->reading) {
		s->reading++;           /* inside an outer one */
		return 0;
	}
	if (s->in_tx || !sqlite3_get_autocommit(s->db))
		return 0;
	if (exec(s, "BEGIN") < 0)
		return -1;
	s->reading = 1;
	return 0;
}

void store_read_end(store_t *s)
{
	if (!s->reading || --s->reading > 0)
		return;
	if (!sqlite3_get_autocommit(s->db))
		exec(s, "COMMIT");
}

int store_rollback(store_t *s)
{
	search_sqlite_discard(s);
	changes_sqlite_reset(s);
	s->in_tx = 0;
	return exec(s, "ROLLBACK");
}

/* day_counts (schema 8) in a bulk load: the handle's triggers are off (a
 * trigger on messages makes each write of a message keep a statement
 * journal: about 9% more CPU and 2 MB more peak memory for a 1M-message
 * import) and the table is counted once at the end, in one read of
 * messages_page.
 * The mark 'day_counts' = 'stale' in settings, committed before the first
 * message, says so until then: a load killed before its end leaves it,
 * and the next handle that writes counts again (until then, readers of
 * such an archive see no day with a count: empty sidebars and calendars,
 * though each day page still shows its messages).
 * The count also records that everything changed (changes-sqlite.c): the
 * archive had no message before, so hardly a page stays as it was, and
 * the load did not record who first wrote (note_author). */
static const char day_counts_recount[] =
	DAY_COUNTS_RECOUNT
	USER_COUNTS_RECOUNT          /* user_counts (schema 10) the same way */
	LATE_REPLIES_RECOUNT         /* and late_replies (schema 11) */
	"DELETE FROM settings WHERE key = 'day_counts';";

static int day_counts_repair(store_t *s, bool always)
{
	int64_t stale = always ? 1 : scalar(s, "SELECT count(*) FROM settings WHERE key = 'day_counts'");
	if (stale <= 0)
		return (int)stale;
	if (exec(s, "BEGIN IMMEDIATE") < 0)
		return -1;
	if (exec(s, day_counts_recount) < 0 || changes_sqlite_all(s) < 0) {
		exec(s, "ROLLBACK");
		return -1;
	}
	return exec(s, "COMMIT");
}

/* Set the journal mode; 0 when the database reports the one asked for. */
static int journal_mode(store_t *s, const char *mode)
{
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA journal_mode = %s", mode);
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK)
		return fail(s, "setting the journal mode");
	int rc = sqlite3_step(q);
	const char *got = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(q, 0) : NULL;
	rc = got && strcasecmp(got, mode) == 0 ? 0 : -1;
	sqlite3_finalize(q);
	return rc;
}

/* A first import into an empty archive: WAL would write every page twice
 * (to the log, then to the database at each checkpoint), a rollback
 * journal once, since pages past the database's size at the start of a
 * transaction are not journaled at all. synchronous stays NORMAL: each
 * commit syncs, so the work of syncing is spread over the load instead of
 * one long fsync at the end, and a commit is as durable as in WAL.
 * Another connection holding
 * the archive open in WAL mode keeps it in WAL: then nothing changes. */
int store_bulk_begin(store_t *s)
{
	if (s->bulk || s->in_tx || (s->flags & STORE_READONLY))
		return 0;
	int64_t empty = scalar(s, "SELECT NOT EXISTS (SELECT 1 FROM messages)");
	if (empty <= 0)
		return (int)empty;
	if (journal_mode(s, "DELETE") != 0) {
		journal_mode(s, "WAL");
		return 0;
	}
	if (exec(s, "INSERT OR REPLACE INTO settings(key, value) VALUES ('day_counts', 'stale')") < 0)
		return -1;
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
	s->bulk = 1;
	return 1;
}

/* Back to WAL. */
int store_bulk_end(store_t *s)
{
	if (!s->bulk || s->in_tx)
		return 0;
	s->bulk = 0;
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 1, NULL);
	if (day_counts_repair(s, true) < 0)
		return fail(s, "counting each day page's messages");
	if (journal_mode(s, "WAL") != 0)
		return fail(s, "going back to WAL after the bulk load");
	return 0;
}

const char *store_get_setting(store_t *s, arena_t *a, const char *key)
{
	sqlite3_stmt *q = stmt(s, Q_GET_SETTING);
	if (!q)
		return NULL;
	bind_text(q, 1, key);
	const char *v = NULL;
	if (sqlite3_step(q) == SQLITE_ROW)
		v = store_sqlite_col(a, q, 0);
	sqlite3_reset(q);
	return v;
}

/* Settings pages read: changing one changes every page. */
static bool page_setting(const char *key)
{
	return strcmp(key, "time_zone") == 0 || strcmp(key, "publish") == 0 || strcmp(key, "unpublish") == 0;
}

int store_set_setting(store_t *s, const char *key, const char *value)
{
	int mrc = moderation_sqlite_setting(s, key, &value);
	if (mrc)
		return mrc < 0 ? -1 : 0;
	if (page_setting(key)) {
		arena_t a = {0};
		const char *old = store_get_setting(s, &a, key);
		bool same = old && value ? strcmp(old, value) == 0 : old == value;
		arena_free(&a);
		if (!same && changes_sqlite_all(s) < 0)
			return -1;
	}
	sqlite3_stmt *q = stmt(s, Q_SET_SETTING);
	if (!q)
		return -1;
	bind_text(q, 1, key);
	bind_text(q, 2, value);
	return step_write(s, q, "saving a setting") < 0 ? -1 : 0;
}

static const st_user *user_query(store_t *s, arena_t *a, enum stmt_id id, const char *key);

static bool same_str(const char *a, const char *b)
{
	return a && b ? strcmp(a, b) == 0 : a == b;
}

/* Does the new record change what pages show of the person? */
static bool user_shown_changed(const st_user *old, const st_user *u)
{
	return !old || !same_str(old->name, u->name) || !same_str(old->real_name, u->real_name) ||
	       !same_str(old->display_name, u->display_name) || !same_str(old->title, u->title) ||
	       !same_str(old->avatar, u->avatar) || old->deleted != u->deleted || old->is_bot != u->is_bot;
}

/* The name pages and the index show for u: display, real, handle, ID. */
static const char *shown_name(const st_user *u)
{
	const char *v[] = {u->display_name, u->real_name, u->name};
	for (size_t i = 0; i < 3; i++)
		if (v[i] && *v[i])
			return v[i];
	return u->id;
}

int store_upsert_user(store_t *s, const st_user *u)
{
	int mrc = moderation_sqlite_user_in(s, &u);
	if (mrc)
		return mrc;
	/* a new shown name: messages naming them are indexed again */
	arena_t a = {0};
	const st_user *old = user_query(s, &a, Q_USER, u->id);
	const char *was = old ? arena_strndup(&a, old->shown, strlen(old->shown)) : NULL;
	int rc = upsert_user(s, u);
	if (rc == ST_UPDATED && (!was || strcmp(was, shown_name(u)) != 0) && search_sqlite_renamed(s, u->id, was) < 0)
		rc = ST_ERROR;
	/* what pages show of them changed: the change log */
	if (rc == ST_UPDATED && user_shown_changed(old, u) && changes_sqlite_record(s, CHG_USER, u->id, NULL) < 0)
		rc = ST_ERROR;
	arena_free(&a);
	return rc;
}

static int upsert_user(store_t *s, const st_user *u)
{
	sqlite3_stmt *q = stmt(s, Q_UPSERT_USER);
	if (!q)
		return ST_ERROR;
	bind_text(q, 1, u->id);
	bind_text(q, 2, u->name);
	bind_text(q, 3, u->real_name);
	bind_text(q, 4, u->display_name);
	bind_text(q, 5, u->title);
	bind_text(q, 6, u->avatar);
	bind_text(q, 7, u->tz);
	sqlite3_bind_int(q, 8, u->deleted);
	sqlite3_bind_int(q, 9, u->is_bot);
	bind_blob_text(q, 10, u->raw, u->rawlen);
	int n = step_write(s, q, "storing a user");
	return n < 0 ? ST_ERROR : n ? ST_UPDATED : ST_UNCHANGED;
}

static void read_channel(arena_t *a, sqlite3_stmt *q, st_channel *c);

/* What a channel's new record changes on pages: a new channel or a new
 * topic shows on its own pages and the lists (CHG_CHANNEL); a new name,
 * kind or publication on every page that names or links it (CHG_ALL). */
static int channel_change(store_t *s, const st_channel *c, int published)
{
	sqlite3_stmt *q = stmt(s, Q_CHANNEL_BY_ID);
	if (!q)
		return -1;
	bind_text(q, 1, c->id);
	sqlite3_bind_int(q, 2, 0);
	arena_t a = {0};
	st_channel old;
	int kind = CHG_CHANNEL;
	if (sqlite3_step(q) == SQLITE_ROW) {
		read_channel(&a, q, &old);
		if (!same_str(old.name, c->name ? c->name : c->id) || old.kind != c->kind || old.published != (published != 0))
			kind = CHG_ALL;
		else if (same_str(old.topic, c->topic) && same_str(old.purpose, c->purpose) &&
			 old.archived == c->archived && old.created == c->created)
			kind = 0;
	}
	sqlite3_reset(q);
	arena_free(&a);
	return kind;
}

int store_upsert_channel(store_t *s, const st_channel *c)
{
	int published;
	c = moderation_sqlite_channel(s, c, &published);
	if (!c)
		return ST_ERROR;
	int change = channel_change(s, c, published);
	if (change < 0)
		return ST_ERROR;
	sqlite3_stmt *q = stmt(s, Q_UPSERT_CHANNEL);
	if (!q)
		return ST_ERROR;
	bind_text(q, 1, c->id);
	bind_text(q, 2, c->name ? c->name : c->id);
	sqlite3_bind_int(q, 3, (int)c->kind);
	bind_text(q, 4, c->topic);
	bind_text(q, 5, c->purpose);
	sqlite3_bind_int64(q, 6, c->created);
	sqlite3_bind_int(q, 7, c->archived);
	bind_text(q, 8, c->creator);
	sqlite3_bind_int(q, 9, published);
	bind_blob_text(q, 10, c->raw, c->rawlen);
	s->pub_id[0] = 0;
	int n = step_write(s, q, "storing a channel");
	if (n > 0 && !published && search_sqlite_unpublished(s, c->id) < 0)
		return ST_ERROR;
	if (n > 0 && change && changes_sqlite_record(s, change, change == CHG_ALL ? "" : c->id, NULL) < 0)
		return ST_ERROR;
	return n < 0 ? ST_ERROR : n ? ST_UPDATED : ST_UNCHANGED;
}

/* ---- fresh archives -------------------------------------------------------
 *
 * On a first import most of the statements per message find nothing: no
 * tombstone, no stored copy, no reply stored before its parent, no old
 * reactions. A handle that finds the messages, reactions and deleted tables
 * empty the first time it stores a message (inside a transaction) skips
 * those probes for as long as it is the archive's only writer: PRAGMA
 * data_version, read at every store_begin, says whether another connection
 * committed since; a deletion or a reaction event through this handle ends
 * it too. Then:
 * - inserted or updated is told by last_insert_rowid (an upsert that
 *   updates leaves it alone), without looking the message up first;
 * - a parent looks for replies to move only when a reply was stored before
 *   it: their threads go into a Bloom filter (a false positive costs one
 *   UPDATE that finds nothing);
 * - a new message has no reactions to delete. */
enum { ORPHAN_BITS = 1 << 20 };     /* 128 KB; under 1% false positives for 70k threads */

static bool is_fresh(store_t *s)
{
	if (!s->in_tx)
		return false;
	if (s->fresh < 0) {
		s->fresh = scalar(s, "SELECT NOT EXISTS (SELECT 1 FROM messages) AND NOT EXISTS (SELECT 1 FROM reactions) "
				     "AND NOT EXISTS (SELECT 1 FROM deleted) AND NOT EXISTS (SELECT 1 FROM reacted)") == 1;
		s->data_version = scalar(s, "PRAGMA data_version");
	}
	return s->fresh == 1;
}

/* FNV-1a of "channel\0ts" */
static uint64_t thread_hash(const char *channel_id, const char *ts)
{
	uint64_t h = 14695981039346656037ULL;
	for (const char *p = channel_id; ; p++) {
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
		if (!*p)
			break;
	}
	for (const char *p = ts; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return h;
}

/* Is the thread in the filter? With add, put it there. */
static bool orphan_thread(store_t *s, const char *channel_id, const char *ts, bool add)
{
	if (!s->orphans) {
		if (!add)
			return false;
		s->orphans = xcalloc(ORPHAN_BITS / 64, sizeof *s->orphans);
	}
	uint64_t h = thread_hash(channel_id, ts);
	uint32_t b[2] = {(uint32_t)h % ORPHAN_BITS, (uint32_t)(h >> 32) % ORPHAN_BITS};
	bool in = true;
	for (int i = 0; i < 2; i++) {
		in = in && (s->orphans[b[i] / 64] >> (b[i] % 64) & 1);
		if (add)
			s->orphans[b[i] / 64] |= 1ULL << (b[i] % 64);
	}
	return in;
}

static bool is_hidden_subtype(const char *st)
{
	return st && (strcmp(st, "channel_join") == 0 || strcmp(st, "channel_leave") == 0 ||
		      strcmp(st, "group_join") == 0 || strcmp(st, "group_leave") == 0);
}

/* channels.published of a channel (0 when unknown), remembered for the
 * next message of the same channel until a channel is written. */
static int published(store_t *s, const char *channel_id)
{
	if (strcmp(s->pub_id, channel_id) == 0)
		return s->pub;
	sqlite3_stmt *q = stmt(s, Q_PUBLISHED);
	if (!q)
		return -1;
	bind_text(q, 1, channel_id);
	int rc = sqlite3_step(q);
	int pub = rc == SQLITE_ROW ? sqlite3_column_int(q, 0) : 0;
	sqlite3_reset(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fail(s, "reading a channel");
	if (strlen(channel_id) < sizeof s->pub_id) {
		strcpy(s->pub_id, channel_id);
		s->pub = pub;
	}
	return pub;
}

/* The full-text index after an upsert: a new row's id and visibility are
 * known here, which saves search-sqlite.c looking the message up. hidden:
 * the row's (a join or leave, or moderated). */
static int index_upserted(store_t *s, const st_message *m, int result, int64_t id, int hidden)
{
	if (result != ST_INSERTED || !id)
		return search_sqlite_upserted(s, m, result);
	int pub = published(s, m->channel_id);
	if (pub < 0)
		return -1;
	return search_sqlite_inserted(s, id, m, !pub || hidden);
}

/* ---- what a message write changes (changes-sqlite.c) ------------------- */

/* The stored copy a write replaces or deletes (Q_IS_DELETED's row). */
typedef struct old_msg {
	bool exists;
	char page_day[16], day[16], user[64];
	bool has_user;
	int hidden;
	bool same_raw;               /* its JSON is the new copy's */
	char list_at[REACTIONS_KEY_LEN + 1];   /* its list of reactions' key, "" when none */
} old_msg;

static void copy_col(sqlite3_stmt *q, int i, char *out, size_t size)
{
	const unsigned char *t = sqlite3_column_text(q, i);
	snprintf(out, size, "%s", t ? (const char *)t : "");
}

/* Q_IS_DELETED for (channel, ts): the tombstone flag, and the stored copy
 * (compared with the JSON raw, when given). */
static int read_old(store_t *s, const char *channel_id, const char *ts, const char *raw, size_t rawlen, old_msg *o)
{
	memset(o, 0, sizeof *o);
	sqlite3_stmt *q = stmt(s, Q_IS_DELETED);
	if (!q)
		return -1;
	bind_text(q, 1, channel_id);
	bind_text(q, 2, ts);
	bind_blob_text(q, 3, raw, rawlen);
	int deleted = 0;
	if (sqlite3_step(q) == SQLITE_ROW) {
		deleted = sqlite3_column_int(q, 0);
		o->exists = sqlite3_column_type(q, 1) != SQLITE_NULL;
		copy_col(q, 1, o->page_day, sizeof o->page_day);
		copy_col(q, 2, o->day, sizeof o->day);
		copy_col(q, 3, o->user, sizeof o->user);
		o->has_user = sqlite3_column_type(q, 3) != SQLITE_NULL;
		o->hidden = sqlite3_column_int(q, 4);
		o->same_raw = sqlite3_column_int(q, 5);
		copy_col(q, 6, o->list_at, sizeof o->list_at);
	}
	sqlite3_reset(q);
	return deleted;
}

/* A write that adds a shown message to a person's count or takes one
 * away: if it is their first in a published channel, or their last, they
 * gain or lose their page, and every page that names them gains or loses
 * the link to it, as when their profile changes. Asked after an upsert
 * and before a delete, so a count of one is this message. Not in a bulk
 * load: user_counts is counted at its end, which records that everything
 * changed. */
static int note_author(store_t *s, const char *channel_id, const char *user)
{
	int pub = !user || s->bulk ? 0 : published(s, channel_id);
	if (pub <= 0)
		return pub;
	sqlite3_stmt *q = stmt(s, Q_USER_SHOWN);
	if (!q)
		return -1;
	bind_text(q, 1, user);
	bind_text(q, 2, channel_id);
	int rc = sqlite3_step(q);
	int64_t n = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	sqlite3_reset(q);
	if (rc != SQLITE_ROW)
		return fail(s, "counting a person's messages");
	return n <= 1 ? changes_sqlite_record(s, CHG_USER, user, NULL) : 0;
}

/* A shown message on page_day (and its own day) by user: their pages. */
static int note_message(store_t *s, const char *channel_id, const char *page_day, const char *day, const char *user)
{
	if (changes_sqlite_record(s, CHG_DAY, channel_id, page_day) < 0 ||
	    (strncmp(day, page_day, 10) != 0 && changes_sqlite_record(s, CHG_DAY, channel_id, day) < 0) ||
	    (user && changes_sqlite_record(s, CHG_COUNTS, user, NULL) < 0))
		return -1;
	return 0;
}

/* After an upsert wrote m (shown on page_day) over old (if it existed;
 * on a fresh archive old is not read: the copy it replaces, if exists,
 * was written by this handle, on the same days, by the same person). */
static int note_upsert(store_t *s, const st_message *m, const char *page_day, int hidden, const old_msg *old,
		       bool exists)
{
	if (hidden == 1 && (!old->exists || old->hidden == 1))
		return 0;     /* joins and leaves: stored, never shown */
	if (note_message(s, m->channel_id, page_day, m->day, m->user_id) < 0)
		return -1;
	if (!old->exists)
		return hidden == 0 && !exists ? note_author(s, m->channel_id, m->user_id) : 0;
	const char *ou = old->has_user ? old->user : NULL;
	if ((strcmp(old->page_day, page_day) != 0 || strncmp(old->day, m->day, 10) != 0 || !same_str(ou, m->user_id)) &&
	    note_message(s, m->channel_id, old->page_day, old->day, ou) < 0)
		return -1;
	if (((old->hidden == 0) != (hidden == 0) || !same_str(ou, m->user_id)) &&
	    (note_author(s, m->channel_id, m->user_id) < 0 || note_author(s, m->channel_id, ou) < 0))
		return -1;
	if ((strcmp(old->page_day, page_day) != 0 || (old->hidden == 0) != (hidden == 0)) &&
	    changes_sqlite_record(s, CHG_MESSAGE, m->channel_id, m->ts) < 0)
		return -1;
	return 0;
}

/* Q_MOVE_REPLIES, bound: each moved reply leaves its own day's page. */
static int move_replies(store_t *s, sqlite3_stmt *q, const char *channel_id)
{
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *day = (const char *)sqlite3_column_text(q, 0), *ts = (const char *)sqlite3_column_text(q, 1);
		if ((day && changes_sqlite_record(s, CHG_DAY, channel_id, day) < 0) ||
		    (ts && changes_sqlite_record(s, CHG_MESSAGE, channel_id, ts) < 0)) {
			sqlite3_reset(q);
			return -1;
		}
	}
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : fail(s, "moving thread replies");
}

int store_upsert_message(store_t *s, const st_message *m)
{
	if (!m->channel_id || !m->ts || !m->day || !m->raw) {
		snprintf(s->err, sizeof s->err, "message without channel, ts, day or JSON");
		return ST_ERROR;
	}
	bool fresh = is_fresh(s);
	sqlite3_stmt *q;
	int hidden = is_hidden_subtype(m->subtype);
	int mrc = moderation_sqlite_message(s, m, &m, &hidden);
	if (mrc)
		return mrc;
	old_msg old = {0};
	if (!fresh) {
		int deleted = read_old(s, m->channel_id, m->ts, m->raw, m->rawlen, &old);
		if (deleted < 0)
			return ST_ERROR;
		if (deleted)
			return ST_REFUSED;
	}

	bool reply = m->thread_ts && strcmp(m->thread_ts, m->ts) != 0;
	char page_day[11];
	memcpy(page_day, m->day, 11);
	page_day[10] = 0;
	if (reply) {
		q = stmt(s, Q_PARENT_DAY);
		if (!q)
			return ST_ERROR;
		bind_text(q, 1, m->channel_id);
		bind_text(q, 2, m->thread_ts);
		bool found = sqlite3_step(q) == SQLITE_ROW;
		if (found && sqlite3_column_bytes(q, 0) == 10)
			memcpy(page_day, sqlite3_column_text(q, 0), 10);
		sqlite3_reset(q);
		if (!found && fresh)
			orphan_thread(s, m->channel_id, m->thread_ts, true);
	}
	/* the copy's list of reactions, as of its time */
	char key[REACTIONS_KEY_LEN + 1];
	if (!m->keep_reactions)
		reactions_sqlite_key(m, m->seen ? m->seen : m->edited_ts ? m->edited_ts : m->ts, key);

	q = stmt(s, Q_UPSERT_MSG);
	if (!q)
		return ST_ERROR;
	bind_text(q, 1, m->channel_id);
	bind_text(q, 2, m->ts);
	bind_text(q, 3, m->day);
	bind_text(q, 4, page_day);
	bind_text(q, 5, m->thread_ts);
	bind_text(q, 6, m->user_id);
	bind_text(q, 7, m->bot_id);
	bind_text(q, 8, m->username);
	bind_text(q, 9, m->subtype);
	bind_text(q, 10, m->text);
	bind_text(q, 11, m->edited_ts);
	sqlite3_bind_int(q, 12, m->reply_count);
	sqlite3_bind_int(q, 13, m->has_files);
	sqlite3_bind_int(q, 14, m->has_links);
	sqlite3_bind_int(q, 15, hidden);
	bind_blob_text(q, 16, m->raw, m->rawlen);
	bind_text(q, 17, m->seen);
	bind_text(q, 18, m->keep_reactions ? NULL : key);
	sqlite3_set_last_insert_rowid(s->db, 0);
	int n = step_write(s, q, "storing a message");
	if (n < 0)
		return ST_ERROR;
	int64_t id = n ? sqlite3_last_insert_rowid(s->db) : 0;
	bool exists = fresh ? !id : old.exists;
	/* a newer copy with the same JSON only moved seen */
	bool changed = n && !(exists && old.same_raw);
	int result = !changed ? ST_UNCHANGED : exists ? ST_UPDATED : ST_INSERTED;
	if (changed && note_upsert(s, m, page_day, hidden, &old, exists) < 0)
		return ST_ERROR;

	if (changed && !reply && (!fresh || orphan_thread(s, m->channel_id, m->ts, false))) {
		/* it may be the parent of replies stored before it */
		q = stmt(s, Q_MOVE_REPLIES);
		if (!q)
			return ST_ERROR;
		bind_text(q, 1, m->channel_id);
		bind_text(q, 2, m->ts);
		bind_text(q, 3, m->day);
		if (move_replies(s, q, m->channel_id) < 0)
			return ST_ERROR;
	}
	if (!m->keep_reactions) {
		/* a first import did not read the stored copy */
		if (fresh && exists && reactions_sqlite_listed(s, m->channel_id, m->ts, old.list_at) < 0)
			return ST_ERROR;
		if (reactions_sqlite_list(s, m, key, *old.list_at ? old.list_at : NULL, !exists, fresh && !exists) < 0)
			return ST_ERROR;
	}
	if (changed && index_upserted(s, m, result, id, hidden) < 0)
		return ST_ERROR;
	return result;
}

int store_delete_message(store_t *s, const char *channel_id, const char *ts)
{
	s->fresh = 0;
	old_msg old;
	if (read_old(s, channel_id, ts, NULL, 0, &old) < 0)
		return -1;
	if (old.exists && old.hidden != 1 &&
	    (note_message(s, channel_id, old.page_day, old.day, old.has_user ? old.user : NULL) < 0 ||
	     changes_sqlite_record(s, CHG_MESSAGE, channel_id, ts) < 0 ||
	     (old.hidden == 0 && note_author(s, channel_id, old.has_user ? old.user : NULL) < 0)))
		return -1;
	if (store_search_unindex(s, channel_id, ts) < 0)
		return -1;
	sqlite3_stmt *q = stmt(s, Q_ADD_TOMBSTONE);
	if (!q)
		return -1;
	bind_text(q, 1, channel_id);
	bind_text(q, 2, ts);
	if (step_write(s, q, "recording a deletion") < 0)
		return -1;
	q = stmt(s, Q_DELETE_MSG);
	if (!q)
		return -1;
	bind_text(q, 1, channel_id);
	bind_text(q, 2, ts);
	int n = step_write(s, q, "deleting a message");
	if (n < 0)
		return -1;
	q = stmt(s, Q_DEL_REACTIONS);
	if (!q)
		return -1;
	bind_text(q, 1, channel_id);
	bind_text(q, 2, ts);
	return step_write(s, q, "deleting reactions") < 0 ? -1 : 0;
}

/* For reactions-sqlite.c: a message's reactions changed. */
int store_sqlite_reacted(store_t *s, const char *channel_id, const char *ts)
{
	if (search_sqlite_reacted(s, channel_id, ts) < 0)
		return -1;
	old_msg m;
	if (read_old(s, channel_id, ts, NULL, 0, &m) < 0)
		return -1;
	return m.exists ? note_message(s, channel_id, m.page_day, m.day, NULL) : 0;
}

void store_sqlite_unfresh(store_t *s)
{
	s->fresh = 0;
}

int store_upsert_emoji(store_t *s, const char *name, const char *value)
{
	sqlite3_stmt *q = stmt(s, Q_UPSERT_EMOJI);
	if (!q)
		return ST_ERROR;
	bind_text(q, 1, name);
	bind_text(q, 2, value);
	int n = step_write(s, q, "storing an emoji");
	if (n > 0 && changes_sqlite_all(s) < 0)
		return ST_ERROR;
	return n < 0 ? ST_ERROR : n ? ST_UPDATED : ST_UNCHANGED;
}

int store_delete_emoji(store_t *s, const char *name)
{
	sqlite3_stmt *q = stmt(s, Q_DELETE_EMOJI);
	if (!q)
		return -1;
	bind_text(q, 1, name);
	int n = step_write(s, q, "deleting an emoji");
	return n < 0 || (n > 0 && changes_sqlite_all(s) < 0) ? -1 : 0;
}

/* ---- reading ---------------------------------------------------------- */

static int min_published(store_t *s)
{
	return (s->flags & STORE_ALL) ? 0 : 1;
}

static void read_channel(arena_t *a, sqlite3_stmt *q, st_channel *c)
{
	memset(c, 0, sizeof *c);
	c->id = store_sqlite_col(a, q, 0);
	c->name = store_sqlite_col(a, q, 1);
	c->kind = (channel_kind)sqlite3_column_int(q, 2);
	c->topic = store_sqlite_col(a, q, 3);
	c->purpose = store_sqlite_col(a, q, 4);
	c->created = sqlite3_column_int64(q, 5);
	c->archived = sqlite3_column_int(q, 6);
	c->creator = store_sqlite_col(a, q, 7);
	c->published = sqlite3_column_int(q, 8);
	c->raw = store_sqlite_col(a, q, 9);
	c->rawlen = c->raw ? strlen(c->raw) : 0;
	c->path = sqlite3_column_count(q) > 10 ? store_sqlite_col(a, q, 10) : NULL;
	if (!c->path)
		c->path = c->name;
}

static void channel_span(store_t *s, arena_t *a, st_channel *c)
{
	sqlite3_stmt *q = stmt(s, Q_CHANNEL_SPAN);
	if (!q)
		return;
	bind_text(q, 1, c->id);
	if (sqlite3_step(q) == SQLITE_ROW) {
		c->messages = sqlite3_column_int64(q, 0);
		c->first_day = store_sqlite_col(a, q, 1);
		c->last_day = store_sqlite_col(a, q, 2);
		const char *first = store_sqlite_col(a, q, 3), *last = store_sqlite_col(a, q, 4);
		if (first && (!c->first_day || strcmp(first, c->first_day) < 0))
			c->first_day = first;
		if (last && (!c->last_day || strcmp(last, c->last_day) > 0))
			c->last_day = last;
	}
	sqlite3_reset(q);
}

int store_channels(store_t *s, arena_t *a, st_channel **out, size_t *n)
{
	sqlite3_stmt *q = stmt(s, Q_CHANNELS);
	*out = NULL;
	*n = 0;
	if (!q)
		return -1;
	sqlite3_bind_int(q, 1, min_published(s));
	size_t cap = 0;
	st_channel *v = NULL;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		v = store_sqlite_grow(a, v, *n, &cap, sizeof *v);
		read_channel(a, q, &v[(*n)++]);
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return fail(s, "listing channels");
	for (size_t i = 0; i < *n; i++)
		channel_span(s, a, &v[i]);
	*out = v;
	return 0;
}

static const st_channel *channel_one(store_t *s, arena_t *a, enum stmt_id id, const char *key)
{
	sqlite3_stmt *q = stmt(s, id);
	if (!q)
		return NULL;
	bind_text(q, 1, key);
	sqlite3_bind_int(q, 2, min_published(s));
	st_channel *c = NULL;
	if (sqlite3_step(q) == SQLITE_ROW) {
		c = arena_alloc(a, sizeof *c);
		read_channel(a, q, c);
	}
	sqlite3_reset(q);
	if (c)
		channel_span(s, a, c);
	return c;
}

const st_channel *store_channel_by_name(store_t *s, arena_t *a, const char *name)
{
	return channel_one(s, a, Q_CHANNEL_BY_NAME, name);
}

const st_channel *store_channel_by_id(store_t *s, arena_t *a, const char *id)
{
	return channel_one(s, a, Q_CHANNEL_BY_ID, id);
}

static const st_user *read_user(arena_t *a, sqlite3_stmt *q)
{
	st_user *u = arena_zalloc(a, sizeof *u);
	u->id = store_sqlite_col(a, q, 0);
	u->name = store_sqlite_col(a, q, 1);
	u->real_name = store_sqlite_col(a, q, 2);
	u->display_name = store_sqlite_col(a, q, 3);
	u->title = store_sqlite_col(a, q, 4);
	u->avatar = store_sqlite_col(a, q, 5);
	u->tz = store_sqlite_col(a, q, 6);
	u->deleted = sqlite3_column_int(q, 7);
	u->is_bot = sqlite3_column_int(q, 8);
	u->raw = store_sqlite_col(a, q, 9);
	u->rawlen = u->raw ? strlen(u->raw) : 0;
	if (u->display_name && *u->display_name)
		u->shown = u->display_name;
	else if (u->real_name && *u->real_name)
		u->shown = u->real_name;
	else if (u->name && *u->name)
		u->shown = u->name;
	else
		u->shown = u->id;
	return u;
}

static const st_user *user_query(store_t *s, arena_t *a, enum stmt_id id, const char *key)
{
	sqlite3_stmt *q = stmt(s, id);
	if (!q || !key)
		return NULL;
	bind_text(q, 1, key);
	const st_user *u = NULL;
	if (sqlite3_step(q) == SQLITE_ROW)
		u = read_user(a, q);
	sqlite3_reset(q);
	return u;
}

const st_user *store_user(store_t *s, arena_t *a, const char *id)
{
	return moderation_sqlite_user(s, a, user_query(s, a, Q_USER, id), id);
}

/* One text column of a one-row query, or NULL. */
static int first_str(store_t *s, arena_t *a, sqlite3_stmt *q, const char **out)
{
	int rc = sqlite3_step(q);
	*out = rc == SQLITE_ROW ? store_sqlite_col(a, q, 0) : NULL;
	sqlite3_reset(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fail(s, "looking a bot up");
}

int store_bot(store_t *s, arena_t *a, const char *channel_id, const char *bot_id, const char **user_id,
	      const char **text)
{
	*user_id = *text = NULL;
	sqlite3_stmt *q = stmt(s, Q_BOT_USER);
	if (!q)
		return -1;
	bind_text(q, 1, bot_id);
	if (first_str(s, a, q, user_id) < 0)
		return -1;
	if (!channel_id)
		return 0;
	if (!(q = stmt(s, Q_BOT_ADDED)))
		return -1;
	bind_text(q, 1, channel_id);
	bind_text(q, 2, bot_id);
	return first_str(s, a, q, text);
}

const st_user *store_user_find(store_t *s, arena_t *a, const char *who)
{
	if (who && who[0] == '@')
		who++;
	const st_user *u = user_query(s, a, Q_USER_FIND, who);
	if (!u || (s->flags & STORE_ALL))
		return u;
	const st_user *shown = moderation_sqlite_user(s, a, u, u->id);
	/* an opted-out person is found by ID only, never by a name */
	return shown != u && strcmp(who, u->id) != 0 ? NULL : shown;
}

const char *store_emoji(store_t *s, arena_t *a, const char *name)
{
	sqlite3_stmt *q = stmt(s, Q_GET_EMOJI);
	if (!q)
		return NULL;
	bind_text(q, 1, name);
	const char *v = NULL;
	if (sqlite3_step(q) == SQLITE_ROW)
		v = store_sqlite_col(a, q, 0);
	sqlite3_reset(q);
	return v;
}

/* Growable arena arrays for result lists. */
void *store_sqlite_grow(arena_t *a, void *v, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return v;
	size_t ncap = *cap ? *cap * 2 : 64;
	void *nv = arena_alloc(a, ncap * size);
	if (n)
		memcpy(nv, v, n * size);
	*cap = ncap;
	return nv;
}

/* Rows of (key, [name,] count) into st_daycount; the last step's code. */
static int read_daycounts(arena_t *a, sqlite3_stmt *q, bool named, st_daycount **out, size_t *n)
{
	size_t cap = 0;
	st_daycount *v = NULL;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		v = store_sqlite_grow(a, v, *n, &cap, sizeof *v);
		v[*n].day = store_sqlite_col(a, q, 0);
		v[*n].name = named ? store_sqlite_col(a, q, 1) : NULL;
		v[*n].count = sqlite3_column_int64(q, named ? 2 : 1);
		(*n)++;
	}
	*out = v;
	return rc;
}

int store_channel_days(store_t *s, arena_t *a, const char *channel_id, st_daycount **out, size_t *n)
{
	sqlite3_stmt *q = stmt(s, Q_CHANNEL_DAYS);
	*out = NULL;
	*n = 0;
	if (!q)
		return -1;
	bind_text(q, 1, channel_id);
	int rc = read_daycounts(a, q, false, out, n);
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : fail(s, "listing a channel's days");
}

/* A read-only handle keeps the list of channels (IDs and names, in name
 * order) until another connection commits: scanning the channels table,
 * whose rows are large, cost as much as counting the day's messages. */
static struct chlist *chlist(store_t *s)
{
	struct chlist *l = &s->chl;
	sqlite3_stmt *q = stmt(s, Q_DATA_VERSION);
	if (!q)
		return NULL;
	int64_t v = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
	sqlite3_reset(q);
	if (l->loaded && v == l->version)
		return l;
	chlist_clear(l);
	if (!(q = stmt(s, Q_CHANNELS)))
		return NULL;
	sqlite3_bind_int(q, 1, min_published(s));
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (l->n == cap) {
			cap = cap ? 2 * cap : 64;
			l->id = xrealloc(l->id, cap * sizeof *l->id);
			l->name = xrealloc(l->name, cap * sizeof *l->name);
		}
		l->id[l->n] = xstrdup((const char *)sqlite3_column_text(q, 0));
		l->name[l->n++] = xstrdup((const char *)sqlite3_column_text(q, 1));
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE) {
		chlist_clear(l);
		fail(s, "listing channels");
		return NULL;
	}
	l->version = v;
	l->loaded = true;
	return l;
}

/* The day's rows of day_counts (by channel ID), named and ordered by the
 * handle's channel list: channels not in it (unpublished) drop out. */
static int day_channels_listed(store_t *s, arena_t *a, const char *day, st_daycount **out, size_t *n)
{
	struct chlist *l = chlist(s);
	sqlite3_stmt *q = l ? stmt(s, Q_DAY_COUNTS) : NULL;
	if (!q)
		return -1;
	bind_text(q, 1, day);
	st_daycount *rows;
	size_t nrows = 0;
	int rc = read_daycounts(a, q, false, &rows, &nrows);
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return fail(s, "counting a day's messages per channel");
	st_daycount *v = arena_alloc(a, (nrows + 1) * sizeof *v);
	for (size_t i = 0; i < l->n && *n < nrows; i++) {
		size_t lo = 0, hi = nrows;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			int c = strcmp(rows[mid].day, l->id[i]);
			if (c == 0) {
				v[(*n)++] = (st_daycount){rows[mid].day, arena_strndup(a, l->name[i], strlen(l->name[i])),
							  rows[mid].count};
				break;
			}
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	*out = v;
	return 0;
}

int store_day_channels(store_t *s, arena_t *a, const char *day, st_daycount **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (s->flags & STORE_READONLY)
		return day_channels_listed(s, a, day, out, n);
	sqlite3_stmt *q = stmt(s, Q_DAY_CHANNELS);
	if (!q)
		return -1;
	bind_text(q, 1, day);
	sqlite3_bind_int(q, 2, min_published(s));
	int rc = read_daycounts(a, q, true, out, n);
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : fail(s, "counting a day's messages per channel");
}

static void read_message(arena_t *a, sqlite3_stmt *q, st_message *m)
{
	memset(m, 0, sizeof *m);
	m->channel_id = store_sqlite_col(a, q, 0);
	m->ts = store_sqlite_col(a, q, 1);
	m->day = store_sqlite_col(a, q, 2);
	m->page_day = store_sqlite_col(a, q, 3);
	m->thread_ts = store_sqlite_col(a, q, 4);
	m->user_id = store_sqlite_col(a, q, 5);
	m->bot_id = store_sqlite_col(a, q, 6);
	m->username = store_sqlite_col(a, q, 7);
	m->subtype = store_sqlite_col(a, q, 8);
	m->text = store_sqlite_col(a, q, 9);
	m->edited_ts = store_sqlite_col(a, q, 10);
	m->reply_count = sqlite3_column_int(q, 11);
	m->has_files = sqlite3_column_int(q, 12);
	m->has_links = sqlite3_column_int(q, 13);
	m->hidden = sqlite3_column_int(q, 14);
	m->withheld = sqlite3_column_int(q, 14) == 2;   /* moderated: see moderation-sqlite.c */
	m->raw = store_sqlite_col(a, q, 15);
	m->rawlen = m->raw ? (size_t)sqlite3_column_bytes(q, 15) : 0;
}

/* Append the reaction in columns c.. of q's row to m. */
static void add_reaction(arena_t *a, sqlite3_stmt *q, int c, st_message *m, size_t *cap)
{
	m->reactions = store_sqlite_grow(a, m->reactions, m->nreactions, cap, sizeof *m->reactions);
	st_reaction *r = &m->reactions[m->nreactions++];
	r->name = store_sqlite_col(a, q, c);
	r->count = sqlite3_column_int(q, c + 1);
	r->users = store_sqlite_col(a, q, c + 2);
}

static int load_reactions(store_t *s, arena_t *a, st_message *m)
{
	sqlite3_stmt *q = stmt(s, Q_REACTIONS);
	if (!q)
		return -1;
	bind_text(q, 1, m->channel_id);
	bind_text(q, 2, m->ts);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		add_reaction(a, q, 0, m, &cap);
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : fail(s, "reading reactions");
}

static int by_ts_ptr(const void *x, const void *y)
{
	return strcmp((*(st_message *const *)x)->ts, (*(st_message *const *)y)->ts);
}

/* The reactions of messages v[0..n) of one channel in one statement (a
 * page has hundreds: one query each was a tenth of its cost). The ts go
 * in as a JSON array; a ts that is not digits and a dot (never in a
 * stored message) takes the one-message query instead. */
static int load_reactions_many(store_t *s, arena_t *a, st_message *v, size_t n)
{
	st_message **by = arena_alloc(a, n * sizeof *by);
	size_t k = 0;
	buf_t ids = BUF_INIT;
	buf_putc(&ids, '[');
	for (size_t i = 0; i < n; i++) {
		if (v[i].withheld)
			continue;
		if (strspn(v[i].ts, "0123456789.") != strlen(v[i].ts)) {
			if (load_reactions(s, a, &v[i]) < 0)
				goto fail;
			continue;
		}
		buf_printf(&ids, "%s\"%s\"", k ? "," : "", v[i].ts);
		by[k++] = &v[i];
	}
	buf_putc(&ids, ']');
	sqlite3_stmt *q = k ? stmt(s, Q_REACTIONS_MANY) : NULL;
	if (!k || !q) {
		buf_free(&ids);
		return k ? -1 : 0;
	}
	qsort(by, k, sizeof *by, by_ts_ptr);
	bind_text(q, 1, by[0]->channel_id);
	sqlite3_bind_text(q, 2, buf_str(&ids), (int)ids.len, SQLITE_STATIC);
	size_t j = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *ts = (const char *)sqlite3_column_text(q, 0);
		int c = 1;
		while (ts && j < k && (c = strcmp(by[j]->ts, ts)) < 0)
			j++, cap = 0;
		if (c == 0)
			add_reaction(a, q, 1, by[j], &cap);
	}
	sqlite3_reset(q);
	buf_free(&ids);
	return rc == SQLITE_DONE ? 0 : fail(s, "reading reactions");
fail:
	buf_free(&ids);
	return -1;
}

/* Collect the rows of a prepared, bound message query. */
static int collect(store_t *s, arena_t *a, sqlite3_stmt *q, st_message **v, size_t *n, size_t *cap)
{
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*v = store_sqlite_grow(a, *v, *n, cap, sizeof **v);
		read_message(a, q, &(*v)[(*n)++]);
	}
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : fail(s, "reading messages");
}

static int ts_cmp(const void *x, const void *y)
{
	const st_message *a = x, *b = y;
	return strcmp(a->ts, b->ts);
}

static int finish_messages(store_t *s, arena_t *a, st_message *v, size_t n)
{
	if (moderation_sqlite_scrub(s, a, v, n) < 0)
		return -1;
	if (n > 1)
		return load_reactions_many(s, a, v, n);
	return n && !v[0].withheld ? load_reactions(s, a, &v[0]) : 0;
}

/* Is the channel there and published (any channel with STORE_ALL)? Not
 * store_channel_by_id(): that also counts the channel's messages. */
static bool channel_visible(store_t *s, const char *channel_id)
{
	if (s->flags & STORE_ALL)
		return true;
	sqlite3_stmt *q = stmt(s, Q_PUBLISHED);
	if (!q)
		return false;
	bind_text(q, 1, channel_id);
	bool pub = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) >= min_published(s);
	sqlite3_reset(q);
	return pub;
}

int store_day_messages(store_t *s, arena_t *a, const char *channel_id, const char *day,
		       bool with_hidden, st_message **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!channel_visible(s, channel_id))
		return 0;
	size_t cap = 0;
	st_message *v = NULL;
	sqlite3_stmt *q = stmt(s, Q_DAY_MESSAGES);
	if (!q)
		return -1;
	bind_text(q, 1, channel_id);
	bind_text(q, 2, day);
	sqlite3_bind_int(q, 3, with_hidden ? 1 : 0);
	if (collect(s, a, q, &v, n, &cap) < 0)
		return -1;
	q = stmt(s, Q_DAY_BROADCASTS);
	if (!q)
		return -1;
	bind_text(q, 1, channel_id);
	bind_text(q, 2, day);
	if (collect(s, a, q, &v, n, &cap) < 0)
		return -1;
	if (*n > 1)
		qsort(v, *n, sizeof *v, ts_cmp);
	moderation_sqlite_filter(v, n, true, false);
	*out = v;
	return finish_messages(s, a, v, *n);
}

int store_thread(store_t *s, arena_t *a, const char *channel_id, const char *thread_ts, st_message **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!channel_visible(s, channel_id))
		return 0;
	size_t cap = 0;
	st_message *v = NULL;
	sqlite3_stmt *q = stmt(s, Q_THREAD);
	if (!q)
		return -1;
	bind_text(q, 1, channel_id);
	bind_text(q, 2, thread_ts);
	if (collect(s, a, q, &v, n, &cap) < 0)
		return -1;
	moderation_sqlite_filter(v, n, true, false);
	*out = v;
	return finish_messages(s, a, v, *n);
}

const st_message *store_message(store_t *s, arena_t *a, const char *channel_id, const char *ts)
{
	st_message *v = NULL;
	size_t n = 0, cap = 0;
	if (!channel_visible(s, channel_id))
		return NULL;
	sqlite3_stmt *q = stmt(s, Q_MESSAGE);
	if (!q)
		return NULL;
	bind_text(q, 1, channel_id);
	bind_text(q, 2, ts);
	if (collect(s, a, q, &v, &n, &cap) < 0 || n == 0)
		return NULL;
	moderation_sqlite_filter(v, &n, false, true);
	if (finish_messages(s, a, v, n) < 0)
		return NULL;
	return v;
}

const char *store_adjacent_day(store_t *s, arena_t *a, const char *channel_id, const char *day, int dir)
{
	sqlite3_stmt *q = stmt(s, dir < 0 ? Q_PREV_DAY : Q_NEXT_DAY);
	if (!q)
		return NULL;
	bind_text(q, 1, channel_id);
	bind_text(q, 2, day);
	const char *v = NULL;
	if (sqlite3_step(q) == SQLITE_ROW)
		v = store_sqlite_col(a, q, 0);
	sqlite3_reset(q);
	return v;
}

static int64_t scalar(store_t *s, const char *sql)
{
	sqlite3_stmt *q;
	int64_t v = -1;
	if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK) {
		fail(s, "counting");
		return -1;
	}
	if (sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return v;
}

int store_totals(store_t *s, st_totals *t)
{
	t->users = scalar(s, "SELECT count(*) FROM users");
	t->channels = scalar(s, "SELECT count(*) FROM channels");
	t->messages = scalar(s, "SELECT count(*) FROM messages");
	t->replies = scalar(s, "SELECT count(*) FROM messages WHERE thread_ts IS NOT NULL AND thread_ts <> ts");
	t->threads = scalar(s, "SELECT count(*) FROM (SELECT DISTINCT channel_id, thread_ts FROM messages "
			       "WHERE thread_ts IS NOT NULL AND thread_ts <> ts)");
	t->reactions = scalar(s, "SELECT coalesce(sum(count), 0) FROM reactions");
	t->files = scalar(s, "SELECT count(*) FROM messages WHERE has_files");
	if (t->users < 0 || t->channels < 0 || t->messages < 0 || t->replies < 0 || t->threads < 0 ||
	    t->reactions < 0 || t->files < 0)
		return -1;
	return 0;
}

int64_t store_channel_records(store_t *s, const char *channel_id)
{
	sqlite3_stmt *q = stmt(s, Q_CHANNEL_RECORDS);
	if (!q)
		return -1;
	bind_text(q, 1, channel_id);
	int64_t v = -1;
	if (sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	return v;
}

int store_channels_waiting(store_t *s, int64_t *type, int64_t *name)
{
	/* CH_UNKNOWN is 4, CH_PUBLIC 0 */
	*type = scalar(s, "SELECT count(*) FROM channels WHERE kind = 4");
	*name = scalar(s, "SELECT count(*) FROM channels WHERE kind IN (0, 4) AND name = id");
	return *type < 0 || *name < 0 ? -1 : 0;
}

int store_rebucket_days(store_t *s)
{
	if (changes_sqlite_all(s) < 0)
		return -1;
	return exec(s,
		    "UPDATE messages SET day = slacklog_day(ts);"
		    "UPDATE messages SET page_day = day WHERE thread_ts IS NULL OR thread_ts = ts;"
		    "UPDATE messages SET page_day = coalesce((SELECT p.day FROM messages p "
		    "  WHERE p.channel_id = messages.channel_id AND p.ts = messages.thread_ts), day) "
		    "WHERE thread_ts IS NOT NULL AND thread_ts <> ts;") < 0 ? -1 : search_sqlite_rekey(s);
}

int store_user_channel_ids(store_t *s, arena_t *a, const char *user_id, const char ***out, size_t *n)
{
	sqlite3_stmt *q = stmt(s, Q_USER_CHANNEL_IDS);
	*out = NULL;
	*n = 0;
	if (!q)
		return -1;
	bind_text(q, 1, user_id);
	size_t cap = 0;
	const char **v = NULL;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		v = store_sqlite_grow(a, v, *n, &cap, sizeof *v);
		v[(*n)++] = store_sqlite_col(a, q, 0);
	}
	sqlite3_reset(q);
	*out = v;
	return rc == SQLITE_DONE ? 0 : fail(s, "listing a user's channels");
}

int store_user_channels(store_t *s, arena_t *a, const char *user_id, st_daycount **out, size_t *n)
{
	/* user_counts' rows for the person (schema 10); prepared per call (person pages only). */
	static const char sql[] =
		"SELECT c.id, c.name, u.n FROM user_counts u JOIN channels c ON c.id = u.channel_id "
		"WHERE u.user_id = ?1 AND c.published >= ?2 ORDER BY c.name, c.kind, c.id";
	sqlite3_stmt *q;
	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK)
		return fail(s, "listing a user's channels");
	bind_text(q, 1, user_id);
	sqlite3_bind_int(q, 2, min_published(s));
	int rc = read_daycounts(a, q, true, out, n);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : fail(s, "listing a user's channels");
}

void store_remove(const char *path)
{
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < sizeof suffix / sizeof *suffix; i++) {
		buf_t p = BUF_INIT;
		buf_printf(&p, "%s%s", path, suffix[i]);
		unlink(buf_str(&p));
		buf_free(&p);
	}
}
