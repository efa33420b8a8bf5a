/* html-check.h: is a rendered fragment well-formed and harmless?
 *
 * Used by the fuzz targets and by the injection tests. The renderer's
 * output must consist of text (with & < > " ' escaped) and tags from its
 * own small set, balanced, with attributes from its own small set, every
 * value double-quoted; href/src only http, https, mailto or a relative
 * path; style only a validated colour; no link inside a link. A fragment that passes cannot carry
 * a <script>, an event handler or a javascript: URL.
 *
 * html_check() returns NULL when the fragment passes, else what is wrong
 * (a static string, with the offset in *at). Header-only on purpose: the
 * fuzzers link nothing but libslacklog.a. */
#ifndef HTML_CHECK_H
#define HTML_CHECK_H
#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

static const char *const hc_tags[] = {"a", "b", "i", "s", "code", "pre", "blockquote", "br", "span",
				       "time", "img", "div", "ul", "ol", "li", "hr", NULL};
static const char *const hc_void[] = {"br", "img", "hr", NULL};
static const char *const hc_attrs[] = {"class", "href", "rel", "title", "src", "alt", "style",
					"datetime", "start", NULL};

static bool hc_in(const char *const *set, const char *s, size_t n)
{
	for (; *set; set++)
		if (strlen(*set) == n && strncmp(*set, s, n) == 0)
			return true;
	return false;
}

/* Undo our own escaping (&amp; &lt; &gt; &quot; &#39;) into out. */
static void hc_unescape(const char *s, size_t n, char *out, size_t cap)
{
	size_t k = 0;
	static const char *const ent[][2] = {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}};
	for (size_t i = 0; i < n && k + 1 < cap;) {
		size_t j;
		for (j = 0; j < 5; j++) {
			size_t l = strlen(ent[j][0]);
			if (n - i >= l && memcmp(s + i, ent[j][0], l) == 0) {
				out[k++] = ent[j][1][0];
				i += l;
				break;
			}
		}
		if (j == 5)
			out[k++] = s[i++];
	}
	out[k] = 0;
}

static bool hc_url_ok(const char *v, size_t n)
{
	char u[4096], clean[64];
	size_t k = 0;
	hc_unescape(v, n, u, sizeof u);
	/* what a browser would see: leading controls/space dropped, tabs and
	 * newlines removed, case folded */
	const char *p = u;
	while (*p && (unsigned char)*p <= 0x20)
		p++;
	for (; *p && k < sizeof clean - 1; p++)
		if (*p != '\t' && *p != '\n' && *p != '\r')
			clean[k++] = (char)tolower((unsigned char)*p);
	clean[k] = 0;
	if (clean[0] == '/')
		return clean[1] != '/' && clean[1] != '\\';
	if (clean[0] == '#' || clean[0] == '?')
		return true;
	return strncmp(clean, "http:", 5) == 0 || strncmp(clean, "https:", 6) == 0 ||
	       strncmp(clean, "mailto:", 7) == 0;
}

static bool hc_style_ok(const char *v, size_t n)
{
	const char *hex;
	if (n > 18 && strncmp(v, "border-left-color:#", 19) == 0)
		hex = v + 19;
	else if (n > 11 && strncmp(v, "background:#", 12) == 0)
		hex = v + 12;
	else
		return false;
	size_t h = n - (size_t)(hex - v);
	if (h != 3 && h != 6)
		return false;
	for (size_t i = 0; i < h; i++)
		if (!isxdigit((unsigned char)hex[i]))
			return false;
	return true;
}

static const char *html_check(const char *s, size_t n, size_t *at)
{
	const char *stack[64];
	size_t stackn[64], depth = 0;
	size_t i = 0;
	*at = 0;
#define FAIL(msg) do { *at = i; return msg; } while (0)
	for (size_t j = 0; j + 7 <= n; j++)
		if (s[j] == '<' && strncasecmp(s + j, "<script", 7) == 0) {
			i = j;
			FAIL("<script");
		}
	while (i < n) {
		char c = s[i];
		if (c == '>' || c == '"')
			FAIL("unescaped > or \" in text");
		if (c == '&') {
			static const char *const ok[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"};
			size_t k;
			for (k = 0; k < 5; k++)
				if (strncmp(s + i, ok[k], strlen(ok[k])) == 0)
					break;
			if (k == 5)
				FAIL("bare & or unknown entity");
			i += strlen(ok[k]);
			continue;
		}
		if (c != '<') {
			i++;
			continue;
		}
		bool close = i + 1 < n && s[i + 1] == '/';
		size_t t = i + 1 + close, te = t;
		while (te < n && islower((unsigned char)s[te]))
			te++;
		if (!hc_in(hc_tags, s + t, te - t))
			FAIL("tag not in the renderer's set");
		if (close) {
			if (te >= n || s[te] != '>')
				FAIL("malformed end tag");
			if (!depth || stackn[depth - 1] != te - t || strncmp(stack[depth - 1], s + t, te - t))
				FAIL("unbalanced end tag");
			depth--;
			i = te + 1;
			continue;
		}
		size_t p = te;
		for (;;) {
			if (p < n && s[p] == '>')
				break;
			if (p >= n || s[p] != ' ')
				FAIL("malformed tag");
			size_t a = ++p;
			while (p < n && islower((unsigned char)s[p]))
				p++;
			if (!hc_in(hc_attrs, s + a, p - a))
				FAIL("attribute not in the renderer's set");
			if (p + 1 >= n || s[p] != '=' || s[p + 1] != '"')
				FAIL("attribute value not double-quoted");
			size_t v = p + 2, ve = v;
			while (ve < n && s[ve] != '"') {
				if (s[ve] == '<' || s[ve] == '>')
					FAIL("< or > inside an attribute value");
				ve++;
			}
			if (ve >= n)
				FAIL("unterminated attribute value");
			if ((p - a == 4 && !strncmp(s + a, "href", 4)) || (p - a == 3 && !strncmp(s + a, "src", 3))) {
				if (!hc_url_ok(s + v, ve - v))
					FAIL("URL with a scheme other than http, https, mailto");
			} else if (p - a == 5 && !strncmp(s + a, "style", 5)) {
				if (!hc_style_ok(s + v, ve - v))
					FAIL("style is not a validated colour");
			}
			p = ve + 1;
		}
		if (te - t == 1 && s[t] == 'a')
			for (size_t k = 0; k < depth; k++)
				if (stackn[k] == 1 && stack[k][0] == 'a')
					FAIL("a link inside a link");
		if (!hc_in(hc_void, s + t, te - t)) {
			if (depth == 64)
				FAIL("nesting too deep");
			stack[depth] = s + t;
			stackn[depth++] = te - t;
		}
		i = p + 1;
	}
	if (depth)
		FAIL("unclosed tag");
	return NULL;
#undef FAIL
}
#endif
