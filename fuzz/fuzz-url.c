/* fuzz-url.c: libFuzzer target for request targets: percent-decoding of
 * the path (web/url.c), the query string, and routing to a page
 * (pages/route.c) on a small real archive (the unit tests' search fixture,
 * plus channels with non-ASCII and odd names).
 *
 * The input is a request target as a client sends it, "path?query"; it
 * ends at a NUL, as the server's C string does.
 *
 * Invariants, beyond "no crash":
 *   - a path longer than URL_MAX_PATH is URL_TOO_LONG;
 *   - a decoded path starts with '/', holds no NUL, control byte or
 *     backslash, is valid UTF-8, has no "." or ".." segment and no empty
 *     one but the last, is no longer than the raw path, equals the raw path
 *     when that had no escape, and percent-encoding it again and decoding
 *     gives it back;
 *   - a query value decodes to valid UTF-8 without NUL;
 *   - every page answers 200, 301, 400 or 404 (never 500 on a healthy
 *     archive), the same bytes and ETag when asked twice; a 200's ETag is
 *     its body's; a 301 goes to a path on this site ("/" but not "//"),
 *     without control characters or spaces, that decodes and is not itself
 *     a redirect (one hop to the canonical URL). */
#include "fuzz.h"
#include "lib/utf8.h"
#include "pages/pages.h"
#include "search-fixture.h"
#include "web/conf.h"
#include "web/url.h"

static site_t *site;
static char path[] = "/tmp/fuzz-url-XXXXXX";

static void cleanup(void)
{
	site_free(site);
	fixture_remove(path);
}

static void more_channels(store_t *s)
{
	static const char *const names[][2] = {{"C7", "日本語"}, {"C8", "a b+c"}, {"C9", "x%y"}};
	for (size_t i = 0; i < 3; i++) {
		st_channel c = {.id = names[i][0], .name = names[i][1], .kind = CH_PUBLIC};
		FUZZ_CHECK(store_upsert_channel(s, &c) != ST_ERROR, "%s", store_errmsg(s));
		const char *raw = "{\"ts\":\"1458000000.000100\",\"text\":\"hi\"}";
		st_message m = {.channel_id = names[i][0], .ts = "1458000000.000100", .day = "2016-03-15",
				.user_id = "U1", .text = "hi", .raw = raw, .rawlen = strlen(raw)};
		FUZZ_CHECK(store_upsert_message(s, &m) != ST_ERROR, "%s", store_errmsg(s));
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	store_t *s = fixture_open(path);
	FUZZ_CHECK(s != NULL, "fixture archive");
	more_channels(s);
	store_close(s);
	char err[256];
	conf_t *c = conf_new();
	FUZZ_CHECK(conf_set(c, "db", path, err, sizeof err) == 0, "%s", err);
	site = site_new(c, err, sizeof err);
	FUZZ_CHECK(site != NULL, "%s", err);
	atexit(cleanup);
	return 0;
}

static void check_decoded(const char *raw, const buf_t *out)
{
	const char *s = out->p;
	size_t n = out->len;
	FUZZ_CHECK(n >= 1 && s[0] == '/', "decoded [%s] does not start with /", buf_str(out));
	FUZZ_CHECK(strlen(s) == n, "decoded path holds a NUL");
	FUZZ_CHECK(n <= strlen(raw), "decoded path longer than the raw one");
	FUZZ_CHECK(utf8_valid(s, n), "decoded path is not valid UTF-8");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		FUZZ_CHECK(c >= 0x20 && c != 0x7f && c != '\\', "byte %02x at %zu", c, i);
	}
	for (size_t i = 1; i <= n;) {
		const char *seg = s + i, *sl = memchr(seg, '/', n - i);
		size_t len = sl ? (size_t)(sl - seg) : n - i;
		FUZZ_CHECK(len || !sl, "empty segment at %zu", i);
		FUZZ_CHECK(!(len == 1 && seg[0] == '.') && !(len == 2 && seg[0] == '.' && seg[1] == '.'),
			   "dot segment at %zu", i);
		i += len + 1;
	}
	if (!strchr(raw, '%'))
		FUZZ_CHECK(strcmp(raw, s) == 0, "[%s] decoded to [%s] without an escape", raw, s);
	buf_t enc = BUF_INIT, back = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '/' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
			buf_putc(&enc, (char)c);
		else
			buf_printf(&enc, "%%%02X", c);
	}
	url_status st = url_decode_path(buf_str(&enc), &back);
	FUZZ_CHECK(enc.len > URL_MAX_PATH || (st == URL_OK && back.len == n && memcmp(back.p, s, n) == 0),
		   "re-encoded [%s] decodes to %d [%s], not [%s]", buf_str(&enc), st, buf_str(&back), s);
	buf_free(&enc);
	buf_free(&back);
}

