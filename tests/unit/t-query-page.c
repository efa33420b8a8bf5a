/* t-query-page.c: the search page and the search API on the hand-made
 * archive: escaping before highlighting, the anchor links, the query kept
 * in the form, pagination, channel scope, bad queries as a 200 page with
 * the message and as a 400 JSON error. */
#include "unit.h"
#include "pages/search.h"
#include "lib/json.h"
#include <stdlib.h>
#include <unistd.h>
#include "search-fixture.h"

static arena_t A;
static store_t *S;
static buf_t out;
static int status;
static const char *prefix;      /* the site's path prefix, NULL: none */

static const char *page(const char *q, const char *channel, const char *offset)
{
	buf_reset(&out);
	status = page_search_html(&out, S, &A, prefix, q, channel, offset);
	return buf_str(&out);
}

static const char *api(const char *q, const char *limit, const char *offset)
{
	buf_reset(&out);
	status = page_search_api(&out, S, &A, prefix, q, limit, offset);
	return buf_str(&out);
}

static bool has(const char *hay, const char *needle)
{
	return strstr(hay, needle) != NULL;
}

/* 25 more messages with the word "bulk", one a day in April 2020 */
static void bulk(void)
{
	store_begin(S);
	for (int i = 0; i < 25; i++) {
		char ts[32], day[11], raw[64], text[64];
		snprintf(ts, sizeof ts, "%010d.000001", 2000 + i);
		snprintf(day, sizeof day, "2020-04-%02d", i + 1);
		snprintf(raw, sizeof raw, "{\"ts\":\"%s\"}", ts);
		snprintf(text, sizeof text, "bulk message number %d", i);
		st_message m = {.channel_id = "C2", .ts = ts, .day = day, .user_id = "U2", .text = text,
				.raw = raw, .rawlen = strlen(raw)};
		store_upsert_message(S, &m);
		store_search_index(S, "C2", ts, text, strlen(text));
	}
	store_commit(S);
}

static void html(void)
{
	const char *p = page("rollback", NULL, NULL);
	CHECK(status == 200, "a search page is 200");
	CHECK(has(p, "<mark>rollback</mark>"), "the match is highlighted");
	CHECK(has(p, "href=\"/general/2020-02-10/#p0000000300000001\""), "the hit links to its anchor on its day page");
	CHECK(has(p, "<span class=\"author\">Ann</span>"), "author");
	CHECK(has(p, ">#general</a>"), "channel");
	CHECK(has(p, "<time datetime=\"1970-01-01T00:05:00"), "machine-readable time");
	CHECK(has(p, "Results 1&ndash;1 of 1"), "the total");
	CHECK(has(p, "name=\"q\" value=\"rollback\""), "the query stays in the search box");

	p = page("script", NULL, NULL);
	CHECK(has(p, "&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;"),
	      "Slack text is escaped before the marks are added");
	CHECK(!has(p, "<script"), "no markup from the data");
	p = page("\"<b>\" x", NULL, NULL);
	CHECK(has(p, "value=\"&quot;&lt;b&gt;&quot; x\""), "the query is escaped in the form");
	CHECK(has(p, "<q>&quot;&lt;b&gt;&quot; x</q>"), "and in the summary");

	p = page("deploy", "random", NULL);
	CHECK(has(p, "action=\"/random/\""), "a channel page's form searches that channel");
	CHECK(has(p, "Results 1&ndash;1 of 1"), "scoped to the channel");
	p = page("zebra", NULL, NULL);
	CHECK(has(p, "No results"), "private words: no results");
	p = page("deploy", "secret", NULL);
	CHECK(status == 200 && has(p, "no public channel") && !has(p, "zebra"), "a private channel's page does not search");
}

static void bad_queries(void)
{
	static const char *const bad[] = {
		"\"unclosed", "OR", "-", "*", "foo:bar", "", "   ", "\xFF\xFE", "^ {}", "before:someday",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		const char *p = page(bad[i], NULL, NULL);
		CHECK(status == 200 && has(p, "class=\"search-error\""), "bad query %zu: a 200 page with the message", i);
	}
	const char *p = page("foo:bar", NULL, NULL);
	CHECK(has(p, "unknown filter"), "the message says what is wrong");
	CHECK(has(p, "value=\"foo:bar\""), "the bad query stays in the box to be fixed");
	p = page(NULL, NULL, NULL);
	CHECK(status == 200 && has(p, "empty"), "no q at all");
	char big[1200];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = 0;
	p = page(big, NULL, NULL);
	CHECK(status == 200 && has(p, "too long"), "an absurdly long query");
	p = page("NEAR(deploy", NULL, NULL);
	CHECK(status == 200 && !has(p, "search-error"), "FTS5 syntax is only text");
	p = page("'; DROP TABLE messages; --", NULL, NULL);
	CHECK(status == 200 && has(p, "No results"), "SQL is only text");
	p = page("rollback", NULL, NULL);
	CHECK(has(p, "<mark>rollback</mark>"), "the archive is intact afterwards");
}

