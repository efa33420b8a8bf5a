/* t-fuzz-found.c: what the fuzz targets found, kept as plain tests so
 * that the normal suite (not only the fuzz smoke run, which replays the
 * inputs in fuzz/corpus/) fails if it comes back. Expected values are
 * from the rules, not from a run: a ts counts from 1970-01-01 00:00 UTC,
 * which is 1969-12-31 16:00 in Los Angeles (UTC-8); the kind an event
 * tells last (by its event time) is the one kept; and json.h promises that
 * JSON_NOT_ARRAY means nothing was delivered. */
#include "unit.h"
#include "ingest/events.h"
#include "lib/json.h"
#include "lib/ts.h"
#include "temp-archive.h"

static void epoch_day(void)
{
	char d[11];
	ts_set_zone("America/Los_Angeles");
	ts_day(14400, d);
	CHECK_STR(d, "1969-12-31", "ts 14400 (04:00 UTC) is 20:00 the day before in Los Angeles");
	CHECK(day_valid(d), "and that day is one day_valid accepts (its page can be routed)");
	CHECK(!day_valid("1969-12-30") && !day_valid("1900-01-01"), "no ts falls earlier: refused");
	ts_set_zone("UTC");
}

static void quiet(void *ctx, const char *msg)
{
	(void)ctx;
	(void)msg;
}

/* Apply lines in order, as one `slacklog ingest` run. */
static void ingest(store_t *s, const char *const *lines, size_t n)
{
	warner w = {quiet, NULL};
	ev *e = ev_new(s, &w);
	store_begin(s);
	for (size_t i = 0; i < n; i++)
		ev_apply_text(e, lines[i], strlen(lines[i]), "test");
	store_commit(s);
	ev_free(e);
}

static int kind_of(store_t *s, const char *id)
{
	arena_t a = {0};
	const st_channel *c = store_channel_by_id(s, &a, id);
	int k = c ? (int)c->kind : -1;
	arena_free(&a);
	return k;
}

/* A message telling C2 is private (a group) at t=1456877600, then a
 * rename of the public channel C2 at t=1456880000: public is the later
 * word. Replaying the log used to flip it back to private. */
static void kind_replay(void)
{
	static const char *const log[] = {
		"{\"type\":\"message\",\"channel\":\"C2\",\"channel_type\":\"group\",\"event_ts\":\"1456877600.000000\"}",
		"{\"type\":\"channel_rename\",\"channel\":{\"id\":\"C2\",\"name\":\"chatter\"},\"event_ts\":\"1456880000.000000\"}",
	};
	static const char *const reversed[] = {log[1], log[0]};
	char path[] = "/tmp/t-fuzz-found-XXXXXX";
	store_t *s = temp_archive(path);
	if (!s)
		return;
	ingest(s, log, 2);
	CHECK(kind_of(s, "C2") == CH_PUBLIC, "the later event's kind is kept: public");
	ingest(s, log, 2);
	CHECK(kind_of(s, "C2") == CH_PUBLIC, "replaying the log keeps it public");
	store_close(s);
	temp_archive_remove(path);

	char path2[] = "/tmp/t-fuzz-found-XXXXXX";
	s = temp_archive(path2);
	if (!s)
		return;
	ingest(s, reversed, 2);
	CHECK(kind_of(s, "C2") == CH_PUBLIC, "read in the other order: public too");
	store_close(s);
	temp_archive_remove(path2);
}

static int count(void *ctx, const jv *item, const char *raw, size_t rawlen)
{
	(void)item;
	(void)raw;
	(void)rawlen;
	(*(int *)ctx)++;
	return 0;
}

/* Concatenated arrays are accepted; a string after them used to give
 * JSON_NOT_ARRAY although the first array's item had been delivered. */
static void array_then_scalar(void)
{
	static const char text[] = "[{\"ts\":\"1\"}]\n\"x\"";
	json_err err;
	int n = 0;
	CHECK(json_each(text, strlen(text), count, &n, &err, NULL) == JSON_SYNTAX && n == 1,
	      "an array, then a string: the item delivered and a syntax error (%d items)", n);
	n = 0;
	CHECK(json_each("\"x\"", 3, count, &n, &err, NULL) == JSON_NOT_ARRAY && n == 0,
	      "a string alone: not an array, nothing delivered");
}

int main(void)
{
	epoch_day();
	array_then_scalar();
	kind_replay();
	UNIT_DONE();
}
