/* search-query.c: store_search, a query against the full-text index
 * (layout in search-sqlite.c).
 *
 * A query arrives parsed (st_search) and becomes one FTS5 expression
 * plus a rowid range, so that FTS5 alone finds, orders and counts the
 * hits, and only the page of results is joined to the messages:
 *
 *   words           body : (<the query's expression>)
 *   in: / from:     meta : ("cc024be91l" OR ...)     any of the channels
 *   has: / is:      meta : "l"                       one token each
 *   nothing else    meta : "a"                       every message
 *   -words alone    (...) NOT body : (<exclusions>)
 *   dates           rowid >= key(day_from) AND rowid < key(day_to)
 *
 * The rowid is the message's day, then its time, so walking it down is
 * walking hits newest first, and a range of days is a range of rowids.
 * sort:new and sort:old stop when the page is full; the default,
 * relevance, ranks the newest SEARCH_RANK_WINDOW hits with slacklog_rank()
 * (search-rank.c) and lists the older ones after them, newest first:
 * ranking every hit of a common word costs a second on a million
 * messages, and the newest are what an archive's readers want first. The
 * same walk counts the hits, up to count_max: past it the total is "more
 * than". Every cost is bounded by the window, the bound and the page, not
 * by how many messages match.
 *
 * Every string is a bound parameter; the SQL is assembled from fixed
 * fragments only. Each page row is joined to its message and channel and
 * kept only if the channel is published and the message shown, whatever
 * the handle's flags; the index holds nothing else anyway. */
#include "store/sqlite-int.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* statement slots (search-sqlite.c has those below SEARCH_QUERY_SLOTS) */
enum { Y_HIT = SEARCH_QUERY_SLOTS, Y_SNIPPET, Y_LEAD, Y_CHANNEL, Y_END };
_Static_assert((int)Y_END <= (int)LIVE_SLOTS, "statement slots");
_Static_assert((int)Y_END <= (int)STORE_XSTMT, "statement slots");

static const char *const ysql[Y_END - Y_HIT] = {
	[Y_HIT - Y_HIT] = "SELECT m.channel_id, c.name, m.ts, m.day, m.page_day, m.thread_ts, m.user_id, "
			  "coalesce(nullif(u.display_name, ''), nullif(u.real_name, ''), nullif(u.name, ''), "
			  "nullif(m.username, ''), m.user_id, m.bot_id, ''), " CHANNEL_PATH_OF("c") " "
			  "FROM messages m JOIN channels c ON c.id = m.channel_id LEFT JOIN users u ON u.id = m.user_id "
			  "WHERE m.id = ?1 AND c.published = 1 AND m.hidden = 0",
	[Y_SNIPPET - Y_HIT] = "SELECT t.id, snippet(search, 0, char(2), char(3), '\xE2\x80\xA6', 24) "
			      "FROM search JOIN search_text t ON t.key = search.rowid "
			      "WHERE search MATCH ?1 AND search.rowid = ?2",
	[Y_LEAD - Y_HIT] = "SELECT id, body FROM search_text WHERE key = ?1",
	/* published only: by name (as store_channel_by_name orders), else by ID */
	[Y_CHANNEL - Y_HIT] = "SELECT id FROM (SELECT id, 0 AS o, kind FROM channels WHERE name = ?1 AND published = 1 "
			      "UNION ALL SELECT id, 1, kind FROM channels WHERE id = ?1 AND published = 1) "
			      "ORDER BY o, kind, id LIMIT 1",
};

static sqlite3_stmt *ystmt(store_t *s, int which)
{
	return store_sqlite_stmt(s, which, ysql[which - Y_HIT]);
}

typedef struct plan {
	buf_t match;                     /* the FTS5 expression */
	buf_t words_only;                /* its words alone: the snippets' (fewer doclists to seek) */
	bool words;                      /* it has words: rank them, mark them */
	int64_t lo, hi;                  /* lo <= rowid < hi: the days */
} plan;

/* ---- the expression ------------------------------------------------------ */

