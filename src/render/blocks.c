/* blocks.c: Block Kit blocks, above all rich_text (what Slack's composer
 * writes next to the mrkdwn text), to HTML or plain text.
 *
 * Rich text is already structured: sections of inline elements, lists,
 * preformatted blocks and quotes. Its text is not entity-escaped (unlike
 * mrkdwn), so it goes straight to the escaping writers. A nested list
 * arrives as flat sibling lists with a growing "indent"; we keep it flat
 * (one <ul class="indent-N"> each) and let CSS indent it (and mark each
 * level as Slack does), which is also what a flat model renders without
 * guessing at the tree. A list, code block or quote ends its line, so a
 * section after one drops its leading newline, as Slack's clients do.
 *
 * Bot messages use the layout blocks (section, context, header, divider,
 * image); those are rendered simply. Interactive blocks (actions, inputs)
 * mean nothing in an archive and are skipped. An unknown inline element
 * shows its "text" if it has one. */
#include "render/rd.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool type_is(const jv *v, const char *t)
{
	const char *s = json_getstr(v, "type");
	return s && strcmp(s, t) == 0;
}

static void rt_text(rw *w, const char *s, size_t n, bool pre)
{
	if (pre || w->text) {
		rw_txt(w, s, n);
		return;
	}
	const char *nl;
	while ((nl = memchr(s, '\n', n))) {
		rw_txt(w, s, (size_t)(nl - s));
		rw_br(w);
		n -= (size_t)(nl - s) + 1;
		s = nl + 1;
	}
	rw_txt(w, s, n);
}

static const char *const style_keys[] = {"bold", "italic", "strike", "code"};
static const char *const style_open[] = {"<b>", "<i>", "<s>", "<code>"};
static const char *const style_close[] = {"</b>", "</i>", "</s>", "</code>"};

static void style(rw *w, const jv *el, bool open)
{
	const jv *st = json_get(el, "style");
	if (!st)
		return;
	for (int k = 0; k < 4; k++) {
		int i = open ? k : 3 - k;
		if (json_getbool(st, style_keys[i]))
			rw_html(w, open ? style_open[i] : style_close[i]);
	}
}

static bool hex_color(const char *s, char out[8])
{
	size_t n = s ? strlen(s) : 0;
	if (n && s[0] == '#')
		s++, n--;
	if (n != 3 && n != 6)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!strchr("0123456789abcdefABCDEF", s[i]) || !s[i])
			return false;
	out[0] = '#';
	memcpy(out + 1, s, n);
	out[n + 1] = 0;
	return true;
}

bool rd_color(const char *s, char out[8])
{
	if (s && strcmp(s, "good") == 0)
		s = "#2eb886";
	else if (s && strcmp(s, "warning") == 0)
		s = "#daa038";
	else if (s && strcmp(s, "danger") == 0)
		s = "#a30200";
	return hex_color(s, out);
}

/* The skin tones in a "unicode" field ("1f44d-1f3fb": "2"), as tones are
 * spelled in names; "" when it has none. */
static void tones_of(const char *uni, char *out, size_t cap)
{
	size_t k = 0;
	for (const char *p = uni; *p && k + 2 < cap; p++)
		if ((p == uni || p[-1] == '-') && strncasecmp(p, "1f3f", 4) == 0 && (p[4] | 0x20) >= 'b' &&
		    (p[4] | 0x20) <= 'f' && (!p[5] || p[5] == '-')) {
			if (k)
				out[k++] = '-';
			out[k++] = (char)('2' + (p[4] | 0x20) - 'b');
		}
	out[k] = 0;
}

static void rt_emoji(rw *w, const jv *el)
{
	const char *name = json_getstr(el, "name");
	const char *uni = json_getstr(el, "unicode");
	int64_t tone = json_getint(el, "skin_tone", 0);
	char tb[8] = "";
	if (!name)
		name = "";
	if (tone >= 2 && tone <= 6)
		snprintf(tb, sizeof tb, "%d", (int)tone);
	else if (uni)
		tones_of(uni, tb, sizeof tb);
	if (uni) {
		buf_reset(&w->tmp);
		if (rd_unicode_hex(&w->tmp, uni)) {
			char *chars = xstrdup(buf_str(&w->tmp));
			rd_emoji_put(w, name, tb[0] ? tb : NULL, chars);
			free(chars);
			return;
		}
	}
	if (*name && rd_emoji(w, name, tb[0] ? tb : NULL))
		return;
	rw_txt(w, ":", 1);
	rw_txts(w, name);
	rw_txt(w, ":", 1);
}

