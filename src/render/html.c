/* html.c: escaping writers, see html.h. */
#include "render/html.h"
#include <string.h>
#include <strings.h>
#include <ctype.h>

void html_txtn(buf_t *b, const char *s, size_t n)
{
	size_t run = 0;
	buf_grow(b, n);
	for (size_t i = 0; i < n; i++) {
		const char *e;
		switch (s[i]) {
		case '&': e = "&amp;"; break;
		case '<': e = "&lt;"; break;
		case '>': e = "&gt;"; break;
		case '"': e = "&quot;"; break;
		case '\'': e = "&#39;"; break;
		case '\0': e = "\xEF\xBF\xBD"; break;
		default: continue;
		}
		buf_put(b, s + run, i - run);
		buf_puts(b, e);
		run = i + 1;
	}
	buf_put(b, s + run, n - run);
}

void html_txt(buf_t *b, const char *s)
{
	if (s)
		html_txtn(b, s, strlen(s));
}

void html_attr(buf_t *b, const char *s)
{
	html_txt(b, s);
}

void html_attrn(buf_t *b, const char *s, size_t n)
{
	html_txtn(b, s, n);
}

bool html_url_ok(const char *url, size_t n)
{
	/* Browsers strip leading control/space characters and ignore tabs and
	 * newlines anywhere in a scheme: compare on the cleaned-up prefix. */
	char scheme[16];
	size_t k = 0, i = 0;
	while (i < n && (unsigned char)url[i] <= 0x20)
		i++;
	if (i < n && (url[i] == '/' || url[i] == '#' || url[i] == '?')) {
		/* "//host" and "/\\host" leave the site; browsers drop tabs and
		 * newlines first, so "/\t/host" is one of them too */
		size_t j = i + 1;
		while (j < n && (url[j] == '\t' || url[j] == '\n' || url[j] == '\r'))
			j++;
		return !(url[i] == '/' && j < n && (url[j] == '/' || url[j] == '\\'));
	}
	for (; i < n && k < sizeof scheme - 1; i++) {
		unsigned char c = (unsigned char)url[i];
		if (c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c == ':')
			break;
		if (!isalnum(c) && c != '+' && c != '-' && c != '.')
			return false;
		scheme[k++] = (char)tolower(c);
	}
	if (i >= n || url[i] != ':')
		return false;
	scheme[k] = 0;
	return strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0 || strcmp(scheme, "mailto") == 0;
}

void html_hrefn(buf_t *b, const char *url, size_t n)
{
	if (!url || !html_url_ok(url, n)) {
		buf_putc(b, '#');
		return;
	}
	html_attrn(b, url, n);
}

void html_href(buf_t *b, const char *url)
{
	html_hrefn(b, url, url ? strlen(url) : 0);
}

void url_segment(buf_t *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	/* "." and ".." would name the directory itself or its parent */
	if (s && (strcmp(s, ".") == 0 || strcmp(s, "..") == 0)) {
		buf_puts(b, s[1] ? "%2E%2E" : "%2E");
		return;
	}
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
			buf_putc(b, (char)c);
		} else {
			char t[3] = {'%', hex[c >> 4], hex[c & 15]};
			buf_put(b, t, 3);
		}
	}
}
