/* rw.c: the render writer and the pieces every format shares: mentions,
 * channel links, broadcasts, user groups and links (with Slack permalinks
 * into the archive rewritten through ctx->permalink).
 *
 * A mention links to the user's page when the archive knows the user (the
 * callback returned a name) and gives them a page (someone opted out or
 * erased is a neutral label without one), or when there is no callback at
 * all (a stand-alone render); otherwise it is a plain span, so no page
 * ever links to a user or channel the archive does not publish. */
#include "render/rd.h"
#include "lib/ts.h"
#include <ctype.h>
#include <string.h>
#include <strings.h>

void rw_init(rw *w, buf_t *b, const render_ctx *c, bool text)
{
	static const render_ctx none;
	w->b = b;
	w->c = c ? c : &none;
	w->text = text;
	w->start = b->len;
	w->nolink = 0;
	w->tmp = (buf_t)BUF_INIT;
}

void rw_done(rw *w)
{
	buf_free(&w->tmp);
}

void rw_txt(rw *w, const char *s, size_t n)
{
	if (!w->text) {
		html_txtn(w->b, s, n);
		return;
	}
	const char *nul;
	while (n && (nul = memchr(s, 0, n))) {
		buf_put(w->b, s, (size_t)(nul - s));
		buf_puts(w->b, "\xEF\xBF\xBD");
		n -= (size_t)(nul - s) + 1;
		s = nul + 1;
	}
	buf_put(w->b, s, n);
}

void rw_txts(rw *w, const char *s)
{
	if (s)
		rw_txt(w, s, strlen(s));
}

void rd_decode(buf_t *b, const char *s, size_t n)
{
	size_t run = 0, i = 0;
	if (!s)
		return;
	while (i < n) {
		const char *amp = memchr(s + i, '&', n - i);
		if (!amp)
			break;
		i = (size_t)(amp - s);
		char c = 0;
		size_t l = 0;
		if (n - i >= 5 && memcmp(s + i, "&amp;", 5) == 0)
			c = '&', l = 5;
		else if (n - i >= 4 && memcmp(s + i, "&lt;", 4) == 0)
			c = '<', l = 4;
		else if (n - i >= 4 && memcmp(s + i, "&gt;", 4) == 0)
			c = '>', l = 4;
		if (!l) {
			i++;
			continue;
		}
		buf_put(b, s + run, i - run);
		buf_putc(b, c);
		i += l;
		run = i;
	}
	buf_put(b, s + run, n - run);
}

static void base(rw *w)
{
	if (w->c->base)
		html_attr(w->b, w->c->base);
}

/* @name or #name: a link to {base}{path}{seg}/ when link, else a span. */
static void mention(rw *w, const char *cls, char sigil, const char *path, const char *seg, const char *name, bool link)
{
	if (w->text) {
		buf_putc(w->b, sigil);
		buf_puts(w->b, name);
		return;
	}
	buf_printf(w->b, link ? "<a class=\"%s\" href=\"" : "<span class=\"%s\">", cls);
	if (link) {
		base(w);
		buf_puts(w->b, path);
		url_segment(w->b, seg);
		buf_puts(w->b, "/\">");
	}
	buf_putc(w->b, sigil);
	html_txt(w->b, name);
	buf_puts(w->b, link ? "</a>" : "</span>");
}

void rd_user(rw *w, const char *id, const char *label)
{
	const char *name = w->c->user_name ? w->c->user_name(w->c->ud, id) : NULL;
	bool link = name ? !w->c->user_page || w->c->user_page(w->c->ud, id) : !w->c->user_name;
	link = link && !w->nolink;
	if (!name || !*name)
		name = label && *label ? label : id;
	if (*name == '@' && name[1])
		name++;
	mention(w, "mention", '@', "/user.", id, name, link);
}

void rd_channel(rw *w, const char *id, const char *label)
{
	const char *name = w->c->channel_name ? w->c->channel_name(w->c->ud, id) : NULL;
	bool link = ((name && *name) || (!w->c->channel_name && label && *label)) && !w->nolink;
	if (!name || !*name)
		name = label && *label ? label : id;
	mention(w, "channel", '#', "/", name, name, link);
}

void rd_img(rw *w, const char *cls, const char *url, const char *alt)
{
	buf_printf(w->b, "<img class=\"%s\" src=\"", cls);
	html_href(w->b, url);
	buf_puts(w->b, "\" alt=\"");
	html_attr(w->b, alt ? alt : "");
	buf_puts(w->b, "\">");
}

void rd_broadcast(rw *w, const char *what)
{
	rw_html(w, "<span class=\"mention broadcast\">");
	rw_txt(w, "@", 1);
	rw_txts(w, what);
	rw_html(w, "</span>");
}

void rd_usergroup(rw *w, const char *id, const char *handle)
{
	const char *name = handle && *handle ? handle : id;
	if (*name == '@' && name[1])
		name++;
	rw_html(w, "<span class=\"mention usergroup\">");
	rw_txt(w, "@", 1);
	rw_txts(w, name);
	rw_html(w, "</span>");
}

