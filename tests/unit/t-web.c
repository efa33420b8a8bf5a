/* t-web.c: the HTTP layer's rules on strings: strict path decoding, query
 * values, conditional GET, gzip negotiation, HTTP dates, settings files. */
#include "unit.h"
#include "web/url.h"
#include "web/http.h"
#include "web/conf.h"
#include "web/cache.h"
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

static const char *decode(const char *raw)
{
	static buf_t b;
	url_status st = url_decode_path(raw, &b);
	return st == URL_OK ? buf_str(&b) : st == URL_TOO_LONG ? "(too long)" : "(bad)";
}

static void paths(void)
{
	CHECK_STR(decode("/"), "/", "root");
	CHECK_STR(decode("/general/2016-03-14/"), "/general/2016-03-14/", "plain path unchanged");
	CHECK_STR(decode("/%E6%97%A5%E6%9C%AC/"), "/\xE6\x97\xA5\xE6\x9C\xAC/", "UTF-8 channel name decoded");
	CHECK_STR(decode("/a%2Db/"), "/a-b/", "escaped ordinary byte decoded");
	CHECK_STR(decode("/user.U1/"), "/user.U1/", "dot inside a segment is fine");
	CHECK_STR(decode("/%252e%252e/"), "/%2e%2e/", "double-encoded dots decode once, to a harmless name");
	const char *bad[] = {
		"/../etc/passwd", "/a/../b", "/%2e%2e/x", "/%2E%2E/", "/./", "/a/.", "/a/..",
		"/a%00b", "/%00", "/a%2fb", "/a%2Fb", "/a%5cb", "/a\\b", "/%c0%ae%c0%ae/", "/%c0%af",
		"/%e0%80%ae", "/%ff", "/%zz", "/%4", "/%", "//", "/a//b", "relative", "", "/a%0ab", "/a%7f",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		CHECK_STR(decode(bad[i]), "(bad)", "refused: [%s]", bad[i]);
	char *longp = malloc(URL_MAX_PATH + 2);
	memset(longp, 'a', URL_MAX_PATH + 1);
	longp[0] = '/';
	longp[URL_MAX_PATH + 1] = 0;
	CHECK_STR(decode(longp), "(too long)", "a path over the limit is too long");
	longp[URL_MAX_PATH] = 0;
	CHECK(strcmp(decode(longp), "(bad)") != 0 && strcmp(decode(longp), "(too long)") != 0,
	      "a path at the limit is accepted");
	free(longp);
}

static void queries(void)
{
	buf_t b = BUF_INIT;
	CHECK(url_query_get("q=hello+world&x=1", "q", &b) && !strcmp(buf_str(&b), "hello world"), "'+' is a space");
	CHECK(url_query_get("a=1&q=%3Cb%3E", "q", &b) && !strcmp(buf_str(&b), "<b>"), "escapes decoded in a later key");
	CHECK(url_query_get("q=", "q", &b) && b.len == 0, "empty value present");
	CHECK(url_query_get("q", "q", &b) && b.len == 0, "key without '=' present");
	CHECK(!url_query_get("qq=1&xq=2", "q", &b), "only whole keys match");
	CHECK(!url_query_get("", "q", &b), "empty query has no keys");
	CHECK(url_query_get("q=a%00b%zz", "q", &b) && !strcmp(buf_str(&b), "ab%zz"), "NUL dropped, bad escape kept literally");
	CHECK(url_query_get("q=%ff", "q", &b) && !strcmp(buf_str(&b), "\xEF\xBF\xBD"), "invalid UTF-8 repaired to U+FFFD");
	buf_free(&b);
}

static void query_limits(void)
{
	CHECK(url_check_query(NULL) == URL_OK, "no query");
	CHECK(url_check_query("q=hello+world&page=2") == URL_OK, "an ordinary search");
	CHECK(url_check_query("q=%3Cscript%3E%09%0a") == URL_OK, "escapes, tab and newline pass");
	CHECK(url_check_query("q=a%00b") == URL_BAD, "an encoded NUL: bad");
	CHECK(url_check_query("q=a%1bb") == URL_BAD, "an encoded ESC: bad");
	CHECK(url_check_query("q=a%7Fb") == URL_BAD, "an encoded DEL: bad");
	CHECK(url_check_query("q=a\x01b") == URL_BAD, "a raw control character: bad");
	CHECK(url_check_query("q=%0") == URL_OK, "a cut escape at the end is data");
	char q[URL_MAX_QUERY + 2];
	memset(q, 'a', sizeof q - 1);
	q[sizeof q - 1] = 0;
	CHECK(url_check_query(q) == URL_TOO_LONG, "one byte over the limit: too long");
	q[URL_MAX_QUERY] = 0;
	CHECK(url_check_query(q) == URL_OK, "at the limit: fine");
	buf_t b = BUF_INIT;
	for (int i = 0; i < URL_MAX_PARAMS; i++)
		buf_printf(&b, "%sa=%d", i ? "&" : "", i);
	CHECK(url_check_query(buf_str(&b)) == URL_OK, "%d parameters: fine", URL_MAX_PARAMS);
	buf_puts(&b, "&z");
	CHECK(url_check_query(buf_str(&b)) == URL_TOO_LONG, "one parameter more: too long");
	buf_free(&b);
}

static void conditional(void)
{
	const char *e = "\"0123456789abcdef\"";
	CHECK(http_etag_match("\"0123456789abcdef\"", e), "same tag matches");
	CHECK(http_etag_match("W/\"0123456789abcdef\"", e), "weak form matches (weak comparison)");
	CHECK(http_etag_match("\"0123456789abcdef-gz\"", e), "gzip variant's tag matches");
	CHECK(http_etag_match("\"x\", \"0123456789abcdef\"", e), "match inside a list");
	CHECK(http_etag_match("*", e), "* matches");
	CHECK(!http_etag_match("\"0123456789abcdee\"", e), "different tag does not match");
	CHECK(!http_etag_match("\"0123456789abcdef0\"", e), "longer tag does not match");
	CHECK(!http_etag_match("0123456789abcdef", e), "unquoted tag does not match");
	CHECK(!http_etag_match("", e), "empty header does not match");
	int64_t lm = 784111777;   /* Sun, 06 Nov 1994 08:49:37 GMT */
	CHECK(http_not_modified(NULL, "Sun, 06 Nov 1994 08:49:37 GMT", e, lm), "IMS equal to Last-Modified: 304");
	CHECK(http_not_modified(NULL, "Sun, 06 Nov 1994 08:49:38 GMT", e, lm), "IMS after Last-Modified: 304");
	CHECK(!http_not_modified(NULL, "Sun, 06 Nov 1994 08:49:36 GMT", e, lm), "IMS before Last-Modified: 200");
	CHECK(!http_not_modified(NULL, "yesterday", e, lm), "unparsable IMS: 200");
	CHECK(!http_not_modified("\"other\"", "Sun, 06 Nov 1994 08:49:38 GMT", e, lm), "If-None-Match wins over IMS");
	CHECK(!http_not_modified(NULL, NULL, e, lm), "no condition: 200");
}

static void dates(void)
{
	char d[40];
	http_date(784111777, d);
	CHECK_STR(d, "Sun, 06 Nov 1994 08:49:37 GMT", "IMF-fixdate (RFC 9110's example)");
	int64_t t = 0;
	CHECK(http_parse_date("Sunday, 06-Nov-94 08:49:37 GMT", &t) && t == 784111777, "RFC 850 date");
	CHECK(http_parse_date("Sun Nov  6 08:49:37 1994", &t) && t == 784111777, "asctime date");
}

static void gzip(void)
{
	CHECK(http_accepts_gzip("gzip, deflate, br"), "gzip listed");
	CHECK(http_accepts_gzip("deflate, GZIP;q=0.5"), "case-insensitive, q=0.5");
	CHECK(http_accepts_gzip("x-gzip"), "x-gzip");
	CHECK(http_accepts_gzip("*"), "* allows gzip");
	CHECK(!http_accepts_gzip("gzip;q=0"), "q=0 refuses");
	CHECK(!http_accepts_gzip("gzip; q=0, *"), "explicit gzip;q=0 beats *");
	CHECK(!http_accepts_gzip("identity"), "identity only");
	CHECK(!http_accepts_gzip(NULL), "no header");
	CHECK(!http_accepts_gzip("gzipped"), "a longer token is not gzip");

	const char *text = "<p>hello hello hello hello hello hello hello hello</p>";
	buf_t z = BUF_INIT;
	CHECK(http_gzip(text, strlen(text), &z) == 0, "compresses");
	CHECK(z.len > 10 && (unsigned char)z.p[0] == 0x1f && (unsigned char)z.p[1] == 0x8b, "gzip magic");
	char back[256];
	z_stream s = {0};
	inflateInit2(&s, 16 + 15);
	s.next_in = (Bytef *)z.p;
	s.avail_in = (uInt)z.len;
	s.next_out = (Bytef *)back;
	s.avail_out = sizeof back;
	int rc = inflate(&s, Z_FINISH);
	back[s.total_out] = 0;
	inflateEnd(&s);
	CHECK(rc == Z_STREAM_END && !strcmp(back, text), "decompresses to the original");
	buf_free(&z);
	char gz[32];
	http_etag_gz("\"0123456789abcdef\"", gz);
	CHECK_STR(gz, "\"0123456789abcdef-gz\"", "gzip variant tag");
}

static void settings(void)
{
	char path[] = "/tmp/t-web-confXXXXXX", err[512];
	int fd = mkstemp(path);
	const char *text = "# comment\n\n  site_title =  My \"Archive\"  \nremote_avatars = on\n"
			   "disclaimer = \"  spaced # not a comment\"\npublish = #general, random  dev\n"
			   "base_url = https://example.org/arch/\n";
	CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text), "wrote settings file");
	close(fd);
	conf_t *c = conf_new();
	CHECK_STR(c->listen, "127.0.0.1:8080", "default listen");
	CHECK(!c->remote_avatars, "remote avatars off by default");
	CHECK(conf_read_file(c, path, err, sizeof err) == 0, "reads the file");
	CHECK_STR(c->site_title, "My \"Archive\"", "value trimmed, inner quotes kept");
	CHECK(c->remote_avatars, "remote_avatars = on");
	CHECK_STR(c->disclaimer, "  spaced # not a comment", "quoted value keeps spaces and #");
	CHECK(conf_listed(c->publish, "general") && conf_listed(c->publish, "random") &&
	      conf_listed(c->publish, "dev") && !conf_listed(c->publish, "gen"), "list split on commas and spaces");
	CHECK_STR(c->base_url, "https://example.org/arch", "trailing slash of base_url dropped");
	CHECK(conf_set(c, "nope", "1", err, sizeof err) < 0 && strstr(err, "nope"), "unknown key refused, named");
	CHECK(conf_set(c, "remote_avatars", "maybe", err, sizeof err) < 0, "bad boolean refused");
	CHECK(conf_set(c, "base_url", "ftp://x", err, sizeof err) < 0, "base_url must be http(s)");
	CHECK(c->cache_debug == -1, "cache_debug is off by default");
	CHECK(conf_set(c, "cache_debug", "on", err, sizeof err) == 0 && c->cache_debug == 0, "cache_debug on");
	CHECK(conf_set(c, "cache_debug", "1500", err, sizeof err) == 0 && c->cache_debug == 1500, "cache_debug in ms");
	CHECK(conf_set(c, "cache_debug", "1500ms", err, sizeof err) < 0 && strstr(err, "cache_debug"),
	      "cache_debug refuses what is not on, off or a number");
	CHECK(conf_set(c, "cache_debug", "off", err, sizeof err) == 0 && c->cache_debug == -1, "cache_debug off");
	conf_free(c);

	FILE *f = fopen(path, "w");
	fputs("site_title = from file\nlisten = 127.0.0.1:1\nbogus line\n", f);
	fclose(f);
	c = conf_new();
	CHECK(conf_read_file(c, path, err, sizeof err) < 0 && strstr(err, ":3:"), "error names the line: %s", err);
	conf_free(c);

	f = fopen(path, "w");
	fputs("site_title = from file\nlisten = 127.0.0.1:1\n", f);
	fclose(f);
	setenv("SLACKLOG_LISTEN", "127.0.0.1:2", 1);
	setenv("SLACKLOG_SITE_TITLE", "from env", 1);
	conf_flag flags[] = {{"config", path}, {"listen", "127.0.0.1:3"}};
	c = conf_build(flags, 2, err, sizeof err);
	CHECK(c && !strcmp(c->listen, "127.0.0.1:3"), "flag beats env and file");
	CHECK(c && !strcmp(c->site_title, "from env"), "env beats file");
	conf_free(c);
	unsetenv("SLACKLOG_LISTEN");
	unsetenv("SLACKLOG_SITE_TITLE");
	c = conf_build(flags, 1, err, sizeof err);
	CHECK(c && !strcmp(c->listen, "127.0.0.1:1") && !strcmp(c->site_title, "from file"), "file beats defaults");
	conf_free(c);
	unlink(path);
}

