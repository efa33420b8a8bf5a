/* publish.c: the list of everything the archive publishes, in one order:
 * the home page, each visible channel with its day pages, the people who
 * wrote in them; then feeds, legacy redirect stubs, API documents and the
 * site's own files. The sitemap lists the pages from here and
 * `slacklog build` writes every URL from here, so they cannot disagree.
 *
 * Paths are decoded and without base_url's prefix (what page_get takes);
 * `changed` is the unix time of the content's last change, 0 if unknown. */
#include "pages/ui.h"
#include "web/assets.h"
#include <stdlib.h>
#include <string.h>

static int by_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

typedef struct walk {
	page *p;
	unsigned kinds;
	site_url_fn fn;
	void *ud;
	buf_t path;
	const char **users;
	size_t nusers, capusers;
	int64_t newest;
} walk;

static int emit(walk *w, unsigned kind, int64_t changed)
{
	if (!(w->kinds & kind))
		return 0;
	return w->fn(w->ud, kind, buf_str(&w->path), changed);
}

static int emitf(walk *w, unsigned kind, int64_t changed, const char *fmt, const char *a, const char *b)
{
	buf_reset(&w->path);
	buf_printf(&w->path, fmt, a, b);
	return emit(w, kind, changed);
}

static void add_authors(walk *w, const st_channel *c)
{
	const char **ids;
	size_t n;
	if (store_channel_authors(w->p->st, &w->p->a, c->id, &ids, &n) < 0)
		return;
	if (w->nusers + n > w->capusers) {
		w->capusers = (w->nusers + n) * 2;
		w->users = xrealloc(w->users, w->capusers * sizeof *w->users);
	}
	memcpy(w->users + w->nusers, ids, n * sizeof *ids);
	w->nusers += n;
}

static int channel(walk *w, const st_channel *c)
{
	const st_daychange *d;
	st_daychange *sd;
	size_t n;
	if (!site_days_changed(w->p, c, &d, &n)) {
		if (store_channel_days_changed(w->p->st, &w->p->a, c->id, &sd, &n) < 0)
			return -1;
		d = sd;
	}
	int64_t newest = 0;
	for (size_t i = 0; i < n; i++)
		if (d[i].changed > newest)
			newest = d[i].changed;
	if (newest > w->newest)
		w->newest = newest;
	int rc = emitf(w, URL_PAGE, newest, "/%s/", c->name, "");
	for (size_t i = 0; i < n && !rc; i++)
		rc = emitf(w, URL_PAGE, d[i].changed, "/%s/%s/", c->name, d[i].day);
	for (size_t i = 0; i < n && !rc; i++)
		rc = emitf(w, URL_LEGACY, d[i].changed, "/%s/%s.html", c->name, d[i].day);
	if (!rc)
		rc = emitf(w, URL_FEED, newest, "/%s/feed.atom", c->name, "");
	if (!rc)
		rc = emitf(w, URL_API, newest, "/api.v1/channels/%s.json", c->name, "");
	for (size_t i = 0; i < n && !rc; i++)
		rc = emitf(w, URL_API, d[i].changed, "/api.v1/channels/%s/%s.json", c->name, d[i].day);
	if (w->kinds & (URL_PAGE | URL_API))
		add_authors(w, c);
	return rc;
}

static int users(walk *w)
{
	qsort(w->users, w->nusers, sizeof *w->users, by_str);
	int rc = 0;
	for (size_t i = 0; i < w->nusers && !rc; i++) {
		if (i && strcmp(w->users[i], w->users[i - 1]) == 0)
			continue;
		if (!store_user(w->p->st, &w->p->a, w->users[i]))
			continue;   /* no profile: its page is a 404 */
		rc = emitf(w, URL_PAGE, 0, "/user.%s/", w->users[i], "");
		if (!rc)
			rc = emitf(w, URL_API, 0, "/api.v1/users/%s.json", w->users[i], "");
	}
	return rc;
}

static int site_files(walk *w, size_t npages)
{
	int rc = emitf(w, URL_META, 0, "/robots.txt", "", "");
	if (!rc)
		rc = emitf(w, URL_META, w->newest, "/sitemap.xml", "", "");
	for (size_t i = 1; !rc && i <= (npages + SITEMAP_MAX - 1) / SITEMAP_MAX; i++) {
		buf_reset(&w->path);
		buf_printf(&w->path, "/sitemap-%zu.xml", i);
		rc = emit(w, URL_META, w->newest);
	}
	for (size_t i = 0; !rc && i < assets_count; i++)
		rc = emitf(w, URL_META, 0, "%s", assets_table[i].path, "");
	return rc;
}

static int count_page(void *ud, unsigned kind, const char *path, int64_t changed)
{
	(void)kind, (void)path, (void)changed;
	++*(size_t *)ud;
	return 0;
}

size_t ui_page_count(page *p)
{
	size_t n = 0;
	ui_urls(p, URL_PAGE, count_page, &n);
	return n;
}

int ui_urls(page *p, unsigned kinds, site_url_fn fn, void *ud)
{
	walk w = {.p = p, .kinds = kinds, .fn = fn, .ud = ud, .path = BUF_INIT};
	const st_channel *cs;
	size_t n;
	site_channels(p, &cs, &n);
	/* the home page's date is its newest channel's: walk channels first */
	walk probe = w;
	probe.kinds = 0;
	for (size_t i = 0; i < n; i++)
		if (site_channel_visible(p, &cs[i]) && channel(&probe, &cs[i]) < 0)
			return ui_error(p, "listing days"), -1;
	w.newest = probe.newest;
	free(probe.users);
	buf_free(&probe.path);
	int rc = emitf(&w, URL_PAGE, w.newest, "/", "", "");
	if (!rc)
		rc = emitf(&w, URL_FEED, w.newest, "/feed.atom", "", "");
	if (!rc)
		rc = emitf(&w, URL_API, w.newest, "/api.v1/channels.json", "", "");
	for (size_t i = 0; i < n && !rc; i++)
		if (site_channel_visible(p, &cs[i]))
			rc = channel(&w, &cs[i]);
	if (!rc)
		rc = users(&w);
	if (!rc && (kinds & URL_META))
		rc = site_files(&w, ui_page_count(p));
	free(w.users);
	buf_free(&w.path);
	return rc;
}

int site_urls(site_t *s, unsigned kinds, site_url_fn fn, void *ud)
{
	page p;
	page_out out;
	page_out_init(&out);
	int rc = -1;
	if (page_begin(s, &p, NULL, &out))
		rc = ui_urls(&p, kinds, fn, ud);
	page_end(&p);
	page_out_free(&out);
	return rc;
}