bool rd_url_ok(const char *url, size_t n)
{
	size_t i = 0;
	/* no control characters anywhere: Slack never writes them in a URL,
	 * and browsers read them differently than a filter would */
	for (size_t k = 0; k < n; k++)
		if ((unsigned char)url[k] < 0x20 || url[k] == 0x7f)
			return false;
	while (i < n && (unsigned char)url[i] <= 0x20)
		i++;
	if (i == n || url[i] == '/' || url[i] == '#' || url[i] == '?')
		return false;
	return html_url_ok(url, n);
}

/* https://X.slack.com/archives/C123/p1458969700000002[?thread_ts=...] */
static bool permalink(rw *w, const char *u, size_t n, buf_t *out)
{
	const char *p = u, *e = u + n;
	char cid[32], ts[TS_LEN + 1], tts[TS_LEN + 1], tmp[24];
	bool has_thread = false;
	if (!w->c->permalink)
		return false;
	if (n > 8 && strncasecmp(p, "https://", 8) == 0)
		p += 8;
	else if (n > 7 && strncasecmp(p, "http://", 7) == 0)
		p += 7;
	else
		return false;
	const char *host = p;
	while (p < e && *p != '/')
		p++;
	if (p - host < 11 || strncasecmp(p - 10, ".slack.com", 10) != 0)
		return false;
	if (e - p < 10 || memcmp(p, "/archives/", 10) != 0)
		return false;
	p += 10;
	size_t k = 0;
	while (p < e && isalnum((unsigned char)*p) && k < sizeof cid - 1)
		cid[k++] = *p++;
	cid[k] = 0;
	if (!k || e - p < 18 || p[0] != '/' || p[1] != 'p')
		return false;
	p += 2;
	for (int i = 0; i < 16; i++)
		if (!isdigit((unsigned char)p[i]))
			return false;
	memcpy(ts, p, 10);
	ts[10] = '.';
	memcpy(ts + 11, p + 10, 6);
	ts[TS_LEN] = 0;
	p += 16;
	if (p < e && *p == '/')
		p++;
	if (p < e && *p == '?') {
		for (const char *q = p + 1; q < e;) {
			const char *amp = memchr(q, '&', (size_t)(e - q));
			const char *end = amp ? amp : e;
			if (end - q > 10 && memcmp(q, "thread_ts=", 10) == 0 && end - q - 10 < (long)sizeof tmp) {
				memcpy(tmp, q + 10, (size_t)(end - q - 10));
				tmp[end - q - 10] = 0;
				has_thread = ts_canon(tmp, tts);
			}
			q = amp ? amp + 1 : e;
		}
	} else if (p < e && *p != '#') {
		return false;
	}
	return w->c->permalink(w->c->ud, cid, ts, has_thread ? tts : NULL, out);
}

bool rd_link_open(rw *w, const char *url, size_t n)
{
	if (w->nolink || !rd_url_ok(url, n))
		return false;
	if (w->text)
		return true;
	buf_t pl = BUF_INIT;
	if (permalink(w, url, n, &pl) && html_url_ok(pl.p ? pl.p : "", pl.len)) {
		buf_puts(w->b, "<a href=\"");
		html_hrefn(w->b, pl.p, pl.len);
		buf_puts(w->b, "\">");
	} else {
		buf_puts(w->b, "<a href=\"");
		html_hrefn(w->b, url, n);
		buf_puts(w->b, "\" rel=\"nofollow\">");
	}
	buf_free(&pl);
	return true;
}

void rd_link_close(rw *w, const char *url, size_t n, bool label_differs)
{
	if (!w->text) {
		buf_puts(w->b, "</a>");
		return;
	}
	if (label_differs) {
		buf_puts(w->b, " (");
		buf_put(w->b, url, n);
		buf_putc(w->b, ')');
	}
}

/* The text a URL is shown as when it has no label. */
static size_t shown_url(const char *url, size_t n, const char **s)
{
	*s = url;
	if (n > 7 && strncasecmp(url, "mailto:", 7) == 0) {
		*s = url + 7;
		return n - 7;
	}
	return n;
}

bool rd_label_differs(const char *url, size_t n, const char *label, size_t ln)
{
	if (ln == 0 || (ln == n && memcmp(url, label, n) == 0))
		return false;
	static const char *const schemes[] = {"http://", "https://", "mailto:"};
	for (size_t i = 0; i < 3; i++) {
		size_t sl = strlen(schemes[i]);
		if (n == sl + ln && strncasecmp(url, schemes[i], sl) == 0 && memcmp(url + sl, label, ln) == 0)
			return false;
	}
	return true;
}

void rd_link(rw *w, const char *url, const char *label)
{
	size_t n = strlen(url), ln = label ? strlen(label) : 0;
	const char *s;
	size_t sn = shown_url(url, n, &s);
	if (!rd_link_open(w, url, n)) {
		if (ln)
			rw_txt(w, label, ln);
		else
			rw_txt(w, s, sn);
		return;
	}
	if (ln)
		rw_txt(w, label, ln);
	else
		rw_txt(w, s, sn);
	rd_link_close(w, url, n, rd_label_differs(url, n, label, ln));
}

size_t rd_shown_url(const char *url, size_t n, const char **s)
{
	return shown_url(url, n, s);
}
