/* t-query-store.c: search end to end below the command line: a hand-made
 * archive written through store.h on a temp SQLite file, queries run
 * through search_run(). Every expected hit is read off the small table of
 * messages below by the rules in query.h. Also: edits and deletes reach
 * the index, private channels never answer, CJK and code identifiers. */
#include "unit.h"
#include "search/search.h"
#include "store/store.h"
#include <stdlib.h>
#include <unistd.h>
#include "search-fixture.h"

static arena_t A;
static store_t *S;

static search_res R;

/* Run a query; the hits' ts seconds as "100 200", or "BAD: msg". */
static const char *run_in(const char *q, const char *scope, int limit, int offset)
{
	static buf_t out;
	buf_reset(&out);
	search_req req = {.q = q, .qlen = strlen(q), .channel = scope, .limit = limit, .offset = offset};
	int rc = search_run(S, &A, &req, &R);
	if (rc != SEARCH_OK) {
		buf_printf(&out, "%s: %s", rc == SEARCH_BAD ? "BAD" : "ERROR", R.err);
		return buf_str(&out);
	}
	for (size_t i = 0; i < R.n; i++)
		buf_printf(&out, "%s%.3s", i ? " " : "", R.hits[i].ts + 7);
	return buf_str(&out);
}

static const char *run(const char *q)
{
	return run_in(q, NULL, 0, 0);
}

static bool bad(const char *q, const char *needle)
{
	const char *r = run(q);
	return strncmp(r, "BAD: ", 5) == 0 && strstr(r, needle);
}

static void words(void)
{
	CHECK_STR(run("deploy sort:old"), "100 200 300 700", "a word, in public channels only, oldest first");
	CHECK_STR(run("DEPLOY sort:old"), "100 200 300 700", "case does not matter");
	CHECK_STR(run("cafe"), "200", "accents do not matter (Café)");
	CHECK_STR(run("deploy failed sort:old"), "100 300", "all words must match");
	CHECK_STR(run("\"deploy failed\""), "100", "a phrase keeps its order");
	CHECK_STR(run("\"failed deploy\""), "300", "the other order");
	CHECK_STR(run("deploy -staging sort:old"), "200 300", "excluded word");
	CHECK_STR(run("deploy -\"went fine\" sort:old"), "100 300 700", "excluded phrase");
	CHECK_STR(run("production OR rollback sort:old"), "200 300", "OR");
	CHECK_STR(run("deploy staging OR production sort:old"), "100 200 700", "OR binds tighter than AND");
	CHECK_STR(run("stag* sort:new"), "700 100", "prefix");
	CHECK_STR(run("deploy"), "300 100 200 700", "relevance: one occurrence each, so shorter texts first (bm25)");
	CHECK_STR(run("\"deploy fail\"*"), "100", "prefix phrase");
	CHECK_STR(run("-deploy in:random"), "600 500", "exclusions alone list the rest by date");
	CHECK_STR(run("zebra"), "", "words only in a private channel or DM are never found");
	CHECK_STR(run("nothinglikethis"), "", "no hits is no error");
	CHECK(R.total == 0, "and the total is 0");
}

static void identifiers(void)
{
	CHECK_STR(run("snake_case_name"), "400", "snake_case identifier");
	CHECK_STR(run("os.path.join"), "400", "dotted name");
	CHECK_STR(run("\"path join\""), "400", "its parts as a phrase");
	CHECK_STR(run("/usr/lib/libfoo.so"), "600", "a path");
	CHECK_STR(run("libfoo"), "600", "a path component");
	CHECK_STR(run("parseHttpRequest"), "600", "camelCase by its full name");
	CHECK_STR(run("parsehttp*"), "600", "camelCase by a prefix");
	CHECK_STR(run("東京"), "500", "a two-character Japanese word inside a sentence");
	CHECK_STR(run("住んで"), "500", "kana and kanji");
	CHECK_STR(run("京都"), "", "characters present but not adjacent in that order");
	CHECK_STR(run("東"), "500", "one character");
}