static bool named_b(void *ud, const char *path, const page_out *o)
{
	(void)o;
	++*(int *)ud;
	return strcmp(path, "/b/") == 0;
}

static void cache(void)
{
	pcache_t *c = pcache_new(1 << 20);
	page_out o, got;
	page_out_init(&o);
	page_out_init(&got);
	buf_t gz = BUF_INIT, gz2 = BUF_INIT;
	buf_puts(&o.body, "<p>day page</p>");
	buf_puts(&gz, "GZ");
	o.status = 200;
	o.type = "text/html; charset=utf-8";
	o.cache = CACHE_PAGE;
	strcpy(o.etag, "\"0123456789abcdef\"");
	o.last_modified = 42;
	uint64_t ep = pcache_epoch(c);
	CHECK(!pcache_get(c, "/a/", "", &got, &gz2), "empty cache misses");
	pcache_put(c, "/a/", "", ep, &o, &gz);
	CHECK(pcache_get(c, "/a/", "", &got, &gz2), "the same key hits");
	CHECK_STR(buf_str(&got.body), "<p>day page</p>", "body copied out");
	CHECK_STR(buf_str(&gz2), "GZ", "gzip form copied out");
	CHECK(got.status == 200 && got.last_modified == 42 && !strcmp(got.etag, o.etag), "status and validators copied");
	CHECK(!pcache_get(c, "/b/", "", &got, NULL), "another key misses");
	o.cache = CACHE_NONE;
	pcache_put(c, "/", "q=x", ep, &o, NULL);
	CHECK(!pcache_get(c, "/", "q=x", &got, NULL), "no-store answers are not kept");
	o.cache = CACHE_PAGE;
	buf_reset(&o.body);
	for (int i = 0; i < 20000; i++)
		buf_puts(&o.body, "0123456789");
	pcache_put(c, "/big/", "", ep, &o, NULL);
	CHECK(!pcache_get(c, "/big/", "", &got, NULL), "an answer over an eighth of the budget is not kept");

	/* drops: what stale() names goes, the rest stays; an answer built
	 * before a drop is not kept after it */
	buf_reset(&o.body);
	buf_puts(&o.body, "<p>b</p>");
	pcache_put(c, "/b/", "", ep, &o, NULL);
	pcache_put(c, "/b/", "x=1", ep, &o, NULL);
	int asked = 0;
	CHECK(pcache_drop(c, named_b, &asked) == 2 && asked == 3, "a drop asks about each answer (%d), drops two", asked);
	CHECK(!pcache_get(c, "/b/", "", &got, NULL) && !pcache_get(c, "/b/", "x=1", &got, NULL), "the named answers went");
	CHECK(pcache_get(c, "/a/", "", &got, NULL), "the others stay");
	CHECK(pcache_epoch(c) != ep, "a drop moves the epoch");
	pcache_put(c, "/b/", "", ep, &o, NULL);
	CHECK(!pcache_get(c, "/b/", "", &got, NULL), "an answer built before a drop is not kept after it");
	ep = pcache_epoch(c);
	pcache_put(c, "/b/", "", ep, &o, NULL);
	CHECK(pcache_get(c, "/b/", "", &got, NULL), "one built after it is");

	/* lent answers outlive their replacement until released (the
	 * sanitizer build would see a use after free) */
	pcache_hit h, h2;
	CHECK(!pcache_hold(c, "/c/", "", &h), "hold: another key misses");
	CHECK(pcache_hold(c, "/a/", "", &h), "hold: the same key hits");
	CHECK(pcache_hold(c, "/a/", "", &h2) && h2.ref == h.ref, "two holders share one entry");
	buf_reset(&o.body);
	buf_puts(&o.body, "<p>newer</p>");
	pcache_put(c, "/a/", "", ep, &o, NULL);
	CHECK_STR(buf_str(&h.o->body), "<p>day page</p>", "a replaced entry still reads while held");
	CHECK_STR(buf_str(h.gz), "GZ", "its gzip form too");
	pcache_release(h.ref);
	CHECK_STR(buf_str(&h2.o->body), "<p>day page</p>", "and while its last holder has it");
	pcache_release(h2.ref);
	CHECK(pcache_hold(c, "/a/", "", &h) && !strcmp(buf_str(&h.o->body), "<p>newer</p>"), "the new entry is lent now");
	CHECK(pcache_drop(c, NULL, NULL) == 2, "a drop of everything");
	CHECK_STR(buf_str(&h.o->body), "<p>newer</p>", "a dropped entry still reads while held");
	pcache_release(h.ref);
	pcache_put(c, "/a/", "", pcache_epoch(c), &o, NULL);
	CHECK(pcache_hold(c, "/a/", "", &h), "kept again");
	pcache_free(c);
	CHECK_STR(buf_str(&h.o->body), "<p>newer</p>", "a held entry outlives the cache");
	pcache_release(h.ref);

	/* the budget: the answers used least recently go first; a table of
	 * many more answers than it starts with buckets for */
	c = pcache_new(64 << 10);
	buf_reset(&o.body);
	for (int i = 0; i < 200; i++)
		buf_puts(&o.body, "0123456789");   /* 2,000 bytes: 25 or so fit */
	char key[32];
	ep = pcache_epoch(c);
	for (int i = 0; i < 20; i++) {
		snprintf(key, sizeof key, "/p%d/", i);
		pcache_put(c, key, "", ep, &o, NULL);
	}
	CHECK(pcache_get(c, "/p0/", "", &got, NULL), "the first answer, used again");
	for (int i = 20; i < 40; i++) {
		snprintf(key, sizeof key, "/p%d/", i);
		pcache_put(c, key, "", ep, &o, NULL);
	}
	CHECK(pcache_get(c, "/p0/", "", &got, NULL), "an answer used lately stays past the budget");
	CHECK(!pcache_get(c, "/p1/", "", &got, NULL), "the least recently used went");
	CHECK(pcache_get(c, "/p39/", "", &got, NULL), "the newest is there");
	pcache_free(c);
	c = pcache_new(64 << 20);
	ep = pcache_epoch(c);
	buf_reset(&o.body);
	buf_puts(&o.body, "x");
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof key, "/q%d/", i);
		pcache_put(c, key, "", ep, &o, NULL);
	}
	int found = 0;
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof key, "/q%d/", i);
		found += pcache_get(c, key, "", &got, NULL);
	}
	CHECK(found == 5000, "5,000 answers, each found (%d)", found);
	CHECK(pcache_drop(c, NULL, NULL) == 5000, "and dropped");
	page_out_free(&o);
	page_out_free(&got);
	buf_free(&gz);
	buf_free(&gz2);
	pcache_free(c);
}

int main(void)
{
	cache();
	paths();
	queries();
	query_limits();
	conditional();
	dates();
	gzip();
	settings();
	UNIT_DONE();
}
