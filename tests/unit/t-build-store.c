/* t-build-store.c: what the store gives incremental builds: the change
 * log each write path fills in (store_changes), and the grouped reads
 * builds use (store_day_counts, store_authors, store_thread_spans). */
#include "unit.h"
#include "temp-archive.h"
#include "lib/buf.h"
#include <string.h>

static arena_t A;

static st_message msg(const char *ts, const char *day, const char *thread, const char *user, const char *raw)
{
	st_message m = {0};
	m.channel_id = "C1";
	m.ts = ts;
	m.day = day;
	m.thread_ts = thread;
	m.user_id = user;
	m.text = "hi";
	m.raw = raw;
	m.rawlen = strlen(raw);
	return m;
}

/* The changes after since, as "kind key day" lines. */
static const char *changes(store_t *s, int64_t since)
{
	st_change *c;
	size_t n;
	if (store_changes(s, &A, since, &c, &n) < 0)
		return "error";
	buf_t b = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s%c %s %s", i ? "; " : "", c[i].kind, c[i].key, c[i].day);
	const char *r = arena_strndup(&A, buf_str(&b), b.len);
	buf_free(&b);
	return r;
}

/* Run one write in a transaction; returns the sequence before it. */
#define TX(s, seq, stmt) do { seq = store_change_seq(s); store_begin(s); stmt; store_commit(s); } while (0)

static void change_log(store_t *s)
{
	int64_t q;
	st_channel c1 = {.id = "C1", .name = "general", .kind = CH_PUBLIC, .topic = "t1"};
	st_channel c2 = {.id = "C2", .name = "random", .kind = CH_PUBLIC};
	st_user u2 = {.id = "U2", .name = "bob", .title = "dev", .raw = "{\"a\":1}", .rawlen = 7};
	/* a first import into an empty archive, where the store skips the
	 * lookups of stored copies, records what it writes too */
	TX(s, q, (store_upsert_channel(s, &c1), store_upsert_channel(s, &c2), store_upsert_user(s, &u2),
		  store_upsert_message(s, &(st_message){.channel_id = "C1", .ts = "1000000000.000100", .day = "2001-09-09",
							.user_id = "U1", .text = "a", .raw = "{}", .rawlen = 2})));
	CHECK_STR(changes(s, q), "c C1 ; c C2 ; d C1 2001-09-09; n U1 ; u U2 ", "a first import: new channels, a day, people");
	int64_t first = store_change_seq(s);
	CHECK(first > q, "the sequence grew (%lld > %lld)", (long long)first, (long long)q);

	st_message m = msg("1000086400.000100", "2001-09-10", NULL, "U2", "{\"m\":1}");
	TX(s, q, store_upsert_message(s, &m));
	CHECK_STR(changes(s, q), "d C1 2001-09-10; n U2 ; u U2 ",
		  "a new message: its day page, its author's counts, and (their first) the person");
	CHECK(store_change_seq(s) > first, "the sequence grew again");

	TX(s, q, store_upsert_message(s, &m));
	CHECK_STR(changes(s, q), "", "the same message again changes nothing");

	st_message e = m;
	e.edited_ts = "1000090000.000100";
	e.raw = "{\"m\":2}";
	TX(s, q, store_upsert_message(s, &e));
	CHECK_STR(changes(s, q), "d C1 2001-09-10; n U2 ", "an edit: its day page");

	/* a reply stored before its parent is on its own day; the parent
	 * moves it to the parent's day, and links to it change */
	st_message r = msg("1000172800.000100", "2001-09-11", "1000000000.000200", "U2", "{\"r\":1}");
	TX(s, q, store_upsert_message(s, &r));
	CHECK_STR(changes(s, q), "d C1 2001-09-11; n U2 ", "an orphan reply: its own day");
	st_message p = msg("1000000000.000200", "2001-09-09", "1000000000.000200", "U2", "{\"p\":1}");
	TX(s, q, store_upsert_message(s, &p));
	CHECK_STR(changes(s, q), "d C1 2001-09-09; d C1 2001-09-11; m C1 1000172800.000100; n U2 ",
		  "its parent: the parent's day, the day the reply left, the reply itself");

	TX(s, q, store_reaction_add(s, "C1", "1000172800.000100", "+1", "U1"));
	CHECK_STR(changes(s, q), "d C1 2001-09-09; d C1 2001-09-11",
		  "a reaction to the reply: the day page it is on, and its own day's");
	TX(s, q, store_reaction_add(s, "C1", "1000172800.000100", "+1", "U1"));
	CHECK_STR(changes(s, q), "", "the same reaction again changes nothing");

	TX(s, q, store_delete_message(s, "C1", "1000086400.000100"));
	CHECK_STR(changes(s, q), "d C1 2001-09-10; m C1 1000086400.000100; n U2 ", "a deletion: its page, links to it, counts");

	st_message j = msg("1000259200.000100", "2001-09-12", NULL, "U2", "{\"j\":1}");
	j.subtype = "channel_join";
	TX(s, q, store_upsert_message(s, &j));
	CHECK_STR(changes(s, q), "", "a join, never shown, changes nothing");

	st_user same = u2;
	same.raw = "{\"a\":2}";
	TX(s, q, store_upsert_user(s, &same));
	CHECK_STR(changes(s, q), "", "a profile whose shown fields are the same changes nothing");
	st_user retitled = same;
	retitled.title = "lead";
	retitled.raw = "{\"a\":3}";
	TX(s, q, store_upsert_user(s, &retitled));
	CHECK_STR(changes(s, q), "u U2 ", "a new title: the person");

	st_channel topic = c1;
	topic.topic = "t2";
	TX(s, q, store_upsert_channel(s, &topic));
	CHECK_STR(changes(s, q), "c C1 ", "a new topic: the channel");
	st_channel renamed = topic;
	renamed.name = "main";
	TX(s, q, store_upsert_channel(s, &renamed));
	CHECK_STR(changes(s, q), "g  ", "a rename: everything");

	TX(s, q, store_set_setting(s, "sync_cursor", "x"));
	CHECK_STR(changes(s, q), "", "a setting pages do not read changes nothing");
	TX(s, q, store_set_setting(s, "time_zone", "Europe/Berlin"));
	CHECK_STR(changes(s, q), "g  ", "the time zone: everything");

	q = store_change_seq(s);
	CHECK(store_redact(s, "C1", "1000000000.000200", false) == 1, "take down the parent");
	CHECK_STR(changes(s, q), "g  ", "a takedown: everything");

	/* outside a transaction each write is its own */
	q = store_change_seq(s);
	st_message late = msg("1000345600.000100", "2001-09-13", NULL, "U1", "{\"l\":1}");
	store_upsert_message(s, &late);
	CHECK_STR(changes(s, q), "d C1 2001-09-13; n U1 ", "a write outside a transaction is recorded too");
	/* everything again, after changes newer than the last 'g' */
	q = store_change_seq(s);
	CHECK(store_optout(s, "U1", false) >= 0, "opt a person out");
	CHECK_STR(changes(s, q), "g  ", "an opt-out after other changes: everything, after them");
	CHECK(store_change_seq(s) > q, "the sequence never goes back (%lld after %lld)", (long long)store_change_seq(s),
	      (long long)q);
	CHECK(store_optout(s, "U1", true) >= 0, "and back in");
	char id[64];
	const char *aid = store_archive_id(s, &A);
	snprintf(id, sizeof id, "%s", aid ? aid : "");
	CHECK(strlen(id) == 16, "the archive has an identity (%s)", id);
}

