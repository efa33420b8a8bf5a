/* t-day-counts.c: day_counts, the count of each day page the store keeps
 * by triggers (schema 8) and its last change (schema 9), through the
 * writes that change them: new messages, joins (not counted), a reply
 * stored before its parent and moved to the parent's day, an edit that
 * turns a message into a join, an edit of a shown message, deletes down
 * to an empty day, and a first import's bulk load (triggers
 * off, one count at the end). user_counts (schema 10), each person's
 * count and last change per channel, through the same writes and a
 * person's message deleted. Expected counts are worked out by hand
 * below; each step is also checked against a recount of the messages
 * table with SQL of this test's own. */
#include "unit.h"
#include "temp-archive.h"
#include "lib/buf.h"
#include <sqlite3.h>
#include <string.h>

static arena_t A;

static st_message msg(const char *ts, const char *day, const char *thread, const char *subtype)
{
	st_message m = {0};
	m.channel_id = "C1";
	m.ts = ts;
	m.day = day;
	m.thread_ts = thread;
	m.subtype = subtype;
	m.user_id = "U1";
	m.text = "hi";
	m.raw = ts;                /* distinct per message */
	m.rawlen = strlen(ts);
	return m;
}

/* m as an edit at edited_ts stores it: a new raw JSON, the edit's time. */
static st_message edit_of(st_message m, const char *edited_ts, const char *raw)
{
	m.edited_ts = edited_ts;
	m.raw = raw;
	m.rawlen = strlen(raw);
	return m;
}

/* Counts as "key:count key:count", the key a day or (named) a name;
 * "error" if the store failed (rc < 0). */
static const char *counts(int rc, const st_daycount *d, size_t n, bool named)
{
	if (rc < 0)
		return "error";
	buf_t b = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s%s:%lld", i ? " " : "", named ? d[i].name : d[i].day, (long long)d[i].count);
	const char *r = arena_strndup(&A, buf_str(&b), b.len);
	buf_free(&b);
	return r;
}

/* C1's days (store_channel_days). */
static const char *days(store_t *s)
{
	st_daycount *d = NULL;
	size_t n = 0;
	int rc = store_channel_days(s, &A, "C1", &d, &n);
	return counts(rc, d, n, false);
}

/* The last change of the archive's one day page (store_day_counts), or
 * -1 when there is not exactly one. */
static int64_t only_day_changed(store_t *s)
{
	st_chanday *d;
	size_t n;
	return store_day_counts(s, &A, true, &d, &n) == 0 && n == 1 ? d[0].changed : -1;
}

/* Rows where day_counts or user_counts (schema 10: per person and
 * channel) and a recount of messages differ (0: equal): the count and the
 * last change, the newest ts or edit. */
static int differ(const char *path)
{
	sqlite3 *db;
	sqlite3_stmt *q;
	int n = -1;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "WITH want AS (SELECT channel_id, page_day, count(*), "
				   "max(CASE WHEN edited_ts > ts THEN edited_ts ELSE ts END) FROM messages "
				   "WHERE hidden = 0 GROUP BY 1, 2) SELECT (SELECT count(*) FROM ("
				   "SELECT * FROM want EXCEPT SELECT channel_id, page_day, n, changed FROM day_counts)) + "
				   "(SELECT count(*) FROM (SELECT channel_id, page_day, n, changed FROM day_counts EXCEPT "
				   "SELECT * FROM want)) + (WITH uwant AS (SELECT user_id, channel_id, count(*), "
				   "max(CASE WHEN edited_ts > ts THEN edited_ts ELSE ts END) FROM messages "
				   "WHERE hidden = 0 AND user_id IS NOT NULL GROUP BY 1, 2) SELECT (SELECT count(*) FROM ("
				   "SELECT * FROM uwant EXCEPT SELECT user_id, channel_id, n, changed FROM user_counts)) + "
				   "(SELECT count(*) FROM (SELECT user_id, channel_id, n, changed FROM user_counts EXCEPT "
				   "SELECT * FROM uwant)))",
			       -1, &q, NULL) == SQLITE_OK) {
		if (sqlite3_step(q) == SQLITE_ROW)
			n = sqlite3_column_int(q, 0);
		sqlite3_finalize(q);
	}
	sqlite3_close(db);
	return n;
}

/* A person's channels by name (store_user_channels, user_counts). */
static const char *user_days(store_t *s, const char *user)
{
	st_daycount *d = NULL;
	size_t n = 0;
	int rc = store_user_channels(s, &A, user, &d, &n);
	return counts(rc, d, n, true);
}

#define TX(s, stmt) do { store_begin(s); stmt; store_commit(s); } while (0)

