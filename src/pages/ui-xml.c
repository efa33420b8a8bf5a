/* ui-xml.c: what the XML documents (Atom feeds, sitemaps) share: text that
 * is safe in XML 1.0 (html_txt's escapes, minus the control characters
 * XML cannot carry at all), RFC 3339 dates in UTC, and absolute URLs of
 * published paths with each segment percent-encoded. */
#include "pages/ui.h"
#include "render/html.h"
#include <string.h>
#include <time.h>

/* Drop the bytes XML 1.0 forbids (C0 controls but tab, LF, CR) from
 * b->p[from..]: Slack text may hold them, and one makes a feed unreadable. */
void xml_clean(buf_t *b, size_t from)
{
	size_t w = from;
	for (size_t r = from; r < b->len; r++) {
		unsigned char c = (unsigned char)b->p[r];
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
			continue;
		b->p[w++] = (char)c;
	}
	buf_truncate(b, w);
}

void xml_txt(buf_t *b, const char *s)
{
	size_t from = b->len;
	html_txt(b, s);
	xml_clean(b, from);
}

void xml_date(buf_t *b, int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;
	gmtime_r(&tt, &tm);
	char s[32];
	strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	buf_puts(b, s);
}

/* prefix + path with each segment encoded, absolute when base_url is set. */
void xml_url(page *p, buf_t *b, const char *path)
{
	buf_t enc = BUF_INIT, seg = BUF_INIT;
	buf_puts(&enc, p->prefix);
	for (const char *s = path; *s;) {
		if (*s == '/') {
			buf_putc(&enc, '/');
			s++;
			continue;
		}
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		buf_reset(&seg);
		buf_put(&seg, s, n);
		url_segment(&enc, buf_str(&seg));
		s += n;
	}
	buf_t abs = BUF_INIT;
	if (!ui_absolute(p, &abs, buf_str(&enc)))
		buf_puts(&abs, buf_str(&enc));
	xml_txt(b, buf_str(&abs));
	buf_free(&abs);
	buf_free(&enc);
	buf_free(&seg);
}
