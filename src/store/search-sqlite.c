/* search-sqlite.c: the full-text index of the SQLite store, its layout
 * and its upkeep (store.h, "search"). Queries are in search-query.c.
 *
 * Two tables: search_text(id, key, body, meta) holds what is indexed,
 * under the message's messages.id, and the FTS5 table `search` indexes it
 * as external content, with `key` as its rowid:
 *
 * - key: the message's day and time (sqlite-int.h): the day's number, the
 *   second of its ts, and a slot, the 256th of the second or the next
 *   free one when messages share it. Walking rowids down is walking hits
 *   newest first, so sort:new, the newest hits that relevance ranks and
 *   date filters (a range of rowids) read only what they return instead
 *   of sorting every hit: FTS5 seeks to a rowid in each doclist. The day
 *   comes first because it is what date filters compare, whatever the ts
 *   says; seconds rather than microseconds keep the rowid deltas of the
 *   doclists short (docs/ARCHITECTURE.md has the sizes).
 * - body: the plain text as the renderer writes it. The index keeps it:
 *   snippets need the text (the messages table holds mrkdwn and JSON), and
 *   removing an entry from FTS5 takes the text it was indexed from.
 * - meta: the message's filters as tokens of their own column, so that
 *   in:, from:, has: and is: are doclist intersections inside FTS5, and
 *   counting hits never joins the messages table: "a" (every message), the
 *   channel ("c" + the ID in lower case, or "k" + its bytes in hex when it
 *   is not all capitals and digits), the author ("u"/"v" the same way),
 *   "l" has:link, "f" has:file, "r" has:reaction, "t" is:thread.
 * - id: messages.id. search_text is a table of its own rather than FTS5's
 *   content copy because that copy is stored in rowid order: an import
 *   goes channel by channel, and writing rows all over a 240 MB table cost
 *   70% more CPU on a million messages than appending them by id. Only the
 *   key's index and FTS5's document sizes are written out of order. The
 *   messages to index are those without a row here; a replaced or deleted
 *   message's entry is one lookup away.
 *
 * store_upsert_message, store_delete_message and the reaction functions
 * keep the index in step: a replaced or deleted message loses its entry
 * at once, a change of reactions rewrites its meta, so the index never
 * finds text or filters the archive no longer shows. Only messages a
 * public page shows are indexed (no joins/leaves, no private channels or
 * DMs): the index alone can count a query's hits.
 *
 * Texts wait in a per-handle queue until the transaction commits, and go
 * in as single-row INSERTs. SQLite (3.40) calls a virtual table's
 * xSavepoint around every write statement that may change several rows
 * (the store's UPDATEs, upserts, anything with a trigger) once the table
 * is part of the transaction, and FTS5 flushes its pending terms to a new
 * segment on each: indexing among the other writes made one segment per
 * message and cost 4x the CPU in merges. Deferred, a transaction's batch
 * becomes one segment. Reads (store_search) flush first, so a transaction
 * sees its own writes. */
#include "store/sqlite-int.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* statement slots (search-query.c has those from SEARCH_QUERY_SLOTS on) */
enum { X_MSG, X_REACTED, X_FIND, X_TEXT, X_INSERT, X_FTS_DELETE, X_UNTEXT, X_UNPUBLISHED, X_UNTEXT_CHANNEL,
       X_MISSING, X_PENDING, X_STALE, X_WRITE_COUNT };
_Static_assert((int)X_WRITE_COUNT <= (int)SEARCH_QUERY_SLOTS, "statement slots");

