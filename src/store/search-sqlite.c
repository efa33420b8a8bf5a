/* search-sqlite.c: the full-text index of the SQLite store (see store.h).
 *
 * One FTS5 table, `search(body)`, whose rowid is messages.id and whose
 * text is the message's plain text as the renderer writes it. It is a
 * regular FTS5 table (it keeps its own copy of the text): snippets need the
 * text, the messages table holds only mrkdwn and JSON, and this SQLite
 * (3.40) cannot delete from a contentless table without the old text. The
 * copy is most of the index's size (measurements in docs/ARCHITECTURE.md).
 * store_upsert_message and store_delete_message keep the index in step:
 * a replaced or deleted message loses its entry at once, so the index
 * never finds text the archive no longer shows.
 *
 * Texts wait in a per-handle queue until the transaction commits, and go
 * in as single-row INSERTs. SQLite (3.40) calls a virtual table's
 * xSavepoint around every write statement that may change several rows
 * (the store's UPDATEs, upserts, anything with a trigger) once the table
 * is part of the transaction, and FTS5 flushes its pending terms to a new
 * segment on each: indexing among the other writes made one segment per
 * message and cost 4x the CPU in merges. Deferred, a batch of 2000
 * messages becomes one segment. Reads (store_search) flush first, so a
 * transaction sees its own writes.
 *
 * Queries arrive parsed (st_search): FTS5 expressions made of quoted
 * strings and filters that become bound parameters. The SQL is assembled
 * from fixed fragments only. Every query joins channels and keeps only
 * published ones, whatever the handle's flags: private channels and DMs
 * are never returned. They are not even indexed: only messages a public
 * page shows go in (a channel that stops being public leaves the index),
 * so the total of a query of words alone is counted in the index without
 * a join per hit. */
#include "store/sqlite-int.h"
#include "lib/buf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { X_MSGID, X_UNPUBLISHED, X_INSERT, X_DELETE, X_MISSING, X_PENDING, X_COUNT };

static const char *const xsql[X_COUNT] = {
	/* Single-row statements only: SQLite 3.40 opens a savepoint around a
	 * statement that may write several rows (INSERT ... SELECT, OR
	 * REPLACE), and FTS5 flushes its pending terms at every savepoint: one
	 * tiny segment per message and merges without end (4x the CPU). */
	/* only messages a public page shows are indexed */
	[X_MSGID] = "SELECT m.id, m.hidden OR coalesce(c.published, 0) = 0 FROM messages m "
		    "LEFT JOIN channels c ON c.id = m.channel_id WHERE m.channel_id = ?1 AND m.ts = ?2",
	[X_UNPUBLISHED] = "DELETE FROM search WHERE rowid IN (SELECT id FROM messages WHERE channel_id = ?1)",
	[X_INSERT] = "INSERT INTO search(rowid, body) VALUES (?1, ?2)",
	[X_DELETE] = "DELETE FROM search WHERE rowid = ?1",
	[X_MISSING] = "SELECT count(*) FROM messages m WHERE hidden = 0 "
		      "AND channel_id IN (SELECT id FROM channels WHERE published = 1) "
		      "AND NOT EXISTS (SELECT 1 FROM search WHERE rowid = m.id)",
	[X_PENDING] = "SELECT id, channel_id, ts, day, thread_ts, user_id, raw FROM messages m "
		      "WHERE id > ?1 AND hidden = 0 AND channel_id IN (SELECT id FROM channels WHERE published = 1) "
		      "AND NOT EXISTS (SELECT 1 FROM search WHERE rowid = m.id) "
		      "ORDER BY id LIMIT ?2",
};

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

/* Control characters become spaces: the snippet marks are \x02 and \x03. */
static void clean_text(buf_t *b, const char *text, size_t len)
{
	buf_grow(b, len + 1);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		buf_putc(b, (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f ? ' ' : (char)c);
	}
}

/* The queue of texts to index at commit: entries point into one buffer. */
struct search_queue {
	struct qent {
		int64_t id;              /* 0: dropped before the commit */
		size_t off, len;
	} *v;
	size_t n, cap;
	buf_t text;
};

/* messages.id of a message (0 when not stored); *hidden when it is not
 * to be indexed: a join or leave, or in a channel that is not published. */
static int64_t message_id(store_t *s, const char *channel_id, const char *ts, bool *hidden)
{
	sqlite3_stmt *q = store_sqlite_stmt(s, X_MSGID, xsql[X_MSGID]);
	if (!q)
		return -1;
	bind_str(q, 1, channel_id);
	bind_str(q, 2, ts);
	int64_t id = 0;
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		id = sqlite3_column_int64(q, 0);
		*hidden = sqlite3_column_int(q, 1);
	}
	sqlite3_reset(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlite_fail(s, "looking up a message to index");
	return id;
}