static void rt_link(rw *w, const jv *el)
{
	const char *url = json_getstr(el, "url");
	const char *label = json_getstr(el, "text");
	if (!url)
		url = "";
	size_t n = strlen(url), ln = label ? strlen(label) : 0;
	const char *shown = url;
	size_t sn = rd_shown_url(url, n, &shown);
	bool open = rd_link_open(w, url, n);
	style(w, el, true);
	if (ln)
		rt_text(w, label, ln, false);
	else
		rw_txt(w, shown, sn);
	style(w, el, false);
	if (open)
		rd_link_close(w, url, n, rd_label_differs(url, n, label, ln));
}

static void rt_date(rw *w, const jv *el)
{
	const char *fmt = json_getstr(el, "format");
	const char *fb = json_getstr(el, "fallback");
	const jv *ts = json_get(el, "timestamp");
	if (!json_scalar(ts) || !fmt) {
		rw_txts(w, fb);
		return;
	}
	rd_date(w, json_int(ts, -1), fmt, strlen(fmt), json_getstr(el, "url"), fb);
}

static void rt_color(rw *w, const jv *el)
{
	const char *v = json_getstr(el, "value");
	char hex[8];
	if (!w->text && hex_color(v, hex)) {
		buf_puts(w->b, "<span class=\"color\" style=\"background:");
		buf_puts(w->b, hex);
		buf_puts(w->b, "\"></span>");
	}
	rw_txts(w, v);
}

/* A text element, without its first skip bytes. */
static void rt_styled(rw *w, const jv *el, size_t skip, bool pre)
{
	const jv *s = json_get(el, "text");
	if (!json_str(s) || skip > s->n)
		return;
	style(w, el, true);
	rt_text(w, s->s + skip, s->n - skip, pre);
	style(w, el, false);
}

static void rt_inline(rw *w, const jv *el, bool pre)
{
	const char *t = json_getstr(el, "type");
	const char *s;
	if (!t)
		return;
	if (strcmp(t, "text") == 0) {
		rt_styled(w, el, 0, pre);
	} else if (strcmp(t, "link") == 0) {
		rt_link(w, el);
	} else if (strcmp(t, "user") == 0 && (s = json_getstr(el, "user_id"))) {
		rd_user(w, s, NULL);
	} else if (strcmp(t, "channel") == 0 && (s = json_getstr(el, "channel_id"))) {
		rd_channel(w, s, NULL);
	} else if (strcmp(t, "usergroup") == 0 && (s = json_getstr(el, "usergroup_id"))) {
		rd_usergroup(w, s, NULL);
	} else if (strcmp(t, "broadcast") == 0 && (s = json_getstr(el, "range"))) {
		rd_broadcast(w, s);
	} else if (strcmp(t, "emoji") == 0) {
		rt_emoji(w, el);
	} else if (strcmp(t, "date") == 0) {
		rt_date(w, el);
	} else if (strcmp(t, "color") == 0) {
		rt_color(w, el);
	} else if (strcmp(t, "team") == 0 && (s = json_getstr(el, "team_id"))) {
		rw_txts(w, s);
	} else if ((s = json_getstr(el, "text"))) {
		rt_text(w, s, strlen(s), pre);
	}
}

static void rt_inlines(rw *w, const jv *parent, bool pre)
{
	json_foreach(el, json_arr(parent, "elements"))
		rt_inline(w, el, pre);
}

/* A section right after a list, code block or quote: that block already
 * ended the line, so one newline at the section's start is dropped, as
 * Slack's clients do (the composer writes "\nNext" after a block). */
static void rt_after_block(rw *w, const jv *section)
{
	const jv *els = json_arr(section, "elements");
	const jv *first = els ? els->first : NULL;
	const char *s = json_getstr(first, "text");
	if (!first || !type_is(first, "text") || !s || s[0] != '\n') {
		rt_inlines(w, section, false);
		return;
	}
	rt_styled(w, first, 1, false);
	for (const jv *el = first->next; el; el = el->next)
		rt_inline(w, el, false);
}

static void rt_list(rw *w, const jv *list)
{
	const char *st = json_getstr(list, "style");
	bool ordered = st && strcmp(st, "ordered") == 0;
	int64_t indent = json_getint(list, "indent", 0);
	int64_t offset = json_getint(list, "offset", 0);
	if (indent < 0 || indent > 8)
		indent = indent < 0 ? 0 : 8;
	if (offset < 0 || offset > 100000)
		offset = 0;
	rw_line(w);
	if (!w->text) {
		buf_printf(w->b, "<%s class=\"indent-%d\"", ordered ? "ol" : "ul", (int)indent);
		if (ordered && offset)
			buf_printf(w->b, " start=\"%d\"", (int)offset + 1);
		buf_putc(w->b, '>');
	}
	int64_t k = offset;
	json_foreach(item, json_arr(list, "elements")) {
		if (w->text) {
			for (int64_t i = 0; i < indent; i++)
				buf_puts(w->b, "  ");
			if (ordered)
				buf_printf(w->b, "%d. ", (int)++k);
			else
				buf_puts(w->b, "\xE2\x80\xA2 ");
		}
		rw_html(w, "<li>");
		rt_inlines(w, item, false);
		rw_html(w, "</li>");
		rw_plain(w, "\n");
	}
	rw_html(w, ordered ? "</ol>" : "</ul>");
}

