/* utf8.c: see utf8.h. Follows RFC 3629: no overlongs, no surrogates, max
 * U+10FFFF. */
#include "lib/utf8.h"
#include <locale.h>
#include <stdint.h>
#include <string.h>
#include <wchar.h>

size_t utf8_valid_len(const unsigned char *s, size_t n)
{
	if (n == 0)
		return 0;
	unsigned c = s[0];
	if (c < 0x80)
		return 1;
	if (c < 0xC2)
		return 0;
	if (c < 0xE0) {
		if (n < 2 || (s[1] & 0xC0) != 0x80)
			return 0;
		return 2;
	}
	if (c < 0xF0) {
		if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		if (c == 0xE0 && s[1] < 0xA0)
			return 0;          /* overlong */
		if (c == 0xED && s[1] >= 0xA0)
			return 0;          /* surrogate */
		return 3;
	}
	if (c < 0xF5) {
		if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
			return 0;
		if (c == 0xF0 && s[1] < 0x90)
			return 0;
		if (c == 0xF4 && s[1] >= 0x90)
			return 0;
		return 4;
	}
	return 0;
}

bool utf8_valid(const char *s, size_t n)
{
	if (n == 0)             /* an empty string may be a NULL pointer */
		return true;
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	while (p < e) {
		/* most text is ASCII: skip it eight bytes at a time */
		uint64_t w;
		while (e - p >= 8 && (memcpy(&w, p, 8), !(w & 0x8080808080808080u)))
			p += 8;
		if (p == e)
			break;
		if (*p < 0x80) {
			p++;
			continue;
		}
		size_t l = utf8_valid_len(p, (size_t)(e - p));
		if (!l)
			return false;
		p += l;
	}
	return true;
}

size_t utf8_repair(buf_t *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n, *run = p;
	size_t fixes = 0;
	while (p < e) {
		if (*p < 0x80) {
			p++;
			continue;
		}
		size_t l = utf8_valid_len(p, (size_t)(e - p));
		if (l) {
			p += l;
			continue;
		}
		buf_put(b, run, (size_t)(p - run));
		buf_put(b, "\xEF\xBF\xBD", 3);
		fixes++;
		p++;
		/* swallow continuation bytes of the broken sequence */
		while (p < e && (*p & 0xC0) == 0x80)
			p++;
		run = p;
	}
	buf_put(b, run, (size_t)(p - run));
	return fixes;
}

uint32_t utf8_next(const char **sp, const char *end)
{
	const unsigned char *s = (const unsigned char *)*sp;
	size_t l = utf8_valid_len(s, (size_t)((const unsigned char *)end - s));
	uint32_t cp;
	switch (l) {
	case 1: cp = s[0]; break;
	case 2: cp = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F); break;
	case 3: cp = ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F); break;
	case 4: cp = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) | ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F); break;
	default: *sp += 1; return 0xFFFD;
	}
	*sp += l;
	return cp;
}

void utf8_put(buf_t *b, uint32_t cp)
{
	char t[4];
	if (cp >= 0xD800 && cp <= 0xDFFF)
		cp = 0xFFFD;
	if (cp < 0x80) {
		buf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		t[0] = (char)(0xC0 | (cp >> 6));
		t[1] = (char)(0x80 | (cp & 0x3F));
		buf_put(b, t, 2);
	} else if (cp < 0x10000) {
		t[0] = (char)(0xE0 | (cp >> 12));
		t[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		t[2] = (char)(0x80 | (cp & 0x3F));
		buf_put(b, t, 3);
	} else if (cp <= 0x10FFFF) {
		t[0] = (char)(0xF0 | (cp >> 18));
		t[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		t[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		t[3] = (char)(0x80 | (cp & 0x3F));
		buf_put(b, t, 4);
	} else {
		buf_put(b, "\xEF\xBF\xBD", 3);
	}
}

size_t utf8_width(const char *s)
{
	locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	locale_t old = utf8 ? uselocale(utf8) : (locale_t)0;
	const char *end = s + strlen(s);
	size_t w = 0;
	while (s < end) {
		int c = wcwidth((wchar_t)utf8_next(&s, end));
		w += c < 0 ? 1 : (size_t)c;
	}
	if (utf8) {
		uselocale(old);
		freelocale(utf8);
	}
	return w;
}