static int by_id(store_t *s, int which, int64_t id, const char *text, size_t len, const char *what)
{
	sqlite3_stmt *q = store_sqlite_stmt(s, which, xsql[which]);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	if (text)
		sqlite3_bind_text(q, 2, text, (int)len, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : store_sqlite_fail(s, what);
}

int search_sqlite_flush(store_t *s)
{
	struct search_queue *sq = *store_sqlite_searchq(s);
	if (!sq)
		return 0;
	int rc = 0;
	for (size_t i = 0; i < sq->n && rc == 0; i++)
		if (sq->v[i].id)
			rc = by_id(s, X_INSERT, sq->v[i].id, sq->text.p + sq->v[i].off, sq->v[i].len, "indexing a message");
	sq->n = 0;
	buf_reset(&sq->text);
	return rc;
}

void search_sqlite_discard(store_t *s)
{
	struct search_queue **sq = store_sqlite_searchq(s);
	if (!*sq)
		return;
	free((*sq)->v);
	buf_free(&(*sq)->text);
	free(*sq);
	*sq = NULL;
}

static void enqueue(store_t *s, int64_t id, const char *text, size_t len)
{
	struct search_queue **sqp = store_sqlite_searchq(s);
	if (!*sqp)
		*sqp = xcalloc(1, sizeof **sqp);
	struct search_queue *sq = *sqp;
	if (sq->n == sq->cap)
		sq->v = xrealloc(sq->v, (sq->cap = sq->cap ? sq->cap * 2 : 256) * sizeof *sq->v);
	size_t off = sq->text.len;
	clean_text(&sq->text, text ? text : "", text ? len : 0);
	sq->v[sq->n++] = (struct qent){id, off, sq->text.len - off};
}

/* Remove a message's entry: from the queue and from the index. */
static int drop(store_t *s, int64_t id)
{
	struct search_queue *sq = *store_sqlite_searchq(s);
	for (size_t i = 0; sq && i < sq->n; i++)
		if (sq->v[i].id == id)
			sq->v[i].id = 0;
	return by_id(s, X_DELETE, id, NULL, 0, "removing a message from the index");
}

/* Index now, or at commit inside a transaction. */
static int add(store_t *s, int64_t id, const char *text, size_t len)
{
	enqueue(s, id, text, len);
	return store_sqlite_in_tx(s) ? 0 : search_sqlite_flush(s);
}

int search_sqlite_upserted(store_t *s, const st_message *m, int result)
{
	if (result != ST_INSERTED && result != ST_UPDATED)
		return 0;
	if (result == ST_INSERTED && !m->plain)
		return 0;
	bool hidden = false;
	int64_t id = message_id(s, m->channel_id, m->ts, &hidden);
	if (id <= 0)
		return (int)id;
	if (result == ST_UPDATED && drop(s, id) < 0)
		return -1;
	return m->plain && !hidden ? add(s, id, m->plain, m->plainlen) : 0;
}

int search_sqlite_inserted(store_t *s, int64_t id, const st_message *m, bool hidden)
{
	return m->plain && !hidden ? add(s, id, m->plain, m->plainlen) : 0;
}

int store_search_index(store_t *s, const char *channel_id, const char *ts, const char *text, size_t len)
{
	bool hidden = false;
	int64_t id = message_id(s, channel_id, ts, &hidden);
	if (id <= 0 || hidden)
		return id < 0 ? -1 : 0;
	if (drop(s, id) < 0)
		return -1;
	return add(s, id, text, len);
}

int store_search_unindex(store_t *s, const char *channel_id, const char *ts)
{
	bool hidden = false;
	int64_t id = message_id(s, channel_id, ts, &hidden);
	return id <= 0 ? (int)id : drop(s, id);
}

int64_t store_search_missing(store_t *s)
{
	if (search_sqlite_flush(s) < 0)
		return -1;
	sqlite3_stmt *q = store_sqlite_stmt(s, X_MISSING, xsql[X_MISSING]);
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

int store_search_pending(store_t *s, arena_t *a, int64_t *cursor, size_t max, st_message **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (search_sqlite_flush(s) < 0)
		return -1;
	sqlite3_stmt *q = store_sqlite_stmt(s, X_PENDING, xsql[X_PENDING]);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, *cursor);
	sqlite3_bind_int64(q, 2, (sqlite3_int64)max);
	st_message *v = arena_zalloc(a, (max ? max : 1) * sizeof *v);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW && *n < max) {
		st_message *m = &v[(*n)++];
		*cursor = sqlite3_column_int64(q, 0);
		m->channel_id = col(a, q, 1);
		m->ts = col(a, q, 2);
		m->day = col(a, q, 3);
		m->thread_ts = col(a, q, 4);
		m->user_id = col(a, q, 5);
		m->raw = col(a, q, 6);
		m->rawlen = m->raw ? (size_t)sqlite3_column_bytes(q, 6) : 0;
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_sqlite_fail(s, "listing messages to index");
	*out = v;
	return 0;
}

int search_sqlite_unpublished(store_t *s, const char *channel_id)
{
	if (search_sqlite_flush(s) < 0)
		return -1;
	sqlite3_stmt *q = store_sqlite_stmt(s, X_UNPUBLISHED, xsql[X_UNPUBLISHED]);
	if (!q)
		return -1;
	bind_str(q, 1, channel_id);
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : store_sqlite_fail(s, "removing a channel from the index");
}

int store_search_clear(store_t *s)
{
	search_sqlite_discard(s);
	char *msg = NULL;
	if (sqlite3_exec(store_sqlite_db(s), "DELETE FROM search", NULL, NULL, &msg) != SQLITE_OK) {
		store_sqlite_seterr(s, msg ? msg : "cannot empty the search index");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* ---- queries ---------------------------------------------------------- */

/* Parameters in the order their "?" appear in the SQL. */
typedef struct binds {
	const char *v[80];
	int n;
} binds;

static void param(buf_t *sql, binds *b, const char *v)
{
	b->v[b->n++] = v;
	buf_puts(sql, "?");
}

/* " AND col IN (?, ?, ...)" */
static void any_of(buf_t *sql, binds *b, const char *colname, const char **vals, size_t n)
{
	if (!n)
		return;
	buf_printf(sql, " AND %s IN (", colname);
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_puts(sql, ", ");
		param(sql, b, vals[i]);
	}
	buf_puts(sql, ")");
}

static void from_where(buf_t *sql, binds *b, const st_search *q, bool with_users)
{
	if (q->match)
		buf_puts(sql, " FROM search JOIN messages m ON m.id = search.rowid");
	else
		buf_puts(sql, " FROM messages m");
	buf_puts(sql, " JOIN channels c ON c.id = m.channel_id");
	if (with_users)
		buf_puts(sql, " LEFT JOIN users u ON u.id = m.user_id");
	buf_puts(sql, " WHERE c.published = 1 AND m.hidden = 0");
	if (q->match) {
		buf_puts(sql, " AND search MATCH ");
		param(sql, b, q->match);
	}
	if (q->exclude) {
		buf_puts(sql, " AND m.id NOT IN (SELECT rowid FROM search WHERE search MATCH ");
		param(sql, b, q->exclude);
		buf_puts(sql, ")");
	}
	any_of(sql, b, "m.channel_id", q->channel_ids, q->nchannels);
	any_of(sql, b, "m.user_id", q->user_ids, q->nusers);
	if (q->day_from) {
		buf_puts(sql, " AND m.day >= ");
		param(sql, b, q->day_from);
	}
	if (q->day_to) {
		buf_puts(sql, " AND m.day < ");
		param(sql, b, q->day_to);
	}
	if (q->has_link)
		buf_puts(sql, " AND m.has_links");
	if (q->has_file)
		buf_puts(sql, " AND m.has_files");
	if (q->has_reaction)
		buf_puts(sql, " AND EXISTS (SELECT 1 FROM reactions r WHERE r.channel_id = m.channel_id AND r.ts = m.ts)");
	if (q->is_thread)
		buf_puts(sql, " AND m.thread_ts IS NOT NULL");
}

static sqlite3_stmt *prepare(store_t *s, buf_t *sql, binds *b)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(store_sqlite_db(s), buf_str(sql), (int)sql->len, &st, NULL) != SQLITE_OK) {
		store_sqlite_fail(s, "preparing a search");
		return NULL;
	}
	for (int i = 0; i < b->n; i++)
		bind_str(st, i + 1, b->v[i]);
	return st;
}