static const char *const xsql[X_WRITE_COUNT] = {
	/* Single-row statements only: SQLite 3.40 opens a savepoint around a
	 * statement that may write several rows (INSERT ... SELECT, OR
	 * REPLACE), and FTS5 flushes its pending terms at every savepoint: one
	 * tiny segment per message and merges without end (4x the CPU). */
	/* a message, whether a public page shows it, and its filters */
	[X_MSG] = "SELECT m.id, m.hidden OR coalesce(c.published, 0) = 0, m.user_id, m.thread_ts IS NOT NULL, "
		  "m.has_links, m.has_files, m.day, "
		  "EXISTS (SELECT 1 FROM reactions r WHERE r.channel_id = m.channel_id AND r.ts = m.ts) "
		  "FROM messages m LEFT JOIN channels c ON c.id = m.channel_id WHERE m.channel_id = ?1 AND m.ts = ?2",
	/* what a message just inserted does not say itself */
	[X_REACTED] = "SELECT EXISTS (SELECT 1 FROM reactions WHERE channel_id = ?1 AND ts = ?2)",
	[X_FIND] = "SELECT key, body, meta FROM search_text WHERE id = ?1",
	[X_TEXT] = "INSERT INTO search_text(id, key, body, meta) VALUES (?1, ?2, ?3, ?4)",
	[X_INSERT] = "INSERT INTO search(rowid, body, meta) VALUES (?1, ?2, ?3)",
	/* external content: FTS5 removes what it is told was indexed */
	[X_FTS_DELETE] = "INSERT INTO search(search, rowid, body, meta) VALUES ('delete', ?1, ?2, ?3)",
	[X_UNTEXT] = "DELETE FROM search_text WHERE id = ?1",
	/* several rows: a savepoint, and FTS5 flushes; rare */
	[X_UNPUBLISHED] = "INSERT INTO search(search, rowid, body, meta) SELECT 'delete', key, body, meta "
			  "FROM search_text WHERE id IN (SELECT id FROM messages WHERE channel_id = ?1)",
	[X_UNTEXT_CHANNEL] = "DELETE FROM search_text WHERE id IN (SELECT id FROM messages WHERE channel_id = ?1)",
	[X_MISSING] = "SELECT count(*) FROM messages m WHERE hidden = 0 "
		      "AND channel_id IN (SELECT id FROM channels WHERE published = 1) "
		      "AND NOT EXISTS (SELECT 1 FROM search_text s WHERE s.id = m.id)",
	[X_PENDING] = "SELECT id, channel_id, ts, day, thread_ts, user_id, raw FROM messages m "
		      "WHERE id > ?1 AND hidden = 0 AND channel_id IN (SELECT id FROM channels WHERE published = 1) "
		      "AND NOT EXISTS (SELECT 1 FROM search_text s WHERE s.id = m.id) "
		      "ORDER BY id LIMIT ?2",
	[X_STALE] = "SELECT id, channel_id, ts, day, thread_ts, user_id, raw FROM messages m "
		    "WHERE channel_id = ?1 AND ts = ?2 AND hidden = 0 "
		    "AND channel_id IN (SELECT id FROM channels WHERE published = 1)",
};

static sqlite3_stmt *xstmt(store_t *s, int which)
{
	return store_sqlite_stmt(s, which, xsql[which]);
}

static void bind_str(sqlite3_stmt *q, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(q, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, i);
}

static const char *col(arena_t *a, sqlite3_stmt *q, int i)
{
	const unsigned char *t = sqlite3_column_text(q, i);
	return t ? arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(q, i)) : NULL;
}

/* ---- keys and meta tokens ---------------------------------------------- */

/* Days since 1970-01-01 of "YYYY-MM-DD" (or of the first day of "YYYY" or
 * "YYYY-MM"), within what the key holds. */
static int64_t day_number(const char *day)
{
	size_t n = strlen(day);
	struct tm tm = {.tm_year = atoi(day) - 1900, .tm_mon = n >= 7 ? atoi(day + 5) - 1 : 0,
			.tm_mday = n >= 10 ? atoi(day + 8) : 1, .tm_hour = 12};
	int64_t d = (int64_t)timegm(&tm) / 86400;
	return d < 0 ? 0 : d > SEARCH_DAY_MAX ? SEARCH_DAY_MAX : d;
}

int64_t search_day_key(const char *day)
{
	int64_t d = day_number(day);
	return d == SEARCH_DAY_MAX ? INT64_MAX : d << SEARCH_DAY_SHIFT;
}

/* The day's number, then the ts's second counted from 14 hours before
 * the day's UTC midnight (the earliest a local day starts; 145 hours fit),
 * then the 256th of the second: a day's messages in time order, whatever
 * the zone, with rowids close enough for short doclist deltas. */
int64_t search_key(const char *day, const char *ts)
{
	int64_t sec = 0, us = 0;
	const char *p = ts;
	for (int n = 0; *p >= '0' && *p <= '9' && n < 10; p++, n++)
		sec = sec * 10 + (*p - '0');
	if (*p == '.')
		p++;
	for (int n = 0; n < 6; n++) {
		us *= 10;
		if (*p >= '0' && *p <= '9')
			us += *p++ - '0';
	}
	int64_t d = day_number(day);
	int64_t off = (sec - (d * 86400 - 14 * 3600)) & ((INT64_C(1) << SEARCH_TIME_BITS) - 1);
	return d << SEARCH_DAY_SHIFT | off << SEARCH_SLOT_BITS | (us * SEARCH_SLOTS / 1000000);
}

/* Prefix + the ID as one token: lower case when it is all capitals and
 * digits (every Slack ID), else hex under the other prefix. */
static void meta_id(buf_t *b, char plain, char hex, const char *id)
{
	size_t n = strlen(id);
	bool simple = n > 0;
	for (size_t i = 0; i < n && simple; i++)
		simple = (id[i] >= 'A' && id[i] <= 'Z') || (id[i] >= '0' && id[i] <= '9');
	buf_putc(b, simple ? plain : hex);
	for (size_t i = 0; i < n; i++) {
		if (simple)
			buf_putc(b, id[i] >= 'A' && id[i] <= 'Z' ? (char)(id[i] - 'A' + 'a') : id[i]);
		else
			buf_printf(b, "%02x", (unsigned char)id[i]);
	}
}

