/* t-store.c: the SQLite store through store.h, on a real file. */
#include "unit.h"
#include "temp-archive.h"
#include "store/store.h"
#include "lib/ts.h"
#include <stdlib.h>
#include <unistd.h>

static st_message msg(const char *ch, const char *ts, const char *day, const char *thread, const char *raw)
{
	st_message m = {0};
	m.channel_id = ch;
	m.ts = ts;
	m.day = day;
	m.thread_ts = thread;
	m.user_id = "U1";
	m.text = "hi";
	m.raw = raw;
	m.rawlen = strlen(raw);
	return m;
}

static int64_t day_count(st_daycount *v, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].day, key) == 0)
			return v[i].count;
	return -1;
}

/* A first import: bulk mode on an empty archive, everything in one
 * transaction, where the store skips the lookups an empty archive cannot
 * need. The results must be those of the slow path. */
static void first_import(void)
{
	char path[] = "/tmp/slacklog-t-store-bulk-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	unlink(path);
	char err[256];
	arena_t a = {0};
	store_t *s = store_open(path, STORE_CREATE, err, sizeof err);
	CHECK(s != NULL, "create archive for a first import (%s)", s ? "" : err);
	if (!s)
		return;
	CHECK(store_bulk_begin(s) == 1, "bulk load on an empty archive");
	CHECK(store_begin(s) == 0, "begin");
	st_channel pub = {.id = "C1", .name = "general", .kind = CH_PUBLIC};
	store_upsert_channel(s, &pub);
	st_message r1 = msg("C1", "0000000200.000001", "2020-01-02", "0000000100.000001", "{\"r\":1}");
	CHECK(store_upsert_message(s, &r1) == ST_INSERTED, "first import: reply before its parent inserted");
	st_message p = msg("C1", "0000000100.000001", "2020-01-01", "0000000100.000001", "{\"p\":1}");
	st_reaction re = {.name = "+1", .count = 1, .users = "U1"};
	p.reactions = &re;
	p.nreactions = 1;
	CHECK(store_upsert_message(s, &p) == ST_INSERTED, "first import: parent inserted");
	st_message p2 = p;
	p2.raw = "{\"p\":22}";
	p2.rawlen = strlen(p2.raw);
	CHECK(store_upsert_message(s, &p2) == ST_UPDATED, "first import: the same message again, longer, is an update");
	CHECK(store_upsert_message(s, &p2) == ST_UNCHANGED, "first import: and then unchanged");
	st_message other = msg("C1", "0000000400.000001", "2020-01-04", NULL, "{\"o\":1}");
	CHECK(store_upsert_message(s, &other) == ST_INSERTED, "first import: a message without thread inserted");
	CHECK(store_commit(s) == 0, "commit");
	CHECK(store_bulk_end(s) == 0, "bulk load ends");
	const st_message *g = store_message(s, &a, "C1", "0000000200.000001");
	CHECK_STR(g ? g->page_day : NULL, "2020-01-01", "first import: reply moved to the parent's later-arriving day");
	g = store_message(s, &a, "C1", "0000000100.000001");
	CHECK(g && g->nreactions == 1 && g->reactions[0].count == 1, "first import: the update kept one reaction row");
	CHECK_STR(g ? g->raw : NULL, "{\"p\":22}", "first import: the update stored the longer JSON");
	CHECK(store_bulk_begin(s) == 0, "no bulk load once the archive has messages");
	store_close(s);
	char side[300];
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
	unlink(path);
	arena_free(&a);
}

/* A day's messages come back each with its own reactions, in the order
 * they were stored (not by name), however many messages share the day. */