/* A person's first shown message in a published channel and their last:
 * they gain and lose their page, and the pages that name them change. */
static void first_and_last(store_t *s)
{
	int64_t q;
	st_user u3 = {.id = "U3", .name = "cy", .raw = "{}", .rawlen = 2};
	st_channel c3 = {.id = "C3", .name = "secret", .kind = CH_PRIVATE};
	TX(s, q, (store_upsert_user(s, &u3), store_upsert_channel(s, &c3)));
	st_message hid = msg("1000400000.000100", "2001-09-14", NULL, "U3", "{\"h\":1}");
	hid.channel_id = "C3";
	TX(s, q, store_upsert_message(s, &hid));
	CHECK_STR(changes(s, q), "d C3 2001-09-14; n U3 ", "a first message in an unpublished channel: not the person");
	st_message one = msg("1000400000.000200", "2001-09-14", NULL, "U3", "{\"o\":1}");
	TX(s, q, store_upsert_message(s, &one));
	CHECK_STR(changes(s, q), "d C1 2001-09-14; n U3 ; u U3 ", "their first in a published one: the person");
	st_message two = msg("1000400000.000300", "2001-09-14", NULL, "U3", "{\"t\":1}");
	TX(s, q, store_upsert_message(s, &two));
	CHECK_STR(changes(s, q), "d C1 2001-09-14; n U3 ", "a second: not the person");
	st_message nobody = msg("1000400000.000400", "2001-09-14", NULL, "U9", "{\"n\":1}");
	TX(s, q, store_upsert_message(s, &nobody));
	CHECK_STR(changes(s, q), "d C1 2001-09-14; n U9 ", "a first message by someone without a profile (no page)");
	TX(s, q, store_delete_message(s, "C1", "1000400000.000300"));
	CHECK_STR(changes(s, q), "d C1 2001-09-14; m C1 1000400000.000300; n U3 ", "a deletion that leaves one: not the person");
	TX(s, q, store_delete_message(s, "C1", "1000400000.000200"));
	CHECK_STR(changes(s, q), "d C1 2001-09-14; m C1 1000400000.000200; n U3 ; u U3 ",
		  "the deletion of their last: the person");
}