void search_meta_channel(buf_t *b, const char *channel_id)
{
	meta_id(b, 'c', 'k', channel_id);
}

void search_meta_user(buf_t *b, const char *user_id)
{
	meta_id(b, 'u', 'v', user_id);
}

typedef struct meta_in {
	const char *channel_id, *user_id;
	bool thread, link, file, reaction;
} meta_in;

static void meta_write(buf_t *b, const meta_in *m)
{
	buf_putc(b, SEARCH_META_ALL);
	buf_putc(b, ' ');
	search_meta_channel(b, m->channel_id);
	if (m->user_id && *m->user_id) {
		buf_putc(b, ' ');
		search_meta_user(b, m->user_id);
	}
	const struct { bool on; char tok; } flags[] = {
		{m->link, SEARCH_META_LINK}, {m->file, SEARCH_META_FILE},
		{m->reaction, SEARCH_META_REACTION}, {m->thread, SEARCH_META_THREAD},
	};
	for (size_t i = 0; i < sizeof flags / sizeof *flags; i++)
		if (flags[i].on)
			buf_printf(b, " %c", flags[i].tok);
}

/* ---- the queue --------------------------------------------------------- */

/* A copy of text in a, control characters made spaces: the snippet
 * marks are \x02 and \x03. */
static const char *clean_text(arena_t *a, const char *text, size_t len)
{
	char *out = arena_strndup(a, text, len);
	for (char *p = out, *end = out + len; p < end; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
			*p = ' ';
	}
	return out;
}

/* Texts to index at commit, copied into an arena: a transaction's texts
 * are megabytes, and one buffer grown by doubling held up to twice that
 * (and both copies while it moved). */
struct search_queue {
	struct qent {
		int64_t id;              /* messages.id; 0: dropped before the commit */
		int64_t key;             /* its rowid if the slot is free */
		const char *body, *meta;
		size_t len, metalen;
	} *v;
	size_t n, cap;
	arena_t text;
	int64_t written;         /* entries this handle has inserted */
	buf_t stale;             /* "channel\0ts\0" of messages to render again */
	size_t nstale, stale_at; /* how many; where the next one starts */
};

static struct search_queue *queue(store_t *s)
{
	struct search_queue **sqp = store_sqlite_searchq(s);
	if (!*sqp)
		*sqp = xcalloc(1, sizeof **sqp);
	return *sqp;
}

/* A message as the index sees it. */
typedef struct msgrow {
	int64_t id;                      /* messages.id; 0: not stored */
	int64_t key;                     /* its rowid if the slot is free */
	bool hidden;                     /* not shown by a public page: not indexed */
	buf_t meta;                      /* its meta column */
} msgrow;

static int message_row(store_t *s, const char *channel_id, const char *ts, msgrow *r)
{
	memset(r, 0, sizeof *r);
	sqlite3_stmt *q = xstmt(s, X_MSG);
	if (!q)
		return -1;
	bind_str(q, 1, channel_id);
	bind_str(q, 2, ts);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		r->id = sqlite3_column_int64(q, 0);
		r->hidden = sqlite3_column_int(q, 1);
		const unsigned char *day = sqlite3_column_text(q, 6);
		r->key = search_key(day ? (const char *)day : "", ts);
		meta_in m = {.channel_id = channel_id, .user_id = (const char *)sqlite3_column_text(q, 2),
			     .thread = sqlite3_column_int(q, 3), .link = sqlite3_column_int(q, 4),
			     .file = sqlite3_column_int(q, 5), .reaction = sqlite3_column_int(q, 7)};
		meta_write(&r->meta, &m);
	}
	sqlite3_reset(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlite_fail(s, "looking up a message to index");
	return 0;
}

/* Insert one entry at the first free slot of its second: its text row
 * (the key's unique index says when the slot is taken), then its postings. */
