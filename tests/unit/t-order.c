/* t-order.c: the store's order of a message's copies and of its
 * reactions (store.h: store_upsert_message, store_reaction_event), on a
 * real file. Every case is also tried in the other order of arrival: the
 * rows must come out the same. */
#include "unit.h"
#include "temp-archive.h"
#include "store/store.h"
#include "lib/buf.h"
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

/* "name=people ..." in the order a page reads them */
static const char *reactions_of(store_t *s, arena_t *a)
{
	const st_message *m = store_message(s, a, CH, TS);
	buf_t b = BUF_INIT;
	for (size_t i = 0; m && i < m->nreactions; i++)
		buf_printf(&b, "%s%s=%s/%d", i ? " " : "", m->reactions[i].name, m->reactions[i].users,
			   m->reactions[i].count);
	const char *r = arena_strndup(a, b.p ? b.p : "", b.len);
	buf_free(&b);
	return r;
}

/* The archive's reactions ("" when there is none), and the archive gone. */
static const char *finish(store_t *s, const char *path)
{
	static char out[256];
	arena_t a = {0};
	snprintf(out, sizeof out, "%s", s ? reactions_of(s, &a) : "");
	store_close(s);
	temp_archive_remove(path);
	arena_free(&a);
	return out;
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

static int ev(store_t *s, const char *name, const char *user, bool add, const char *at)
{
	return store_reaction_event(s, CH, TS, name, user, add, at);
}

/* Events alone: a reaction's place is when it was first added; one that
 * loses its last person and comes back goes last; people in the order
 * they reacted. */
static const char *events(bool reversed)
{
	char path[] = "/tmp/slacklog-t-order-XXXXXX";
	store_t *s = fresh(path);
	if (!s)
		return "";
	struct { const char *name, *user; bool add; const char *at; } v[] = {
		{"tada", "U1", true, "1700000100.000000"}, {"eyes", "U2", true, "1700000110.000000"},
		{"tada", "U3", true, "1700000120.000000"}, {"rocket", "U2", true, "1700000130.000000"},
		{"tada", "U1", false, "1700000140.000000"}, {"eyes", "U2", false, "1700000150.000000"},
		{"eyes", "U4", true, "1700000160.000000"}, {"tada", "U5", true, "1700000170.000000"},
	};
	size_t n = sizeof v / sizeof *v;
	st_message m = copy("{\"m\":1}", NULL, NULL);
	m.keep_reactions = true;
	if (!reversed)
		store_upsert_message(s, &m);
	int older = 0, failed = 0;
	for (size_t k = 0; k < n; k++) {
		size_t i = reversed ? n - 1 - k : k;
		int rc = ev(s, v[i].name, v[i].user, v[i].add, v[i].at);
		older += rc == 1;
		failed += rc < 0;
	}
	/* backwards, the first adds of tada by U1 and eyes by U2 come after
	 * the removals that undo them */
	CHECK(!failed && older == (reversed ? 2 : 0), "%s: every event applied, but %d older than one applied",
	      reversed ? "backwards" : "forwards", older);
	if (reversed)
		store_upsert_message(s, &m);
	CHECK(ev(s, "tada", "U1", true, "1700000100.000000") == 1, "an event older than the person's last: ignored");
	CHECK(ev(s, "eyes", "U4", true, "1700000160.000000") == 1, "the same event twice: ignored");
	return finish(s, path);
}

/* A list of reactions as of a time (an export's or the Web API's), and
 * events before and after it, in both orders. */
static const char *lists(bool events_first)
{
	char path[] = "/tmp/slacklog-t-order-XXXXXX";
	store_t *s = fresh(path);
	if (!s)
		return "";
	st_reaction old[] = {{.name = "x", .count = 3, .users = "U1"}, {.name = "y", .count = 1, .users = "U2"}};
	st_reaction now[] = {{.name = "y", .count = 2, .users = "U2,U3"}, {.name = "x", .count = 1, .users = "U1"}};
	st_message older = copy("{\"m\":1}", NULL, "1700000200.000000");
	older.reactions = old, older.nreactions = 2;
	st_message newer = copy("{\"m\":1}", NULL, "1700000300.000000");
	newer.reactions = now, newer.nreactions = 2;
	int before = 0;
	if (events_first) {
		before += ev(s, "z", "U9", true, "1700000250.000000");     /* told by newer's list: not there */
		before += ev(s, "x", "U8", true, "1700000350.000000");     /* after it */
		before += ev(s, "y", "U2", false, "1700000360.000000");
	}
	store_upsert_message(s, &newer);
	store_upsert_message(s, &older);
	if (!events_first) {
		CHECK(ev(s, "z", "U9", true, "1700000250.000000") == 1, "an event before the newest list: ignored");
		CHECK(ev(s, "x", "U8", true, "1700000350.000000") == 0 && ev(s, "y", "U2", false, "1700000360.000000") == 0,
		      "events after it: applied");
	} else {
		CHECK(before == 0, "events before the message: kept");
	}
	return finish(s, path);
}

/* Two lists as of the same time (two exports made the same day): the
 * one with more people, whatever the order; an event's copy of the
 * message, which says nothing of reactions, keeps them. */
static void ties(void)
{
	arena_t a = {0};
	const char *got[2] = {"", ""};
	for (int k = 0; k < 2; k++) {
		char path[] = "/tmp/slacklog-t-order-XXXXXX";
		store_t *s = fresh(path);
		if (!s)
			break;
		st_reaction one[] = {{.name = "a", .count = 1, .users = "U1"}};
		st_reaction two[] = {{.name = "b", .count = 2, .users = "U1,U2"}};
		st_message m1 = copy("{\"m\":1}", NULL, "1700000500.000000");
		m1.reactions = one, m1.nreactions = 1;
		st_message m2 = copy("{\"m\":2}", NULL, "1700000500.000000");
		m2.reactions = two, m2.nreactions = 1;
		store_upsert_message(s, k ? &m2 : &m1);
		store_upsert_message(s, k ? &m1 : &m2);
		st_message event = copy("{\"m\":3,\"edited\":1}", "1700000600.000000", "1700000600.000000");
		event.keep_reactions = true;
		CHECK(store_upsert_message(s, &event) == ST_UPDATED, "an event's copy replaces the message");
		const char *r = finish(s, path);
		got[k] = arena_strndup(&a, r, strlen(r));
	}
	CHECK_STR(got[0], "b=U1,U2/2", "same time: the list with more people, kept through the event's copy");
	CHECK_STR(got[1], got[0], "in the other order too");
	arena_free(&a);
}

/* A list whose people are cut short (count is Slack's): a person taken
 * away leaves the others counted, and the reaction in its place. */
static void truncated(void)
{
	char path[] = "/tmp/slacklog-t-order-XXXXXX";
	store_t *s = fresh(path);
	if (!s)
		return;
	st_reaction r[] = {{.name = "many", .count = 5, .users = "U1,U2"}, {.name = "one", .count = 1, .users = "U3"}};
	st_message m = copy("{\"m\":1}", NULL, "1700000700.000000");
	m.reactions = r, m.nreactions = 2;
	store_upsert_message(s, &m);
	CHECK(ev(s, "many", "U1", false, "1700000710.000000") == 0 && ev(s, "many", "U2", false, "1700000720.000000") == 0,
	      "the two people listed take theirs back");
	CHECK_STR(finish(s, path), "many=/3 one=U3/1", "three unlisted still count, in the list's place");
}

int main(void)
{
	copies();
	const char *fw = events(false), *bw = events(true);
	CHECK_STR(fw, "tada=U3,U5/2 rocket=U2/1 eyes=U4/1", "events: first added first, eyes back last");
	CHECK_STR(bw, fw, "events in reverse, before their message: the same");
	const char *l1 = lists(false), *l2 = lists(true);
	CHECK_STR(l1, "y=U3/1 x=U1,U8/2", "the newest list's order, the events after it on top");
	CHECK_STR(l2, l1, "events first: the same");
	ties();
	truncated();
	UNIT_DONE();
}