static void check_query(const char *query)
{
	static const char *const keys[] = {"q", "limit", "offset", "page"};
	buf_t v = BUF_INIT;
	for (size_t i = 0; i < 4; i++)
		if (url_query_get(query, keys[i], &v))
			FUZZ_CHECK(utf8_valid(v.p, v.len) && strlen(buf_str(&v)) == v.len,
				   "query value of %s: invalid UTF-8 or a NUL", keys[i]);
	buf_free(&v);
}

static bool same(const page_out *a, const page_out *b)
{
	return a->status == b->status && a->body.len == b->body.len &&
	       memcmp(a->body.p, b->body.p, a->body.len) == 0 && strcmp(a->etag, b->etag) == 0 &&
	       a->location.len == b->location.len && memcmp(a->location.p, b->location.p, a->location.len) == 0;
}

static void check_redirect(const page_out *o)
{
	const char *loc = buf_str(&o->location);
	FUZZ_CHECK(loc[0] == '/' && loc[1] != '/', "redirect to [%s], off the site", loc);
	for (const char *c = loc; *c; c++)
		FUZZ_CHECK((unsigned char)*c > 0x20 && *c != 0x7f, "redirect [%s] holds byte %02x", loc, (unsigned char)*c);
	size_t n = strcspn(loc, "?#");
	char *target = strndup(loc, n);
	const char *q = loc[n] == '?' ? loc + n + 1 : NULL;
	buf_t dec = BUF_INIT;
	FUZZ_CHECK(url_decode_path(target, &dec) == URL_OK, "redirect target [%s] does not decode", target);
	page_out next;
	page_out_init(&next);
	page_get(site, buf_str(&dec), q, &next);
	FUZZ_CHECK(next.status != 301, "redirect chain: [%s] redirects again to [%s]", loc, buf_str(&next.location));
	page_out_free(&next);
	buf_free(&dec);
	free(target);
}

static void check_page(const char *decoded, const char *query)
{
	page_out o, again;
	page_out_init(&o);
	page_out_init(&again);
	int rc = page_get(site, decoded, query, &o);
	FUZZ_CHECK(rc == 0 && o.status != 500, "an internal error on [%s]", decoded);
	FUZZ_CHECK(o.status == 200 || o.status == 301 || o.status == 400 || o.status == 404,
		   "status %d for [%s]", o.status, decoded);
	FUZZ_CHECK(o.type && *o.type, "no Content-Type for [%s]", decoded);
	page_get(site, decoded, query, &again);
	FUZZ_CHECK(same(&o, &again), "[%s] answered twice differently", decoded);
	if (o.status == 200 && o.etag[0]) {
		char etag[24];
		page_etag(o.body.p, o.body.len, etag);
		FUZZ_CHECK(strcmp(etag, o.etag) == 0, "ETag %s is not the body's %s", o.etag, etag);
	}
	if (o.status == 301)
		check_redirect(&o);
	page_out_free(&o);
	page_out_free(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *raw = strndup((const char *)data, size);
	char *query = strchr(raw, '?');
	if (query)
		*query++ = 0;
	buf_t out = BUF_INIT;
	url_status st = url_decode_path(raw, &out);
	if (strlen(raw) > URL_MAX_PATH)
		FUZZ_CHECK(st == URL_TOO_LONG, "a %zu-byte path is not URL_TOO_LONG", strlen(raw));
	if (query)
		check_query(query);
	if (st == URL_OK) {
		check_decoded(raw, &out);
		check_page(buf_str(&out), query);
	}
	buf_free(&out);
	free(raw);
	return 0;
}
