/* ui-static.c: answers that do not come from the archive's data: robots.txt
 * and the embedded assets (the stylesheet). An asset requested with its
 * content hash (?v=HASH, the URL pages link to) may be cached for a year;
 * without it, briefly, so an upgrade is picked up. */
#include "pages/ui.h"
#include "web/assets.h"
#include "web/url.h"
#include <string.h>

const char *site_asset(const char *path, const char **type, size_t *len, const char **hash)
{
	const asset *a = asset_find(path);
	if (!a)
		return NULL;
	*type = a->type;
	*len = a->len;
	*hash = asset_hash(a);
	return (const char *)a->data;
}

void page_asset(page *p, const char *path)
{
	const char *type = NULL, *hash = "";
	size_t len = 0;
	const char *data = site_asset(path, &type, &len, &hash);
	page_out *o = p->out;
	buf_reset(&o->body);
	buf_put(&o->body, data, len);
	o->status = 200;
	o->type = type;
	buf_t v = BUF_INIT;
	bool versioned = url_query_get(p->query, "v", &v) && strcmp(buf_str(&v), hash) == 0;
	buf_free(&v);
	o->cache = versioned ? CACHE_IMMUTABLE : CACHE_PAGE;
	page_etag(o->body.p, o->body.len, o->etag);
}

void page_robots(page *p)
{
	/* Search result pages are endless and add nothing a crawler cannot
	 * reach by links; everything else is meant to be found. */
	buf_t t = BUF_INIT;
	buf_puts(&t, "User-agent: *\nDisallow: ");
	buf_puts(&t, p->prefix);
	buf_puts(&t, "/?q=\nDisallow: ");
	buf_puts(&t, p->prefix);
	buf_puts(&t, "/api.v1/\nAllow: ");
	buf_puts(&t, p->prefix);
	buf_puts(&t, "/\n");
	buf_t abs = BUF_INIT;
	if (ui_absolute(p, &abs, p->prefix)) {
		/* the protocol wants the sitemap's absolute URL */
		buf_puts(&t, "Sitemap: ");
		buf_puts(&t, buf_str(&abs));
		buf_puts(&t, "/sitemap.xml\n");
	}
	buf_free(&abs);
	ui_text(p, 200, "text/plain; charset=utf-8", buf_str(&t), CACHE_PAGE);
	buf_free(&t);
}
