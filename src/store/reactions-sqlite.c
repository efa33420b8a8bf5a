/* reactions-sqlite.c: a message's reactions, in Slack's order, whatever
 * order the news of them comes in.
 *
 * Slack lists a message's reactions by when each was first added, and
 * each one's people by when they reacted. News comes two ways:
 *  - a list: a copy of the message from an export or the Web API carries
 *    every reaction as of the copy's time (its seen), in Slack's order;
 *  - events: one person added or removed one reaction at a time.
 * Both can arrive late, twice, or in any order. So:
 *  - reacted keeps each (message, name, person)'s newest event; an older
 *    one is ignored (removal wins a tie, as order.c does);
 *  - messages.reactions_at keeps the key of the list the stored reactions
 *    come from (reactions_sqlite_key): a newer list replaces them, and
 *    the events after it are applied again on top; an event no newer
 *    than the list is already in it;
 *  - a row's people are those of the list ("" in ats), in its order,
 *    then those events added, by time (ats); its pos is the list's place
 *    (the message's ts, ':', the index) while anyone of the list is left,
 *    else the time of the earliest person events added. A reaction that
 *    loses its last person goes; added again, it goes last.
 * The rows are then a function of the newest list and each person's
 * newest event, not of their arrival order. Known approximation: a
 * person who takes back a reaction and gives it again moves its place to
 * the new time when nobody of a list still holds it, though someone else
 * kept it alive in between (only each person's newest event is kept). */
#include "store/sqlite-int.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	R_GET = REACTIONS_SLOTS, R_PUT, R_DEL, R_DEL_ALL, R_ALL, R_EVENT, R_EVENT_PUT, R_AFTER, R_LIST_AT,
	R_SET_LIST_AT, R_END
};
_Static_assert((int)R_END <= (int)STORE_XSTMT, "statement slots");

static const char *const sql[] = {
	[R_GET - REACTIONS_SLOTS] = "SELECT count, users, pos, ats FROM reactions WHERE channel_id = ?1 AND ts = ?2 "
				    "AND name = ?3",
	/* an upsert, not a REPLACE: the row keeps its rowid */
	[R_PUT - REACTIONS_SLOTS] = "INSERT INTO reactions(channel_id, ts, name, count, users, pos, ats) "
				    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(channel_id, ts, name) DO UPDATE "
				    "SET count = excluded.count, users = excluded.users, pos = excluded.pos, ats = excluded.ats",
	[R_DEL - REACTIONS_SLOTS] = "DELETE FROM reactions WHERE channel_id = ?1 AND ts = ?2 AND name = ?3",
	[R_DEL_ALL - REACTIONS_SLOTS] = "DELETE FROM reactions WHERE channel_id = ?1 AND ts = ?2",
	[R_ALL - REACTIONS_SLOTS] = "SELECT name, count, users, pos, ats FROM reactions WHERE channel_id = ?1 "
				    "AND ts = ?2 ORDER BY name",
	[R_EVENT - REACTIONS_SLOTS] = "SELECT at, added FROM reacted WHERE channel_id = ?1 AND ts = ?2 AND name = ?3 "
				      "AND user = ?4",
	[R_EVENT_PUT - REACTIONS_SLOTS] = "INSERT OR REPLACE INTO reacted(channel_id, ts, name, user, at, added) "
					  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[R_AFTER - REACTIONS_SLOTS] = "SELECT name, user, at, added FROM reacted WHERE channel_id = ?1 AND ts = ?2 "
				      "AND at > ?3 ORDER BY at, name, user",
	[R_LIST_AT - REACTIONS_SLOTS] = "SELECT reactions_at FROM messages WHERE channel_id = ?1 AND ts = ?2",
	[R_SET_LIST_AT - REACTIONS_SLOTS] = "UPDATE messages SET reactions_at = ?3 WHERE channel_id = ?1 AND ts = ?2",
};

/* A time that sorts after every real one: people added without a time. */
static const char LAST[] = "9999999999.999999";

