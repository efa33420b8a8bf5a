/* ui-layout.c: the frame around every page, and the finished answers
 * (HTML, text, redirects, 404, 500).
 *
 * The frame is plain HTML5 with landmarks (banner, search, main,
 * contentinfo), a skip link, one stylesheet and no script: every page
 * works without JavaScript, and the Content-Security-Policy the server
 * sends forbids inline code anyway. */
#include "pages/ui.h"
#include "render/html.h"
#include "lib/ts.h"
#include "cli.h"
#include "web/assets.h"
#include <string.h>

/* The full title: "title · site". */
static void full_title(page *p, buf_t *b, const char *title, void (*put)(buf_t *, const char *))
{
	if (title && *title) {
		put(b, title);
		put(b, " \xC2\xB7 ");
	}
	put(b, p->conf->site_title);
}

/* base_url's origin ("https://host") followed by an absolute path that
 * already starts with the prefix; false without a base_url. */
bool ui_absolute(page *p, buf_t *b, const char *path)
{
	const char *base = p->conf->base_url;
	if (!base || !*base)
		return false;
	const char *scheme = strstr(base, "://");
	const char *slash = scheme ? strchr(scheme + 3, '/') : NULL;
	size_t origin = slash ? (size_t)(slash - base) : strlen(base);
	buf_put(b, base, origin);
	buf_puts(b, path);
	return true;
}

static void meta(buf_t *b, const char *attr, const char *name, const char *content)
{
	buf_printf(b, "<meta %s=\"%s\" content=\"", attr, name);
	html_attr(b, content);
	buf_puts(b, "\">\n");
}

static void feed_link(page *p, const char *path, const char *title)
{
	buf_puts(p->b, "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"");
	html_attr(p->b, title);
	buf_puts(p->b, "\" href=\"");
	html_attr(p->b, path);
	buf_puts(p->b, "\">\n");
}

/* Description, OpenGraph, feeds and JSON-LD: what search engines and link
 * previews read. Absolute URLs only when base_url says where we live. */
static void seo(page *p, const char *title, const char *canonical, const ui_seo *s)
{
	buf_t *b = p->b, t = BUF_INIT, abs = BUF_INIT;
	if (s->description && *s->description)
		meta(b, "name", "description", s->description);
	full_title(p, &t, title, buf_puts);
	meta(b, "property", "og:title", title && *title ? title : buf_str(&t));
	if (s->description && *s->description)
		meta(b, "property", "og:description", s->description);
	meta(b, "property", "og:type", s->og_type ? s->og_type : "website");
	meta(b, "property", "og:site_name", p->conf->site_title);
	if (canonical && ui_absolute(p, &abs, canonical))
		meta(b, "property", "og:url", buf_str(&abs));
	buf_reset(&t);
	link_home(p, &t);
	buf_puts(&t, "feed.atom");
	feed_link(p, buf_str(&t), p->conf->site_title);
	if (s->feed_channel) {
		buf_reset(&t);
		link_channel(p, &t, s->feed_channel->path);
		buf_puts(&t, "feed.atom");
		buf_reset(&abs);
		buf_printf(&abs, "#%s", s->feed_channel->name);
		feed_link(p, buf_str(&t), buf_str(&abs));
	}
	if (s->jsonld) {
		/* data, not script: the CSP's script-src does not apply, and
		 * every string is written with <, > and & as \u escapes */
		buf_puts(b, "<script type=\"application/ld+json\">");
		s->jsonld(p, s->ud);
		buf_puts(b, "</script>\n");
	}
	buf_free(&t);
	buf_free(&abs);
}

bool ui_search_off(const page *p)
{
	return p->conf->search_url && strcmp(p->conf->search_url, "off") == 0;
}

/* A static copy's pages are files: a query in their address changes
 * nothing, and only what every page says can tell a visitor (a bookmarked
 * /?q=... shows the home page) that there is no search here. */
static void search_box(page *p)
{
	buf_t *b = p->b;
	if (ui_search_off(p)) {
		buf_puts(b, "<p class=\"nosearch\"><a href=\"");
		html_attr(b, p->prefix);
		buf_puts(b, "/search.html\">Search is not available on this copy</a></p>\n");
		return;
	}
	const char *target = p->conf->search_url;
	buf_t home = BUF_INIT;
	if (target)
		buf_puts(&home, target);
	else
		link_home(p, &home);
	buf_puts(b, "<form class=\"search\" role=\"search\" method=\"get\" action=\"");
	html_attr(b, buf_str(&home));
	buf_free(&home);
	buf_puts(b, "\">\n<label class=\"vh\" for=\"q\">Search the archive</label>\n"
		    "<input id=\"q\" name=\"q\" type=\"search\" placeholder=\"Search the archive\">\n"
		    "</form>\n");
}

void ui_head(page *p, const char *title, const char *canonical)
{
	ui_head_seo(p, title, canonical, NULL);
}

void ui_head_seo(page *p, const char *title, const char *canonical, const ui_seo *s)
{
	buf_t *b = p->b;
	buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		    "<meta name=\"color-scheme\" content=\"light dark\">\n<title>");
	full_title(p, b, title, html_txt);
	buf_puts(b, "</title>\n<link rel=\"stylesheet\" href=\"");
	html_attr(b, p->prefix);
	html_attr(b, site_css_href(p));
	buf_puts(b, "\">\n<link rel=\"icon\" type=\"image/svg+xml\" href=\"");
	html_attr(b, p->prefix);
	html_attr(b, assets_versioned_path("/favicon.svg"));
	buf_puts(b, "\">\n");
	buf_t abs = BUF_INIT;
	if (canonical && ui_absolute(p, &abs, canonical)) {
		/* base_url already holds the prefix; canonical starts with it */
		buf_puts(b, "<link rel=\"canonical\" href=\"");
		html_attr(b, buf_str(&abs));
		buf_puts(b, "\">\n");
	}
	buf_free(&abs);
	if (s)
		seo(p, title, canonical, s);
	buf_puts(b, "</head>\n<body>\n<a class=\"skip\" href=\"#main\">Skip to content</a>\n"
		    "<header class=\"top\">\n<a class=\"site\" href=\"");
	buf_t home = BUF_INIT;
	link_home(p, &home);
	html_attr(b, buf_str(&home));
	buf_free(&home);
	buf_puts(b, "\">");
	html_txt(b, p->conf->site_title);
	buf_puts(b, "</a>\n");
	search_box(p);
	buf_puts(b, "</header>\n<p class=\"disclaimer\">");
	html_txt(b, p->conf->disclaimer);
	buf_puts(b, "</p>\n");
}