/* FTS5 reports a malformed MATCH as an SQL error whose text starts with
 * "fts5:"; say it in the user's terms. */
static int search_fail(store_t *s, const char *what)
{
	const char *m = sqlite3_errmsg(store_sqlite_db(s));
	if (strncmp(m, "fts5:", 5) == 0) {
		char msg[300];
		snprintf(msg, sizeof msg, "the search expression is not valid (%s)", m);
		store_sqlite_seterr(s, msg);
		return -1;
	}
	return store_sqlite_fail(s, what);
}

static bool words_only(const st_search *q)
{
	return q->match && !q->exclude && !q->nchannels && !q->nusers && !q->day_from && !q->day_to &&
	       !q->has_link && !q->has_file && !q->has_reaction && !q->is_thread;
}

static int64_t count_hits(store_t *s, const st_search *q)
{
	buf_t sql = BUF_INIT;
	binds b = {.n = 0};
	if (words_only(q)) {
		/* the index holds only published, shown messages: count it alone,
		 * without a join per hit */
		buf_puts(&sql, "SELECT count(*) FROM search WHERE search MATCH ?");
		b.v[b.n++] = q->match;
	} else {
		buf_puts(&sql, "SELECT count(*)");
		from_where(&sql, &b, q, false);
	}
	sqlite3_stmt *st = prepare(s, &sql, &b);
	buf_free(&sql);
	if (!st)
		return -1;
	int64_t n = -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	else
		search_fail(s, "counting search results");
	sqlite3_finalize(st);
	return n;
}

