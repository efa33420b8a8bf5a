/* t-query-index.c: the search index's layout under stress, through
 * store.h and search_run(): rowids made of day and time (messages that
 * share a second or a microsecond, order within and across days, day
 * boundaries, a change of zone), filters kept as tokens (IDs that are not
 * Slack-shaped, the tokens never matching words, has:reaction following
 * reaction events), the relevance window and the capped count, and an
 * archive whose index was built by the previous layout. Expected hits are
 * read off the messages each test writes. */
#include "unit.h"
#include "search/search.h"
#include "store/sqlite-int.h"
#include "lib/ts.h"
#include "temp-archive.h"
#include <stdlib.h>
#include <unistd.h>

static arena_t A;
static store_t *S;
static search_res R;
static char path[] = "/tmp/slacklog-t-query-index-XXXXXX";

/* Messages are tagged by their first word; hits are listed by tag. */
static const char *tag_of(const st_hit *h)
{
	static char tag[64];
	const st_message *m = store_message(S, &A, h->channel_id, h->ts);
	const char *t = m && m->text ? m->text : "?";
	snprintf(tag, sizeof tag, "%.*s", (int)strcspn(t, " "), t);
	return tag;
}

static const char *run_page(const char *q, int limit, int offset)
{
	static buf_t out;
	buf_reset(&out);
	search_req req = {.q = q, .qlen = strlen(q), .limit = limit, .offset = offset};
	int rc = search_run(S, &A, &req, &R);
	if (rc != SEARCH_OK) {
		buf_printf(&out, "%s: %s", rc == SEARCH_BAD ? "BAD" : "ERROR", R.err);
		return buf_str(&out);
	}
	for (size_t i = 0; i < R.n; i++)
		buf_printf(&out, "%s%s", i ? " " : "", tag_of(&R.hits[i]));
	return buf_str(&out);
}

static const char *run(const char *q)
{
	return run_page(q, 0, 0);
}

/* FTS5 checks its postings against the text they were made from. */
static bool intact(void)
{
	char *msg = NULL;
	int rc = sqlite3_exec(store_sqlite_db(S), "INSERT INTO search(search) VALUES ('integrity-check')", NULL, NULL,
			      &msg);
	if (msg)
		printf("# %s\n", msg);
	sqlite3_free(msg);
	return rc == SQLITE_OK;
}

static void channel(const char *id, const char *name, channel_kind kind)
{
	st_channel c = {.id = id, .name = name, .kind = kind};
	store_upsert_channel(S, &c);
}

static int put(const char *ch, const char *ts, const char *day, const char *user, const char *text, bool link)
{
	char raw[256];
	snprintf(raw, sizeof raw, "{\"ts\":\"%s\",\"text\":\"%s\"}", ts, text);
	st_message m = {.channel_id = ch, .ts = ts, .day = day, .user_id = user, .text = text, .has_links = link,
			.raw = raw, .rawlen = strlen(raw), .plain = text, .plainlen = strlen(text)};
	return store_upsert_message(S, &m);
}

static void setup(void)
{
	channel("C1", "general", CH_PUBLIC);
	channel("C2", "random", CH_PUBLIC);
	channel("c-x", "odd", CH_PUBLIC);      /* not a Slack-shaped ID */
	channel("G1", "secret", CH_PRIVATE);
	st_user users[] = {{.id = "U1", .name = "ann"}, {.id = "u.x", .name = "zed"}};
	for (size_t i = 0; i < 2; i++)
		store_upsert_user(S, &users[i]);
	store_begin(S);
	/* 2016-03-26 05:21:40 UTC, the same microsecond in three channels, one
	 * more in the same second, one in the next */
	put("C1", "1458969700.123456", "2016-03-26", "U1", "m1 same moment", false);
	put("C2", "1458969700.123456", "2016-03-26", "U1", "m2 same moment", false);
	put("c-x", "1458969700.123456", "2016-03-26", "u.x", "m3 same moment", false);
	put("C1", "1458969700.999999", "2016-03-26", "U1", "m4 same second", false);
	put("C1", "1458969701.000000", "2016-03-26", "U1", "m5 next tick", false);
	/* a day boundary: 23:59:59 and 00:00:00 UTC */
	put("C2", "1458950399.000000", "2016-03-25", "U1", "m6 edge before midnight", false);
	put("C2", "1458950400.000000", "2016-03-26", "U1", "m7 edge at midnight", false);
	/* words that look like the filter tokens */
	put("C2", "1459000000.000000", "2016-03-26", "u.x", "m8 a t l r cc1 uu1 k632d78", true);
	put("G1", "1459000001.000000", "2016-03-26", "U1", "m9 secret moment", false);
	store_commit(S);
}

