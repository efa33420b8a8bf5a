/* url.c: strict percent-decoding of request paths, lenient decoding of
 * query values. See url.h for the rules and why. */
#include "web/url.h"
#include "lib/utf8.h"
#include <string.h>

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A decoded segment is acceptable when it is not "." or ".." and holds no
 * control character; empty segments are only allowed last ("/a/"). */
static bool segment_ok(const char *s, size_t n, bool last)
{
	if (n == 0)
		return last;
	if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f || c == '\\')
			return false;
	}
	return true;
}

url_status url_decode_path(const char *raw, buf_t *out)
{
	size_t n = strlen(raw);
	if (n > URL_MAX_PATH)
		return URL_TOO_LONG;
	if (raw[0] != '/')
		return URL_BAD;
	buf_reset(out);
	size_t seg = 0;   /* start of the current decoded segment in out */
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)raw[i];
		if (c == '/') {
			if (i > 0 && !segment_ok(out->p + seg, out->len - seg, false))
				return URL_BAD;
			buf_putc(out, '/');
			seg = out->len;
			continue;
		}
		if (c == '%') {
			if (i + 2 >= n)
				return URL_BAD;
			int hi = hexval((unsigned char)raw[i + 1]);
			int lo = hexval((unsigned char)raw[i + 2]);
			if (hi < 0 || lo < 0)
				return URL_BAD;
			c = hi * 16 + lo;
			i += 2;
			if (c == 0 || c == '/' || c == '\\')
				return URL_BAD;
		}
		buf_putc(out, (char)c);
	}
	if (!segment_ok(out->p + seg, out->len - seg, true))
		return URL_BAD;
	if (!utf8_valid(out->p, out->len))
		return URL_BAD;
	return URL_OK;
}

url_status url_check_query(const char *q)
{
	if (!q)
		return URL_OK;
	size_t n = strlen(q), params = 1;
	if (n > URL_MAX_QUERY)
		return URL_TOO_LONG;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)q[i];
		if (c == '&' && ++params > URL_MAX_PARAMS)
			return URL_TOO_LONG;
		if (c < 0x20 || c == 0x7f)
			return URL_BAD;
		if (c == '%' && i + 2 < n && hexval((unsigned char)q[i + 1]) >= 0 &&
		    hexval((unsigned char)q[i + 2]) >= 0) {
			int v = hexval((unsigned char)q[i + 1]) * 16 + hexval((unsigned char)q[i + 2]);
			if (v < 0x20 && v != '\t' && v != '\n' && v != '\r')
				return URL_BAD;
			if (v == 0x7f)
				return URL_BAD;
		}
	}
	return URL_OK;
}

void url_decode_form(const char *s, size_t n, buf_t *out)
{
	buf_t tmp = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)s[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%' && i + 2 < n) {
			int hi = hexval((unsigned char)s[i + 1]);
			int lo = hexval((unsigned char)s[i + 2]);
			if (hi >= 0 && lo >= 0) {
				c = hi * 16 + lo;
				i += 2;
			}
		}
		if (c == 0)
			continue;
		buf_putc(&tmp, (char)c);
	}
	utf8_repair(out, buf_str(&tmp), tmp.len);
	buf_free(&tmp);
}

bool url_query_get(const char *query, const char *key, buf_t *out)
{
	size_t klen = strlen(key);
	const char *p = query;
	while (p && *p) {
		const char *end = strchr(p, '&');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		size_t kl = eq ? (size_t)(eq - p) : len;
		if (kl == klen && memcmp(p, key, klen) == 0) {
			buf_reset(out);
			if (eq)
				url_decode_form(eq + 1, len - kl - 1, out);
			return true;
		}
		p = end ? end + 1 : NULL;
	}
	return false;
}