static int insert(store_t *s, const struct qent *e)
{
	sqlite3_stmt *q = xstmt(s, X_TEXT);
	if (!q)
		return -1;
	int rc = SQLITE_CONSTRAINT_UNIQUE;
	int64_t key = e->key;
	for (int i = 0; i < SEARCH_SLOTS && rc == SQLITE_CONSTRAINT_UNIQUE; i++) {
		sqlite3_reset(q);
		key = (e->key & ~(int64_t)(SEARCH_SLOTS - 1)) | ((e->key + i) & (SEARCH_SLOTS - 1));
		sqlite3_bind_int64(q, 1, e->id);
		sqlite3_bind_int64(q, 2, key);
		sqlite3_bind_text(q, 3, e->body, (int)e->len, SQLITE_STATIC);
		sqlite3_bind_text(q, 4, e->meta, (int)e->metalen, SQLITE_STATIC);
		rc = sqlite3_step(q);
	}
	sqlite3_reset(q);
	if (rc == SQLITE_CONSTRAINT_UNIQUE) {
		store_sqlite_seterr(s, "indexing a message: more than 256 messages share its day and second");
		return -1;
	}
	if (rc != SQLITE_DONE)
		return store_sqlite_fail(s, "indexing a message");
	q = xstmt(s, X_INSERT);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, key);
	sqlite3_bind_text(q, 2, e->body, (int)e->len, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, e->meta, (int)e->metalen, SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : store_sqlite_fail(s, "indexing a message");
}

static int by_key(const void *x, const void *y)
{
	const struct qent *a = x, *b = y;
	return a->key < b->key ? -1 : a->key > b->key ? 1 : a->id < b->id ? -1 : a->id > b->id;
}

/* In rowid order: FTS5 starts a new segment whenever a rowid is not
 * larger than the last one, and the content B-tree fills its pages in
 * order. */
int search_sqlite_flush(store_t *s)
{
	struct search_queue *sq = *store_sqlite_searchq(s);
	if (!sq)
		return 0;
	if (sq->n > 1)
		qsort(sq->v, sq->n, sizeof *sq->v, by_key);
	int rc = 0;
	for (size_t i = 0; i < sq->n && rc == 0; i++)
		if (sq->v[i].id && (rc = insert(s, &sq->v[i])) == 0)
			sq->written++;
	sq->n = 0;
	arena_reset(&sq->text);
	return rc;
}

void search_sqlite_discard(store_t *s)
{
	struct search_queue **sq = store_sqlite_searchq(s);
	if (!*sq)
		return;
	free((*sq)->v);
	arena_free(&(*sq)->text);
	buf_free(&(*sq)->stale);
	free(*sq);
	*sq = NULL;
}

static void enqueue(store_t *s, const msgrow *r, const char *text, size_t len)
{
	struct search_queue *sq = queue(s);
	if (sq->n == sq->cap)
		sq->v = xrealloc(sq->v, (sq->cap = sq->cap ? sq->cap * 2 : 256) * sizeof *sq->v);
	const char *body = clean_text(&sq->text, text ? text : "", text ? len : 0);
	const char *meta = arena_strndup(&sq->text, r->meta.p ? r->meta.p : "", r->meta.len);
	sq->v[sq->n++] = (struct qent){r->id, r->key, body, meta, text ? len : 0, r->meta.len};
}

/* A message's entry: its key (0 when it has none), body and meta. */
typedef struct entry {
	int64_t key;
	buf_t body, meta;
} entry;

static int find(store_t *s, int64_t id, entry *e)
{
	e->key = 0;
	sqlite3_stmt *q = xstmt(s, X_FIND);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		e->key = sqlite3_column_int64(q, 0);
		buf_put(&e->body, sqlite3_column_text(q, 1), (size_t)sqlite3_column_bytes(q, 1));
		buf_put(&e->meta, sqlite3_column_text(q, 2), (size_t)sqlite3_column_bytes(q, 2));
	}
	sqlite3_reset(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_sqlite_fail(s, "looking up a message in the index");
}

/* Remove message id's entry e: its postings (FTS5 is told what they were:
 * external content), then its text. */
static int delete_entry(store_t *s, int64_t id, const entry *e)
{
	sqlite3_stmt *q = xstmt(s, X_FTS_DELETE);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, e->key);
	sqlite3_bind_text(q, 2, e->body.p ? e->body.p : "", (int)e->body.len, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, e->meta.p ? e->meta.p : "", (int)e->meta.len, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return store_sqlite_fail(s, "removing a message from the index");
	if (!(q = xstmt(s, X_UNTEXT)))
		return -1;
	sqlite3_bind_int64(q, 1, id);
	rc = sqlite3_step(q);
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : store_sqlite_fail(s, "removing a message from the index");
}

/* Remove a message's entry: from the queue and from the index. */
static int drop(store_t *s, int64_t id)
{
	struct search_queue *sq = *store_sqlite_searchq(s);
	for (size_t i = 0; sq && i < sq->n; i++)
		if (sq->v[i].id == id)
			sq->v[i].id = 0;
	entry e = {0, BUF_INIT, BUF_INIT};
	int rc = find(s, id, &e);
	if (rc == 0 && e.key)
		rc = delete_entry(s, id, &e);
	buf_free(&e.body);
	buf_free(&e.meta);
	return rc;
}

