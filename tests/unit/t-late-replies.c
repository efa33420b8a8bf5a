/* t-late-replies.c: late_replies (schema 11), the replies a thread got on
 * other days than its start's page, kept by triggers, through the writes
 * that change it: replies on the start's day (not late) and on later
 * days, a reply stored before its start and moved to the start's day, a
 * delete of a day's first reply and of its last, an edit into a join, an
 * opt-out and its undo, a takedown, a private channel, and a first
 * import's bulk load (triggers off, one count at the end). Expected rows
 * are worked out by hand below; each step is also checked against a
 * recount of the messages table with SQL of this test's own. */
#include "unit.h"
#include "temp-archive.h"
#include "lib/buf.h"
#include <sqlite3.h>
#include <string.h>

static arena_t A;

static st_message msg(const char *channel, const char *ts, const char *day, const char *thread, const char *user)
{
	st_message m = {0};
	m.channel_id = channel;
	m.ts = ts;
	m.day = day;
	m.thread_ts = thread;
	m.user_id = user;
	m.text = "hi";
	m.raw = ts;                /* distinct per message */
	m.rawlen = strlen(ts);
	return m;
}

/* A channel-day's threads as "thread/page_day:replies@first ..." */
static const char *day_late(store_t *s, const char *channel, const char *day)
{
	st_late *v;
	size_t n;
	if (store_day_late(s, &A, channel, day, &v, &n) < 0)
		return "error";
	buf_t b = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s%s/%s:%lld@%s", i ? " " : "", v[i].thread_ts, v[i].page_day, (long long)v[i].replies,
			   v[i].first_ts);
	const char *r = arena_strndup(&A, buf_str(&b), b.len);
	buf_free(&b);
	return r;
}

/* A channel's days with such replies as "day:replies/newest ..." */
static const char *late_days(store_t *s, const char *channel)
{
	st_chanday *v;
	size_t n;
	if (store_late_days(s, &A, channel, &v, &n) < 0)
		return "error";
	buf_t b = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s%s:%lld/%lld", i ? " " : "", v[i].day, (long long)v[i].count, (long long)v[i].changed);
	const char *r = arena_strndup(&A, buf_str(&b), b.len);
	buf_free(&b);
	return r;
}

/* One number the archive's file answers, read without the store (-1 on
 * error). */
static int number(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *q;
	int n = -1;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK) {
		if (sqlite3_step(q) == SQLITE_ROW)
			n = sqlite3_column_int(q, 0);
		sqlite3_finalize(q);
	}
	sqlite3_close(db);
	return n;
}

/* Rows where late_replies and a recount of messages differ (0: equal). */
static int differ(const char *path)
{
	return number(path, "WITH want AS (SELECT channel_id, day, thread_ts, page_day, count(*), min(ts), max(ts) "
			    "FROM messages WHERE hidden = 0 AND thread_ts IS NOT NULL AND thread_ts <> ts AND day <> page_day "
			    "GROUP BY 1, 2, 3, 4), have AS (SELECT channel_id, day, thread_ts, page_day, n, first_ts, "
			    "last_ts FROM late_replies) SELECT (SELECT count(*) FROM (SELECT * FROM want EXCEPT "
			    "SELECT * FROM have)) + (SELECT count(*) FROM (SELECT * FROM have EXCEPT SELECT * FROM want))");
}

/* Rows in the table, whoever can see them. */
static int rows(const char *path)
{
	return number(path, "SELECT count(*) FROM late_replies");
}

#define TX(s, stmt) do { store_begin(s); stmt; store_commit(s); } while (0)

#define P "1000000000.000100"       /* a thread's start, 2001-09-09 */
#define R1 "1000000100.000100"      /* its reply the same day */
#define R2 "1000086400.000100"      /* two replies on 2001-09-10 */
#define R3 "1000090000.000100"
#define R4 "1000093600.000100"      /* a third that day */
#define R5 "1000097200.000100"      /* and one by U2 */
#define Q "1000000500.000100"       /* a start stored after its reply */
#define O "1000180000.000100"       /* that reply, 2001-09-11 */

