/* mrkdwn.c: Slack's mrkdwn (message text, mrkdwn text objects, attachment
 * fields) to HTML or plain text, in one pass without allocation per
 * character and without regular expressions.
 *
 * Two levels. doc() splits the text into blocks: quoted lines ("&gt;" at a
 * line start; consecutive ones merge into one <blockquote>), the rest of
 * the message after "&gt;&gt;&gt;", and everything else. inl() renders a
 * span: a loop that copies runs of ordinary bytes (a 256-entry table says
 * which bytes need a look) and stops at < & * _ ~ ` : newline and the bytes
 * HTML escapes.
 *
 * Emphasis follows Slack's word-boundary rules (docs/slack-format 5): an
 * opener must start the span or follow whitespace or one of . , ( [ { ! ?
 * - =; the closer is the next same marker on the line (content may not
 * contain it, nor start or end with whitespace) and must end the span or
 * be followed by whitespace or its own set of punctuation. Nested
 * emphasis is rendered by calling inl() on the content, which then counts
 * as a span of its own: "*bold _both_*" closes the italic at the span's
 * end. <...> tokens are atomic everywhere, even inside code and pre, and a
 * marker inside one never opens or closes anything. Each scan for a closer
 * stops at the next same marker, so the work stays linear in the input.
 *
 * A code block ends its line: a newline right after its closing fence
 * is dropped, as after a quote's last line.
 *
 * Entities: only &amp; &lt; &gt; are decoded, and only after the markup
 * has been found, so "&lt;b&gt;" is text and "&amp;lt;" shows "&lt;". */
#include "render/rd.h"
#include "lib/utf8.h"
#include "lib/ts.h"
#include <stdlib.h>
#include <string.h>

static const unsigned char special[256] = {
	['<'] = 1, ['&'] = 1, ['*'] = 1, ['_'] = 1, ['~'] = 1, ['`'] = 1,
	[':'] = 1, ['\n'] = 1, ['"'] = 1, ['\''] = 1, [0] = 1, ['>'] = 1,
};

static size_t inl(rw *w, const char *p, size_t n, int fl);

static bool is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool in_set(unsigned char c, const char *set)
{
	return c && strchr(set, c);
}

static bool open_ok(const char *p, size_t i)
{
	return i == 0 || is_ws((unsigned char)p[i - 1]) || in_set((unsigned char)p[i - 1], ".,([{!?-=");
}

/* After a closing marker at p[j-1]: end of span, whitespace, punctuation. */
static bool close_ok(char m, const char *p, size_t j, size_t n)
{
	if (j >= n || is_ws((unsigned char)p[j]))
		return true;
	if (m == '*')
		return in_set((unsigned char)p[j], "~!#$%^)-+={}[];:'\",.?/");
	return in_set((unsigned char)p[j], ".,])}!?-=");
}

/* p[i] == '<': index of the matching '>' of a token, or 0. */
static size_t tok_end(const char *p, size_t i, size_t n)
{
	for (size_t j = i + 1; j < n; j++) {
		char c = p[j];
		if (c == '>')
			return j > i + 1 ? j : 0;
		if (c == '<' || c == '\n')
			return 0;
	}
	return 0;
}

/* The closing marker for an opener at p[i], or 0. */
static size_t find_close(const char *p, size_t i, size_t n, char m, bool code)
{
	size_t j = i + 1;
	if (j >= n || (!code && is_ws((unsigned char)p[j])))
		return 0;
	for (; j < n; j++) {
		char c = p[j];
		if (c == '\n')
			return 0;
		if (c == '<') {
			size_t e = tok_end(p, j, n);
			if (e)
				j = e;
			continue;
		}
		if (c != m)
			continue;
		if (j == i + 1 || (!code && is_ws((unsigned char)p[j - 1])) || !close_ok(m, p, j + 1, n))
			return 0;
		return j;
	}
	return 0;
}

/* ---- <...> tokens --------------------------------------------------- */

/* Copy at most cap-1 bytes of s into a NUL-terminated buffer. */
static void cpy(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = 0;
}

static bool id_ok(const char *s, size_t n)
{
	if (n == 0 || n > 40)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return true;
}

/* A label decoded into w->tmp (valid until the next use of w->tmp). */
static const char *label_of(rw *w, const char *l, size_t ln)
{
	buf_reset(&w->tmp);
	rd_decode(&w->tmp, l, ln);
	return buf_str(&w->tmp);
}

