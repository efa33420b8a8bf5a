/* http.c: conditional GET, gzip, dates, header values. See http.h. */
#include "web/http.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <zlib.h>

/* No inline script or style anywhere: pages link one stylesheet and no
 * script; images may come from Slack's CDN (remote avatars, thumbnails). */
const char HTTP_CSP[] = "default-src 'none'; style-src 'self'; img-src 'self' https: data:; "
			"script-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/* Compare one entity-tag from a list against etag's opaque part. */
static bool tag_equal(const char *t, size_t n, const char *etag)
{
	if (n >= 2 && t[0] == 'W' && t[1] == '/')
		t += 2, n -= 2;
	if (n < 2 || t[0] != '"' || t[n - 1] != '"')
		return false;
	t++, n -= 2;
	if (n >= 3 && memcmp(t + n - 3, "-gz", 3) == 0)
		n -= 3;
	size_t en = strlen(etag);
	if (en < 2)
		return false;
	return n == en - 2 && memcmp(t, etag + 1, n) == 0;
}

bool http_etag_match(const char *inm, const char *etag)
{
	if (!inm || !etag || !*etag)
		return false;
	const char *p = inm;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (!*p)
			break;
		if (*p == '*')
			return true;
		const char *s = p;
		if (p[0] == 'W' && p[1] == '/')
			p += 2;
		if (*p == '"') {
			p++;
			while (*p && *p != '"')
				p++;
			if (*p == '"')
				p++;
		} else {
			while (*p && *p != ',')
				p++;
		}
		if (tag_equal(s, (size_t)(p - s), etag))
			return true;
	}
	return false;
}

bool http_not_modified(const char *inm, const char *ims, const char *etag, int64_t lm)
{
	if (inm)
		return http_etag_match(inm, etag);
	int64_t t;
	if (ims && lm > 0 && http_parse_date(ims, &t))
		return lm <= t;
	return false;
}

/* q-value of one Accept-Encoding member's parameters; 1 when absent. */
static double qvalue(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] != ';')
			continue;
		size_t j = i + 1;
		while (j < n && p[j] == ' ')
			j++;
		if (j + 1 < n && (p[j] == 'q' || p[j] == 'Q') && p[j + 1] == '=')
			return strtod(p + j + 2, NULL);
	}
	return 1.0;
}

bool http_accepts_gzip(const char *ae)
{
	if (!ae)
		return false;
	double gz = -1, star = -1;
	const char *p = ae;
	while (*p) {
		while (*p == ' ' || *p == ',')
			p++;
		const char *s = p;
		while (*p && *p != ',')
			p++;
		size_t n = (size_t)(p - s);
		size_t tl = 0;
		while (tl < n && s[tl] != ';' && s[tl] != ' ')
			tl++;
		double q = qvalue(s + tl, n - tl);
		if ((tl == 4 && !strncasecmp(s, "gzip", 4)) || (tl == 6 && !strncasecmp(s, "x-gzip", 6)))
			gz = q;
		else if (tl == 1 && *s == '*')
			star = q;
	}
	return gz >= 0 ? gz > 0 : star > 0;
}

int http_gzip(const void *in, size_t n, buf_t *out)
{
	z_stream z = {0};
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	buf_reset(out);
	size_t bound = deflateBound(&z, (uLong)n);
	buf_grow(out, bound);
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)n;
	z.next_out = (Bytef *)out->p;
	z.avail_out = (uInt)bound;
	int rc = deflate(&z, Z_FINISH);
	if (rc == Z_STREAM_END)
		out->len = z.total_out;
	deflateEnd(&z);
	if (out->p)
		out->p[out->len] = 0;
	return rc == Z_STREAM_END ? 0 : -1;
}

static const char *const wdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
				     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

void http_date(int64_t t, char out[40])
{
	struct tm tm;
	time_t tt = (time_t)t;
	gmtime_r(&tt, &tm);
	snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d GMT", wdays[tm.tm_wday % 7], tm.tm_mday,
		 months[tm.tm_mon % 12], (tm.tm_year + 1900) % 10000, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

bool http_parse_date(const char *s, int64_t *t)
{
	struct tm tm = {0};
	const char *e = strptime(s, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	if (!e || *e) {
		memset(&tm, 0, sizeof tm);
		e = strptime(s, "%A, %d-%b-%y %H:%M:%S GMT", &tm);
	}
	if (!e || *e) {
		memset(&tm, 0, sizeof tm);
		e = strptime(s, "%a %b %e %H:%M:%S %Y", &tm);
	}
	if (!e || *e)
		return false;
	*t = (int64_t)timegm(&tm);
	return true;
}

const char *http_cache_control(cache_policy c)
{
	switch (c) {
	case CACHE_PAGE: return "public, max-age=300";
	case CACHE_ERROR: return "public, max-age=60";
	case CACHE_REDIRECT: return "public, max-age=86400";
	case CACHE_IMMUTABLE: return "public, max-age=31536000, immutable";
	case CACHE_NONE: break;
	}
	return "no-store";
}

void http_etag_gz(const char *etag, char out[32])
{
	size_t n = strlen(etag);
	if (n < 2 || n > 24) {
		out[0] = 0;
		return;
	}
	snprintf(out, 32, "%.*s-gz\"", (int)(n - 1), etag);
}

bool http_compressible(const char *type)
{
	return type && (!strncmp(type, "text/", 5) || strstr(type, "json") || strstr(type, "xml") ||
			strstr(type, "javascript") || strstr(type, "svg"));
}

const char *http_framing_error(const http_framing *f)
{
	if (f->bad_field_name)
		return "Bad request: malformed header field name.\n";
	if (f->n_content_length > 1 || f->n_transfer_encoding > 1)
		return "Bad request: repeated Content-Length or Transfer-Encoding.\n";
	if (f->content_length && f->transfer_encoding)
		return "Bad request: both Content-Length and Transfer-Encoding.\n";
	if (f->transfer_encoding && strcasecmp(f->transfer_encoding, "chunked") != 0)
		return "Bad request: the only transfer coding accepted is chunked.\n";
	if (f->content_length && (!*f->content_length ||
				  strspn(f->content_length, "0123456789") != strlen(f->content_length)))
		return "Bad request: malformed Content-Length.\n";
	return NULL;
}