/* Index now, or at commit inside a transaction. */
static int add(store_t *s, const msgrow *r, const char *text, size_t len)
{
	enqueue(s, r, text, len);
	return store_sqlite_in_tx(s) ? 0 : search_sqlite_flush(s);
}

/* message_row for a message the upsert has just inserted as row id: the
 * upsert knows its id, whether it is shown and most of its filters; only
 * whether it has reactions is asked, when it came without them (they may
 * have come before it). */
static int new_row(store_t *s, const st_message *m, int64_t id, msgrow *r)
{
	memset(r, 0, sizeof *r);
	int reacted = 1;
	if (!m->nreactions) {
		sqlite3_stmt *q = xstmt(s, X_REACTED);
		if (!q)
			return -1;
		bind_str(q, 1, m->channel_id);
		bind_str(q, 2, m->ts);
		int rc = sqlite3_step(q);
		reacted = rc == SQLITE_ROW && sqlite3_column_int(q, 0);
		sqlite3_reset(q);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return store_sqlite_fail(s, "looking up a message to index");
	}
	r->id = id;
	r->key = search_key(m->day, m->ts);
	meta_in mi = {.channel_id = m->channel_id, .user_id = m->user_id, .thread = m->thread_ts != NULL,
		      .link = m->has_links, .file = m->has_files, .reaction = reacted};
	meta_write(&r->meta, &mi);
	return 0;
}

int search_sqlite_inserted(store_t *s, int64_t id, const st_message *m, bool hidden)
{
	if (!m->plain || hidden)
		return 0;
	msgrow r;
	int rc = new_row(s, m, id, &r);
	if (rc == 0)
		rc = add(s, &r, m->plain, m->plainlen);
	buf_free(&r.meta);
	return rc;
}

int search_sqlite_upserted(store_t *s, const st_message *m, int result)
{
	if (result != ST_INSERTED && result != ST_UPDATED)
		return 0;
	if (result == ST_INSERTED && !m->plain)
		return 0;
	msgrow r;
	int rc = message_row(s, m->channel_id, m->ts, &r);
	if (rc == 0 && r.id && result == ST_UPDATED)
		rc = drop(s, r.id);
	if (rc == 0 && r.id && m->plain && !r.hidden)
		rc = add(s, &r, m->plain, m->plainlen);
	buf_free(&r.meta);
	return rc;
}

int store_search_index(store_t *s, const char *channel_id, const char *ts, const char *text, size_t len)
{
	msgrow r;
	int rc = message_row(s, channel_id, ts, &r);
	if (rc == 0 && r.id && !r.hidden) {
		rc = drop(s, r.id);
		if (rc == 0)
			rc = add(s, &r, text, len);
	}
	buf_free(&r.meta);
	return rc;
}

int store_search_unindex(store_t *s, const char *channel_id, const char *ts)
{
	msgrow r;
	int rc = message_row(s, channel_id, ts, &r);
	if (rc == 0 && r.id)
		rc = drop(s, r.id);
	buf_free(&r.meta);
	return rc;
}

/* The queued entry of a message, if any. */
static struct qent *queued(store_t *s, int64_t id)
{
	struct search_queue *sq = *store_sqlite_searchq(s);
	for (size_t i = sq ? sq->n : 0; i-- > 0;)
		if (sq->v[i].id == id)
			return &sq->v[i];
	return NULL;
}

int search_sqlite_reacted(store_t *s, const char *channel_id, const char *ts)
{
	msgrow r;
	int rc = message_row(s, channel_id, ts, &r);
	if (rc == 0 && r.id && !r.hidden) {
		struct qent *e = queued(s, r.id);
		if (e) {
			/* still waiting for the commit: the new meta goes with it */
			struct search_queue *sq = *store_sqlite_searchq(s);
			e->meta = arena_strndup(&sq->text, r.meta.p ? r.meta.p : "", r.meta.len);
			e->metalen = r.meta.len;
		} else {
			/* indexed with other filters: out, and in again */
			entry old = {0, BUF_INIT, BUF_INIT};
			rc = find(s, r.id, &old);
			if (rc == 0 && old.key && strcmp(buf_str(&old.meta), buf_str(&r.meta)) != 0) {
				rc = delete_entry(s, r.id, &old);
				if (rc == 0)
					rc = add(s, &r, old.body.p, old.body.len);
			}
			buf_free(&old.body);
			buf_free(&old.meta);
		}
	}
	buf_free(&r.meta);
	return rc;
}

/* ---- what is left to index --------------------------------------------- */

int64_t store_search_missing(store_t *s)
{
	if (search_sqlite_flush(s) < 0)
		return -1;
	sqlite3_stmt *q = xstmt(s, X_MISSING);
	if (!q)
		return -1;
	int64_t n = -1;
	if (sqlite3_step(q) == SQLITE_ROW)
		n = sqlite3_column_int64(q, 0);
	else
		store_sqlite_fail(s, "counting messages missing from the index");
	sqlite3_reset(q);
	return n;
}