static void day_reactions(void)
{
	char path[] = "/tmp/slacklog-t-store-react-XXXXXX";
	arena_t a = {0};
	store_t *s = temp_archive(path);
	if (!s)
		return;
	st_channel pub = {.id = "C1", .name = "general", .kind = CH_PUBLIC};
	store_upsert_channel(s, &pub);
	st_channel other = {.id = "C2", .name = "other", .kind = CH_PUBLIC};
	store_upsert_channel(s, &other);
	/* three messages of one day, the middle one without reactions; the
	 * same ts in another channel with a reaction of its own */
	st_reaction r1[] = {{.name = "zebra", .count = 1, .users = "U1"}, {.name = "apple", .count = 2, .users = "U1,U2"}};
	st_reaction r3[] = {{.name = "tada", .count = 1, .users = "U3"}};
	st_reaction rx[] = {{.name = "elsewhere", .count = 1, .users = "U9"}};
	st_message m1 = msg("C1", "1577872800.000100", "2020-01-01", NULL, "{\"m\":1}");
	st_message m2 = msg("C1", "1577872900.000200", "2020-01-01", NULL, "{\"m\":2}");
	st_message m3 = msg("C1", "1577873000.000300", "2020-01-01", NULL, "{\"m\":3}");
	st_message mx = msg("C2", "1577872800.000100", "2020-01-01", NULL, "{\"m\":4}");
	m1.reactions = r1, m1.nreactions = 2;
	m3.reactions = r3, m3.nreactions = 1;
	mx.reactions = rx, mx.nreactions = 1;
	store_upsert_message(s, &m3);
	store_upsert_message(s, &m1);
	store_upsert_message(s, &m2);
	store_upsert_message(s, &mx);
	CHECK(store_reaction_add(s, "C1", m2.ts, "late", "U4") == 0, "a reaction added by an event");
	st_message *v;
	size_t n;
	CHECK(store_day_messages(s, &a, "C1", "2020-01-01", false, &v, &n) == 0 && n == 3, "three messages on the day");
	if (n == 3) {
		CHECK(v[0].nreactions == 2 && strcmp(v[0].reactions[0].name, "zebra") == 0 &&
		      strcmp(v[0].reactions[1].name, "apple") == 0 && v[0].reactions[1].count == 2,
		      "first message: its two reactions, in stored order");
		CHECK(v[1].nreactions == 1 && strcmp(v[1].reactions[0].name, "late") == 0, "second: the added one");
		CHECK(v[2].nreactions == 1 && strcmp(v[2].reactions[0].name, "tada") == 0 &&
		      strcmp(v[2].reactions[0].users, "U3") == 0, "third: its own, none from the other channel");
	}
	const st_message *one = store_message(s, &a, "C2", mx.ts);
	CHECK(one && one->nreactions == 1 && strcmp(one->reactions[0].name, "elsewhere") == 0,
	      "one message alone: its reaction");
	store_close(s);
	temp_archive_remove(path);
	arena_free(&a);
}