static void filters(void)
{
	CHECK_STR(run("deploy from:ann sort:old"), "100 300 700", "from: handle");
	CHECK_STR(run("deploy from:@ann sort:old"), "100 300 700", "from:@handle");
	CHECK_STR(run("deploy from:Ann sort:old"), "100 300 700", "from: display name");
	CHECK_STR(run("from:\"Bob Builder\" sort:old"), "200 600", "from: real name, quoted; filters alone");
	CHECK_STR(run("from:U3 sort:old"), "400 500", "from: user ID");
	CHECK_STR(run("deploy from:ann from:bob sort:old"), "100 200 300 700", "several from: mean any");
	CHECK(bad("from:nobody", "from:nobody"), "unknown user is a clear error");
	CHECK_STR(run("deploy in:#random"), "700", "in:#channel");
	CHECK_STR(run("deploy in:general sort:old"), "100 200 300", "in:channel");
	CHECK_STR(run("deploy in:C2"), "700", "in: channel ID");
	CHECK_STR(run("deploy in:general in:random sort:old"), "100 200 300 700", "several in: mean any");
	CHECK(bad("deploy in:secret", "no public channel"), "a private channel's name is unknown");
	CHECK(bad("deploy in:G1", "no public channel"), "and so is its ID");
	CHECK(bad("deploy in:nonesuch", "no public channel"), "the same message for a missing channel");
	CHECK_STR(run("deploy before:2020-01-05"), "100", "before: is exclusive");
	CHECK_STR(run("deploy after:2020-01-05 sort:old"), "300 700", "after: is exclusive");
	CHECK_STR(run("deploy on:2020-01-05"), "200", "on:");
	CHECK_STR(run("deploy during:2020-02"), "300", "during: a month");
	CHECK_STR(run("during:2020-03 sort:old"), "600 700", "during: alone");
	CHECK_STR(run("deploy during:2019"), "", "during: a year with nothing");
	CHECK_STR(run("deploy during:2020 before:2020-02 sort:old"), "100 200", "dates combine");
	CHECK_STR(run("has:link sort:old"), "200 600", "has:link");
	CHECK_STR(run("has:file"), "300", "has:file");
	CHECK_STR(run("has:reaction"), "200", "has:reaction");
	CHECK_STR(run("is:thread sort:old"), "300 400", "is:thread: parent and reply");
	CHECK_STR(run("deploy is:thread has:file from:ann"), "300", "several filters at once");
	CHECK_STR(run("in:general"), "400 300 200 100", "filters alone: newest first");
	CHECK_STR(run("in:general sort:old"), "100 200 300 400", "filters alone, sort:old");
	CHECK_STR(run_in("deploy", "random", 0, 0), "700", "a channel scope");
	CHECK_STR(run_in("deploy in:general", "random", 0, 0), "", "a scope and another in: give nothing");
	CHECK(run_in("deploy", "secret", 0, 0)[0] == 'B', "a private channel cannot be a scope");
}

static void results(void)
{
	run("deploy sort:new");
	CHECK(R.total == 4 && R.n == 4, "total and count (%lld, %zu)", (long long)R.total, R.n);
	CHECK_STR(run_in("deploy sort:old", NULL, 2, 0), "100 200", "limit");
	CHECK(R.total == 4, "total counts every hit, not the page");
	CHECK_STR(run_in("deploy sort:old", NULL, 2, 2), "300 700", "offset: the next page");
	CHECK_STR(run_in("deploy sort:old", NULL, 2, 4), "", "past the end");
	CHECK(R.total == 4, "past the end still says the total");

	run("\"deploy failed\"");
	CHECK(R.n == 1 && strstr(R.hits[0].snippet, ST_MARK_OPEN "deploy failed" ST_MARK_CLOSE),
	      "snippet marks the match (%s)", R.n ? R.hits[0].snippet : "");
	CHECK_STR(R.n ? R.hits[0].user : NULL, "Ann", "author's shown name");
	CHECK_STR(R.n ? R.hits[0].channel : NULL, "general", "channel name");

	buf_t b = BUF_INIT;
	run("rollback");
	search_json(&b, &R, NULL);
	CHECK_STR(buf_str(&b),
		  "{\"total\": 1, \"results\": [{\"channel\": \"general\", \"ts\": \"0000000300.000001\", "
		  "\"day\": \"2020-02-10\", \"user\": \"Ann\", \"snippet\": \"failed deploy again, \\u003cmark\\u003erollback\\u003c/mark\\u003e\", "
		  "\"url\": \"/general/2020-02-10/#p0000000300000001\"}]}",
		  "the JSON object (json.h writes < and > as \\u003c and \\u003e)");
	buf_reset(&b);
	run("snake_case_name");
	search_hit_url(&b, &R.hits[0]);
	CHECK_STR(buf_str(&b), "/general/2020-02-10/#p0000000400000001", "a reply links to its parent's day page");
	buf_reset(&b);
	run("script");
	search_snippet_html(&b, R.n ? R.hits[0].snippet : "");
	CHECK(strstr(buf_str(&b), "&lt;<mark>script</mark>&gt;alert(1)&lt;/") != NULL,
	      "snippet HTML: text escaped, then marked (%s)", buf_str(&b));
	buf_free(&b);

	run("in:random");
	CHECK(R.n == 3 && strcmp(R.hits[2].snippet, "私は東京に住んでいます") == 0, "filters-only hits show the text");
}