static void tok_literal(rw *w, const char *body, size_t n)
{
	rw_txt(w, "<", 1);
	buf_reset(&w->tmp);
	rd_decode(&w->tmp, body, n);
	rw_txt(w, buf_str(&w->tmp), w->tmp.len);
	rw_txt(w, ">", 1);
}

static void tok_date(rw *w, const char *t, size_t tn, const char *l, size_t ln)
{
	/* date^TS^FORMAT[^LINK] */
	const char *ts = t + 5, *end = t + tn;
	const char *c1 = memchr(ts, '^', (size_t)(end - ts));
	char num[24];
	if (!c1) {
		rw_txts(w, label_of(w, l, ln));
		return;
	}
	const char *fmt = c1 + 1;
	const char *c2 = memchr(fmt, '^', (size_t)(end - fmt));
	size_t fl = c2 ? (size_t)(c2 - fmt) : (size_t)(end - fmt);
	char *e = NULL;
	cpy(num, sizeof num, ts, (size_t)(c1 - ts));
	long long sec = strtoll(num, &e, 10);
	if (!num[0] || (*e && *e != '.')) {
		rw_txts(w, label_of(w, l, ln));
		return;
	}
	buf_t link = BUF_INIT, fmtb = BUF_INIT, fb = BUF_INIT;
	if (c2)
		rd_decode(&link, c2 + 1, (size_t)(end - c2 - 1));
	rd_decode(&fmtb, fmt, fl);
	rd_decode(&fb, l, ln);
	rd_date(w, sec, buf_str(&fmtb), fmtb.len, link.len ? link.p : NULL, buf_str(&fb));
	buf_free(&link);
	buf_free(&fmtb);
	buf_free(&fb);
}

static void tok_special(rw *w, const char *t, size_t tn, const char *l, size_t ln, bool has_label)
{
#define IS(s) (tn == sizeof(s) - 1 && memcmp(t, s, tn) == 0)
	if (IS("here") || IS("channel") || IS("everyone")) {
		char what[16];
		cpy(what, sizeof what, t, tn);
		rd_broadcast(w, what);
	} else if (IS("group")) {
		rd_broadcast(w, "channel");
	} else if (tn > 8 && memcmp(t, "subteam^", 8) == 0) {
		char id[48];
		cpy(id, sizeof id, t + 8, tn - 8);
		rd_usergroup(w, id, has_label ? label_of(w, l, ln) : NULL);
	} else if (tn > 5 && memcmp(t, "date^", 5) == 0) {
		tok_date(w, t, tn, l, ln);
	} else if (has_label && ln) {
		tok_literal(w, l, ln);
	} else {
		tok_literal(w, t, tn);
	}
#undef IS
}

static void tok_link(rw *w, const char *t, size_t tn, const char *l, size_t ln, bool has_label)
{
	buf_t url = BUF_INIT;
	rd_decode(&url, t, tn);
	const char *u = buf_str(&url);
	bool label = has_label && ln;
	bool open = rd_link_open(w, u, url.len);
	if (label) {
		inl(w, l, ln, MK_NOPRE);
	} else {
		const char *s;
		size_t sn = rd_shown_url(u, url.len, &s);
		rw_txt(w, s, sn);
	}
	if (open) {
		bool differs = false;
		if (label && w->text) {
			buf_reset(&w->tmp);
			rd_decode(&w->tmp, l, ln);
			differs = rd_label_differs(u, url.len, buf_str(&w->tmp), w->tmp.len);
		}
		rd_link_close(w, u, url.len, differs);
	}
	buf_free(&url);
}

/* body = the bytes between < and > */
static void token(rw *w, const char *body, size_t n)
{
	const char *bar = memchr(body, '|', n);
	size_t tn = bar ? (size_t)(bar - body) : n;
	const char *l = bar ? bar + 1 : NULL;
	size_t ln = bar ? n - tn - 1 : 0;
	char id[48];
	if ((body[0] == '@' || body[0] == '#') && id_ok(body + 1, tn - 1)) {
		cpy(id, sizeof id, body + 1, tn - 1);
		const char *label = bar ? label_of(w, l, ln) : NULL;
		if (body[0] == '@')
			rd_user(w, id, label);
		else
			rd_channel(w, id, label);
	} else if (body[0] == '!') {
		tok_special(w, body + 1, tn - 1, l, ln, bar != NULL);
	} else {
		tok_link(w, body, tn, l, ln, bar != NULL);
	}
}

/* ---- inline --------------------------------------------------------- */