static void meta_any(buf_t *b, const char **ids, size_t n, void (*token)(buf_t *, const char *))
{
	if (!n)
		return;
	buf_puts(b, b->len ? " AND meta : (" : "meta : (");
	for (size_t i = 0; i < n; i++) {
		buf_puts(b, i ? " OR \"" : "\"");
		token(b, ids[i]);
		buf_putc(b, '"');
	}
	buf_putc(b, ')');
}

static void meta_flag(buf_t *b, bool on, char token)
{
	if (on)
		buf_printf(b, "%smeta : \"%c\"", b->len ? " AND " : "", token);
}

static void expression(const st_search *q, plan *p)
{
	buf_t pos = BUF_INIT;
	if (q->match) {
		buf_printf(&pos, "body : (%s)", q->match);
		buf_put(&p->words_only, pos.p, pos.len);
	}
	meta_any(&pos, q->channel_ids, q->nchannels, search_meta_channel);
	meta_any(&pos, q->user_ids, q->nusers, search_meta_user);
	meta_flag(&pos, q->has_link, SEARCH_META_LINK);
	meta_flag(&pos, q->has_file, SEARCH_META_FILE);
	meta_flag(&pos, q->has_reaction, SEARCH_META_REACTION);
	meta_flag(&pos, q->is_thread, SEARCH_META_THREAD);
	if (!pos.len)
		buf_printf(&pos, "meta : \"%c\"", SEARCH_META_ALL);
	if (q->exclude)
		buf_printf(&p->match, "(%s) NOT body : (%s)", buf_str(&pos), q->exclude);
	else
		buf_put(&p->match, pos.p, pos.len);
	buf_free(&pos);
	p->words = q->match != NULL;
}

/* ---- dates --------------------------------------------------------------- */

/* The rowid is the day first, so a range of days is a range of rowids. */
static void dates(const st_search *q, plan *p)
{
	p->lo = q->day_from ? search_day_key(q->day_from) : 0;
	p->hi = q->day_to ? search_day_key(q->day_to) : INT64_MAX;
}

/* ---- the walk ------------------------------------------------------------ */

typedef struct cand {
	int64_t key;
	double score;
} cand;

static int by_score(const void *x, const void *y)
{
	const cand *a = x, *b = y;
	if (a->score != b->score)
		return a->score < b->score ? -1 : 1;
	return a->key < b->key ? 1 : a->key > b->key ? -1 : 0;
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

/* How many phrases (quoted strings) an FTS5 expression has. */
static int phrases(const char *expr)
{
	int n = 0;
	for (const char *p = expr; p && *p; p++) {
		if (*p != '"')
			continue;
		n++;
		for (p++; *p && !(*p == '"' && p[1] != '"'); p++)
			if (*p == '"')
				p++;
		if (!*p)
			break;
	}
	return n;
}

static sqlite3_stmt *walk_stmt(store_t *s, const st_search *q, const plan *p, bool ranked)
{
	buf_t sql = BUF_INIT;
	buf_puts(&sql, "SELECT rowid");
	if (ranked)
		buf_printf(&sql, ", slacklog_rank(search, %d, %d)", SEARCH_RANK_WINDOW, phrases(q->match));
	buf_puts(&sql, " FROM search WHERE search MATCH ?1 AND rowid >= ?2 AND rowid < ?3");
	buf_puts(&sql, q->sort == ST_SORT_OLD ? " ORDER BY rowid ASC" : " ORDER BY rowid DESC");
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(store_sqlite_db(s), buf_str(&sql), (int)sql.len, &st, NULL) != SQLITE_OK) {
		store_sqlite_fail(s, "preparing a search");
		st = NULL;
	}
	buf_free(&sql);
	if (!st)
		return NULL;
	sqlite3_bind_text(st, 1, buf_str(&p->match), (int)p->match.len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, p->lo);
	sqlite3_bind_int64(st, 3, p->hi);
	return st;
}

