/* pub-sqlite.c: the store's answers for publishing (sitemaps, feeds, the
 * static build): who wrote in a channel, a channel's newest messages,
 * when each day page last changed, every day page's count at once, the
 * threads of a channel, when each person's page last changed.
 *
 * These run once per channel or once per build or feed, not per request,
 * so each statement is prepared per call; the (channel_id, ts) unique
 * index, messages_page, messages_thread, messages_user and day_counts
 * cover them. */
#include "store/sqlite-int.h"
#include <stdlib.h>
#include <string.h>

#define GROW(a, v, n, cap) ((v) = store_sqlite_grow(a, v, n, &(cap), sizeof *(v)))

/* Run q (bound by the caller) and collect column 0 as strings. */
static int strings(store_t *s, arena_t *a, sqlite3_stmt *q, const char ***out, size_t *n, const char *what)
{
	size_t cap = 0;
	const char **v = NULL;
	int rc;
	*n = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		GROW(a, v, *n, cap);
		v[(*n)++] = store_sqlite_col(a, q, 0);
	}
	sqlite3_finalize(q);
	*out = v;
	return rc == SQLITE_DONE ? 0 : store_sqlite_fail(s, what);
}

/* sql with ?1 bound to arg (may be NULL: bind nothing); NULL on error. */
static sqlite3_stmt *prepare(store_t *s, const char *sql, const char *arg)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(store_sqlite_db(s), sql, -1, &q, NULL) != SQLITE_OK)
		return NULL;
	if (arg)
		sqlite3_bind_text(q, 1, arg, -1, SQLITE_TRANSIENT);
	return q;
}

/* A unix time from the text of a canonical ts (0 for NULL). */
static int64_t seconds(sqlite3_stmt *q, int i)
{
	const unsigned char *t = sqlite3_column_text(q, i);
	return t ? (int64_t)strtoll((const char *)t, NULL, 10) : 0;
}

/* Rows of (key, newest ts) into st_daychange. */
static int daychanges(store_t *s, arena_t *a, sqlite3_stmt *q, st_daychange **out, size_t *n, const char *what)
{
	size_t cap = 0;
	st_daychange *v = NULL;
	int rc;
	*out = NULL;
	*n = 0;
	if (!q)
		return store_sqlite_fail(s, what);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		GROW(a, v, *n, cap);
		v[*n].day = store_sqlite_col(a, q, 0);
		v[*n].changed = seconds(q, 1);
		(*n)++;
	}
	sqlite3_finalize(q);
	*out = v;
	return rc == SQLITE_DONE ? 0 : store_sqlite_fail(s, what);
}

/* The same string as the previous row's, or a copy of column i. */
static const char *shared(arena_t *a, sqlite3_stmt *q, int i, const char *prev)
{
	const char *t = (const char *)sqlite3_column_text(q, i);
	return prev && t && strcmp(prev, t) == 0 ? prev : store_sqlite_col(a, q, i);
}

int store_channel_authors(store_t *s, arena_t *a, const char *channel_id, const char ***out, size_t *n)
{
	sqlite3_stmt *q = prepare(s, "SELECT DISTINCT user_id FROM messages "
				     "WHERE channel_id = ?1 AND hidden = 0 AND user_id IS NOT NULL ORDER BY user_id",
				  channel_id);
	*out = NULL;
	*n = 0;
	if (!q)
		return store_sqlite_fail(s, "listing a channel's authors");
	return strings(s, a, q, out, n, "listing a channel's authors");
}

int store_channel_recent(store_t *s, arena_t *a, const char *channel_id, int limit, const char *from,
			 const char ***out, size_t *n)
{
	sqlite3_stmt *q = prepare(s, "SELECT ts FROM messages WHERE channel_id = ?1 AND hidden = 0 AND ts >= ?3 "
				     "ORDER BY ts DESC LIMIT ?2",
				  channel_id);
	*out = NULL;
	*n = 0;
	if (!q)
		return store_sqlite_fail(s, "listing a channel's newest messages");
	sqlite3_bind_int(q, 2, limit);
	sqlite3_bind_text(q, 3, from ? from : "", -1, SQLITE_TRANSIENT);
	return strings(s, a, q, out, n, "listing a channel's newest messages");
}

