/* ui-search.c: the search routes, in the site's frame. The results come
 * from pages/search.c (the same code as `slacklog search`):
 *
 *   /?q=QUERY[&offset=N]             the whole archive
 *   /{channel}/?q=QUERY[&offset=N]   one channel
 *   /api.v1/search?q=&limit=&offset= JSON
 *   /search.html                     with search_url off (a static copy):
 *                                    the page that says there is none;
 *                                    else a redirect to / (route.c)
 *
 * Answers depend on the query string, so they are never cached. */
#include "pages/ui.h"
#include "pages/search.h"
#include "render/html.h"
#include "web/url.h"

static const char *param(page *p, const char *key, buf_t *b)
{
	return url_query_get(p->query, key, b) ? buf_str(b) : NULL;
}

void page_search(page *p, const st_channel *scope)
{
	buf_t q = BUF_INIT, off = BUF_INIT, title = BUF_INIT;
	const char *qs = param(p, "q", &q), *offset = param(p, "offset", &off);
	page_search_title(&title, qs);
	ui_head(p, buf_str(&title), NULL);
	int status = page_search_html(p->b, p->st, &p->a, p->prefix, qs, scope ? scope->path : NULL, offset);
	ui_foot(p);
	if (status >= 500)
		ui_error(p, "searching");
	else
		ui_finish(p, status, CACHE_NONE);
	buf_free(&q);
	buf_free(&off);
	buf_free(&title);
}

void page_search_off(page *p)
{
	buf_t home = BUF_INIT;
	link_home(p, &home);
	ui_head(p, "Search", NULL);
	buf_puts(p->b, "<main id=\"main\" class=\"search-page\">\n<h1>Search</h1>\n"
		       "<p class=\"search-error\">Search is not available on this copy of the archive: it is a set "
		       "of static files, which cannot search.</p>\n<p>Every channel and each of its days is listed "
		       "from <a href=\"");
	html_attr(p->b, buf_str(&home));
	buf_puts(p->b, "\">the home page</a>.</p>\n</main>\n");
	ui_foot(p);
	ui_finish(p, 200, CACHE_PAGE);
	buf_free(&home);
}

void page_search_json(page *p)
{
	buf_t q = BUF_INIT, lim = BUF_INIT, off = BUF_INIT;
	page_out *o = p->out;
	buf_reset(&o->body);
	o->status = page_search_api(&o->body, p->st, &p->a, p->prefix, param(p, "q", &q), param(p, "limit", &lim),
				    param(p, "offset", &off));
	o->type = "application/json; charset=utf-8";
	o->cache = CACHE_NONE;
	page_etag(o->body.p, o->body.len, o->etag);
	buf_free(&q);
	buf_free(&lim);
	buf_free(&off);
}
