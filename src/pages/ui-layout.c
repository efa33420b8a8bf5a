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

void ui_head(page *p, const char *title, const char *canonical)
{
	buf_t *b = p->b;
	buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		    "<meta name=\"color-scheme\" content=\"light dark\">\n<title>");
	if (title && *title) {
		html_txt(b, title);
		buf_puts(b, " \xC2\xB7 ");
	}
	html_txt(b, p->conf->site_title);
	buf_puts(b, "</title>\n<link rel=\"stylesheet\" href=\"");
	html_attr(b, p->prefix);
	html_attr(b, site_css_href(p));
	buf_puts(b, "\">\n<link rel=\"icon\" type=\"image/svg+xml\" href=\"");
	html_attr(b, p->prefix);
	html_attr(b, assets_versioned_path("/favicon.svg"));
	buf_puts(b, "\">\n");
	if (canonical && p->conf->base_url && *p->conf->base_url) {
		/* base_url already holds the prefix; canonical starts with it */
		const char *scheme = strstr(p->conf->base_url, "://");
		const char *slash = scheme ? strchr(scheme + 3, '/') : NULL;
		size_t origin = slash ? (size_t)(slash - p->conf->base_url) : strlen(p->conf->base_url);
		buf_puts(b, "<link rel=\"canonical\" href=\"");
		html_attrn(b, p->conf->base_url, origin);
		html_attr(b, canonical);
		buf_puts(b, "\">\n");
	}
	buf_puts(b, "</head>\n<body>\n<a class=\"skip\" href=\"#main\">Skip to content</a>\n"
		    "<header class=\"top\">\n<a class=\"site\" href=\"");
	buf_t home = BUF_INIT;
	link_home(p, &home);
	html_attr(b, buf_str(&home));
	buf_free(&home);
	buf_puts(b, "\">");
	html_txt(b, p->conf->site_title);
	buf_puts(b, "</a>\n<form class=\"search\" role=\"search\" method=\"get\" action=\"");
	home = (buf_t)BUF_INIT;
	link_home(p, &home);
	html_attr(b, buf_str(&home));
	buf_free(&home);
	buf_puts(b, "\">\n<label class=\"vh\" for=\"q\">Search the archive</label>\n"
		    "<input id=\"q\" name=\"q\" type=\"search\" placeholder=\"Search the archive\">\n"
		    "</form>\n</header>\n<p class=\"disclaimer\">");
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
	o->last_modified = site_data_mtime(p->site);
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
