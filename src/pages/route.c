/* route.c: from a decoded path to the page function that answers it.
 *
 * Non-canonical spellings of a page answer 301 to the canonical URL
 * (missing trailing slash, a ".html" suffix), so every page has one URL
 * and caches and crawlers see each page once. */
#include "pages/ui.h"
#include "lib/ts.h"
#include "web/url.h"
#include <string.h>

enum { MAX_SEG = 4 };

typedef struct segs {
	char *s[MAX_SEG];
	int n;
	bool slash;        /* path ended with '/' */
} segs;

/* Split "/a/b/" in place (path is the arena's copy). false: too many. */
static bool split(char *path, segs *g)
{
	g->n = 0;
	size_t len = strlen(path);
	g->slash = len > 1 && path[len - 1] == '/';
	if (g->slash)
		path[len - 1] = 0;
	for (char *s = path + 1; s && *s;) {
		if (g->n == MAX_SEG)
			return false;
		g->s[g->n++] = s;
		char *e = strchr(s, '/');
		if (e)
			*e++ = 0;
		s = e;
	}
	return true;
}

static void not_found(page *p)
{
	ui_not_found(p, "There is no page at this address.", NULL, NULL);
}

static void redirect_channel(page *p, const char *name, const char *day)
{
	buf_t loc = BUF_INIT;
	if (day)
		link_day(p, &loc, name, day);
	else
		link_channel(p, &loc, name);
	ui_redirect(p, &loc);
	buf_free(&loc);
}

static bool is_permalink(const char *s)
{
	if (s[0] != 'p' || strlen(s) != 17)
		return false;
	for (int i = 1; i < 17; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static void route_user(page *p, const segs *g)
{
	const char *id = g->s[0] + 5;
	if (g->n != 1 || !*id) {
		not_found(p);
	} else if (!g->slash) {
		buf_t loc = BUF_INIT;
		link_user(p, &loc, id);
		ui_redirect(p, &loc);
		buf_free(&loc);
	} else {
		page_user(p, id);
	}
}

static void route_day(page *p, const st_channel *c, const segs *g)
{
	char day[16];
	const char *d = g->s[1];
	size_t n = strlen(d);
	bool html = n == 15 && strcmp(d + 10, ".html") == 0;
	if (n != 10 && !html) {
		not_found(p);
		return;
	}
	memcpy(day, d, 10);
	day[10] = 0;
	if (!day_valid(day))
		not_found(p);
	else if (html || !g->slash)
		redirect_channel(p, c->path, day);
	else
		page_day(p, c, day);
}

static bool has_param(page *p, const char *key)
{
	buf_t b = BUF_INIT;
	bool has = url_query_get(p->query, key, &b);
	buf_free(&b);
	return has;
}

/* "N.xml" with N a number from 1, no leading zero */
static void route_sitemap(page *p, const char *rest)
{
	size_t n = 0, i = 0;
	for (; rest[i] >= '0' && rest[i] <= '9' && i < 9; i++)
		n = n * 10 + (size_t)(rest[i] - '0');
	if (i == 0 || rest[0] == '0' || strcmp(rest + i, ".xml") != 0)
		not_found(p);
	else
		page_sitemap(p, n);
}

static void route_path(page *p, const char *path)
{
	if (strcmp(path, "/") == 0) {
		if (has_param(p, "q"))
			page_search(p, NULL);
		else
			page_index(p);
		return;
	}
	if (strcmp(path, "/api.v1/search") == 0) {
		page_search_json(p);
		return;
	}
	if (strncmp(path, "/api.v1/", 8) == 0) {
		page_api(p, path + 8);
		return;
	}
	if (strcmp(path, "/feed.atom") == 0) {
		page_feed(p, NULL);
		return;
	}
	if (strcmp(path, "/sitemap.xml") == 0) {
		page_sitemap_index(p);
		return;
	}
	if (strncmp(path, "/sitemap-", 9) == 0) {
		route_sitemap(p, path + 9);
		return;
	}
	if (strcmp(path, "/robots.txt") == 0) {
		page_robots(p);
		return;
	}
	if (strcmp(path, "/search.html") == 0) {
		/* a static copy's "no search here" page; a server that
		 * searches sends a bookmark of it to its search box */
		if (ui_search_off(p)) {
			page_search_off(p);
		} else {
			buf_t loc = BUF_INIT;
			buf_printf(&loc, "%s/", p->prefix);
			ui_redirect(p, &loc);
			buf_free(&loc);
		}
		return;
	}
	const char *type, *hash;
	size_t len;
	if (site_asset(path, &type, &len, &hash)) {
		page_asset(p, path);
		return;
	}
	segs g;
	char *copy = arena_strndup(&p->a, path, strlen(path));
	if (!split(copy, &g) || g.n == 0) {
		not_found(p);
		return;
	}
	if (strncmp(g.s[0], "user.", 5) == 0) {
		route_user(p, &g);
		return;
	}
	if (strcmp(g.s[0], "archives") == 0 && g.n == 3 && is_permalink(g.s[2])) {
		page_permalink(p, g.s[1], g.s[2] + 1);
		return;
	}
	if (strchr(g.s[0], '.') || g.n > 2) {
		not_found(p);
		return;
	}
	const st_channel *c = site_channel_by_path(p, g.s[0]);
	if (!c) {
		ui_not_found(p, "There is no channel by this name in the archive.", NULL, NULL);
		return;
	}
	if (g.n == 1) {
		if (g.slash && has_param(p, "q"))
			page_search(p, c);
		else if (g.slash)
			page_channel(p, c);
		else
			redirect_channel(p, c->path, NULL);
		return;
	}
	if (strcmp(g.s[1], "feed.atom") == 0 && !g.slash)
		page_feed(p, c);
	else
		route_day(p, c, &g);
}

/* One read snapshot per page: its queries agree with each other, and the
 * database's lock is taken once, not once per query. */
void route(page *p, const char *path)
{
	bool snap = store_read_begin(p->st) == 0;
	route_path(p, path);
	if (snap)
		store_read_end(p->st);
}
