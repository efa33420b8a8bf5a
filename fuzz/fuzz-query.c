/* fuzz-query.c: libFuzzer target for the search query parser, and for the
 * search that runs what it parses.
 *
 * Invariants, beyond "no crash":
 *   - a refused query comes with a message for the person who typed it
 *     (non-empty, valid UTF-8), and the search refuses it the same way;
 *   - a parsed query has at most QUERY_MAX_TERMS terms, every term is
 *     non-empty text without a quote, and its date bounds are YYYY,
 *     YYYY-MM or YYYY-MM-DD;
 *   - written back in the query syntax (re-printed below: phrases quoted,
 *     filters as key:"value") it parses again to the same tree and filters
 *     (query_describe of both is the same);
 *   - the search itself never fails on a parsed query: the FTS5 expression
 *     query_fts() builds is always valid FTS5 (SEARCH_ERROR would be the
 *     input's text read as FTS5 syntax), on a small real archive (the
 *     unit tests' search fixture), and its JSON output parses. */
#include "fuzz.h"
#include "lib/json.h"
#include "lib/ts.h"
#include "lib/utf8.h"
#include "search/query.h"
#include "search/search.h"
#include "search-fixture.h"
#include <ctype.h>

static store_t *db;
static char path[] = "/tmp/fuzz-query-XXXXXX";

static void cleanup(void)
{
	fixture_remove(path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	store_t *s = fixture_open(path);
	FUZZ_CHECK(s != NULL, "fixture archive");
	store_close(s);
	atexit(cleanup);
	char err[256];
	db = store_open(path, STORE_READONLY, err, sizeof err);
	FUZZ_CHECK(db != NULL, "%s", err);
	return 0;
}

static size_t count_terms(const qnode *x)
{
	if (!x)
		return 0;
	if (x->kind == QN_TERM) {
		FUZZ_CHECK(x->text && *x->text && !strchr(x->text, '"'), "term [%s]", x->text ? x->text : "(null)");
		return 1;
	}
	FUZZ_CHECK(x->kind == QN_NOT ? x->nkids == 1 : x->nkids >= 1, "node of kind %d with %zu kids", x->kind, x->nkids);
	size_t n = 0;
	for (size_t i = 0; i < x->nkids; i++)
		n += count_terms(x->kids[i]);
	return n;
}

static bool period_ok(const char *d)
{
	size_t n = strlen(d);
	if (n == 0)
		return true;
	if (n != 4 && n != 7 && n != 10)
		return false;
	for (size_t i = 0; i < n; i++)
		if (i == 4 || i == 7 ? d[i] != '-' : !isdigit((unsigned char)d[i]))
			return false;
	return n != 10 || day_valid(d);
}

static void print_term(buf_t *b, const qnode *t)
{
	if (t->phrase)
		buf_printf(b, "\"%s\"", t->text);
	else
		buf_puts(b, t->text);
	if (t->prefix)
		buf_putc(b, '*');
}

/* The query in its own syntax (date filters aside: a bound does not say
 * which filter set it; those are compared separately). */
static void reprint(const query *q, buf_t *b)
{
	if (q->root) {
		for (size_t i = 0; i < q->root->nkids; i++) {
			const qnode *c = q->root->kids[i];
			if (i)
				buf_putc(b, ' ');
			if (c->kind == QN_TERM) {
				print_term(b, c);
			} else if (c->kind == QN_NOT) {
				buf_putc(b, '-');
				print_term(b, c->kids[0]);
			} else {
				for (size_t k = 0; k < c->nkids; k++) {
					if (k)
						buf_puts(b, " OR ");
					print_term(b, c->kids[k]);
				}
			}
		}
	}
	for (size_t i = 0; i < q->nfrom; i++)
		buf_printf(b, " from:\"@%s\"", q->from[i]);
	for (size_t i = 0; i < q->nin; i++)
		buf_printf(b, " in:\"#%s\"", q->in[i]);
	if (q->has_link)
		buf_puts(b, " has:link");
	if (q->has_file)
		buf_puts(b, " has:file");
	if (q->has_reaction)
		buf_puts(b, " has:reaction");
	if (q->is_thread)
		buf_puts(b, " is:thread");
	if (q->sort)
		buf_printf(b, " sort:%s", q->sort == ST_SORT_NEW ? "new" : "old");
}

static void describe_undated(const query *q, buf_t *b)
{
	query u = *q;
	u.day_from[0] = u.day_to[0] = 0;
	query_describe(&u, b);
}

static void round_trip(const query *q)
{
	buf_t text = BUF_INIT, d1 = BUF_INIT, d2 = BUF_INIT;
	reprint(q, &text);
	/* a query of dates (and sort:) only has nothing left to say once its
	 * dates are set aside; quoting may take the text past the limit. It
	 * has no more items than the query it came from (dates left out,
	 * repeated has: written once), so the term limit holds. */
	bool dates_only = !q->root && !q->nfrom && !q->nin && !q->has_link && !q->has_file &&
			  !q->has_reaction && !q->is_thread;
	if (text.len <= QUERY_MAX_BYTES && !dates_only) {
		arena_t a = {0};
		query again;
		char err[512];
		int rc = query_parse(&a, text.p, text.len, &again, err, sizeof err);
		FUZZ_CHECK(rc == 0, "re-printed query [%s] does not parse: %s", buf_str(&text), err);
		describe_undated(q, &d1);
		describe_undated(&again, &d2);
		FUZZ_CHECK(strcmp(buf_str(&d1), buf_str(&d2)) == 0, "re-printed as [%s]: %s became %s",
			   buf_str(&text), buf_str(&d1), buf_str(&d2));
		arena_free(&a);
	}
	buf_free(&text);
	buf_free(&d1);
	buf_free(&d2);
}

static void search(const char *text, size_t len, bool parsed)
{
	arena_t a = {0};
	search_req req = {.q = text, .qlen = len, .limit = 5};
	search_res res;
	int rc = search_run(db, &a, &req, &res);
	FUZZ_CHECK(rc != SEARCH_ERROR, "the search failed on a parsed query: %s", res.err);
	FUZZ_CHECK(parsed || rc == SEARCH_BAD, "the search accepted a query the parser refused");
	if (rc == SEARCH_OK) {
		buf_t out = BUF_INIT;
		search_json(&out, &res, NULL);
		arena_t t = {0};
		json_err err;
		FUZZ_CHECK(json_parse(&t, out.p, out.len, &err, NULL), "search_json: %s: %.200s", err.msg, buf_str(&out));
		arena_free(&t);
		buf_free(&out);
	} else {
		FUZZ_CHECK(res.err[0], "a refused search without a message");
	}
	arena_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	arena_t a = {0};
	query q;
	char err[512];
	int rc = query_parse(&a, text, size, &q, err, sizeof err);
	if (rc != 0) {
		FUZZ_CHECK(err[0] && utf8_valid(err, strlen(err)), "refused without a readable message: [%s]", err);
	} else {
		size_t n = count_terms(q.root);
		FUZZ_CHECK(n <= QUERY_MAX_TERMS, "%zu terms", n);
		FUZZ_CHECK(period_ok(q.day_from) && period_ok(q.day_to), "dates [%s] [%s]", q.day_from, q.day_to);
		buf_t d = BUF_INIT;
		query_describe(&q, &d);
		FUZZ_CHECK(utf8_valid(d.p, d.len), "describe is not valid UTF-8");
		buf_free(&d);
		round_trip(&q);
	}
	search(text, size, rc == 0);
	arena_free(&a);
	return 0;
}