static void pages(void)
{
	const char *p = page("bulk", NULL, NULL);
	CHECK(has(p, "Results 1&ndash;20 of 25"), "first page of 25 hits");
	CHECK(has(p, "<a rel=\"next\" href=\"/?q=bulk&amp;offset=20\">"), "a next link");
	CHECK(!has(p, "rel=\"prev\""), "no previous link on the first page");
	p = page("bulk", NULL, "20");
	CHECK(has(p, "Results 21&ndash;25 of 25"), "second page");
	CHECK(has(p, "<ol class=\"search-results\" start=\"21\">"), "numbered from 21");
	CHECK(has(p, "<a rel=\"prev\" href=\"/?q=bulk\">"), "a previous link back to the first page");
	CHECK(!has(p, "rel=\"next\""), "no next link on the last page");
	p = page("bulk sort:new", "random", "2");
	CHECK(has(p, "href=\"/random/?q=bulk%20sort%3Anew&amp;offset=22\""), "the links keep the query, encoded, and the channel");
	CHECK(has(p, "href=\"/random/?q=bulk%20sort%3Anew\""), "previous goes back to offset 0");
	p = page("bulk", NULL, "junk");
	CHECK(has(p, "Results 1&ndash;20"), "a bad offset is the first page");
}

/* Under a base URL with a path, every link and the form start with it. */
static void prefixed(void)
{
	prefix = "/archive";
	const char *p = page("bulk", "random", "2");
	CHECK(has(p, "action=\"/archive/random/\""), "the form posts under the prefix");
	CHECK(has(p, "class=\"channel\" href=\"/archive/random/\""), "a hit's channel link has the prefix");
	CHECK(has(p, "class=\"when\" href=\"/archive/random/2020-04-"), "a hit's message link has the prefix");
	CHECK(has(p, "rel=\"next\" href=\"/archive/random/?q=bulk&amp;offset=22\""), "next has the prefix");
	CHECK(has(p, "rel=\"prev\" href=\"/archive/random/?q=bulk\""), "previous has the prefix");
	size_t hrefs = 0, good = 0;
	for (const char *h = strstr(p, "href=\""); h; h = strstr(h + 1, "href=\"")) {
		hrefs++;
		good += strncmp(h + 6, "/archive/", 9) == 0;
	}
	CHECK(hrefs >= 20 && good == hrefs, "all %zu links start with the prefix (%zu do)", hrefs, good);
	p = page("bulk", NULL, NULL);
	CHECK(has(p, "action=\"/archive/\""), "unscoped: the form posts to the prefix's root");
	prefix = "/a&b";
	p = page("rollback", NULL, NULL);
	CHECK(has(p, "action=\"/a&amp;b/\"") && has(p, "href=\"/a&amp;b/general/\""), "the prefix is escaped");
	prefix = "/archive";
	p = api("bulk", "5", NULL);
	size_t urls = 0, under = 0;
	for (const char *u = strstr(p, "\"url\": \""); u; u = strstr(u + 1, "\"url\": \"")) {
		urls++;
		under += strncmp(u + 8, "/archive/random/2020-04-", 24) == 0;
	}
	CHECK(status == 200 && urls == 5 && under == 5, "the API's urls start with the prefix (%zu of %zu)", under, urls);
	prefix = NULL;
	p = api("bulk", "1", NULL);
	CHECK(has(p, "\"url\": \"/random/2020-04-"), "without a prefix the API's url starts at the root");
}

static void json_api(void)
{
	const char *j = api("rollback", NULL, NULL);
	CHECK(status == 200, "API 200");
	arena_t ja = {0};
	json_err e;
	jv *v = json_parse(&ja, j, strlen(j), &e, NULL);
	CHECK(v && json_getint(v, "total", -1) == 1, "API total");
	const jv *res = json_arr(v, "results");
	const jv *h = res ? res->first : NULL;
	CHECK_STR(json_getstr(h, "channel"), "general", "API channel");
	CHECK_STR(json_getstr(h, "ts"), "0000000300.000001", "API ts");
	CHECK_STR(json_getstr(h, "day"), "2020-02-10", "API day");
	CHECK_STR(json_getstr(h, "user"), "Ann", "API user");
	CHECK_STR(json_getstr(h, "snippet"), "failed deploy again, <mark>rollback</mark>", "API snippet");
	CHECK_STR(json_getstr(h, "url"), "/general/2020-02-10/#p0000000300000001", "API url");
	arena_free(&ja);

	j = api("bulk", "5", "10");
	v = json_parse(&ja, j, strlen(j), &e, NULL);
	res = json_arr(v, "results");
	CHECK(json_getint(v, "total", -1) == 25 && res && res->n == 5, "API limit and offset");
	arena_free(&ja);

	static const char *const bad[] = {"\"unclosed", "OR", "foo:bar", "", "\xC3"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		j = api(bad[i], NULL, NULL);
		v = json_parse(&ja, j, strlen(j), &e, NULL);
		CHECK(status == 400 && json_getstr(v, "error"), "API bad query %zu: 400 with an error message", i);
		arena_free(&ja);
	}
	api(NULL, NULL, NULL);
	CHECK(status == 400, "API without q");
	api("x", "0", NULL);
	CHECK(status == 400, "API limit 0");
	api("x", "abc", NULL);
	CHECK(status == 400, "API limit not a number");
	api("x", NULL, "-5");
	CHECK(status == 400, "API negative offset");
	api("bulk", "1000", NULL);
	CHECK(status == 200 && json_getint(json_parse(&ja, buf_str(&out), out.len, &e, NULL), "total", -1) == 25,
	      "API limit above the maximum is capped");
	arena_free(&ja);
}

int main(void)
{
	char path[] = "/tmp/slacklog-t-query-page-XXXXXX";
	S = fixture_open(path);
	if (!S)
		return 1;
	bulk();
	html();
	bad_queries();
	pages();
	prefixed();
	json_api();
	store_close(S);
	buf_free(&out);
	arena_free(&A);
	fixture_remove(path);
	UNIT_DONE();
}