static void same_time(void)
{
	CHECK_STR(run("moment sort:new"), "m3 m2 m1", "three messages of the same microsecond are all found");
	CHECK(R.total == 3, "and counted (%lld)", (long long)R.total);
	CHECK_STR(run("same sort:old"), "m1 m2 m3 m4", "within a second, in ts order (ties in insertion order)");
	CHECK_STR(run("m1 OR m4 OR m5 sort:new"), "m5 m4 m1", "seconds and their fractions in order");
	CHECK(store_delete_message(S, "C2", "1458969700.123456") == 0, "delete one of them");
	CHECK_STR(run("moment sort:new"), "m3 m1", "the others keep their entries");
	CHECK(put("C2", "1458969700.123456", "2016-03-26", "U1", "m2 same moment", false) == ST_REFUSED,
	      "the deleted one cannot come back");
	CHECK(store_search_index(S, "C1", "1458969700.123456", "m1 same moment again", 20) == 0, "re-index one");
	CHECK_STR(run("again"), "m1", "its new text is found");
	CHECK_STR(run("moment sort:new"), "m3 m1", "once");
	CHECK(store_search_missing(S) == 0, "nothing is missing from the index (%lld)", (long long)store_search_missing(S));
	CHECK(intact(), "the index agrees with its text after deletes and re-indexing");
}

static void days(void)
{
	CHECK_STR(run("edge on:2016-03-25"), "m6", "23:59:59 is on its day");
	CHECK_STR(run("edge on:2016-03-26"), "m7", "00:00:00 is on the next");
	CHECK_STR(run("edge before:2016-03-26"), "m6", "before: stops at the day");
	CHECK_STR(run("edge after:2016-03-25"), "m7", "after: starts after it");
	CHECK_STR(run("edge during:2016-03 sort:new"), "m7 m6", "a month");
	CHECK_STR(run("edge during:2016 sort:old"), "m6 m7", "a year");
	CHECK_STR(run("edge during:2015"), "", "another year");
	CHECK_STR(run("during:2016-03-25"), "m6", "a day alone");
	CHECK_STR(run("sort:new -moment -edge -second"), "m8 m5", "exclusions alone: everything else, newest first");
}

static void ids(void)
{
	CHECK_STR(run("moment in:odd"), "m3", "in: a channel whose ID is not Slack-shaped");
	CHECK_STR(run("moment in:c-x"), "m3", "by that ID");
	CHECK_STR(run("moment in:general"), "m1", "in: keeps to its channel");
	CHECK_STR(run("from:zed sort:old"), "m3 m8", "from: a user whose ID is not Slack-shaped");
	CHECK_STR(run("from:ann moment"), "m1", "from: keeps to its user");
	CHECK_STR(run("has:link"), "m8", "has:link");
	CHECK_STR(run("cc1"), "m8", "a word spelled like a filter token finds only the text");
	CHECK_STR(run("a"), "m8", "one-letter words are the text's, not the filter tokens'");
	CHECK_STR(run("t"), "m8", "t");
	CHECK_STR(run("k632d78"), "m8", "nor does the odd channel's token, as a word, find its messages");
	CHECK_STR(run("secret"), "", "a private channel's words are not found");
}

static void reactions(void)
{
	CHECK_STR(run("has:reaction"), "", "no reactions yet");
	CHECK(store_reaction_add(S, "C1", "1458969701.000000", "tada", "U1") == 0, "a reaction is added");
	CHECK_STR(run("has:reaction"), "m5", "has:reaction follows it");
	CHECK_STR(run("next has:reaction"), "m5", "with words");
	CHECK(store_reaction_add(S, "C1", "1458969701.000000", "tada", "u.x") == 0, "a second user");
	CHECK_STR(run("has:reaction"), "m5", "still one message");
	CHECK_STR(run("next"), "m5", "its words are still found once");
	CHECK(R.total == 1, "one hit");
	store_reaction_remove(S, "C1", "1458969701.000000", "tada", "U1");
	CHECK_STR(run("has:reaction"), "m5", "one reaction left");
	store_reaction_remove(S, "C1", "1458969701.000000", "tada", "u.x");
	CHECK_STR(run("has:reaction"), "", "none left: has:reaction no longer finds it");
	CHECK_STR(run("next"), "m5", "its words are still found");

	/* inside a transaction: the entry waits for the commit */
	store_begin(S);
	put("C2", "1459100000.000000", "2016-03-27", "U1", "m10 fresh", false);
	store_reaction_add(S, "C2", "1459100000.000000", "eyes", "U1");
	store_commit(S);
	CHECK_STR(run("fresh has:reaction"), "m10", "a reaction before the commit is in the entry");
	CHECK_STR(run("fresh"), "m10", "and the message is indexed once");
	CHECK(R.total == 1, "one hit");
	CHECK(intact(), "the index agrees with its text after reaction changes");

	/* a channel made private leaves the index, made public it waits */
	put("c-x", "1459100001.000000", "2016-03-27", "u.x", "m12 loud", false);
	CHECK_STR(run("loud"), "m12", "a new message in a public channel is indexed");
	channel("c-x", "odd", CH_PRIVATE);
	CHECK_STR(run("moment sort:new"), "m1", "a channel made private leaves search");
	CHECK_STR(run("loud"), "", "all of it");
	CHECK(intact(), "and the index");
	put("c-x", "1459100002.000000", "2016-03-27", "u.x", "m13 hush", false);
	CHECK_STR(run("hush"), "", "a new message in it is not indexed (its channel is looked up again)");
	channel("c-x", "odd", CH_PUBLIC);
	CHECK(store_search_missing(S) == 3, "made public again, its messages wait to be indexed (%lld)",
	      (long long)store_search_missing(S));
	store_search_index(S, "c-x", "1458969700.123456", "m3 same moment", 14);
	store_search_index(S, "c-x", "1459100001.000000", "m12 loud", 8);
	store_search_index(S, "c-x", "1459100002.000000", "m13 hush", 8);
	CHECK_STR(run("moment sort:new"), "m3 m1", "and are found once indexed");
	CHECK_STR(run("loud OR hush sort:new"), "m13 m12", "all of them");
}