void ui_foot(page *p)
{
	buf_puts(p->b, "<footer class=\"foot\">\n<p>Times are in ");
	html_txt(p->b, ts_zone());
	buf_puts(p->b, ". ");
	if (p->conf->workspace_url && *p->conf->workspace_url) {
		buf_puts(p->b, "The workspace: <a href=\"");
		html_href(p->b, p->conf->workspace_url);
		buf_puts(p->b, "\">");
		html_txt(p->b, p->conf->workspace_url);
		buf_puts(p->b, "</a>. ");
	}
	buf_puts(p->b, "Archived with slacklog.</p>\n</footer>\n</body>\n</html>\n");
}

void ui_finish(page *p, int status, cache_policy cache)
{
	page_out *o = p->out;
	o->status = status;
	o->type = "text/html; charset=utf-8";
	o->cache = cache;
	o->last_modified = p->mtime;
	page_etag(o->body.p, o->body.len, o->etag);
}

void ui_text(page *p, int status, const char *type, const char *text, cache_policy cache)
{
	page_out *o = p->out;
	buf_reset(&o->body);
	buf_puts(&o->body, text);
	o->status = status;
	o->type = type;
	o->cache = cache;
	page_etag(o->body.p, o->body.len, o->etag);
}

void ui_redirect(page *p, const buf_t *location)
{
	page_out *o = p->out;
	buf_reset(&o->location);
	buf_put(&o->location, location->p, location->len);
	buf_reset(&o->body);
	buf_puts(&o->body, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
			   "<title>Moved</title>\n</head>\n<body>\n<p>Moved to <a href=\"");
	html_attr(&o->body, buf_str(location));
	buf_puts(&o->body, "\">");
	html_txt(&o->body, buf_str(location));
	buf_puts(&o->body, "</a>.</p>\n</body>\n</html>\n");
	o->status = 301;
	o->type = "text/html; charset=utf-8";
	o->cache = CACHE_REDIRECT;
	page_etag(o->body.p, o->body.len, o->etag);
}

void ui_not_found(page *p, const char *what, void (*more)(page *, void *), void *ud)
{
	buf_reset(p->b);
	ui_head(p, "Not found", NULL);
	buf_puts(p->b, "<main id=\"main\" class=\"notfound\">\n<h1>Not found</h1>\n<p>");
	html_txt(p->b, what);
	buf_puts(p->b, "</p>\n");
	if (more)
		more(p, ud);
	buf_puts(p->b, "<p><a href=\"");
	buf_t home = BUF_INIT;
	link_home(p, &home);
	html_attr(p->b, buf_str(&home));
	buf_free(&home);
	buf_puts(p->b, "\">All channels</a></p>\n</main>\n");
	ui_foot(p);
	ui_finish(p, 404, CACHE_ERROR);
}

void ui_error(page *p, const char *what)
{
	ui_text(p, 500, "text/plain; charset=utf-8", "The archive could not answer this request.\n", CACHE_NONE);
	log_err("%s: %s", what, p->st ? store_errmsg(p->st) : "no store");
}