static size_t do_entity(rw *w, const char *p, size_t n)
{
	if (n >= 5 && memcmp(p, "&amp;", 5) == 0) {
		rw_txt(w, "&", 1);
		return 5;
	}
	if (n >= 4 && (memcmp(p, "&lt;", 4) == 0 || memcmp(p, "&gt;", 4) == 0)) {
		rw_txt(w, p[1] == 'l' ? "<" : ">", 1);
		return 4;
	}
	rw_txt(w, "&", 1);
	return 1;
}

static const char *emph_tag(char m, bool close)
{
	switch (m) {
	case '*': return close ? "</b>" : "<b>";
	case '_': return close ? "</i>" : "<i>";
	default: return close ? "</s>" : "<s>";
	}
}

static size_t do_emph(rw *w, const char *p, size_t i, size_t n, int fl)
{
	char m = p[i];
	if (!(fl & MK_NOEMPH) && open_ok(p, i)) {
		size_t c = find_close(p, i, n, m, false);
		if (c) {
			rw_html(w, emph_tag(m, false));
			inl(w, p + i + 1, c - i - 1, (fl & ~MK_STOPQ) | MK_NOPRE);
			rw_html(w, emph_tag(m, true));
			return c - i + 1;
		}
	}
	rw_raw(w, p + i, 1);
	return 1;
}

static bool all_ws(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_ws((unsigned char)p[i]))
			return false;
	return true;
}

/* ```pre```: returns bytes consumed, or 0 when this is not a pre block. */
static size_t do_pre(rw *w, const char *p, size_t i, size_t n)
{
	size_t j = i + 3, k = 0;
	for (; j + 2 < n; j++) {
		if (p[j] == '<') {
			size_t e = tok_end(p, j, n);
			if (e)
				j = e;
			continue;
		}
		if (p[j] == '`' && p[j + 1] == '`' && p[j + 2] == '`') {
			k = j;
			break;
		}
	}
	if (!k)
		return 0;
	while (k + 3 < n && p[k + 3] == '`')
		k++;
	size_t s = i + 3, e = k;
	if (all_ws(p + s, e - s))
		return 0;
	if (p[s] == '\n')
		s++;
	if (e > s && p[e - 1] == '\n')
		e--;
	rw_html(w, "<pre>");
	inl(w, p + s, e - s, MK_NOEMPH | MK_NOEMOJI | MK_NOPRE | MK_CODE);
	rw_html(w, "</pre>");
	/* the block ends the line: a newline right after it is not another
	 * (Slack drops it; a blank line after the block stays one) */
	if (k + 3 < n && p[k + 3] == '\n') {
		rw_plain(w, "\n");
		return k + 4 - i;
	}
	return k + 3 - i;
}

static size_t do_code(rw *w, const char *p, size_t i, size_t n, int fl)
{
	if (fl & MK_NOEMPH) {
		rw_raw(w, p + i, 1);
		return 1;
	}
	if (!(fl & MK_NOPRE) && n - i >= 3 && p[i + 1] == '`' && p[i + 2] == '`' && open_ok(p, i)) {
		size_t k = do_pre(w, p, i, n);
		if (k)
			return k;
	}
	size_t c = find_close(p, i, n, '`', true);
	if (!c) {
		rw_raw(w, p + i, 1);
		return 1;
	}
	rw_html(w, "<code>");
	inl(w, p + i + 1, c - i - 1, MK_NOEMPH | MK_NOEMOJI | MK_NOPRE);
	rw_html(w, "</code>");
	return c - i + 1;
}

static bool name_ch(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '+' || c == '\'' || c == '.';
}

static size_t do_emoji(rw *w, const char *p, size_t i, size_t n, int fl)
{
	size_t j = i + 1;
	if (!(fl & MK_NOEMOJI)) {
		while (j < n && j - i <= 100 && name_ch((unsigned char)p[j]))
			j++;
	}
	if (j == i + 1 || j >= n || p[j] != ':') {
		rw_raw(w, p + i, 1);
		return 1;
	}
	char name[104], tone[8] = "";
	size_t end = j;
	cpy(name, sizeof name, p + i + 1, j - i - 1);
	if (n - j > 13 && p[j + 1] == ':' && memcmp(p + j + 2, "skin-tone-", 10) == 0) {
		size_t k = j + 12;
		while (k < n && k - j - 12 < 4 && ((p[k] >= '2' && p[k] <= '6') || p[k] == '-'))
			k++;
		if (k < n && p[k] == ':' && k > j + 12) {
			cpy(tone, sizeof tone, p + j + 12, k - j - 12);
			end = k;
		}
	}
	if (rd_emoji(w, name, tone[0] ? tone : NULL))
		return end - i + 1;
	rw_raw(w, p + i, 1);
	return 1;
}

