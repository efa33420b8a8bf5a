/* search.c (pages): the search results page and the JSON API (search.h).
 *
 * Both run search_run(), the code behind `slacklog search`, so the three
 * give the same hits for the same query. Every piece of Slack text (names,
 * snippets) and the query itself reach HTML through html.h's writers; a
 * snippet is escaped first and only then are its match marks turned into
 * <mark> elements. The pagination links carry the query percent-encoded.
 * A page is a plain GET form: it works without JavaScript. Every link and
 * the form's action start with the site's path prefix (base_url's path),
 * like every other page's. */
#include "pages/search.h"
#include "search/search.h"
#include "render/html.h"
#include "lib/json.h"
#include "lib/ts.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A query-string value: everything but unreserved characters encoded. */
static void query_value(buf_t *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '_' || *p == '.' || *p == '~') {
			buf_putc(b, (char)*p);
		} else {
			buf_putc(b, '%');
			buf_putc(b, hex[*p >> 4]);
			buf_putc(b, hex[*p & 15]);
		}
	}
}

/* A non-negative number, or -1 when the text is not one. NULL/"" is 0. */
static int number(const char *s, int max)
{
	if (!s || !*s)
		return 0;
	char *end;
	long v = strtol(s, &end, 10);
	if (*end || v < 0 || s[0] == '-' || s[0] == '+' || s[0] == ' ')
		return -1;
	return v > max ? max : (int)v;
}

/* prefix + "/" or prefix + "/{channel}/": where a search is scoped */
static void scope_path(buf_t *b, const char *prefix, const char *channel)
{
	html_attr(b, prefix);
	buf_putc(b, '/');
	if (channel) {
		url_segment(b, channel);
		buf_putc(b, '/');
	}
}

static void form(buf_t *b, const char *prefix, const char *q, const char *channel)
{
	buf_puts(b, "<form class=\"search\" role=\"search\" method=\"get\" action=\"");
	scope_path(b, prefix, channel);
	buf_puts(b, "\"><input type=\"search\" name=\"q\" value=\"");
	html_attr(b, q ? q : "");
	buf_puts(b, "\" aria-label=\"Search");
	if (channel) {
		buf_puts(b, " #");
		html_attr(b, channel);
	}
	buf_puts(b, "\"> <button type=\"submit\">Search</button></form>\n");
}

static void hit_html(buf_t *b, const char *prefix, const st_hit *h)
{
	char clock[6], iso[32];
	int64_t sec = ts_seconds(h->ts);
	ts_clock(sec, clock);
	ts_iso(sec, iso);
	buf_puts(b, "<li class=\"hit\"><div class=\"hit-meta\"><a class=\"channel\" href=\"");
	scope_path(b, prefix, h->path);
	buf_puts(b, "\">#");
	html_txt(b, h->channel);
	buf_puts(b, "</a> <a class=\"when\" href=\"");
	buf_t url = BUF_INIT;
	buf_puts(&url, prefix);
	search_hit_url(&url, h);
	html_attr(b, buf_str(&url));
	buf_free(&url);
	buf_puts(b, "\"><time datetime=\"");
	html_attr(b, iso);
	buf_puts(b, "\">");
	html_txt(b, h->day);
	buf_putc(b, ' ');
	html_txt(b, clock);
	buf_puts(b, "</time></a> <span class=\"author\">");
	html_txt(b, h->user && *h->user ? h->user : "unknown");
	buf_puts(b, "</span></div>\n<p class=\"snippet\">");
	search_snippet_html(b, h->snippet);
	buf_puts(b, "</p></li>\n");
}

static void page_link(buf_t *b, const char *prefix, const char *q, const char *channel, int offset, const char *rel,
		      const char *label)
{
	buf_printf(b, "<a rel=\"%s\" href=\"", rel);
	scope_path(b, prefix, channel);
	buf_puts(b, "?q=");
	query_value(b, q);
	if (offset)
		buf_printf(b, "&amp;offset=%d", offset);
	buf_printf(b, "\">%s</a>", label);
}