static sqlite3_stmt *st(store_t *s, int slot, const char *a, const char *b)
{
	sqlite3_stmt *q = store_sqlite_stmt(s, slot, sql[slot - REACTIONS_SLOTS]);
	if (q) {
		sqlite3_bind_text(q, 1, a, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, b, -1, SQLITE_STATIC);
	}
	return q;
}

static int done(store_t *s, sqlite3_stmt *q, const char *what)
{
	int rc = q ? sqlite3_step(q) : SQLITE_ERROR;
	if (q)
		sqlite3_reset(q);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : q ? store_sqlite_fail(s, what) : -1;
}

void reactions_sqlite_key(const st_message *m, const char *t, char out[REACTIONS_KEY_LEN + 1])
{
	if (!m->nreactions) {
		snprintf(out, REACTIONS_KEY_LEN + 1, "%.*s", TS_LEN, t);
		return;
	}
	uint32_t h = 2166136261u;
	uint64_t people = 0;
	for (size_t i = 0; i < m->nreactions; i++) {
		const st_reaction *r = &m->reactions[i];
		char n[16];
		snprintf(n, sizeof n, "%d", r->count);
		const char *part[] = {r->name ? r->name : "", n, r->users ? r->users : ""};
		for (size_t k = 0; k < 3; k++)
			for (const char *p = part[k];; p++) {
				h = (h ^ (unsigned char)*p) * 16777619u;
				if (!*p)
					break;
			}
		people += r->count > 0 ? (uint64_t)r->count : 0;
	}
	snprintf(out, REACTIONS_KEY_LEN + 1, "%.*s %08x%08x", TS_LEN, t,
		 (unsigned)(people > 0xffffffffu ? 0xffffffffu : people), (unsigned)h);
}

/* ---- one reaction's row ------------------------------------------------ */

typedef struct person {
	const char *id;
	const char *at;              /* "" when from a list */
} person;

typedef struct row {
	int count;                   /* people: those listed, and any a list left out */
	char pos[48];                /* a time, or a ts, ':' and an index */
	person *v;
	size_t n, cap;
	arena_t a;
} row;

static void row_free(row *r)
{
	arena_free(&r->a);
	memset(r, 0, sizeof *r);
}

static void put(row *r, const char *id, size_t idlen, const char *at, size_t atlen)
{
	r->v = store_sqlite_grow(&r->a, r->v, r->n, &r->cap, sizeof *r->v);
	r->v[r->n].id = arena_strndup(&r->a, id, idlen);
	r->v[r->n].at = arena_strndup(&r->a, at, atlen);
	r->n++;
}

/* Split users and ats (comma-separated, aligned; ats NULL: all listed). */
static void split(row *r, const char *users, const char *ats)
{
	const char *u = users ? users : "", *t = ats;
	while (*u) {
		size_t un = strcspn(u, ","), tn = t ? strcspn(t, ",") : 0;
		if (un)
			put(r, u, un, t ? t : "", tn);
		u += un + (u[un] == ',');
		if (t)
			t += tn + (t[tn] == ',');
	}
}