/* The page's rowids in order (page[0..*n)), and the total: walk the hits
 * in rowid order, rank the first window of them when ranked, collect the
 * page, count on to count_max. *run: the page is a run of the walk (not
 * picked out of the window by rank). Returns 1 when hits were left
 * unwalked. */
static int walk(store_t *s, const st_search *q, const plan *p, bool ranked, int limit, int offset,
		int64_t *page, size_t *n, bool *run, int64_t *total)
{
	sqlite3_stmt *st = walk_stmt(s, q, p, ranked);
	if (!st)
		return -1;
	int64_t want = (int64_t)offset + limit, window = ranked ? SEARCH_RANK_WINDOW : 0;
	int64_t need = q->count_max > 0 ? q->count_max : INT64_MAX - 1;
	if (need < want)
		need = want;
	if (need < window)
		need = window;
	cand *win = ranked ? xcalloc((size_t)window, sizeof *win) : NULL;
	int64_t i = 0, nwin = 0;
	int rc;
	*n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (i == need)
			break;
		int64_t key = sqlite3_column_int64(st, 0);
		if (i < window)
			win[nwin++] = (cand){key, sqlite3_column_double(st, 1)};
		else if (i >= offset && i < want)
			page[i - offset] = key;
		i++;
	}
	bool more = rc == SQLITE_ROW;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		search_fail(s, "searching");
		sqlite3_finalize(st);
		free(win);
		return -1;
	}
	sqlite3_finalize(st);
	if (nwin)
		qsort(win, (size_t)nwin, sizeof *win, by_score);
	*run = !ranked || offset >= nwin;
	for (int64_t pos = offset; pos < want && pos < i; pos++)
		if (pos < nwin)
			page[pos - offset] = win[pos].key;
	*n = (size_t)(i > want ? want - offset : i > offset ? i - offset : 0);
	free(win);
	*total = i;
	return more ? 1 : 0;
}

/* ---- the page ------------------------------------------------------------ */

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

static const char *col(arena_t *a, sqlite3_stmt *q, int i)
{
	const unsigned char *t = sqlite3_column_text(q, i);
	return t ? arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(q, i)) : NULL;
}

/* The page's texts: snippets of a query with words, else the start of
 * each text; text[i] and id[i] (messages.id, 0 when the entry is gone) of
 * page[i]. A page that is a run of the walk gets its snippets from one
 * walk of the rowids between its first and last ("+rowid" keeps the IN
 * list from becoming one FTS5 query per row): FTS5 answers MATCH with
 * rowid = ? by seeking every segment of every phrase, 0.02 ms a row in one
 * segment but 0.7 ms in fifteen. A page picked by rank from the window
 * takes that cost row by row: its rowids may span the whole walk, and
 * walking a phrase of common words twice costs more. */
static int page_texts(store_t *s, arena_t *a, const plan *p, const int64_t *page, size_t n, bool run,
		      const char **text, int64_t *id)
{
	memset(id, 0, n * sizeof *id);
	if (!p->words || !run) {
		for (size_t i = 0; i < n; i++) {
			sqlite3_stmt *q = ystmt(s, p->words ? Y_SNIPPET : Y_LEAD);
			if (!q)
				return -1;
			int k = 1;
			if (p->words)
				sqlite3_bind_text(q, k++, buf_str(&p->words_only), (int)p->words_only.len, SQLITE_STATIC);
			sqlite3_bind_int64(q, k, page[i]);
			int rc = sqlite3_step(q);
			if (rc == SQLITE_ROW) {
				id[i] = sqlite3_column_int64(q, 0);
				const char *t = col(a, q, 1);
				text[i] = p->words ? (t ? t : "") : lead(a, t);
			}
			sqlite3_reset(q);
			if (rc != SQLITE_ROW && rc != SQLITE_DONE)
				return search_fail(s, "reading a search hit");
		}
		return 0;
	}
	int64_t lo = INT64_MAX, hi = INT64_MIN;
	buf_t sql = BUF_INIT;
	buf_puts(&sql, "SELECT search.rowid, t.id, snippet(search, 0, char(2), char(3), '\xE2\x80\xA6', 24) "
		       "FROM search JOIN search_text t ON t.key = search.rowid WHERE search MATCH ?1 "
		       "AND search.rowid >= ?2 AND search.rowid <= ?3 AND +search.rowid IN (");
	for (size_t i = 0; i < n; i++) {
		lo = page[i] < lo ? page[i] : lo;
		hi = page[i] > hi ? page[i] : hi;
		buf_printf(&sql, "%s%lld", i ? ", " : "", (long long)page[i]);
	}
	buf_puts(&sql, ")");
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(store_sqlite_db(s), buf_str(&sql), (int)sql.len, &q, NULL) != SQLITE_OK)
		q = NULL;
	buf_free(&sql);
	if (!q)
		return store_sqlite_fail(s, "preparing a search's snippets");
	sqlite3_bind_text(q, 1, buf_str(&p->words_only), (int)p->words_only.len, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, lo);
	sqlite3_bind_int64(q, 3, hi);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t key = sqlite3_column_int64(q, 0);
		for (size_t i = 0; i < n; i++)
			if (page[i] == key) {
				id[i] = sqlite3_column_int64(q, 1);
				const char *t = col(a, q, 2);
				text[i] = t ? t : "";
			}
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : search_fail(s, "reading search snippets");
}