static void pagination(buf_t *b, const char *prefix, const search_res *r, const char *q, const char *channel)
{
	bool prev = r->offset > 0, next = (int64_t)r->offset + (int64_t)r->n < r->total;
	if (!prev && !next)
		return;
	buf_puts(b, "<nav class=\"pages\">");
	if (prev) {
		int o = r->offset - r->limit;
		page_link(b, prefix, q, channel, o > 0 ? o : 0, "prev", "&larr; previous");
	}
	if (prev && next)
		buf_puts(b, " ");
	if (next)
		page_link(b, prefix, q, channel, r->offset + r->limit, "next", "next &rarr;");
	buf_puts(b, "</nav>\n");
}

static void summary(buf_t *b, const search_res *r, const char *q)
{
	buf_puts(b, "<p class=\"search-total\">");
	if (r->total == 0)
		buf_puts(b, "No results");
	else if (r->n == 0)
		buf_printf(b, "No results from %d on, of %lld", r->offset + 1, (long long)r->total);
	else
		buf_printf(b, "Results %d&ndash;%d of %lld", r->offset + 1, r->offset + (int)r->n, (long long)r->total);
	buf_puts(b, " for <q>");
	html_txt(b, q);
	buf_puts(b, "</q>");
	static const char *const order[] = {
		[ST_SORT_RELEVANCE] = ", most relevant first", [ST_SORT_NEW] = ", newest first",
		[ST_SORT_OLD] = ", oldest first",
	};
	if (r->n)
		buf_puts(b, order[r->sort]);
	buf_puts(b, ".</p>\n");
}

void page_search_title(buf_t *out, const char *q)
{
	buf_printf(out, "%s - search", q && *q ? q : "");
}

int page_search_html(buf_t *out, store_t *s, arena_t *a, const char *prefix, const char *q, const char *channel,
		     const char *offset)
{
	if (!prefix)
		prefix = "";
	const char *qt = q ? q : "";
	search_req req = {.q = qt, .qlen = strlen(qt), .channel = channel, .offset = number(offset, SEARCH_OFFSET_MAX)};
	if (req.offset < 0)
		req.offset = 0;
	search_res r;
	int rc = search_run(s, a, &req, &r);
	buf_puts(out, "<main id=\"main\" class=\"search-page\">\n<h1>Search");
	if (channel) {
		buf_puts(out, " in #");
		html_txt(out, channel);
	}
	buf_puts(out, "</h1>\n");
	form(out, prefix, qt, channel);
	if (rc != SEARCH_OK) {
		buf_puts(out, "<p class=\"search-error\" role=\"alert\">");
		html_txt(out, rc == SEARCH_BAD ? r.err : "The search failed; please try again later.");
		buf_puts(out, "</p>\n</main>\n");
		return rc == SEARCH_BAD ? 200 : 500;
	}
	summary(out, &r, qt);
	if (r.n) {
		buf_printf(out, "<ol class=\"search-results\" start=\"%d\">\n", r.offset + 1);
		for (size_t i = 0; i < r.n; i++)
			hit_html(out, prefix, &r.hits[i]);
		buf_puts(out, "</ol>\n");
	}
	pagination(out, prefix, &r, qt, channel);
	buf_puts(out, "</main>\n");
	return 200;
}

static int api_error(buf_t *out, int status, const char *msg)
{
	buf_puts(out, "{\"error\": ");
	json_write_str(out, msg, strlen(msg));
	buf_puts(out, "}");
	return status;
}

int page_search_api(buf_t *out, store_t *s, arena_t *a, const char *prefix, const char *q, const char *limit,
		    const char *offset)
{
	search_req req = {.q = q ? q : "", .qlen = q ? strlen(q) : 0};
	req.limit = number(limit, SEARCH_LIMIT_MAX);
	req.offset = number(offset, SEARCH_OFFSET_MAX);
	if (req.limit < 0 || (limit && *limit && req.limit == 0))
		return api_error(out, 400, "limit must be a number from 1 to 100");
	if (req.offset < 0)
		return api_error(out, 400, "offset must be a number of 0 or more");
	search_res r;
	int rc = search_run(s, a, &req, &r);
	if (rc == SEARCH_BAD)
		return api_error(out, 400, r.err);
	if (rc != SEARCH_OK)
		return api_error(out, 500, "the search failed");
	search_json(out, &r, prefix);
	return 200;
}