static void window(void)
{
	/* more hits than the relevance window: the oldest, which would rank
	 * first on its own, comes after the ranked newest ones */
	int n = SEARCH_RANK_WINDOW + 10;
	store_begin(S);
	for (int i = 0; i < n; i++) {
		char ts[32], text[128];
		int64_t sec = 1460000000 + 60 * (int64_t)i;
		snprintf(ts, sizeof ts, "%lld.000000", (long long)sec);
		char day[11];
		ts_day(sec, day);
		if (i == 0)
			snprintf(text, sizeof text, "w%d alpha alpha alpha", i);
		else if (i == n - 5)
			snprintf(text, sizeof text, "w%d alpha alpha", i);
		else
			snprintf(text, sizeof text, "w%d alpha and a few more words to make it longer", i);
		put("C1", ts, day, "U1", text, false);
	}
	store_commit(S);
	char want[64];
	snprintf(want, sizeof want, "w%d", n - 5);
	CHECK_STR(run_page("alpha", 1, 0), want, "the best of the newest hits ranks first");
	CHECK(R.total == n && !R.total_capped, "every hit counted (%lld)", (long long)R.total);
	snprintf(want, sizeof want, "w%d", n - 1);
	CHECK_STR(run_page("alpha", 1, 1), want, "then the newest");
	CHECK_STR(run_page("alpha", 10, SEARCH_RANK_WINDOW), "w9 w8 w7 w6 w5 w4 w3 w2 w1 w0",
		  "past the window, the older hits newest first");
	CHECK_STR(run_page("alpha sort:old", 2, 0), "w0 w1", "sort:old is not ranked");
	CHECK_STR(run_page("alpha sort:new", 1, 0), want, "sort:new neither");

	/* the count stops at count_max */
	st_search q = {.match = "(\"alpha\")", .sort = ST_SORT_NEW, .limit = 1, .count_max = 100};
	st_hit *hits;
	size_t nh;
	int64_t total;
	int rc = store_search(S, &A, &q, &hits, &nh, &total);
	CHECK(rc == 1 && total == 100 && nh == 1, "more hits than count_max: 1, and the bound (%d, %lld)", rc, (long long)total);
	q.count_max = 0;
	rc = store_search(S, &A, &q, &hits, &nh, &total);
	CHECK(rc == 0 && total == n, "count_max 0 counts them all (%d, %lld)", rc, (long long)total);
	q.count_max = n;
	rc = store_search(S, &A, &q, &hits, &nh, &total);
	CHECK(rc == 0 && total == n, "exactly count_max hits are exact (%d, %lld)", rc, (long long)total);
	q.offset = n - 1;
	q.count_max = 10;
	rc = store_search(S, &A, &q, &hits, &nh, &total);
	CHECK(rc == 0 && total == n && nh == 1, "a page past the bound walks to it, and to the end (%d, %lld)", rc,
	      (long long)total);

	search_res res = {.total = 10000, .total_capped = true};
	buf_t b = BUF_INIT;
	search_json(&b, &res, NULL);
	CHECK_STR(buf_str(&b), "{\"total\": 10000, \"total_capped\": true, \"results\": []}", "JSON says the total is capped");
	buf_free(&b);
}