static void grouped_reads(store_t *s)
{
	st_chanday *d;
	size_t n;
	CHECK(store_day_counts(s, &A, true, &d, &n) == 0, "day counts");
	/* C1: 09-09 (the first message, the reply; the parent is taken
	 * down), 09-11 none (the reply moved), 09-13 (one) */
	buf_t b = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s %s %lld %lld;", d[i].channel_id, d[i].day, (long long)d[i].count, (long long)d[i].changed);
	CHECK_STR(buf_str(&b), "C1 2001-09-09 2 1000172800;C1 2001-09-13 1 1000345600;",
		  "every day page's count and last change");
	st_daycount *c;
	size_t nc;
	store_channel_days(s, &A, "C1", &c, &nc);
	CHECK(nc == 2 && c[0].count == d[0].count && c[1].count == d[1].count, "the same as store_channel_days");
	buf_reset(&b);
	st_author *au;
	CHECK(store_authors(s, &A, &au, &n) == 0, "authors");
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s/%s;", au[i].user_id, au[i].channel_id);
	CHECK_STR(buf_str(&b), "U1/C1;U2/C1;", "each author with their channels");
	buf_reset(&b);
	st_threadspan *t;
	CHECK(store_thread_spans(s, &A, "C1", &t, &n) == 0, "threads");
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s %s %s;", t[i].ts, t[i].first_day, t[i].last_day);
	CHECK_STR(buf_str(&b), "1000000000.000200 2001-09-09 2001-09-09;", "the thread, on its parent's day");
	buf_free(&b);
}

/* A watcher's look (store_change_seq_poll) from another handle: each
 * commit is seen, and without one the answer costs no query. */
static void watch(store_t *s, const char *path)
{
	char err[256];
	store_t *r = store_open(path, STORE_READONLY, err, sizeof err);
	CHECK(r != NULL, "a read-only handle (%s)", r ? "" : err);
	if (!r)
		return;
	int64_t seq = store_change_seq_poll(r);
	CHECK(seq == store_change_seq(s), "a first look: the sequence (%lld)", (long long)seq);
	CHECK(store_change_seq_poll(r) == seq, "no commit since: the same");
	st_message m = msg("1000432000.000100", "2001-09-14", NULL, "U2", "{\"w\":1}");
	store_upsert_message(s, &m);
	CHECK(store_change_seq_poll(r) == store_change_seq(s) && store_change_seq(s) > seq,
	      "another handle's commit: the new sequence");
	seq = store_change_seq_poll(r);
	store_set_setting(s, "sync_cursor", "y");
	CHECK(store_change_seq_poll(r) == seq, "a commit that changes no page: the same sequence");
	store_close(r);
}

/* The days of pages that link to a message, as "channel day; ..." sorted. */
static const char *days_of(st_chanday *d, size_t n)
{
	const char **v = arena_alloc(&A, (n + 1) * sizeof *v);
	for (size_t i = 0; i < n; i++) {
		char *e = arena_alloc(&A, strlen(d[i].channel_id) + strlen(d[i].day) + 2);
		sprintf(e, "%s %s", d[i].channel_id, d[i].day);
		v[i] = e;
	}
	for (size_t i = 1; i < n; i++)   /* a few: insertion sort */
		for (size_t j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
			const char *t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	buf_t b = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i ? "; " : "", v[i]);
	const char *r = arena_strndup(&A, buf_str(&b), b.len);
	buf_free(&b);
	return r;
}

/* Pages that link to a message (its permalink in their JSON): found
 * among the messages posted or edited after it, without a read of the
 * others; store_days_naming reads them all. */
static void links(store_t *s)
{
	st_message after = msg("1000600000.000100", "2001-09-16", NULL, "U2", "{\"t\":\"see p1000500000000100\"}");
	st_message before = msg("1000400000.000100", "2001-09-13", NULL, "U2", "{\"t\":\"p1000500000000100 (made up)\"}");
	st_message edited = msg("1000300000.000100", "2001-09-12", NULL, "U2", "{\"t\":\"now p1000500000000100\"}");
	edited.edited_ts = "1000700000.000000";
	store_upsert_message(s, &after);
	store_upsert_message(s, &before);
	store_upsert_message(s, &edited);
	const char *tok[1] = {"p1000500000000100"};
	st_chanday *d;
	size_t n;
	CHECK(store_days_linking(s, &A, tok, 1, "1000500000.000100", &d, &n) == 0, "days linking");
	CHECK_STR(days_of(d, n), "C1 2001-09-12; C1 2001-09-16", "a later message and one edited later link to it");
	CHECK(store_days_naming(s, &A, tok, 1, &d, &n) == 0, "days naming");
	CHECK_STR(days_of(d, n), "C1 2001-09-12; C1 2001-09-13; C1 2001-09-16",
		  "naming reads every message, the older one's made-up link too");
	CHECK(store_days_linking(s, &A, tok, 0, "1000500000.000100", &d, &n) == 0 && n == 0, "no tokens: nothing");
}

int main(void)
{
	char path[] = "/tmp/slacklog-t-build-store-XXXXXX";
	store_t *s = temp_archive(path);
	if (!s)
		return 1;
	change_log(s);
	grouped_reads(s);
	first_and_last(s);
	watch(s, path);
	links(s);
	store_close(s);
	temp_archive_remove(path);
	arena_free(&A);
	UNIT_DONE();
}
