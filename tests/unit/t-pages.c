/* t-pages.c: page_get() without a server, on the search tests' hand-made
 * archive (search-fixture.h): routes, redirects, 404s with suggestions,
 * what is published, and the promise the static build relies on: the same
 * URL gives the same bytes and the same ETag. */
#include "unit.h"
#include "search-fixture.h"
#include "pages/pages.h"
#include "web/conf.h"

static site_t *site;

static int get(const char *path, page_out *o)
{
	page_get(site, path, NULL, o);
	return o->status;
}

static bool has(const page_out *o, const char *s)
{
	return strstr(buf_str(&o->body), s) != NULL;
}

static void routes(void)
{
	page_out o, o2;
	page_out_init(&o);
	page_out_init(&o2);
	CHECK(get("/", &o) == 200 && has(&o, "href=\"/general/\"") && has(&o, "href=\"/random/\""), "index lists the public channels");
	CHECK(!has(&o, "secret"), "index leaves the private channel out");
	CHECK(!strcmp(o.type, "text/html; charset=utf-8"), "HTML with its charset");

	CHECK(get("/general/2020-01-01/", &o) == 200, "a day page");
	CHECK(has(&o, "<a class=\"author\" href=\"/user.U1/\">Ann</a>"), "with its author");
	CHECK(has(&o, "id=\"p0000000100000001\""), "anchored by its ts");
	CHECK(get("/general/2020-01-01/", &o2) == 200 && o.body.len == o2.body.len &&
	      !memcmp(o.body.p, o2.body.p, o.body.len) && !strcmp(o.etag, o2.etag), "same URL, same bytes and ETag");
	CHECK(o.etag[0] == '"' && strlen(o.etag) == 18, "strong ETag of 16 hex digits: %s", o.etag);
	CHECK(o.cache == CACHE_PAGE && o.last_modified > 0, "cacheable, with Last-Modified");

	CHECK(get("/general/2020-01-01", &o) == 301, "day without a slash: 301");
	CHECK_STR(buf_str(&o.location), "/general/2020-01-01/", "to the canonical URL");
	CHECK(get("/general/2020-01-01.html", &o) == 301 && !strcmp(buf_str(&o.location), "/general/2020-01-01/"), ".html: 301");
	CHECK(get("/general", &o) == 301 && !strcmp(buf_str(&o.location), "/general/"), "channel without a slash: 301");
	CHECK(get("/archives/C1/p0000000400000001", &o) == 301, "a Slack permalink: 301");
	CHECK_STR(buf_str(&o.location), "/general/2020-02-10/#p0000000400000001", "a reply's permalink: its parent's day page");
	CHECK(get("/archives/G1/p0000000800000001", &o) == 404, "permalink into a private channel: 404");

	CHECK(get("/general/2020-01-02/", &o) == 404, "a quiet day: 404");
	CHECK(has(&o, "href=\"/general/2020-01-01/\"") && has(&o, "href=\"/general/2020-01-05/\""), "naming the nearest days");
	CHECK(get("/general/2020-02-30/", &o) == 404, "no such date: 404");
	CHECK(get("/secret/", &o) == 404 && get("/secret/2020-01-01/", &o) == 404, "private channel: 404");
	CHECK(get("/D1/2020-01-01/", &o) == 404, "DM: 404");
	CHECK(get("/nope.x/", &o) == 404 && get("/a/b/c/", &o) == 404, "unknown routes: 404");

	CHECK(get("/user.U1/", &o) == 200, "a user page");
	CHECK(has(&o, "#</span>general</a> <span class=\"count\">(2)</span>"), "with U1's messages in general (2)");
	CHECK(has(&o, "#</span>random</a> <span class=\"count\">(1)</span>"), "and in random (1)");
	CHECK(!has(&o, "secret"), "not the private channel");
	CHECK(get("/user.U9/", &o) == 404, "unknown user: 404");

	CHECK(get("/style.css", &o) == 200 && !strcmp(o.type, "text/css; charset=utf-8"), "the stylesheet");
	CHECK(get("/robots.txt", &o) == 200 && has(&o, "User-agent: *"), "robots.txt");
	page_out_free(&o);
	page_out_free(&o2);
}

static void channel_days(void)
{
	page_out o;
	page_out_init(&o);
	CHECK(get("/general/", &o) == 200, "channel page");
	const char *b = buf_str(&o.body);
	const char *mar = strstr(b, "<caption>February 2020"), *jan = strstr(b, "<caption>January 2020");
	CHECK(mar && jan && mar < jan, "newest month first");
	CHECK(has(&o, "href=\"/general/2020-02-10/\" title=\"2020-02-10: 2 messages\""), "a day with its thread counted on the parent's day");
	page_out_free(&o);
}

int main(void)
{
	char path[] = "/tmp/t-pages-XXXXXX";
	store_t *s = fixture_open(path);
	if (!s)
		UNIT_DONE();
	store_close(s);
	conf_t *c = conf_new();
	char err[256];
	conf_set(c, "db", path, err, sizeof err);
	site = site_new(c, err, sizeof err);
	CHECK(site != NULL, "site opens the archive read-only: %s", site ? "" : err);
	if (site) {
		routes();
		channel_days();
		site_free(site);
	}
	fixture_remove(path);
	UNIT_DONE();
}