/* A page row's message; 0 when it is not shown (h is untouched), 1 when
 * h is filled. */
static int fill_hit(store_t *s, arena_t *a, int64_t id, const char *text, st_hit *h)
{
	sqlite3_stmt *q = ystmt(s, Y_HIT);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		h->channel_id = col(a, q, 0);
		h->channel = col(a, q, 1);
		h->ts = col(a, q, 2);
		h->day = col(a, q, 3);
		h->page_day = col(a, q, 4);
		h->thread_ts = col(a, q, 5);
		h->user_id = col(a, q, 6);
		h->user = col(a, q, 7);
		h->path = col(a, q, 8);
		h->snippet = text;
	}
	sqlite3_reset(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlite_fail(s, "reading a search hit's message");
	return rc == SQLITE_ROW;
}

const char *store_search_channel(store_t *s, arena_t *a, const char *name)
{
	sqlite3_stmt *q = ystmt(s, Y_CHANNEL);
	if (!q)
		return NULL;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	const char *id = NULL;
	if (sqlite3_step(q) == SQLITE_ROW)
		id = col(a, q, 0);
	sqlite3_reset(q);
	return id;
}

int store_search(store_t *s, arena_t *a, const st_search *q, st_hit **out, size_t *n, int64_t *total)
{
	*out = NULL;
	*n = 0;
	*total = 0;
	if (search_sqlite_flush(s) < 0)
		return -1;
	int limit = q->limit > 0 ? q->limit : 20, offset = q->offset > 0 ? q->offset : 0;
	plan p = {.match = BUF_INIT, .words_only = BUF_INIT};
	expression(q, &p);
	dates(q, &p);
	bool ranked = p.words && q->sort == ST_SORT_RELEVANCE;
	int64_t *page = arena_alloc(a, (size_t)limit * sizeof *page);
	size_t npage = 0;
	bool run = true;
	int rc = walk(s, q, &p, ranked, limit, offset, page, &npage, &run, total);
	st_hit *v = arena_zalloc(a, (size_t)limit * sizeof *v);
	const char **text = arena_zalloc(a, (size_t)limit * sizeof *text);
	int64_t *id = arena_alloc(a, (size_t)limit * sizeof *id);
	if (rc >= 0 && npage && page_texts(s, a, &p, page, npage, run, text, id) < 0)
		rc = -1;
	for (size_t i = 0; i < npage && rc >= 0; i++) {
		int got = id[i] ? fill_hit(s, a, id[i], text[i], &v[*n]) : 0;
		if (got < 0)
			rc = -1;
		else
			*n += (size_t)got;
	}
	buf_free(&p.match);
	buf_free(&p.words_only);
	if (rc < 0) {
		*n = 0;
		*total = 0;
		return -1;
	}
	*out = v;
	return rc;
}