int store_channel_days_changed(store_t *s, arena_t *a, const char *channel_id, st_daychange **out, size_t *n)
{
	/* the newest ts or edit among the messages a day page shows, kept in
	 * day_counts (schema 9): the channel's rows, not its messages */
	return daychanges(s, a,
			  prepare(s, "SELECT page_day, changed FROM day_counts WHERE channel_id = ?1 ORDER BY page_day",
				  channel_id),
			  out, n, "listing a channel's day changes");
}

int store_user_changes(store_t *s, arena_t *a, st_daychange **out, size_t *n)
{
	/* the rows of user_counts (schema 10), which keeps each person's last
	 * change per channel */
	sqlite3_stmt *q = prepare(s, "SELECT user_id, max(changed) FROM user_counts WHERE channel_id IN "
				     "(SELECT id FROM channels WHERE published >= ?2) GROUP BY user_id ORDER BY user_id",
				  NULL);
	if (q)
		sqlite3_bind_int(q, 2, store_sqlite_all(s) ? 0 : 1);
	return daychanges(s, a, q, out, n, "listing people's last changes");
}

int store_day_counts(store_t *s, arena_t *a, bool changed, st_chanday **out, size_t *n)
{
	/* the rows of day_counts in the order of its key: each day page's
	 * count and (schema 9) last change, kept by triggers */
	sqlite3_stmt *q = prepare(s, changed ? "SELECT channel_id, page_day, n, changed FROM day_counts WHERE "
					       "channel_id IN (SELECT id FROM channels WHERE published >= ?2) "
					       "ORDER BY channel_id, page_day"
					     : "SELECT channel_id, page_day, n, NULL FROM day_counts WHERE "
					       "channel_id IN (SELECT id FROM channels WHERE published >= ?2) "
					       "ORDER BY channel_id, page_day",
				  NULL);
	*out = NULL;
	*n = 0;
	if (!q)
		return store_sqlite_fail(s, "counting day pages");
	sqlite3_bind_int(q, 2, store_sqlite_all(s) ? 0 : 1);
	size_t cap = 0;
	st_chanday *v = NULL;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		GROW(a, v, *n, cap);
		st_chanday *d = &v[*n];
		d->channel_id = shared(a, q, 0, *n ? v[*n - 1].channel_id : NULL);
		d->day = store_sqlite_col(a, q, 1);
		d->count = sqlite3_column_int64(q, 2);
		d->changed = seconds(q, 3);
		(*n)++;
	}
	sqlite3_finalize(q);
	*out = v;
	return rc == SQLITE_DONE ? 0 : store_sqlite_fail(s, "counting day pages");
}

int store_thread_spans(store_t *s, arena_t *a, const char *channel_id, st_threadspan **out, size_t *n)
{
	/* replies by the messages_thread index, in thread order */
	sqlite3_stmt *q = prepare(s, "SELECT thread_ts, min(page_day), max(page_day) FROM messages "
				     "WHERE channel_id = ?1 AND thread_ts IS NOT NULL AND thread_ts <> ts AND hidden = 0 "
				     "GROUP BY thread_ts ORDER BY thread_ts",
				  channel_id);
	*out = NULL;
	*n = 0;
	if (!q)
		return store_sqlite_fail(s, "listing a channel's threads");
	size_t cap = 0;
	st_threadspan *v = NULL;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		GROW(a, v, *n, cap);
		v[*n] = (st_threadspan){store_sqlite_col(a, q, 0), store_sqlite_col(a, q, 1), store_sqlite_col(a, q, 2)};
		(*n)++;
	}
	sqlite3_finalize(q);
	*out = v;
	return rc == SQLITE_DONE ? 0 : store_sqlite_fail(s, "listing a channel's threads");
}

int store_authors(store_t *s, arena_t *a, st_author **out, size_t *n)
{
	/* the rows of user_counts (schema 10), in the order of its key */
	sqlite3_stmt *q = prepare(s, "SELECT user_id, channel_id FROM user_counts ORDER BY user_id, channel_id", NULL);
	*out = NULL;
	*n = 0;
	if (!q)
		return store_sqlite_fail(s, "listing authors");
	size_t cap = 0;
	st_author *v = NULL;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		GROW(a, v, *n, cap);
		v[*n].user_id = shared(a, q, 0, *n ? v[*n - 1].user_id : NULL);
		v[*n].channel_id = store_sqlite_col(a, q, 1);
		(*n)++;
	}
	sqlite3_finalize(q);
	*out = v;
	return rc == SQLITE_DONE ? 0 : store_sqlite_fail(s, "listing authors");
}