static void hostile(void)
{
	CHECK_STR(run("NEAR(deploy failed)"), "", "NEAR( is a word, not syntax");
	CHECK_STR(run("deploy^ {failed} sort:old"), "100 300", "^ and {} are punctuation");
	CHECK_STR(run("deploy:failed"), "BAD: unknown filter 'deploy:'; the filters are from: in: before: after: on: during: has: is: sort: (to search for the text, put it in quotes: \"deploy:failed\")",
		  "column filter syntax is an unknown filter");
	CHECK_STR(run("\"deploy:failed\""), "100", "quoted, it is text: the phrase deploy failed");
	CHECK_STR(run("'; DROP TABLE messages; --"), "", "SQL metacharacters are only text");
	CHECK_STR(run("deploy sort:old"), "100 200 300 700", "and the tables are still there");
	CHECK(bad("\"deploy", "unbalanced"), "unbalanced quote");
	CHECK(bad("\xC3\x28", "UTF-8"), "invalid UTF-8");
}

static void upkeep(void)
{
	/* an edit replaces the text: the old words go, the new ones come */
	const char *raw = "{\"ts\":\"0000000100.000001\",\"edited\":1}";
	st_message m = {.channel_id = "C1", .ts = "0000000100.000001", .day = "2020-01-01", .user_id = "U1",
			.text = "The release worked", .edited_ts = "0000000150.000000", .raw = raw, .rawlen = strlen(raw)};
	CHECK(store_upsert_message(S, &m) == ST_UPDATED, "edit stored");
	CHECK_STR(run("\"deploy failed\""), "", "the old text is gone from the index as soon as the message is replaced");
	store_search_index(S, "C1", m.ts, m.text, strlen(m.text));
	CHECK_STR(run("release"), "100", "the new text is found");
	CHECK_STR(run("deploy sort:old"), "200 300 700", "and no longer under the old words");
	CHECK(store_search_index(S, "C1", m.ts, "release again", 13) == 0, "re-indexing replaces");
	CHECK_STR(run("worked"), "", "the replaced text is gone");
	CHECK(R.total == 0, "total 0");

	CHECK(store_delete_message(S, "C2", "0000000700.000001") == 0, "delete");
	CHECK_STR(run("staging"), "", "a deleted message is not found");
	CHECK(store_search_unindex(S, "C2", "0000000600.000001") == 0, "unindex");
	CHECK_STR(run("libfoo"), "", "an unindexed message is not found");
	CHECK(store_search_missing(S) == 1, "one message left to index (%lld)", (long long)store_search_missing(S));
	int64_t cursor = 0;
	st_message *v;
	size_t n;
	CHECK(store_search_pending(S, &A, &cursor, 10, &v, &n) == 0 && n == 1 && strcmp(v[0].ts, "0000000600.000001") == 0,
	      "the pending batch is that message");
	CHECK(n == 1 && v[0].raw && strstr(v[0].raw, "600"), "with its JSON");
	CHECK(store_search_pending(S, &A, &cursor, 10, &v, &n) == 0 && n == 0, "the cursor moves past it");

	/* an upsert that carries plain text indexes it */
	const char *raw2 = "{\"ts\":\"0000000100.000001\",\"edited\":2}";
	st_message e2 = m;
	e2.edited_ts = "0000000160.000000";
	e2.raw = raw2;
	e2.rawlen = strlen(raw2);
	e2.plain = "quokka sighting";
	e2.plainlen = strlen(e2.plain);
	CHECK(store_upsert_message(S, &e2) == ST_UPDATED, "edit with plain text");
	CHECK_STR(run("quokka"), "100", "indexed by the upsert itself");
	CHECK_STR(run("release"), "", "the previous text is gone");
	CHECK(store_upsert_message(S, &e2) == ST_UNCHANGED, "the same copy again");
	CHECK_STR(run("quokka"), "100", "still indexed once");
	CHECK(R.total == 1, "one hit");

	/* joins are not indexed */
	const char *jraw = "{\"subtype\":\"channel_join\"}";
	st_message j = {.channel_id = "C1", .ts = "0000000950.000001", .day = "2020-03-05", .user_id = "U1",
			.subtype = "channel_join", .raw = jraw, .rawlen = strlen(jraw)};
	store_upsert_message(S, &j);
	store_search_index(S, "C1", j.ts, "Ann has joined the channel", 26);
	CHECK_STR(run("joined"), "", "joins and leaves are not indexed");
	CHECK(store_search_index(S, "C9", "0000000001.000000", "ghost", 5) == 0, "indexing a message not stored is a no-op");
	CHECK_STR(run("ghost"), "", "and finds nothing");
	CHECK(store_search_index(S, "C2", "0000000500.000001", "bell\x02here\x03", 10) == 0, "control characters in text");
	run("bell");
	int marks = 0;
	for (const char *c = R.n ? R.hits[0].snippet : ""; *c; c++)
		marks += *c == '\x02' || *c == '\x03';
	CHECK(R.n == 1 && marks == 2,
	      "only the snippet's own marks remain");

	CHECK(store_search_clear(S) == 0 && store_search_missing(S) == 6, "clear empties the index (%lld to index)",
	      (long long)store_search_missing(S));

	/* publication changes */
	for (size_t i = 0; i < NROWS; i++)
		store_search_index(S, rows[i].ch, rows[i].ts, rows[i].text, strlen(rows[i].text));
	CHECK(store_search_missing(S) == 0, "private messages are not waiting to be indexed");
	st_channel open = {.id = "G1", .name = "secret", .kind = CH_PUBLIC, .topic = "now public"};
	store_upsert_channel(S, &open);
	CHECK(store_search_missing(S) == 1, "a channel made public has its message to index");
	CHECK_STR(run("zebra"), "", "not found before it is indexed");
	store_search_index(S, "G1", "0000000800.000001", rows[7].text, strlen(rows[7].text));
	CHECK_STR(run("zebra"), "800", "found once indexed");
	st_channel closed = {.id = "G1", .name = "secret", .kind = CH_PRIVATE, .topic = "private again"};
	store_upsert_channel(S, &closed);
	CHECK_STR(run("zebra"), "", "a channel made private leaves search at once");
	CHECK(R.total == 0, "and from the total");
	CHECK(store_search_missing(S) == 0, "and is not waiting to be indexed");
}

int main(void)
{
	char path[] = "/tmp/slacklog-t-query-store-XXXXXX";
	char err[256];
	S = fixture_open(path);
	if (!S)
		return 1;
	words();
	identifiers();
	filters();
	results();
	hostile();
	store_close(S);

	/* a handle that sees every channel still searches published ones only */
	S = store_open(path, STORE_READONLY | STORE_ALL, err, sizeof err);
	CHECK_STR(run("zebra"), "", "STORE_ALL does not open private channels to search");
	store_close(S);

	S = store_open(path, 0, err, sizeof err);
	upkeep();
	store_close(S);
	arena_free(&A);
	fixture_remove(path);
	UNIT_DONE();
}
