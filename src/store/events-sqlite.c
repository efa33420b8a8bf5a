/* events-sqlite.c: the Events API's delivered event_ids (store.h, "Events
 * API deliveries").
 *
 * A table of their own, keyed by id, with an index on the time each is
 * kept from: the duplicate check is one lookup, and forgetting the old
 * ones is a range delete on that index at every insert, which finds
 * nothing to do most of the time and a handful of rows otherwise, so the
 * table never needs a sweep of its own. The time kept from is the later
 * of the event's event_time and its arrival: an event replayed long after
 * it happened is still recognised when Slack retries it. */
#include "store/sqlite-int.h"

enum { X_EVENT_PRUNE = EVENTS_SLOTS, X_EVENT_INSERT };
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
