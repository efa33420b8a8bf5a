/* live-sqlite.c: what live ingest asks of the store besides the upserts:
 * the Events API's delivered event_ids, and the threads a Web API sync
 * checks again for new replies (store.h, "live ingest").
 *
 * Event ids have a table of their own, keyed by id, with an index on the time each is
 * kept from: the duplicate check is one lookup, and forgetting the old
 * ones is a range delete on that index at every insert, which finds
 * nothing to do most of the time and a handful of rows otherwise, so the
 * table never needs a sweep of its own. The time kept from is the later
 * of the event's event_time and its arrival: an event replayed long after
 * it happened is still recognised when Slack retries it. */
#include "store/sqlite-int.h"
#include <string.h>

enum { X_EVENT_PRUNE = LIVE_SLOTS, X_EVENT_INSERT };
_Static_assert((int)X_EVENT_INSERT < (int)STORE_XSTMT, "statement slots");

int store_event_id(store_t *s, const char *id, int64_t at, int64_t now)
{
	sqlite3_stmt *q = store_sqlite_stmt(s, X_EVENT_PRUNE, "DELETE FROM event_ids WHERE at < ?1");
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, now - ST_EVENT_ID_KEEP);
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return store_sqlite_fail(s, "forgetting old event ids");
	q = store_sqlite_stmt(s, X_EVENT_INSERT, "INSERT OR IGNORE INTO event_ids(id, at) VALUES (?1, ?2)");
	if (!q)
		return -1;
	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, at > now ? at : now);
	rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return store_sqlite_fail(s, "recording an event id");
	return sqlite3_changes(store_sqlite_db(s)) > 0;
}

/* ---- threads ------------------------------------------------------------ */

/* Rare (a sync, once per channel or thread): prepared per call. */
static sqlite3_stmt *prep(store_t *s, const char *sql, const char *a1, const char *a2)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(store_sqlite_db(s), sql, -1, &q, NULL) != SQLITE_OK) {
		store_sqlite_fail(s, "preparing a thread query");
		return NULL;
	}
	sqlite3_bind_text(q, 1, a1, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, a2, -1, SQLITE_STATIC);
	return q;
}


const char *store_thread_latest(store_t *s, arena_t *a, const char *channel_id, const char *thread_ts,
				int64_t *replies)
{
	*replies = 0;
	sqlite3_stmt *q = prep(s, "SELECT max(ts), count(*) FROM messages WHERE channel_id = ?1 AND thread_ts = ?2 "
				  "AND ts <> ?2", channel_id, thread_ts);
	if (!q)
		return NULL;
	const char *v = NULL;
	if (sqlite3_step(q) == SQLITE_ROW) {
		v = store_sqlite_col(a, q, 0);
		*replies = sqlite3_column_int64(q, 1);
	}
	sqlite3_finalize(q);
	return v;
}

int store_channel_threads(store_t *s, arena_t *a, const char *channel_id, const char *since, st_thread **out,
			  size_t *n)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = prep(s, "SELECT thread_ts, max(ts) FROM messages WHERE channel_id = ?1 "
				  "AND thread_ts IS NOT NULL GROUP BY thread_ts HAVING max(ts) >= ?2 ORDER BY thread_ts",
			       channel_id, since);
	if (!q)
		return -1;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = store_sqlite_grow(a, *out, *n, &cap, sizeof **out);
		(*out)[*n].thread_ts = store_sqlite_col(a, q, 0);
		(*out)[*n].latest = store_sqlite_col(a, q, 1);
		(*n)++;
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : store_sqlite_fail(s, "listing a channel's threads");
}
