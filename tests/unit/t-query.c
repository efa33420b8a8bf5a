/* t-query.c: the search query parser: trees, filters, FTS5 expressions and
 * every class of bad input. Expected trees are written by hand from the
 * rules in query.h. */
#include "unit.h"
#include "search/query.h"
#include "store/store.h"
#include <stdlib.h>

static arena_t A;

/* The tree of a query, or "ERR: message". */
static const char *parse(const char *text)
{
	static buf_t out;
	query q;
	char err[512];
	buf_reset(&out);
	if (query_parse(&A, text, strlen(text), &q, err, sizeof err) < 0)
		buf_printf(&out, "ERR: %s", err);
	else
		query_describe(&q, &out);
	return buf_str(&out);
}

static const char *fts(const char *text, bool exclude)
{
	static buf_t m, x;
	query q;
	char err[512];
	buf_reset(&m);
	buf_reset(&x);
	if (query_parse(&A, text, strlen(text), &q, err, sizeof err) < 0)
		return "ERR";
	query_fts(&q, &m, &x);
	return buf_str(exclude ? &x : &m);
}

static bool error_says(const char *text, const char *needle)
{
	const char *r = parse(text);
	return strncmp(r, "ERR: ", 5) == 0 && strstr(r, needle) != NULL;
}

static void trees(void)
{
	CHECK_STR(parse("deploy failed"), "(and deploy failed)", "words are ANDed");
	CHECK_STR(parse("  deploy  "), "(and deploy)", "surrounding space ignored");
	CHECK_STR(parse("\"connection refused\" now"), "(and \"connection refused\" now)", "phrase");
	CHECK_STR(parse("deploy -staging"), "(and deploy (not staging))", "excluded word");
	CHECK_STR(parse("deploy -\"dry run\""), "(and deploy (not \"dry run\"))", "excluded phrase");
	CHECK_STR(parse("deploy staging OR prod"), "(and deploy (or staging prod))", "OR binds tighter than AND");
	CHECK_STR(parse("a OR b OR \"c d\""), "(and (or a b \"c d\"))", "OR chain with a phrase");
	CHECK_STR(parse("depl*"), "(and depl*)", "prefix");
	CHECK_STR(parse("\"new rel\"*"), "(and \"new rel\"*)", "prefix phrase");
	CHECK_STR(parse("or and not"), "(and or and not)", "lower-case or/and/not are words");
	CHECK_STR(parse("snake_case camelCase dotted.name /usr/lib"), "(and snake_case camelCase dotted.name /usr/lib)",
		  "identifiers stay whole terms");
	CHECK_STR(parse("東京 検索"), "(and 東京 検索)", "CJK words");
	CHECK_STR(parse("foo\"bar baz\""), "(and foo \"bar baz\")", "a quote starts a phrase mid-word");
}

static void filters(void)
{
	CHECK_STR(parse("from:@ann in:#general x"), "(and x) from=ann in=general", "from: and in: strip @ and #");
	CHECK_STR(parse("from:U123 from:bob"), "() from=U123 from=bob", "several from:, filters only");
	CHECK_STR(parse("from:\"Ann Example\" hi"), "(and hi) from=Ann Example", "quoted filter value");
	CHECK_STR(parse("FROM:ann IN:general x"), "(and x) from=ann in=general", "filter keys in any case");
	CHECK_STR(parse("in:a in:b"), "() in=a in=b", "several in:");
	CHECK_STR(parse("before:2016-03-15"), "() day<2016-03-15", "before a day");
	CHECK_STR(parse("after:2016-03-15"), "() day>=2016-03-16", "after a day is from the next day");
	CHECK_STR(parse("on:2016-02-29"), "() day>=2016-02-29 day<2016-03-01", "on a leap day");
	CHECK_STR(parse("during:2016-12"), "() day>=2016-12 day<2017-01", "during a December");
	CHECK_STR(parse("during:2016"), "() day>=2016 day<2017", "during a year");
	CHECK_STR(parse("before:2016"), "() day<2016", "before a year");
	CHECK_STR(parse("after:2016-03"), "() day>=2016-04", "after a month");
	CHECK_STR(parse("after:2016-01 before:2016-06-10 during:2016"), "() day>=2016-02 day<2016-06-10",
		  "date filters intersect");
	CHECK_STR(parse("has:link has:file has:reaction is:thread"), "() has=link has=file has=reaction is=thread",
		  "has: and is:");
	CHECK_STR(parse("x sort:new"), "(and x) sort=new", "sort:new");
	CHECK_STR(parse("x sort:old"), "(and x) sort=old", "sort:old");
	CHECK_STR(parse("x sort:relevance"), "(and x)", "sort:relevance is the default");
	CHECK_STR(parse("http://example.com/a"), "(and http://example.com/a)", "a URL is a word, not a filter");
	CHECK_STR(parse("note: 12:30"), "(and note: 12:30)", "a word ending in a colon and a time are words");
}

