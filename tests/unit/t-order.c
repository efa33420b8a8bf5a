/* t-order.c: the store's order of a message's copies (store.h:
 * store_upsert_message), on a real file. Every case is also tried in the
 * other order of arrival: the rows must come out the same. */
#include "unit.h"
#include "temp-archive.h"
#include "store/store.h"
#include <stdlib.h>
#include <unistd.h>

static const char *CH = "C1", *TS = "1700000000.000100", *DAY = "2023-11-14";

static st_message copy(const char *raw, const char *edited, const char *seen)
{
	st_message m = {.channel_id = CH, .ts = TS, .day = DAY, .user_id = "U1", .text = "hi", .raw = raw,
			.rawlen = strlen(raw), .edited_ts = edited, .seen = seen};
	return m;
}

static store_t *fresh(char *path)
{
	store_t *s = temp_archive(path);
	st_channel c = {.id = CH, .name = "general", .kind = CH_PUBLIC};
	if (s)
		store_upsert_channel(s, &c);
	return s;
}

static const char *raw_of(store_t *s, arena_t *a)
{
	const st_message *m = store_message(s, a, CH, TS);
	return m ? m->raw : "(none)";
}

/* Copies: a newer edit wins; for the same edit, the state seen later,
 * even with less JSON; the same JSON seen later only moves the time. */
static void copies(void)
{
	char path[] = "/tmp/slacklog-t-order-XXXXXX";
	arena_t a = {0};
	store_t *s = fresh(path);
	if (!s)
		return;
	st_message long_ = copy("{\"previews\":[1,2]}", NULL, "1700000010.000000");
	st_message short_ = copy("{\"p\":[]}", NULL, "1700000020.000000");
	CHECK(store_upsert_message(s, &long_) == ST_INSERTED, "the copy with previews");
	CHECK(store_upsert_message(s, &short_) == ST_UPDATED, "previews taken away later: it replaces, though shorter");
	CHECK(store_upsert_message(s, &long_) == ST_UNCHANGED, "the older copy again: unchanged");
	CHECK_STR(raw_of(s, &a), "{\"p\":[]}", "the later state stays");
	st_message edit = copy("{\"e\":1}", "1700000030.000000", "1700000015.000000");
	CHECK(store_upsert_message(s, &edit) == ST_UPDATED, "a newer edit wins, seen earlier or not");
	st_message same = copy("{\"e\":1}", "1700000030.000000", "1700000040.000000");
	CHECK(store_upsert_message(s, &same) == ST_UNCHANGED, "the same JSON seen later: unchanged");
	st_message between = copy("{\"e\":2,\"more\":true}", "1700000030.000000", "1700000035.000000");
	CHECK(store_upsert_message(s, &between) == ST_UNCHANGED, "a copy seen before that: refused (the time moved)");
	CHECK_STR(raw_of(s, &a), "{\"e\":1}", "so the newest state stays");
	st_message tie = copy("{\"e\":1,\"x\":9}", "1700000030.000000", "1700000040.000000");
	CHECK(store_upsert_message(s, &tie) == ST_UPDATED, "same edit and time: the longer JSON");
	store_close(s);
	temp_archive_remove(path);

	/* the other order: between, tie, same, edit, long, short */
	char path2[] = "/tmp/slacklog-t-order-XXXXXX";
	s = fresh(path2);
	if (!s)
		return;
	st_message rev[] = {between, tie, same, edit, long_, short_};
	for (size_t i = 0; i < sizeof rev / sizeof *rev; i++)
		store_upsert_message(s, &rev[i]);
	CHECK_STR(raw_of(s, &a), "{\"e\":1,\"x\":9}", "in the other order: the same row");
	store_close(s);
	temp_archive_remove(path2);
	arena_free(&a);
}

int main(void)
{
	copies();
	UNIT_DONE();
}
