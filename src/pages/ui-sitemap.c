/* ui-sitemap.c: "/sitemap.xml", a sitemap index, and "/sitemap-N.xml",
 * the sitemaps it lists, each of at most SITEMAP_MAX pages (the protocol's
 * limit is 50,000), in publish.c's order. lastmod is the page's newest
 * message or edit; pages without one (people) have none. Sitemaps want
 * absolute URLs: set base_url. */
#include "pages/ui.h"
#include <stdlib.h>
#include <string.h>

typedef struct part {
	page *p;
	size_t from, to, i;
} part;

static int url_entry(void *ud, unsigned kind, const char *path, int64_t changed)
{
	(void)kind;
	part *w = ud;
	size_t i = w->i++;
	if (i >= w->to)
		return 1;   /* the rest are other sitemaps': stop the walk */
	if (i < w->from)
		return 0;
	buf_t *b = w->p->b;
	buf_puts(b, "<url><loc>");
	xml_url(w->p, b, path);
	buf_puts(b, "</loc>");
	if (changed) {
		buf_puts(b, "<lastmod>");
		xml_date(b, changed);
		buf_puts(b, "</lastmod>");
	}
	buf_puts(b, "</url>\n");
	return 0;
}

static void finish(page *p)
{
	ui_finish(p, 200, CACHE_PAGE);
	p->out->type = "application/xml; charset=utf-8";
}

static int newest(void *ud, unsigned kind, const char *path, int64_t changed)
{
	(void)kind, (void)path;
	*(int64_t *)ud = changed;
	return 1;   /* the home page comes first and carries the newest date */
}

void page_sitemap_index(page *p)
{
	size_t n = ui_page_count(p), parts = (n + SITEMAP_MAX - 1) / SITEMAP_MAX;
	int64_t t = 0;
	ui_urls(p, URL_PAGE, newest, &t);
	buf_t *b = p->b, path = BUF_INIT;
	buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
	for (size_t i = 1; i <= parts; i++) {
		buf_reset(&path);
		buf_printf(&path, "/sitemap-%zu.xml", i);
		buf_puts(b, "<sitemap><loc>");
		xml_url(p, b, buf_str(&path));
		buf_puts(b, "</loc>");
		if (t) {
			buf_puts(b, "<lastmod>");
			xml_date(b, t);
			buf_puts(b, "</lastmod>");
		}
		buf_puts(b, "</sitemap>\n");
	}
	buf_puts(b, "</sitemapindex>\n");
	buf_free(&path);
	finish(p);
}

void page_sitemap(page *p, size_t n)
{
	size_t total = ui_page_count(p);
	if (n < 1 || (n - 1) * SITEMAP_MAX >= total) {
		ui_not_found(p, "There is no sitemap at this address.", NULL, NULL);
		return;
	}
	part w = {p, (n - 1) * SITEMAP_MAX, n * SITEMAP_MAX, 0};
	buf_puts(p->b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		       "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
	if (ui_urls(p, URL_PAGE, url_entry, &w) < 0)
		return;
	buf_puts(p->b, "</urlset>\n");
	finish(p);
}