static bool quote_at(const char *p, size_t n)
{
	return n >= 4 && memcmp(p, "&gt;", 4) == 0;
}

static size_t inl(rw *w, const char *p, size_t n, int fl)
{
	size_t i = 0, run = 0;
	while (i < n) {
		unsigned char ch = (unsigned char)p[i];
		if (!special[ch]) {
			i++;
			continue;
		}
		rw_raw(w, p + run, i - run);
		size_t adv = 1;
		switch (ch) {
		case '<': {
			size_t e = tok_end(p, i, n);
			if (e) {
				token(w, p + i + 1, e - i - 1);
				adv = e - i + 1;
			} else {
				rw_txt(w, "<", 1);
			}
			break;
		}
		case '&':
			adv = do_entity(w, p + i, n - i);
			break;
		case '*': case '_': case '~':
			adv = do_emph(w, p, i, n, fl);
			break;
		case '`':
			adv = do_code(w, p, i, n, fl);
			break;
		case ':':
			adv = do_emoji(w, p, i, n, fl);
			break;
		case '\n':
			if ((fl & MK_STOPQ) && quote_at(p + i + 1, n - i - 1)) {
				rw_plain(w, "\n");
				return i + 1;
			}
			if (fl & MK_CODE)
				rw_raw(w, "\n", 1);
			else
				rw_br(w);
			break;
		default:
			rw_txt(w, p + i, 1);
			break;
		}
		i += adv;
		run = i;
	}
	rw_raw(w, p + run, n - run);
	return n;
}

/* ---- blocks: quotes ------------------------------------------------- */

static bool rest_quote_at(const char *p, size_t n)
{
	return n >= 12 && memcmp(p, "&gt;&gt;&gt;", 12) == 0;
}

static size_t quote(rw *w, const char *p, size_t n, int fl)
{
	fl &= ~MK_STOPQ;
	if (rest_quote_at(p, n)) {
		size_t s = 12;
		if (s < n && p[s] == ' ')
			s++;
		if (s < n && p[s] == '\n')
			s++;
		rw_html(w, "<blockquote>");
		inl(w, p + s, n - s, fl);
		rw_html(w, "</blockquote>");
		return n;
	}
	size_t i = 0;
	rw_html(w, "<blockquote>");
	while (i < n && quote_at(p + i, n - i) && !rest_quote_at(p + i, n - i)) {
		size_t s = i + 4;
		if (s < n && p[s] == ' ')
			s++;
		const char *nl = memchr(p + s, '\n', n - s);
		size_t e = nl ? (size_t)(nl - p) : n;
		if (i > 0)
			rw_br(w);
		inl(w, p + s, e - s, fl);
		i = nl ? e + 1 : n;
	}
	rw_html(w, "</blockquote>");
	if (i > 0 && p[i - 1] == '\n')
		rw_plain(w, "\n");
	return i;
}

static void doc(rw *w, const char *p, size_t n, int fl)
{
	size_t i = 0;
	while (i < n) {
		if (!(fl & (MK_NOQUOTE | MK_NOEMPH)) && quote_at(p + i, n - i))
			i += quote(w, p + i, n - i, fl);
		else
			i += inl(w, p + i, n - i, fl | ((fl & (MK_NOQUOTE | MK_NOEMPH)) ? 0 : MK_STOPQ));
	}
}

void rd_mrkdwn(rw *w, const char *s, size_t n, int flags)
{
	if (!s)
		return;
	if (utf8_valid(s, n)) {
		doc(w, s, n, flags);
		return;
	}
	buf_t fixed = BUF_INIT;
	utf8_repair(&fixed, s, n);
	doc(w, buf_str(&fixed), fixed.len, flags);
	buf_free(&fixed);
}

void render_mrkdwn_html(buf_t *out, const render_ctx *c, const char *s, size_t n)
{
	rw w;
	rw_init(&w, out, c, false);
	rd_mrkdwn(&w, s, n, 0);
	rw_done(&w);
}

void render_mrkdwn_text(buf_t *out, const render_ctx *c, const char *s, size_t n)
{
	rw w;
	rw_init(&w, out, c, true);
	rd_mrkdwn(&w, s, n, 0);
	rw_done(&w);
}