static int load(store_t *s, const char *ch, const char *ts, const char *name, row *r)
{
	memset(r, 0, sizeof *r);
	sqlite3_stmt *q = st(s, R_GET, ch, ts);
	if (!q)
		return -1;
	sqlite3_bind_text(q, 3, name, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		r->count = sqlite3_column_int(q, 0);
		snprintf(r->pos, sizeof r->pos, "%s", (const char *)sqlite3_column_text(q, 2));
		split(r, (const char *)sqlite3_column_text(q, 1), (const char *)sqlite3_column_text(q, 3));
	}
	sqlite3_reset(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_sqlite_fail(s, "reading a reaction");
}

/* Listed people first, in their order; then the others by time. */
static int by_place(const void *x, const void *y)
{
	const person *a = x, *b = y;
	if (!*a->at || !*b->at)
		return (*a->at != 0) - (*b->at != 0);
	int c = strcmp(a->at, b->at);
	return c ? c : strcmp(a->id, b->id);
}

static void stable_sort(person *v, size_t n)
{
	for (size_t i = 1; i < n; i++)          /* insertion sort: a few people, stable */
		for (size_t j = i; j > 0 && by_place(&v[j - 1], &v[j]) > 0; j--) {
			person t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

/* The place: the list's while one of its people is left, else the
 * earliest added. */
static void place(row *r)
{
	size_t timed = 0;
	const char *first = NULL;
	for (size_t i = 0; i < r->n; i++)
		if (*r->v[i].at) {
			timed++;
			if (!first || strcmp(r->v[i].at, first) < 0)
				first = r->v[i].at;
		}
	if (first && (size_t)r->count <= timed)
		snprintf(r->pos, sizeof r->pos, "%s", first);
}

/* One person's change; at NULL: no time (an added person goes last and
 * one already there stays). True when the row changed. */
static bool change(row *r, const char *user, bool add, const char *at)
{
	size_t i = 0;
	while (i < r->n && strcmp(r->v[i].id, user) != 0)
		i++;
	bool found = i < r->n;
	if (!add) {
		if (!found)
			return false;
		memmove(&r->v[i], &r->v[i + 1], (r->n - i - 1) * sizeof *r->v);
		r->n--;
		r->count--;
	} else if (found) {
		if (!at || (*r->v[i].at && strcmp(r->v[i].at, at) >= 0))
			return false;
		r->v[i].at = arena_strndup(&r->a, at, strlen(at));
	} else {
		put(r, user, strlen(user), at ? at : LAST, strlen(at ? at : LAST));
		r->count++;
	}
	stable_sort(r->v, r->n);
	place(r);
	return true;
}

static int save(store_t *s, const char *ch, const char *ts, const char *name, row *r)
{
	if (r->count <= 0) {
		sqlite3_stmt *q = st(s, R_DEL, ch, ts);
		if (q)
			sqlite3_bind_text(q, 3, name, -1, SQLITE_STATIC);
		return done(s, q, "removing a reaction");
	}
	buf_t users = BUF_INIT, ats = BUF_INIT;
	bool timed = false;
	for (size_t i = 0; i < r->n; i++) {
		buf_printf(&users, "%s%s", i ? "," : "", r->v[i].id);
		buf_printf(&ats, "%s%s", i ? "," : "", r->v[i].at);
		timed = timed || *r->v[i].at;
	}
	sqlite3_stmt *q = st(s, R_PUT, ch, ts);
	if (q) {
		sqlite3_bind_text(q, 3, name, -1, SQLITE_STATIC);
		sqlite3_bind_int(q, 4, r->count);
		sqlite3_bind_text(q, 5, buf_str(&users), (int)users.len, SQLITE_STATIC);
		sqlite3_bind_text(q, 6, r->pos, -1, SQLITE_STATIC);
		if (timed)
			sqlite3_bind_text(q, 7, buf_str(&ats), (int)ats.len, SQLITE_STATIC);
		else
			sqlite3_bind_null(q, 7);
	}
	int rc = done(s, q, "storing a reaction");
	buf_free(&users);
	buf_free(&ats);
	return rc;
}

/* Apply one change to the stored row. 1 when it changed, 0, -1. */
static int apply(store_t *s, const char *ch, const char *ts, const char *name, const char *user, bool add,
		 const char *at)
{
	row r;
	if (load(s, ch, ts, name, &r) < 0) {
		row_free(&r);
		return -1;
	}
	int rc = change(&r, user, add, at) ? 1 : 0;
	if (rc && save(s, ch, ts, name, &r) < 0)
		rc = -1;
	row_free(&r);
	return rc;
}

/* ---- events ------------------------------------------------------------ */

/* Is (at, add) newer than the person's kept event? Keeps it when it is. */
static int newer_event(store_t *s, const char *ch, const char *ts, const char *name, const char *user, bool add,
		       const char *at)
{
	sqlite3_stmt *q = st(s, R_EVENT, ch, ts);
	if (!q)
		return -1;
	sqlite3_bind_text(q, 3, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, user, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	bool newer = true;
	if (rc == SQLITE_ROW) {
		int c = strcmp(at, (const char *)sqlite3_column_text(q, 0));
		/* at the same time a removal wins ('-' sorts after '+') */
		newer = c > 0 || (c == 0 && !add && sqlite3_column_int(q, 1));
	}
	sqlite3_reset(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlite_fail(s, "reading a reaction event");
	if (!newer)
		return 0;
	q = st(s, R_EVENT_PUT, ch, ts);
	if (q) {
		sqlite3_bind_text(q, 3, name, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 4, user, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 5, at, -1, SQLITE_STATIC);
		sqlite3_bind_int(q, 6, add);
	}
	return done(s, q, "keeping a reaction event") < 0 ? -1 : 1;
}

int reactions_sqlite_listed(store_t *s, const char *ch, const char *ts, char out[REACTIONS_KEY_LEN + 1])
{
	sqlite3_stmt *q = st(s, R_LIST_AT, ch, ts);
	*out = 0;
	if (!q)
		return -1;
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL)
		snprintf(out, REACTIONS_KEY_LEN + 1, "%s", (const char *)sqlite3_column_text(q, 0));
	sqlite3_reset(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_sqlite_fail(s, "reading a message");
}

int store_reaction_event(store_t *s, const char *ch, const char *ts, const char *name, const char *user, bool add,
			 const char *at)
{
	if (add && moderation_sqlite_refuse_user(s, user))
		return 0;
	store_sqlite_unfresh(s);
	if (at) {
		int rc = newer_event(s, ch, ts, name, user, add, at);
		if (rc <= 0)
			return rc < 0 ? -1 : 1;
		char key[REACTIONS_KEY_LEN + 1];
		if (reactions_sqlite_listed(s, ch, ts, key) < 0)
			return -1;
		if (*key && strncmp(at, key, TS_LEN) <= 0)
			return 1;       /* the message's list already tells */
	}
	int rc = apply(s, ch, ts, name, user, add, at);
	if (rc > 0 && store_sqlite_reacted(s, ch, ts) < 0)
		rc = -1;
	return rc < 0 ? -1 : 0;
}

int store_reaction_add(store_t *s, const char *channel_id, const char *ts, const char *name, const char *user)
{
	return store_reaction_event(s, channel_id, ts, name, user, true, NULL);
}

int store_reaction_remove(store_t *s, const char *channel_id, const char *ts, const char *name, const char *user)
{
	return store_reaction_event(s, channel_id, ts, name, user, false, NULL);
}

/* ---- lists ------------------------------------------------------------- */

/* The message's rows as text, to tell whether a list changed them. */
static int rows_text(store_t *s, const char *ch, const char *ts, buf_t *out)
{
	sqlite3_stmt *q = st(s, R_ALL, ch, ts);
	if (!q)
		return -1;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		for (int c = 0; c < 5; c++) {
			const unsigned char *t = sqlite3_column_text(q, c);
			buf_printf(out, "%s%c", t ? (const char *)t : "", c == 4 ? '\n' : '\t');
		}
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : store_sqlite_fail(s, "reading reactions");
}

/* The events after the list (t), applied again. */
static int events_after(store_t *s, const char *ch, const char *ts, const char *t)
{
	char after[TS_LEN + 1];
	snprintf(after, sizeof after, "%.*s", TS_LEN, t);
	sqlite3_stmt *q = st(s, R_AFTER, ch, ts);
	if (!q)
		return -1;
	sqlite3_bind_text(q, 3, after, -1, SQLITE_STATIC);
	/* collected first: apply() reuses statements */
	buf_t b = BUF_INIT;
	size_t n;
	int rc = store_sqlite_rows(s, q, 4, &b, &n, "reading reaction events");
	sqlite3_reset(q);
	const char *p = b.p;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const char *user = p + strlen(p) + 1, *at = user + strlen(user) + 1, *added = at + strlen(at) + 1;
		if (apply(s, ch, ts, p, user, *added == '1', at) < 0)
			rc = -1;
		p = added + strlen(added) + 1;
	}
	buf_free(&b);
	return rc;
}

static int insert_list(store_t *s, const st_message *m)
{
	for (size_t i = 0; i < m->nreactions; i++) {
		const st_reaction *x = &m->reactions[i];
		if (!x->name || !*x->name)
			continue;
		row r = {.count = x->count};
		snprintf(r.pos, sizeof r.pos, "%.*s:%06zu", TS_LEN, m->ts, i);
		split(&r, x->users, NULL);
		if ((size_t)r.count < r.n)
			r.count = (int)r.n;
		int rc = r.count > 0 ? save(s, m->channel_id, m->ts, x->name, &r) : 0;
		row_free(&r);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int reactions_sqlite_list(store_t *s, const st_message *m, const char *key, const char *old, bool inserted,
			  bool fresh)
{
	if (old && strcmp(key, old) <= 0)
		return 0;
	if (fresh)
		return insert_list(s, m) < 0 ? -1 : 1;
	/* a new message's rows change with it (its own change); a stored
	 * one's are compared, and the new key kept */
	buf_t before = BUF_INIT, after = BUF_INIT;
	int rc = inserted ? 0 : rows_text(s, m->channel_id, m->ts, &before);
	if (rc == 0)
		rc = done(s, st(s, R_DEL_ALL, m->channel_id, m->ts), "replacing reactions");
	if (rc == 0)
		rc = insert_list(s, m);
	if (rc == 0)
		rc = events_after(s, m->channel_id, m->ts, key);
	if (rc == 0 && !inserted) {
		sqlite3_stmt *q = st(s, R_SET_LIST_AT, m->channel_id, m->ts);
		if (q)
			sqlite3_bind_text(q, 3, key, -1, SQLITE_STATIC);
		rc = done(s, q, "storing a message");
		if (rc == 0)
			rc = rows_text(s, m->channel_id, m->ts, &after);
		if (rc == 0 && (before.len != after.len || memcmp(buf_str(&before), buf_str(&after), before.len)))
			rc = store_sqlite_reacted(s, m->channel_id, m->ts);
	}
	buf_free(&before);
	buf_free(&after);
	return rc < 0 ? -1 : 1;
}

/* ---- schema version 12 ------------------------------------------------- */

int reactions_sqlite_upgrade(store_t *s)
{
	sqlite3 *db = store_sqlite_db(s);
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db, "SELECT DISTINCT channel_id, ts, name FROM reacted WHERE added = 1", -1, &q,
			       NULL) != SQLITE_OK)
		return store_sqlite_fail(s, "reading reaction events");
	buf_t b = BUF_INIT;
	size_t n;
	int rc = store_sqlite_rows(s, q, 3, &b, &n, "reading reaction events");
	sqlite3_finalize(q);
	const char *p = b.p;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const char *ts = p + strlen(p) + 1, *name = ts + strlen(ts) + 1;
		row r;
		rc = load(s, p, ts, name, &r);
		bool changed = false;
		for (size_t k = 0; rc == 0 && k < r.n; k++) {
			q = st(s, R_EVENT, p, ts);
			if (!q) {
				rc = -1;
				break;
			}
			sqlite3_bind_text(q, 3, name, -1, SQLITE_STATIC);
			sqlite3_bind_text(q, 4, r.v[k].id, -1, SQLITE_STATIC);
			if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 1)) {
				const char *at = (const char *)sqlite3_column_text(q, 0);
				r.v[k].at = arena_strndup(&r.a, at, strlen(at));
				changed = true;
			}
			sqlite3_reset(q);
		}
		if (rc == 0 && changed) {
			stable_sort(r.v, r.n);
			place(&r);
			rc = save(s, p, ts, name, &r);
		}
		row_free(&r);
		p = name + strlen(name) + 1;
	}
	buf_free(&b);
	return rc;
}