int main(void)
{
	char path[] = "/tmp/slacklog-t-store-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	unlink(path);
	char err[256];
	arena_t a = {0};

	CHECK(store_open(path, STORE_READONLY, err, sizeof err) == NULL, "read-only open of a missing archive fails");
	store_t *s = store_open(path, STORE_CREATE, err, sizeof err);
	CHECK(s != NULL, "create archive (%s)", s ? "" : err);
	if (!s)
		return 1;

	st_channel pub = {.id = "C1", .name = "general", .kind = CH_PUBLIC, .topic = "talk"};
	st_channel priv = {.id = "G1", .name = "secret", .kind = CH_PRIVATE};
	CHECK(store_upsert_channel(s, &pub) == ST_UPDATED, "insert public channel");
	CHECK(store_upsert_channel(s, &pub) == ST_UNCHANGED, "same channel again changes nothing");
	CHECK(store_upsert_channel(s, &priv) == ST_UPDATED, "insert private channel");
	st_user u = {.id = "U1", .name = "ann", .real_name = "Ann Example", .display_name = ""};
	CHECK(store_upsert_user(s, &u) == ST_UPDATED, "insert user");
	const st_user *gu = store_user(s, &a, "U1");
	CHECK_STR(gu ? gu->shown : NULL, "Ann Example", "shown name falls back to real name when display name is empty");
	CHECK_STR(store_user_find(s, &a, "@ann") ? store_user_find(s, &a, "@ann")->id : NULL, "U1", "find user by @name");

	/* a reply stored before its parent moves to the parent's day when the parent arrives */
	st_message r1 = msg("C1", "0000000200.000001", "2020-01-02", "0000000100.000001", "{\"r\":1}");
	CHECK(store_upsert_message(s, &r1) == ST_INSERTED, "insert orphan reply");
	const st_message *g = store_message(s, &a, "C1", "0000000200.000001");
	CHECK_STR(g ? g->page_day : NULL, "2020-01-02", "orphan reply shown on its own day");
	st_message p = msg("C1", "0000000100.000001", "2020-01-01", "0000000100.000001", "{\"p\":1}");
	p.reply_count = 1;
	CHECK(store_upsert_message(s, &p) == ST_INSERTED, "insert parent");
	g = store_message(s, &a, "C1", "0000000200.000001");
	CHECK_STR(g ? g->page_day : NULL, "2020-01-01", "reply moved to the parent's day");
	st_message r2 = msg("C1", "0000000300.000001", "2020-01-03", "0000000100.000001", "{\"r\":2}");
	store_upsert_message(s, &r2);
	g = store_message(s, &a, "C1", "0000000300.000001");
	CHECK_STR(g ? g->page_day : NULL, "2020-01-01", "reply after parent lands on the parent's day");

	/* joins are stored but hidden */
	st_message j = msg("C1", "0000000150.000001", "2020-01-01", NULL, "{\"j\":1}");
	j.subtype = "channel_join";
	store_upsert_message(s, &j);
	st_daycount *dc;
	size_t n;
	CHECK(store_channel_days(s, &a, "C1", &dc, &n) == 0, "channel days");
	CHECK(n == 1 && day_count(dc, n, "2020-01-01") == 3, "one day with parent + 2 replies, join hidden (n=%zu)", n);
	CHECK(store_channel_records(s, "C1") == 4, "records count every stored message");

	/* idempotence and edit precedence */
	CHECK(store_upsert_message(s, &p) == ST_UNCHANGED, "same message twice is unchanged");
	st_message pe = p;
	pe.edited_ts = "0000000500.000000";
	pe.text = "edited";
	pe.raw = "{\"p\":2}";
	pe.rawlen = 7;
	CHECK(store_upsert_message(s, &pe) == ST_UPDATED, "newer edit replaces");
	CHECK(store_upsert_message(s, &p) == ST_UNCHANGED, "older copy does not replace the edit");
	g = store_message(s, &a, "C1", p.ts);
	CHECK_STR(g ? g->text : NULL, "edited", "edited text kept");

	/* reactions */
	st_reaction rx[] = {{.name = "+1", .count = 2, .users = "U1,U2"}};
	st_message pr = pe;
	pr.reactions = rx;
	pr.nreactions = 1;
	pr.raw = "{\"p\":3,\"reactions\":1}";
	pr.rawlen = strlen(pr.raw);
	CHECK(store_upsert_message(s, &pr) == ST_UPDATED, "same edit, longer JSON replaces (deterministic)");
	CHECK(store_reaction_add(s, "C1", p.ts, "+1", "U3") == 0, "reaction add");
	CHECK(store_reaction_add(s, "C1", p.ts, "+1", "U3") == 0, "reaction add again");
	g = store_message(s, &a, "C1", p.ts);
	CHECK(g && g->nreactions == 1 && g->reactions[0].count == 3, "count 3 after one new user, repeat ignored");
	CHECK_STR(g && g->nreactions ? g->reactions[0].users : NULL, "U1,U2,U3", "users list");
	store_reaction_remove(s, "C1", p.ts, "+1", "U1");
	store_reaction_remove(s, "C1", p.ts, "+1", "U2");
	store_reaction_remove(s, "C1", p.ts, "+1", "U3");
	g = store_message(s, &a, "C1", p.ts);
	CHECK(g && g->nreactions == 0, "reaction gone when the last user removes it");

	/* delete is final */
	CHECK(store_delete_message(s, "C1", r2.ts) == 0, "delete");
	CHECK(store_upsert_message(s, &r2) == ST_REFUSED, "replayed deleted message refused");
	CHECK(store_message(s, &a, "C1", r2.ts) == NULL, "deleted message gone");

	/* private channel is stored but not published */
	st_message pm = msg("G1", "0000000100.000002", "2020-01-01", NULL, "{\"s\":1}");
	store_upsert_message(s, &pm);
	CHECK(store_day_channels(s, &a, "2020-01-01", &dc, &n) == 0 && n == 1 && strcmp(dc[0].name, "general") == 0,
	      "day channels lists only published channels (n=%zu)", n);
	st_message *ms;
	CHECK(store_day_messages(s, &a, "C1", "2020-01-01", false, &ms, &n) == 0 && n == 2,
	      "day messages: parent and remaining reply (n=%zu)", n);
	CHECK(n == 2 && strcmp(ms[0].ts, p.ts) == 0, "parent first");
	CHECK(store_day_messages(s, &a, "G1", "2020-01-01", false, &ms, &n) == 0 && n == 0,
	      "private channel's messages not readable without STORE_ALL");
	CHECK(store_adjacent_day(s, &a, "C1", "2020-01-01", 1) == NULL, "no next day");
	CHECK(store_set_setting(s, "time_zone", "UTC") == 0, "set setting");
	CHECK_STR(store_get_setting(s, &a, "time_zone"), "UTC", "get setting");
	store_close(s);

	s = store_open(path, STORE_READONLY | STORE_ALL, err, sizeof err);
	CHECK(s != NULL, "reopen read-only (schema already current)");
	CHECK(s && store_day_channels(s, &a, "2020-01-01", &dc, &n) == 0 && n == 2, "STORE_ALL sees private channels too");
	st_totals t;
	CHECK(s && store_totals(s, &t) == 0 && t.messages == 4 && t.replies == 1 && t.threads == 1,
	      "totals (messages %lld replies %lld threads %lld)", (long long)t.messages, (long long)t.replies, (long long)t.threads);
	store_close(s);

	/* a file that is not an archive */
	FILE *f = fopen(path, "w");
	fputs("this is not a database, not even close, padding padding padding padding padding", f);
	fclose(f);
	char wal[300];
	snprintf(wal, sizeof wal, "%s-wal", path);
	unlink(wal);
	snprintf(wal, sizeof wal, "%s-shm", path);
	unlink(wal);
	s = store_open(path, 0, err, sizeof err);
	CHECK(s == NULL && strstr(err, path), "garbage file gives a clear error naming it (%s)", err);
	store_close(s);
	unlink(path);
	arena_free(&a);
	first_import();
	day_reactions();
	UNIT_DONE();
}