/* A message to index from a row of (id, channel_id, ts, day, thread_ts,
 * user_id, raw). */
static void read_to_index(arena_t *a, sqlite3_stmt *q, st_message *m)
{
	m->channel_id = col(a, q, 1);
	m->ts = col(a, q, 2);
	m->day = col(a, q, 3);
	m->thread_ts = col(a, q, 4);
	m->user_id = col(a, q, 5);
	m->raw = col(a, q, 6);
	m->rawlen = m->raw ? (size_t)sqlite3_column_bytes(q, 6) : 0;
}

int store_search_pending(store_t *s, arena_t *a, int64_t *cursor, size_t max, st_message **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (search_sqlite_flush(s) < 0)
		return -1;
	sqlite3_stmt *q = xstmt(s, X_PENDING);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, *cursor);
	sqlite3_bind_int64(q, 2, (sqlite3_int64)max);
	st_message *v = arena_zalloc(a, (max ? max : 1) * sizeof *v);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW && *n < max) {
		*cursor = sqlite3_column_int64(q, 0);
		read_to_index(a, q, &v[(*n)++]);
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_sqlite_fail(s, "listing messages to index");
	*out = v;
	return moderation_sqlite_scrub(s, a, v, *n);
}

int search_sqlite_unpublished(store_t *s, const char *channel_id)
{
	if (search_sqlite_flush(s) < 0)
		return -1;
	for (int which = X_UNPUBLISHED; which <= X_UNTEXT_CHANNEL; which++) {
		sqlite3_stmt *q = xstmt(s, which);
		if (!q)
			return -1;
		bind_str(q, 1, channel_id);
		int rc = sqlite3_step(q);
		sqlite3_reset(q);
		if (rc != SQLITE_DONE)
			return store_sqlite_fail(s, "removing a channel from the index");
	}
	return 0;
}

/* Two statements on the messages ids_sql selects: their postings out
 * (FTS5 told what they were), then their text. Several rows at once:
 * a savepoint, at which FTS5 flushes; moderation is rare. */
int search_sqlite_drop(store_t *s, const char *ids_sql, const char *const *args)
{
	if (search_sqlite_flush(s) < 0)
		return -1;
	static const char *const stmts[] = {
		"INSERT INTO search(search, rowid, body, meta) SELECT 'delete', key, body, meta FROM search_text "
		"WHERE id IN (%s)",
		"DELETE FROM search_text WHERE id IN (%s)",
	};
	for (size_t i = 0; i < sizeof stmts / sizeof *stmts; i++) {
		buf_t sql = BUF_INIT;
		buf_printf(&sql, stmts[i], ids_sql);
		sqlite3_stmt *q;
		int rc = sqlite3_prepare_v2(store_sqlite_db(s), buf_str(&sql), (int)sql.len, &q, NULL);
		buf_free(&sql);
		if (rc != SQLITE_OK)
			return store_sqlite_fail(s, "removing messages from the index");
		for (int k = 0; args && args[k]; k++)
			sqlite3_bind_text(q, k + 1, args[k], -1, SQLITE_STATIC);
		rc = sqlite3_step(q);
		sqlite3_finalize(q);
		if (rc != SQLITE_DONE)
			return store_sqlite_fail(s, "removing messages from the index");
	}
	return 0;
}