static void writes(store_t *s, const char *path)
{
	st_channel c1 = {.id = "C1", .name = "general", .kind = CH_PUBLIC};
	st_channel c2 = {.id = "G2", .name = "secret", .kind = CH_PRIVATE};
	st_message p = msg("C1", P, "2001-09-09", P, "U1");
	st_message r1 = msg("C1", R1, "2001-09-09", P, "U1");
	TX(s, (store_upsert_channel(s, &c1), store_upsert_channel(s, &c2), store_upsert_message(s, &p),
	       store_upsert_message(s, &r1)));
	CHECK_STR(late_days(s, "C1"), "", "a reply on its start's day is not late");

	st_message r3 = msg("C1", R3, "2001-09-10", P, "U1"), r2 = msg("C1", R2, "2001-09-10", P, "U1");
	TX(s, (store_upsert_message(s, &r3), store_upsert_message(s, &r2)));
	CHECK_STR(day_late(s, "C1", "2001-09-10"), P "/2001-09-09:2@" R2, "two replies the next day: one row, from the first");
	CHECK_STR(late_days(s, "C1"), "2001-09-10:2/1000090000", "the day, its count and its newest reply");
	CHECK_STR(day_late(s, "C1", "2001-09-09"), "", "nothing on the start's own day");
	CHECK(differ(path) == 0, "equal to a recount");

	/* a reply stored before its start: on its own day's page, not late;
	 * then the start, and it moves to the start's page: late */
	st_message o = msg("C1", O, "2001-09-11", Q, "U1"), q = msg("C1", Q, "2001-09-09", Q, "U1");
	TX(s, store_upsert_message(s, &o));
	CHECK_STR(day_late(s, "C1", "2001-09-11"), "", "a reply without its start is on its own page");
	TX(s, store_upsert_message(s, &q));
	CHECK_STR(day_late(s, "C1", "2001-09-11"), Q "/2001-09-09:1@" O, "its start arrives: the reply is late");
	CHECK(differ(path) == 0, "equal to a recount");

	/* deletes: of the first of a day's replies, then of the last */
	st_message r4 = msg("C1", R4, "2001-09-10", P, "U2");
	TX(s, store_upsert_message(s, &r4));
	CHECK_STR(late_days(s, "C1"), "2001-09-10:3/1000093600 2001-09-11:1/1000180000", "a third reply, the newest");
	TX(s, store_delete_message(s, "C1", R2));
	CHECK_STR(day_late(s, "C1", "2001-09-10"), P "/2001-09-09:2@" R3, "the first deleted: the next is the first");
	TX(s, store_delete_message(s, "C1", R4));
	CHECK_STR(late_days(s, "C1"), "2001-09-10:1/1000090000 2001-09-11:1/1000180000",
		  "the last deleted: the one before is the newest");
	CHECK(differ(path) == 0, "equal to a recount");
	TX(s, store_upsert_message(s, &r4));
	CHECK_STR(day_late(s, "C1", "2001-09-10"), P "/2001-09-09:1@" R3, "a deleted reply does not come back");

	/* an opt-out hides U2's reply; the undo shows it again */
	st_message r5 = msg("C1", R5, "2001-09-10", P, "U2");
	TX(s, store_upsert_message(s, &r5));
	CHECK(store_optout(s, "U2", false) == 1, "U2 opts out");
	CHECK_STR(day_late(s, "C1", "2001-09-10"), P "/2001-09-09:1@" R3, "their reply is not counted");
	CHECK(differ(path) == 0, "equal to a recount");
	CHECK(store_optout(s, "U2", true) == 1, "and back in");
	CHECK_STR(day_late(s, "C1", "2001-09-10"), P "/2001-09-09:2@" R3, "it is counted again");
	CHECK_STR(late_days(s, "C1"), "2001-09-10:2/1000097200 2001-09-11:1/1000180000", "and is the newest again");

	/* an edit that makes a reply a join (hidden) */
	st_message j = r3;
	j.edited_ts = "1000100000.000100";
	j.subtype = "channel_join";
	j.raw = "edited into a join";
	j.rawlen = strlen(j.raw);
	TX(s, store_upsert_message(s, &j));
	CHECK_STR(day_late(s, "C1", "2001-09-10"), P "/2001-09-09:1@" R5, "an edit into a join: one fewer, a new first");
	CHECK(differ(path) == 0, "equal to a recount");

	/* a takedown of the thread: its replies are not shown */
	CHECK(store_redact(s, "C1", P, true) > 0, "the thread is taken down");
	CHECK_STR(day_late(s, "C1", "2001-09-10"), "", "its replies are not counted");
	CHECK_STR(late_days(s, "C1"), "2001-09-11:1/1000180000", "only the other thread's day is left");
	CHECK(differ(path) == 0, "equal to a recount");

	/* a private channel's: kept, never read out */
	st_message gp = msg("G2", P, "2001-09-09", P, "U1"), gr = msg("G2", R2, "2001-09-10", P, "U1");
	TX(s, (store_upsert_message(s, &gp), store_upsert_message(s, &gr)));
	CHECK(rows(path) == 2, "the private channel's reply has its row");
	CHECK_STR(day_late(s, "G2", "2001-09-10"), "", "but its day shows no line");
	CHECK_STR(late_days(s, "G2"), "", "and its channel no day");
	CHECK(differ(path) == 0, "equal to a recount");
}

static void bulk(void)
{
	char path[] = "/tmp/slacklog-t-late-replies-bulk-XXXXXX";
	store_t *s = temp_archive(path);
	if (!s)
		return;
	st_channel c1 = {.id = "C1", .name = "general", .kind = CH_PUBLIC};
	CHECK(store_bulk_begin(s) == 1, "an empty archive loads in bulk");
	st_message o = msg("C1", O, "2001-09-11", Q, "U1"), q = msg("C1", Q, "2001-09-09", Q, "U1");
	st_message r2 = msg("C1", R2, "2001-09-10", Q, "U1");
	TX(s, (store_upsert_channel(s, &c1), store_upsert_message(s, &o), store_upsert_message(s, &r2)));
	CHECK(rows(path) == 0, "during the load the table is not kept");
	TX(s, store_upsert_message(s, &q));
	CHECK(store_bulk_end(s) == 0, "the load ends");
	CHECK_STR(late_days(s, "C1"), "2001-09-10:1/1000086400 2001-09-11:1/1000180000",
		  "counted at its end, with the reply stored before its start");
	CHECK(differ(path) == 0, "equal to a recount");
	st_message r3 = msg("C1", R3, "2001-09-10", Q, "U1");
	TX(s, store_upsert_message(s, &r3));
	CHECK_STR(day_late(s, "C1", "2001-09-10"), Q "/2001-09-09:2@" R2, "after the load the triggers keep it again");
	store_close(s);
	temp_archive_remove(path);
}

int main(void)
{
	char path[] = "/tmp/slacklog-t-late-replies-XXXXXX";
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
