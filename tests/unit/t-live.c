/* t-live.c: the store's side of live ingest: Events API event_ids are
 * recognised while kept and forgotten a day after their time; a sync's
 * view of threads (their newest stored reply, the threads active since a
 * time). */
#include "unit.h"
#include "temp-archive.h"
#include <stdint.h>
#include <string.h>

static void event_ids(store_t *s)
{
	const int64_t now = 1700000000, day = 24 * 3600;
	store_begin(s);
	CHECK(store_event_id(s, "EvOLD", now - 2 * day, now - 2 * day) == 1, "an id seen two days ago is new then");
	CHECK(store_event_id(s, "EvOLD", now - 2 * day, now - 2 * day + 60) == 0, "its retry a minute later is a duplicate");
	CHECK(store_event_id(s, "EvEDGE", now - day, now - day) == 1, "an id exactly a day old");
	CHECK(store_event_id(s, "EvNEW", now, now) == 1, "a new id now");
	CHECK(store_event_id(s, "EvEDGE", now - day, now) == 0, "the id exactly a day old is still kept");
	CHECK(store_event_id(s, "EvNEW", now, now + 3600) == 0, "its retry an hour later is a duplicate");
	/* time is the later of event_time and arrival: a replayed old event */
	CHECK(store_event_id(s, "EvREPLAY", now - 10 * day, now) == 1, "an old event arriving now");
	CHECK(store_event_id(s, "EvREPLAY", now - 10 * day, now + 60) == 0, "is still recognised a minute later");
	CHECK(store_event_id(s, "EvOLD", now - 2 * day, now) == 1, "the id from two days ago was forgotten: new again");
	CHECK(store_event_id(s, "EvEDGE", now - day, now + 3600) == 1, "an hour later it was forgotten");
	CHECK(store_event_id(s, "EvLATE", 0, now + day + 1) == 1, "an id without event_time, a day later");
	CHECK(store_event_id(s, "EvNEW", now, now + day + 2) == 1, "an id a day and more old is forgotten");
	CHECK(store_commit(s) == 0, "commit");
}

static void put(store_t *s, const char *ch, const char *ts, const char *thread)
{
	st_message m = {.channel_id = ch, .ts = ts, .day = "2016-03-01", .thread_ts = thread, .user_id = "U1",
			.text = "x", .raw = "{\"text\":\"x\"}", .rawlen = 12};
	store_upsert_message(s, &m);
}

static void threads(store_t *s)
{
	arena_t a = {0};
	st_channel c = {.id = "C1", .name = "general", .kind = CH_PUBLIC};
	store_upsert_channel(s, &c);
	put(s, "C1", "1000.000001", "1000.000001");         /* old thread, old replies */
	put(s, "C1", "1001.000001", "1000.000001");
	put(s, "C1", "2000.000001", "2000.000001");         /* old parent, a recent reply */
	put(s, "C1", "2001.000001", "2000.000001");
	put(s, "C1", "9000.000001", "2000.000001");
	put(s, "C1", "8000.000001", "8000.000001");         /* recent parent, no reply stored */
	put(s, "C1", "8500.000001", NULL);                  /* not a thread */
	put(s, "C2", "9500.000001", "9500.000001");         /* another channel */
	int64_t n;
	CHECK_STR(store_thread_latest(s, &a, "C1", "2000.000001", &n), "9000.000001", "newest stored reply of a thread");
	CHECK(n == 2, "and its stored replies (%lld)", (long long)n);
	CHECK(store_thread_latest(s, &a, "C1", "8000.000001", &n) == NULL && n == 0, "a parent without replies: none");
	st_thread *v;
	size_t nv;
	CHECK(store_channel_threads(s, &a, "C1", "5000.000000", &v, &nv) == 0, "threads active since a time");
	CHECK(nv == 2, "two of them (%zu)", nv);
	if (nv == 2) {
		CHECK_STR(v[0].thread_ts, "2000.000001", "the old parent with a recent reply, first");
		CHECK_STR(v[0].latest, "9000.000001", "with its newest message");
		CHECK_STR(v[1].thread_ts, "8000.000001", "the recent parent");
		CHECK_STR(v[1].latest, "8000.000001", "whose newest message is itself");
	}
	CHECK(store_channel_threads(s, &a, "C1", "9000.000002", &v, &nv) == 0 && nv == 0, "none active after the last");
	arena_free(&a);
}

int main(void)
{
	char path[] = "/tmp/slacklog-t-live-XXXXXX";
	store_t *s = temp_archive(path);
	if (!s)
		return 1;
	event_ids(s);
	threads(s);
	store_close(s);
	temp_archive_remove(path);
	UNIT_DONE();
}
