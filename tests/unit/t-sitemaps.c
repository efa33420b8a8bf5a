/* t-sitemaps.c: an archive at and past the number of pages one sitemap
 * may list (SITEMAP_MAX): the index names every part, the parts split the
 * pages in order without losing or repeating one, a part past the end is
 * a 404, and a new page written while the site is open moves the count
 * (it is kept per data version) across the line between one part and two.
 * The archive: one public channel with a message on each of D consecutive
 * days, by one person with a profile, so the pages are the home page, the
 * channel's page, one page per day and the person's page: D + 3. */
#include "unit.h"
#include "temp-archive.h"
#include "pages/pages.h"
#include "web/conf.h"
#include "lib/ts.h"
#include <stdint.h>
#include <string.h>

enum { DAYS = SITEMAP_MAX - 3 };   /* exactly one full sitemap */

static site_t *site;

/* The next needle in s, or NULL. Not strstr: a sanitizer's strstr
 * measures the rest of the text on every call, and these are 4 MB. */
static const char *find(const char *s, const char *needle)
{
	size_t n = strlen(needle);
	for (; *s; s++)
		if (*s == *needle && strncmp(s, needle, n) == 0)
			return s;
	return NULL;
}

static size_t count(const char *s, const char *needle)
{
	size_t n = 0;
	for (const char *p = s; (p = find(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* The message of day k: noon UTC, k days after 2000-01-01. */
static int add_day(store_t *s, long k)
{
	char ts[32], day[16];
	int64_t sec = 946728000 + (int64_t)k * 86400;
	snprintf(ts, sizeof ts, "%lld.000100", (long long)sec);
	ts_day(sec, day);
	st_message m = {.channel_id = "C1", .ts = ts, .day = day, .user_id = "U1", .text = "hello",
			.raw = "{\"type\":\"message\",\"text\":\"hello\"}"};
	m.rawlen = strlen(m.raw);
	return store_upsert_message(s, &m) < 0 ? -1 : 0;
}

static bool fill(store_t *s)
{
	st_channel c = {.id = "C1", .name = "general", .kind = CH_PUBLIC};
	st_user u = {.id = "U1", .name = "ann", .real_name = "Ann"};
	bool ok = store_bulk_begin(s) >= 0 && store_begin(s) == 0 && store_upsert_channel(s, &c) >= 0 &&
		  store_upsert_user(s, &u) >= 0;
	for (long k = 0; ok && k < DAYS; k++)
		ok = add_day(s, k) == 0;
	return ok && store_commit(s) == 0 && store_bulk_end(s) == 0;
}

static int get(const char *path, page_out *o)
{
	page_get(site, path, NULL, o);
	return o->status;
}

/* Every <loc> of a sitemap, appended to a list of n. */
static void locs(const char *xml, char ***v, size_t *n)
{
	for (const char *p = xml; (p = find(p, "<loc>")); ) {
		p += 5;
		const char *e = find(p, "</loc>");
		if (!e)
			break;
		if ((*n & (*n - 1)) == 0)   /* at 0, 1, 2, 4, ...: double */
			*v = realloc(*v, (*n ? 2 * *n : 1) * sizeof **v);
		(*v)[(*n)++] = strndup(p, (size_t)(e - p));
		p = e;
	}
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void parts(size_t pages, const char *when)
{
	page_out o;
	page_out_init(&o);
	char **v = NULL, name[64];
	size_t n = 0, np = (pages + SITEMAP_MAX - 1) / SITEMAP_MAX;
	CHECK(get("/sitemap.xml", &o) == 200 && count(buf_str(&o.body), "<sitemap>") == np, "%s: the index names %zu part(s)",
	      when, np);
	snprintf(name, sizeof name, "sitemap-%zu.xml</loc>", np);
	CHECK(strstr(buf_str(&o.body), name) != NULL, "%s: the last by name", when);
	for (size_t i = 1; i <= np; i++) {
		snprintf(name, sizeof name, "/sitemap-%zu.xml", i);
		size_t want = i < np ? SITEMAP_MAX : pages - (np - 1) * SITEMAP_MAX;
		CHECK(get(name, &o) == 200 && count(buf_str(&o.body), "<url>") == want, "%s: part %zu lists %zu", when, i,
		      want);
		size_t before = n;
		locs(buf_str(&o.body), &v, &n);
		if (i == 1)
			CHECK(n && strcmp(v[0], "/") == 0, "%s: it starts with the home page", when);
		if (i == np)
			CHECK(n > before && strcmp(v[n - 1], "/user.U1/") == 0, "%s: the last ends with the person", when);
	}
	snprintf(name, sizeof name, "/sitemap-%zu.xml", np + 1);
	CHECK(get(name, &o) == 404, "%s: no part %zu", when, np + 1);
	qsort(v, n, sizeof *v, by_str);
	size_t dup = 0;
	for (size_t i = 1; i < n; i++)
		dup += strcmp(v[i - 1], v[i]) == 0;
	CHECK(n == pages && dup == 0, "%s: %zu pages, each once (%zu listed, %zu twice)", when, pages, n, dup);
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
	page_out_free(&o);
}

int main(void)
{
	char path[] = "/tmp/t-sitemaps-XXXXXX";
	store_t *s = temp_archive(path);
	if (!s)
		UNIT_DONE();
	CHECK(fill(s), "%d days of messages stored", DAYS);
	conf_t *c = conf_new();
	char err[256];
	conf_set(c, "db", path, err, sizeof err);
	site = site_new(c, err, sizeof err);
	CHECK(site != NULL, "site opens the archive: %s", site ? "" : err);
	if (site) {
		parts(DAYS + 3, "one full sitemap");
		/* more days, written while the site is open */
		CHECK(store_begin(s) == 0 && add_day(s, DAYS) == 0 && store_commit(s) == 0, "one more day stored");
		parts(DAYS + 4, "one page more");
		bool ok = store_begin(s) == 0;
		for (long k = DAYS + 1; ok && k < DAYS + 10; k++)
			ok = add_day(s, k) == 0;
		CHECK(ok && store_commit(s) == 0, "nine more days stored");
		parts(DAYS + 13, "ten pages more");
		site_free(site);
	}
	store_close(s);
	temp_archive_remove(path);
	UNIT_DONE();
}
