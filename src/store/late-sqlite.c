/* late-sqlite.c: replies posted on other days than their thread's page
 * (store.h, "replies on other days"), read from late_replies (schema 11,
 * sqlite-int.h), which triggers on messages keep.
 *
 * A day page asks for its channel-day's threads (one range of the
 * table's key); a channel's page and every walk of the published URLs
 * for the channel's days (one range, grouped). Both run once per page
 * or per channel of a walk, so their statements are kept in the handle's
 * slots. Channels not published are left out here, as every read of the
 * store does, unless the handle has STORE_ALL. */
#include "store/sqlite-int.h"
#include <stdlib.h>
#include <string.h>

enum { SLOT_DAY = LATE_SLOTS, SLOT_DAYS };

#define PUBLISHED "EXISTS (SELECT 1 FROM channels WHERE id = ?1 AND published >= ?3)"

/* A slot's statement with ?1 bound to the channel and ?3 to the handle's
 * least published value; NULL on error. */
static sqlite3_stmt *channel_query(store_t *s, int slot, const char *sql, const char *channel_id)
{
	sqlite3_stmt *q = store_sqlite_stmt(s, slot, sql);
	if (!q)
		return NULL;
	sqlite3_bind_text(q, 1, channel_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 3, store_sqlite_all(s) ? 0 : 1);
	return q;
}

int store_day_late(store_t *s, arena_t *a, const char *channel_id, const char *day, st_late **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = channel_query(s, SLOT_DAY,
		"SELECT thread_ts, page_day, n, first_ts FROM late_replies WHERE channel_id = ?1 AND day = ?2 AND "
		PUBLISHED " ORDER BY first_ts, thread_ts", channel_id);
	if (!q)
		return -1;
	sqlite3_bind_text(q, 2, day, -1, SQLITE_STATIC);
	size_t cap = 0;
	st_late *v = NULL;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		v = store_sqlite_grow(a, v, *n, &cap, sizeof *v);
		v[(*n)++] = (st_late){store_sqlite_col(a, q, 0), store_sqlite_col(a, q, 1), store_sqlite_col(a, q, 3),
				      sqlite3_column_int64(q, 2)};
	}
	sqlite3_reset(q);
	*out = v;
	return rc == SQLITE_DONE ? 0 : store_sqlite_fail(s, "reading a day's replies to other days' threads");
}

int store_late_days(store_t *s, arena_t *a, const char *channel_id, st_chanday **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = channel_query(s, SLOT_DAYS,
		"SELECT day, sum(n), max(last_ts) FROM late_replies WHERE channel_id = ?1 AND " PUBLISHED
		" GROUP BY day ORDER BY day", channel_id);
	if (!q)
		return -1;
	const char *ch = arena_strndup(a, channel_id, strlen(channel_id));
	size_t cap = 0;
	st_chanday *v = NULL;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		v = store_sqlite_grow(a, v, *n, &cap, sizeof *v);
		const unsigned char *last = sqlite3_column_text(q, 2);
		v[(*n)++] = (st_chanday){ch, store_sqlite_col(a, q, 0), sqlite3_column_int64(q, 1),
					 last ? (int64_t)strtoll((const char *)last, NULL, 10) : 0};
	}
	sqlite3_reset(q);
	*out = v;
	return rc == SQLITE_DONE ? 0 : store_sqlite_fail(s, "listing a channel's days with replies to other days");
}