/* Run statements on the whole index; the error says what was being done. */
static int exec_index(store_t *s, const char *sql, const char *what)
{
	char *msg = NULL;
	if (sqlite3_exec(store_sqlite_db(s), sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	char err[400];
	snprintf(err, sizeof err, "%s: %s", what, msg ? msg : sqlite3_errmsg(store_sqlite_db(s)));
	store_sqlite_seterr(s, err);
	sqlite3_free(msg);
	return -1;
}

/* New keys in a new text table, then the postings rebuilt from it. */
int search_sqlite_rekey(store_t *s)
{
	if (search_sqlite_flush(s) < 0)
		return -1;
	return exec_index(s,
		"DROP TABLE search;"
		"ALTER TABLE search_text RENAME TO search_rekey;"
		"DROP INDEX search_text_key;"
		SEARCH_TEXT_TABLE
		"INSERT INTO search_text(id, key, body, meta) " SEARCH_SLOTTED(
		"SELECT m.id AS id, slacklog_search_key(m.day, m.ts) AS k, m.ts AS ts, o.body AS body, o.meta AS meta "
		"FROM search_rekey o JOIN messages m ON m.id = o.id") ";"
		"DROP TABLE search_rekey;"
		SEARCH_FTS_TABLE, "re-keying the search index");
}

int store_search_clear(store_t *s)
{
	search_sqlite_discard(s);
	return exec_index(s, "INSERT INTO search(search) VALUES ('delete-all'); DELETE FROM search_text",
			  "emptying the search index");
}

/* Each commit leaves FTS5 a segment, and automerge keeps up to 7 per
 * level: after an import of a million messages, 15 segments, and every
 * query term walks and seeks in each of them (phrases of common words 2-4x
 * slower than in one). 'optimize' rewrites the index as one segment: 4 s
 * of CPU per million messages. A handle that wrote a quarter of the index,
 * and at least SEARCH_OPTIMIZE_MIN entries, pays it when it closes: a big
 * import, not a day's messages added to a large archive, nor a small
 * archive, whose few segments cost little. */
enum { SEARCH_OPTIMIZE_MIN = 250000 };

int store_search_optimize(store_t *s)
{
	if (search_sqlite_flush(s) < 0)
		return -1;
	return exec_index(s, "INSERT INTO search(search) VALUES ('optimize')", "merging the search index");
}

void search_sqlite_closing(store_t *s)
{
	struct search_queue *sq = *store_sqlite_searchq(s);
	if (!sq || sq->written < SEARCH_OPTIMIZE_MIN || search_sqlite_flush(s) < 0)
		return;
	sqlite3 *db = store_sqlite_db(s);
	sqlite3_stmt *q;
	int64_t rows = -1;
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM search_text", -1, &q, NULL) == SQLITE_OK) {
		if (sqlite3_step(q) == SQLITE_ROW)
			rows = sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
	}
	if (rows >= 0 && sq->written * 4 >= rows)
		store_search_optimize(s);
}

/* ---- registration ------------------------------------------------------ */

/* slacklog_search_key(day, ts): the first rowid of a message's second. */
static void sql_key(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const unsigned char *day = sqlite3_value_text(argv[0]), *ts = sqlite3_value_text(argv[1]);
	if (day && ts)
		sqlite3_result_int64(ctx, search_key((const char *)day, (const char *)ts) & ~(int64_t)(SEARCH_SLOTS - 1));
	else
		sqlite3_result_null(ctx);
}

/* slacklog_search_meta(channel_id, user_id, thread, link, file, reaction) */
static void sql_meta(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const unsigned char *ch = sqlite3_value_text(argv[0]), *user = sqlite3_value_text(argv[1]);
	meta_in m = {.channel_id = ch ? (const char *)ch : "", .user_id = (const char *)user,
		     .thread = sqlite3_value_int(argv[2]), .link = sqlite3_value_int(argv[3]),
		     .file = sqlite3_value_int(argv[4]), .reaction = sqlite3_value_int(argv[5])};
	buf_t b = BUF_INIT;
	meta_write(&b, &m);
	sqlite3_result_text(ctx, buf_str(&b), (int)b.len, SQLITE_TRANSIENT);
	buf_free(&b);
}

static fts5_api *fts5_api_of(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &q, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_pointer(q, 1, &api, "fts5_api_ptr", NULL);
	sqlite3_step(q);
	sqlite3_finalize(q);
	return api;
}

int search_sqlite_init(sqlite3 *db)
{
	fts5_api *api = fts5_api_of(db);
	if (!api || api->iVersion < 2)
		return SQLITE_ERROR;
	int rc = search_token_register(api);
	if (rc == SQLITE_OK)
		rc = search_rank_register(api);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function(db, "slacklog_search_key", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
					     sql_key, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function(db, "slacklog_search_meta", 6, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
					     sql_meta, NULL, NULL);
	return rc;
}

/* ---- texts to render again ----------------------------------------------
 *
 * The store cannot render, and some plain texts it is handed, or has
 * indexed, are wrong: one naming a person opted out or erased (rendered by
 * an importer that knows their name), one naming a person since renamed.
 * Those messages leave the index and wait in the handle's list, which the
 * caller empties with store_search_stale and indexes again, rendered with
 * the names the store gives now. A rollback forgets the list along with
 * the writes that made it; a message never indexed again stays among
 * store_search_missing's. */

void search_sqlite_stale(store_t *s, const char *channel_id, const char *ts)
{
	struct search_queue *sq = queue(s);
	buf_put(&sq->stale, channel_id, strlen(channel_id) + 1);
	buf_put(&sq->stale, ts, strlen(ts) + 1);
	sq->nstale++;
}

int store_search_stale(store_t *s, arena_t *a, size_t max, st_message **out, size_t *n)
{
	struct search_queue *sq = *store_sqlite_searchq(s);
	*out = NULL;
	*n = 0;
	if (!sq || !sq->nstale)
		return 0;
	st_message *v = arena_zalloc(a, (max ? max : 1) * sizeof *v);
	while (sq->nstale && *n < max) {
		const char *ch = sq->stale.p + sq->stale_at, *ts = ch + strlen(ch) + 1;
		sqlite3_stmt *q = xstmt(s, X_STALE);
		if (!q)
			return -1;
		bind_str(q, 1, ch);
		bind_str(q, 2, ts);
		int rc = sqlite3_step(q);
		if (rc == SQLITE_ROW)
			read_to_index(a, q, &v[(*n)++]);
		sqlite3_reset(q);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return store_sqlite_fail(s, "reading a message to index again");
		sq->stale_at = (size_t)(ts + strlen(ts) + 1 - sq->stale.p);
		if (!--sq->nstale) {
			buf_reset(&sq->stale);
			sq->stale_at = 0;
		}
	}
	*out = v;
	return moderation_sqlite_scrub(s, a, v, *n);
}

/* An FTS5 string: the text in double quotes, inner ones doubled. */
static void fts_string(buf_t *b, const char *t)
{
	buf_putc(b, '"');
	for (; *t; t++) {
		if (*t == '"')
			buf_putc(b, '"');
		buf_putc(b, *t);
	}
	buf_putc(b, '"');
}

/* A person's name changed from old (NULL: not known before): the indexed
 * messages that name them, found by the old name or the ID (the label of
 * a mention of someone unknown) among the indexed texts, and kept only
 * when their JSON holds the ID, leave the index to be rendered again. A
 * queued text is checked by its bytes (the JSON is not at hand): a false
 * hit costs a render. */
/* Queued texts (not in FTS5 yet) naming the person: out of the queue,
 * into the list. Not flushed to be searched: a flush in the middle of a
 * transaction makes a segment of its own. */
static int renamed_queued(store_t *s, const char *user_id, const char *old)
{
	struct search_queue *sq = *store_sqlite_searchq(s);
	for (size_t i = 0; sq && i < sq->n; i++) {
		struct qent *e = &sq->v[i];
		const char *t = e->body;
		if (!e->id || (!memmem(t, e->len, user_id, strlen(user_id)) &&
			       !(old && *old && memmem(t, e->len, old, strlen(old)))))
			continue;
		sqlite3_stmt *q;
		if (sqlite3_prepare_v2(store_sqlite_db(s), "SELECT channel_id, ts FROM messages WHERE id = ?1", -1, &q,
				       NULL) != SQLITE_OK)
			return store_sqlite_fail(s, "finding the mentions of a renamed person");
		sqlite3_bind_int64(q, 1, e->id);
		if (sqlite3_step(q) == SQLITE_ROW) {
			search_sqlite_stale(s, (const char *)sqlite3_column_text(q, 0),
					    (const char *)sqlite3_column_text(q, 1));
			e->id = 0;
		}
		sqlite3_finalize(q);
	}
	return 0;
}

int search_sqlite_renamed(store_t *s, const char *user_id, const char *old)
{
	if (renamed_queued(s, user_id, old) < 0)
		return -1;
	buf_t match = BUF_INIT;
	buf_puts(&match, "{body} : (");
	fts_string(&match, user_id);
	if (old && *old && strcmp(old, user_id) != 0) {
		buf_puts(&match, " OR ");
		fts_string(&match, old);
	}
	buf_putc(&match, ')');
	sqlite3_stmt *q;
	int rc = sqlite3_prepare_v2(store_sqlite_db(s),
				    "SELECT m.id, m.channel_id, m.ts FROM search JOIN search_text t ON t.key = search.rowid "
				    "JOIN messages m ON m.id = t.id WHERE search MATCH ?1 AND instr(m.raw, ?2) > 0",
				    -1, &q, NULL);
	if (rc != SQLITE_OK) {
		buf_free(&match);
		return store_sqlite_fail(s, "finding the mentions of a renamed person");
	}
	sqlite3_bind_text(q, 1, buf_str(&match), (int)match.len, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, user_id, -1, SQLITE_STATIC);
	buf_t found = BUF_INIT;
	size_t n = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(q, 0);
		buf_put(&found, &id, sizeof id);
		for (int c = 1; c <= 2; c++)
			buf_put(&found, sqlite3_column_text(q, c), (size_t)sqlite3_column_bytes(q, c) + 1);
		n++;
	}
	sqlite3_finalize(q);
	buf_free(&match);
	rc = rc == SQLITE_DONE ? 0 : store_sqlite_fail(s, "finding the mentions of a renamed person");
	const char *p = found.p;
	for (size_t i = 0; i < n && rc == 0; i++) {
		int64_t id;
		memcpy(&id, p, sizeof id);
		const char *ch = p + sizeof id, *ts = ch + strlen(ch) + 1;
		rc = drop(s, id);
		if (rc == 0)
			search_sqlite_stale(s, ch, ts);
		p = ts + strlen(ts) + 1;
	}
	buf_free(&found);
	return rc;
}