static void rich_text(rw *w, const jv *block)
{
	bool after_block = false;
	json_foreach(el, json_arr(block, "elements")) {
		const char *t = json_getstr(el, "type");
		if (!t)
			continue;
		if (strcmp(t, "rich_text_list") == 0) {
			rt_list(w, el);
		} else if (strcmp(t, "rich_text_preformatted") == 0) {
			rw_line(w);
			rw_html(w, "<pre>");
			rt_inlines(w, el, true);
			rw_html(w, "</pre>");
			rw_plain(w, "\n");
		} else if (strcmp(t, "rich_text_quote") == 0) {
			rw_line(w);
			rw_html(w, "<blockquote>");
			rt_inlines(w, el, false);
			rw_html(w, "</blockquote>");
			rw_plain(w, "\n");
		} else {
			if (after_block)
				rt_after_block(w, el);
			else
				rt_inlines(w, el, false);
			after_block = false;
			continue;
		}
		after_block = true;
	}
}

/* ---- layout blocks -------------------------------------------------- */

void rd_text_obj(rw *w, const jv *t)
{
	const jv *v = json_get(t, "text");
	if (!json_str(v))
		return;
	if (type_is(t, "mrkdwn"))
		rd_mrkdwn(w, v->s, v->n, 0);
	else
		rt_text(w, v->s, v->n, false);
}

static void image(rw *w, const jv *el, const char *cls)
{
	const char *url = json_getstr(el, "image_url");
	const char *alt = json_getstr(el, "alt_text");
	if (!url)
		return;
	if (w->text || !w->c->remote_images || !rd_url_ok(url, strlen(url))) {
		rd_link(w, url, alt && *alt ? alt : "image");
		return;
	}
	rd_img(w, cls, url, alt);
}

static void section(rw *w, const jv *b)
{
	rw_html(w, "<div class=\"block-section\">");
	rd_text_obj(w, json_get(b, "text"));
	const jv *fields = json_arr(b, "fields");
	if (fields && fields->first) {
		rw_line(w);
		rw_html(w, "<div class=\"block-fields\">");
		json_foreach(f, fields) {
			rw_html(w, "<div>");
			rd_text_obj(w, f);
			rw_html(w, "</div>");
			rw_plain(w, "\n");
		}
		rw_html(w, "</div>");
	}
	rw_html(w, "</div>");
	rw_line(w);
}

static void context(rw *w, const jv *b)
{
	bool first = true;
	rw_html(w, "<div class=\"block-context\">");
	json_foreach(el, json_arr(b, "elements")) {
		if (!first)
			rw_txt(w, " ", 1);
		first = false;
		if (type_is(el, "image"))
			image(w, el, "block-context-image");
		else
			rd_text_obj(w, el);
	}
	rw_html(w, "</div>");
	rw_plain(w, "\n");
}

static void block(rw *w, const jv *b)
{
	const char *t = json_getstr(b, "type");
	if (!t)
		return;
	if (strcmp(t, "rich_text") == 0) {
		rich_text(w, b);
	} else if (strcmp(t, "section") == 0) {
		section(w, b);
	} else if (strcmp(t, "context") == 0) {
		context(w, b);
	} else if (strcmp(t, "header") == 0) {
		rw_html(w, "<div class=\"block-header\">");
		rd_text_obj(w, json_get(b, "text"));
		rw_html(w, "</div>");
		rw_plain(w, "\n");
	} else if (strcmp(t, "divider") == 0) {
		rw_html(w, "<hr class=\"block-divider\">");
	} else if (strcmp(t, "image") == 0) {
		rw_html(w, "<div class=\"block-image\">");
		image(w, b, "block-img");
		rw_html(w, "</div>");
		rw_plain(w, "\n");
	}
}

bool rd_blocks_renderable(const jv *blocks)
{
	static const char *const kinds[] = {"rich_text", "section", "context", "header", "image"};
	json_foreach(b, blocks) {
		const char *t = json_getstr(b, "type");
		for (size_t i = 0; t && i < sizeof kinds / sizeof *kinds; i++)
			if (strcmp(t, kinds[i]) == 0)
				return true;
	}
	return false;
}

void rd_blocks(rw *w, const jv *blocks)
{
	if (!json_is(blocks, JV_ARR))
		return;
	json_foreach(b, blocks)
		block(w, b);
}

void render_blocks_html(buf_t *out, const render_ctx *c, const jv *blocks)
{
	rw w;
	rw_init(&w, out, c, false);
	rd_blocks(&w, blocks);
	rw_done(&w);
}
