/* t-live.c: the store's side of live ingest: Events API event_ids are
 * recognised while kept and forgotten a day after their time. */
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

int main(void)
{
	char path[] = "/tmp/slacklog-t-live-XXXXXX";
	store_t *s = temp_archive(path);
	if (!s)
		return 1;
	event_ids(s);
	store_close(s);
	temp_archive_remove(path);
	UNIT_DONE();
}