static void writes(store_t *s, const char *path)
{
	st_channel c1 = {.id = "C1", .name = "general", .kind = CH_PUBLIC};
	st_message a = msg("1000000000.000100", "2001-09-09", NULL, NULL);
	st_message b = msg("1000000001.000100", "2001-09-09", NULL, NULL);
	st_message join = msg("1000000002.000100", "2001-09-09", NULL, "channel_join");
	TX(s, (store_upsert_channel(s, &c1), store_upsert_message(s, &a), store_upsert_message(s, &b),
	       store_upsert_message(s, &join)));
	CHECK_STR(days(s), "2001-09-09:2", "two messages and a join: the join is not counted");
	CHECK_STR(user_days(s, "U1"), "general:2", "U1 wrote two shown messages in #general");
	CHECK(differ(path) == 0, "equal to a recount");
	st_message other = msg("1000000005.000100", "2001-09-09", NULL, NULL);
	other.user_id = "U2";
	TX(s, store_upsert_message(s, &other));
	CHECK_STR(user_days(s, "U2"), "general:1", "U2's one message");
	TX(s, store_delete_message(s, "C1", other.ts));
	CHECK_STR(user_days(s, "U2"), "", "deleted: U2 has no channel left");

	/* a reply two days after a parent not stored yet: on its own day */
	st_message r = msg("1000172800.000100", "2001-09-11", "1000000003.000100", NULL);
	TX(s, store_upsert_message(s, &r));
	CHECK_STR(days(s), "2001-09-09:2 2001-09-11:1", "an orphan reply counts on its own day");
	st_message p = msg("1000000003.000100", "2001-09-09", "1000000003.000100", NULL);
	TX(s, store_upsert_message(s, &p));
	CHECK_STR(days(s), "2001-09-09:4", "its parent: the reply moves to the parent's day, which has 4");
	CHECK(differ(path) == 0, "equal to a recount");
	CHECK(!store_adjacent_day(s, &A, "C1", "2001-09-09", 1), "no next day: the day the reply left is gone");

	/* an edit that makes a message a join (hidden), then back */
	st_message e = edit_of(b, "1000000100.000100", "edited");
	e.subtype = "channel_join";
	TX(s, store_upsert_message(s, &e));
	CHECK_STR(days(s), "2001-09-09:3", "an edit into a join: one fewer");
	CHECK_STR(user_days(s, "U1"), "general:3", "and one fewer of U1's (a, the parent, its reply)");
	CHECK(differ(path) == 0, "equal to a recount");

	/* an edit of a shown message, later than the day's newest message
	 * (the reply moved there, 1000172800): the last change moves to it */
	st_message ea = edit_of(a, "1000200000.000100", "edited a");
	ea.text = "hi again";
	TX(s, store_upsert_message(s, &ea));
	int64_t t = only_day_changed(s);
	CHECK(t == 1000200000, "an edit: the day's last change is the edit's time (%lld)", (long long)t);
	st_daychange *uc;
	size_t nu;
	CHECK(store_user_changes(s, &A, &uc, &nu) == 0 && nu == 1 && uc[0].changed == 1000200000,
	      "and U1's last change too");
	CHECK(differ(path) == 0, "equal to a recount");

	st_message later = msg("1000259200.000100", "2001-09-12", NULL, NULL);
	TX(s, store_upsert_message(s, &later));
	CHECK_STR(days(s), "2001-09-09:3 2001-09-12:1", "a new day");
	TX(s, store_delete_message(s, "C1", later.ts));
	CHECK_STR(days(s), "2001-09-09:3", "its only message deleted: the day is gone");
	TX(s, store_delete_message(s, "C1", a.ts));
	CHECK_STR(days(s), "2001-09-09:2", "a delete: one fewer");
	t = only_day_changed(s);
	CHECK(t == 1000172800, "the edited message deleted: the last change is the newest left, the reply's (%lld)",
	      (long long)t);
	CHECK(store_user_changes(s, &A, &uc, &nu) == 0 && nu == 1 && uc[0].changed == 1000172800,
	      "and U1's goes back the same way");
	TX(s, store_delete_message(s, "C1", join.ts));
	CHECK_STR(days(s), "2001-09-09:2", "a join deleted: no change");
	CHECK(differ(path) == 0, "equal to a recount");

	st_daycount *dc;
	size_t n;
	CHECK(store_day_channels(s, &A, "2001-09-09", &dc, &n) == 0 && n == 1 && dc[0].count == 2 &&
		      strcmp(dc[0].name, "general") == 0,
	      "the day's sidebar: general (2)");
	CHECK(store_day_channels(s, &A, "2001-09-12", &dc, &n) == 0 && n == 0, "the emptied day's sidebar: none");
}

static void bulk(void)
{
	char path[] = "/tmp/slacklog-t-day-counts-bulk-XXXXXX";
	store_t *s = temp_archive(path);
	if (!s)
		return;
	st_channel c1 = {.id = "C1", .name = "general", .kind = CH_PUBLIC};
	CHECK(store_bulk_begin(s) == 1, "an empty archive loads in bulk");
	st_message r = msg("1000172800.000100", "2001-09-11", "1000000003.000100", NULL);
	st_message p = msg("1000000003.000100", "2001-09-09", "1000000003.000100", NULL);
	st_message j = msg("1000000004.000100", "2001-09-09", NULL, "channel_join");
	TX(s, (store_upsert_channel(s, &c1), store_upsert_message(s, &r)));
	CHECK(differ(path) > 0, "during the load the table is not kept");
	TX(s, (store_upsert_message(s, &p), store_upsert_message(s, &j)));
	CHECK(store_bulk_end(s) == 0, "the load ends");
	CHECK_STR(days(s), "2001-09-09:2", "counted at its end: the parent and its moved reply");
	CHECK(differ(path) == 0, "equal to a recount");
	st_message later = msg("1000259200.000100", "2001-09-12", NULL, NULL);
	TX(s, store_upsert_message(s, &later));
	CHECK_STR(days(s), "2001-09-09:2 2001-09-12:1", "after the load the triggers keep it again");
	store_close(s);
	temp_archive_remove(path);
}

int main(void)
{
	char path[] = "/tmp/slacklog-t-day-counts-XXXXXX";
	store_t *s = temp_archive(path);
	if (!s)
		return 1;
	writes(s, path);
	store_close(s);
	temp_archive_remove(path);
	bulk();
	arena_free(&A);
	UNIT_DONE();
}