/* A filters-only hit has no match to show: the start of its text. */
static const char *lead(arena_t *a, const char *body)
{
	enum { MAX = 200 };
	if (!body)
		return "";
	size_t n = strlen(body);
	if (n <= MAX)
		return body;
	size_t cut = MAX;
	while (cut > 0 && ((unsigned char)body[cut] & 0xC0) == 0x80)
		cut--;
	char *s = arena_alloc(a, cut + 4);
	memcpy(s, body, cut);
	memcpy(s + cut, "\xE2\x80\xA6", 4);
	return s;
}

static void read_hit(arena_t *a, sqlite3_stmt *st, st_hit *h, bool match)
{
	h->channel_id = col(a, st, 0);
	h->channel = col(a, st, 1);
	h->ts = col(a, st, 2);
	h->day = col(a, st, 3);
	h->page_day = col(a, st, 4);
	h->thread_ts = col(a, st, 5);
	h->user_id = col(a, st, 6);
	h->user = col(a, st, 7);
	const char *snip = col(a, st, 8);
	h->snippet = match ? (snip ? snip : "") : lead(a, snip);
}

int store_search(store_t *s, arena_t *a, const st_search *q, st_hit **out, size_t *n, int64_t *total)
{
	*out = NULL;
	*n = 0;
	*total = 0;
	if (search_sqlite_flush(s) < 0)
		return -1;
	buf_t sql = BUF_INIT;
	binds b = {.n = 0};
	buf_puts(&sql, "SELECT m.channel_id, c.name, m.ts, m.day, m.page_day, m.thread_ts, m.user_id, "
		       "coalesce(nullif(u.display_name, ''), nullif(u.real_name, ''), nullif(u.name, ''), "
		       "nullif(m.username, ''), m.user_id, m.bot_id, ''), ");
	int limit = q->limit > 0 ? q->limit : 20, offset = q->offset > 0 ? q->offset : 0;
	bool ranked = words_only(q) && q->sort == ST_SORT_RELEVANCE;
	if (ranked) {
		/* FTS5 ranks and cuts the page itself; only the page is joined */
		buf_puts(&sql, "h.snip FROM (SELECT rowid AS id, rank, snippet(search, 0, char(2), char(3), "
			       "'\xE2\x80\xA6', 24) AS snip FROM search WHERE search MATCH ?");
		b.v[b.n++] = q->match;
		buf_printf(&sql, " ORDER BY rank LIMIT %d OFFSET %d) h JOIN messages m ON m.id = h.id "
				 "JOIN channels c ON c.id = m.channel_id LEFT JOIN users u ON u.id = m.user_id "
				 "WHERE c.published = 1 AND m.hidden = 0 ORDER BY h.rank, m.ts DESC", limit, offset);
	} else if (q->match) {
		buf_puts(&sql, "snippet(search, 0, char(2), char(3), '\xE2\x80\xA6', 24)");
	} else {
		buf_puts(&sql, "(SELECT body FROM search WHERE rowid = m.id)");
	}
	if (!ranked) {
		from_where(&sql, &b, q, true);
		if (q->sort == ST_SORT_OLD)
			buf_puts(&sql, " ORDER BY m.ts ASC, m.channel_id");
		else if (q->sort == ST_SORT_NEW || !q->match)
			buf_puts(&sql, " ORDER BY m.ts DESC, m.channel_id");
		else
			buf_puts(&sql, " ORDER BY search.rank, m.ts DESC");
		buf_printf(&sql, " LIMIT %d OFFSET %d", limit, offset);
	}
	sqlite3_stmt *st = prepare(s, &sql, &b);
	buf_free(&sql);
	if (!st)
		return -1;
	size_t cap = (size_t)limit;
	st_hit *v = arena_zalloc(a, cap * sizeof *v);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < cap)
		read_hit(a, st, &v[(*n)++], q->match != NULL);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		search_fail(s, "searching");
		sqlite3_finalize(st);
		*n = 0;
		return -1;
	}
	sqlite3_finalize(st);
	*out = v;
	*total = count_hits(s, q);
	return *total < 0 ? -1 : 0;
}