static void zone_change(void)
{
	if (access("/usr/share/zoneinfo/America/Chicago", R_OK) != 0) {
		printf("ok - # SKIP no zoneinfo for America/Chicago\n");
		return;
	}
	/* m7, 2016-03-26 00:00 UTC, is 2016-03-25 19:00 in Chicago (CDT) */
	CHECK(ts_set_zone("America/Chicago") && store_rebucket_days(S) == 0, "the archive moves to Chicago time");
	CHECK_STR(run("edge on:2016-03-25 sort:old"), "m6 m7", "both edge messages are now on the 25th");
	CHECK_STR(run("edge on:2016-03-26"), "", "none on the 26th");
	CHECK_STR(run("moment sort:new"), "m3 m1", "every entry survived the new keys");
	CHECK(store_search_missing(S) == 0, "none missing");
	CHECK(intact(), "the re-keyed index agrees with its text");
	CHECK(ts_set_zone("UTC") && store_rebucket_days(S) == 0, "back to UTC");
	CHECK_STR(run("edge on:2016-03-26"), "m7", "m7 is on the 26th again");
}

static int64_t segments(void)
{
	sqlite3_stmt *q;
	int64_t n = -1;
	if (sqlite3_prepare_v2(store_sqlite_db(S), "SELECT count(DISTINCT segid) FROM search_idx", -1, &q, NULL) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW)
		n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return n;
}

/* store_search_optimize leaves the index in one segment; a few messages
 * more are a segment of their own, not a rewrite. */
static void merged(void)
{
	int64_t before = segments();
	CHECK(before > 1, "several commits left several segments (%lld)", (long long)before);
	CHECK(store_search_optimize(S) == 0 && segments() == 1, "optimize merges them (%lld)", (long long)segments());
	CHECK_STR(run("moment sort:new"), "m3 m1", "and the index answers as before");
	CHECK_STR(run_page("alpha", 3, SEARCH_RANK_WINDOW + 7), "w2 w1 w0", "all of it");
	CHECK(intact(), "intact");
	put("C2", "1459200000.000000", "2016-03-28", "U1", "m11 later", false);
	store_close(S);
	char err[256];
	S = store_open(path, 0, err, sizeof err);
	CHECK(S && segments() == 2, "one message more is a segment of its own, even after the handle closes (%lld)",
	      S ? (long long)segments() : -1LL);
}

/* An archive indexed by the first layout (rowid = messages.id, body only)
 * is carried over by the migration. */
static void migration(void)
{
	sqlite3 *db = store_sqlite_db(S);
	int rc = sqlite3_exec(db,
			      "DROP TABLE search;"
			      "DROP TABLE search_text;"
			      "DROP INDEX users_name; DROP INDEX users_display_name; DROP INDEX users_real_name;"
			      "CREATE VIRTUAL TABLE search USING fts5(body, tokenize = 'slacklog');"
			      "INSERT INTO search(rowid, body) SELECT m.id, m.text FROM messages m "
			      "JOIN channels c ON c.id = m.channel_id WHERE c.published = 1 AND m.hidden = 0;"
			      "PRAGMA user_version = 3;",
			      NULL, NULL, NULL);
	CHECK(rc == SQLITE_OK, "an archive of schema version 3, the first index's (%s)", sqlite3_errmsg(db));
	store_close(S);
	char err[256];
	S = store_open(path, STORE_READONLY, err, sizeof err);
	CHECK(!S && strstr(err, "schema upgrade"), "a read-only open refuses to migrate (%s)", err);
	store_close(S);
	S = store_open(path, 0, err, sizeof err);
	CHECK(S != NULL, "opened for writing, it migrates (%s)", S ? "" : err);
	if (!S)
		return;
	CHECK_STR(run("moment sort:new"), "m3 m1", "the index is carried over");
	CHECK_STR(run("moment in:odd"), "m3", "with the channels");
	CHECK_STR(run("from:zed sort:old"), "m3 m8 m12 m13", "the authors");
	CHECK_STR(run("has:link"), "m8", "the flags");
	CHECK_STR(run("fresh has:reaction"), "m10", "the reactions");
	CHECK_STR(run("edge during:2016-03 sort:new"), "m7 m6", "and the days");
	CHECK(store_search_missing(S) == 0, "nothing left to index");
	CHECK(intact(), "the migrated index agrees with its text");
	CHECK(store_search_clear(S) == 0 && store_search_missing(S) > 0, "clear empties it");
	CHECK_STR(run("moment"), "", "and nothing is found");
	CHECK(intact(), "an empty index is intact");
}

int main(void)
{
	S = temp_archive(path);
	if (!S)
		return 1;
	setup();
	same_time();
	days();
	ids();
	reactions();
	window();
	merged();
	if (!S)
		return 1;
	zone_change();
	migration();
	store_close(S);
	arena_free(&A);
	temp_archive_remove(path);
	UNIT_DONE();
}