static void fts5(void)
{
	CHECK_STR(fts("deploy failed", false), "(\"deploy\" AND \"failed\")", "words quoted and ANDed");
	CHECK_STR(fts("a b OR c -d -\"e f\"", false), "(\"a\" AND (\"b\" OR \"c\")) NOT \"d\" NOT \"e f\"",
		  "OR group and NOTs");
	CHECK_STR(fts("pre* \"ph r\"*", false), "(\"pre\"* AND \"ph r\"*)", "prefixes outside the quotes");
	CHECK_STR(fts("-x -y", false), "", "only exclusions: no match expression");
	CHECK_STR(fts("-x -y", true), "\"x\" OR \"y\"", "only exclusions: the exclude expression");
	CHECK_STR(fts("NEAR(a b) ^x {col}: y", false), "(\"NEAR(a\" AND \"b)\" AND \"^x\" AND \"{col}:\" AND \"y\")",
		  "FTS5 syntax stays inside strings");
	CHECK_STR(fts("'; DROP TABLE messages; --", false),
		  "(\"DROP\" AND \"TABLE\" AND \"messages;\")", "SQL metacharacters are text; punctuation-only words dropped");
	CHECK_STR(fts("a^b", false), "(\"a^b\")", "caret inside a word");
}

static void bad_input(void)
{
	CHECK(error_says("", "empty"), "empty query");
	CHECK(error_says("   \t ", "empty"), "blank query");
	CHECK(error_says("\"unclosed phrase", "unbalanced quote"), "unbalanced quote");
	CHECK(error_says("a \"b\" \"c", "unbalanced quote"), "third quote unbalanced");
	CHECK(error_says("OR", "OR must stand between"), "lone OR");
	CHECK(error_says("OR x", "OR must stand between"), "OR at the start");
	CHECK(error_says("x OR", "OR must stand between"), "OR at the end");
	CHECK(error_says("x OR OR y", "OR must stand between"), "OR OR");
	CHECK(error_says("x OR -y", "OR must stand between"), "OR with an excluded term");
	CHECK(error_says("x OR in:#general", "OR must stand between"), "OR with a filter");
	CHECK(error_says("-", "'-' must be followed"), "lone -");
	CHECK(error_says("x - y", "'-' must be followed"), "spaced -");
	CHECK(error_says("*", "'*' must follow a word"), "lone *");
	CHECK(error_says("x **", "'*' must follow a word"), "lone **");
	CHECK(error_says("foo:bar", "unknown filter 'foo:'"), "unknown filter");
	CHECK(error_says("foo:bar", "\"foo:bar\""), "unknown filter: the message shows how to quote it");
	CHECK_STR(parse("\"foo:bar\""), "(and \"foo:bar\")", "a quoted unknown filter is a phrase");
	CHECK(error_says("from:", "needs a value"), "filter without a value");
	CHECK(error_says("has:cake", "has:link"), "unknown has:");
	CHECK(error_says("is:pinned", "is:thread"), "unknown is:");
	CHECK(error_says("sort:random x", "sort:relevance"), "unknown sort:");
	CHECK(error_says("before:yesterday", "YYYY"), "bad date word");
	CHECK(error_says("on:2016-02-30", "YYYY"), "impossible day");
	CHECK(error_says("during:2016-13", "YYYY"), "month 13");
	CHECK(error_says("after:16-01-01", "YYYY"), "two-digit year");
	CHECK(error_says("^ {} : ;", "nothing to search for"), "only punctuation");
	CHECK(error_says("sort:new", "only sorts"), "only a sort");
	CHECK_STR(parse("x ^ {}"), "(and x)", "punctuation-only words are dropped");
	CHECK(error_says("caf\xC3", "UTF-8"), "truncated UTF-8");
	CHECK(error_says("\xFF\xFE x", "UTF-8"), "invalid bytes");
	CHECK(error_says("\xED\xA0\x80", "UTF-8"), "encoded surrogate");

	char big[QUERY_MAX_BYTES + 2];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = 0;
	CHECK(error_says(big, "too long"), "query over %d bytes", QUERY_MAX_BYTES);
	big[QUERY_MAX_BYTES] = 0;
	CHECK(strncmp(parse(big), "(and a", 6) == 0, "a query of exactly %d bytes is fine", QUERY_MAX_BYTES);

	buf_t many = BUF_INIT;
	for (int i = 0; i < QUERY_MAX_TERMS; i++)
		buf_printf(&many, "w%d ", i);
	CHECK(strncmp(parse(buf_str(&many)), "(and w0", 7) == 0, "%d terms are fine", QUERY_MAX_TERMS);
	buf_puts(&many, "one-more");
	CHECK(error_says(buf_str(&many), "more than 32 terms"), "%d terms are too many", QUERY_MAX_TERMS + 1);
	buf_free(&many);

	/* a NUL inside the text (from a URL's %00) */
	query q;
	char err[256];
	CHECK(query_parse(&A, "a\0b", 3, &q, err, sizeof err) < 0 && strstr(err, "NUL"), "NUL byte");
}

int main(void)
{
	trees();
	filters();
	fts5();
	bad_input();
	arena_free(&A);
	UNIT_DONE();
}
