/* ui-seo.c: what pages say about themselves to search engines and link
 * previews: a plain-text description cut from the first messages, and the
 * JSON-LD of a day page (a DiscussionForumPosting whose comments are the
 * day's messages).
 *
 * Descriptions come from render_message_text(), the same text the search
 * index holds, with whitespace collapsed and cut at a character boundary.
 * JSON-LD strings go through json_write_str(), which writes <, > and & as
 * \u escapes, so no message can close the <script> element. */
#include "pages/ui.h"
#include "lib/json.h"
#include "lib/ts.h"
#include <string.h>

enum { DESC_MAX = 160, LD_TEXT_MAX = 500, LD_COMMENTS = 50 };

/* Collapse whitespace runs to one space, trim, and cut to at most max
 * bytes on a UTF-8 boundary, ending in an ellipsis when cut. */
void ui_trim_text(buf_t *b, size_t max)
{
	size_t w = 0;
	bool space = true;
	for (size_t r = 0; r < b->len; r++) {
		unsigned char c = (unsigned char)b->p[r];
		if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
			if (!space)
				b->p[w++] = ' ';
			space = true;
			continue;
		}
		b->p[w++] = (char)c;
		space = false;
	}
	while (w > 0 && b->p[w - 1] == ' ')
		w--;
	if (w > max) {
		w = max;
		while (w > 0 && ((unsigned char)b->p[w] & 0xC0) == 0x80)
			w--;
		while (w > 0 && b->p[w - 1] == ' ')
			w--;
		buf_truncate(b, w);
		buf_puts(b, "\xE2\x80\xA6");
		return;
	}
	buf_truncate(b, w);
}

void ui_describe(page *p, const st_message *m, size_t n, buf_t *out)
{
	for (size_t i = 0; i < n && out->len < DESC_MAX * 2; i++) {
		if (m[i].hidden)
			continue;
		if (out->len)
			buf_puts(out, " ");
		ui_message_plain(p, &m[i], out);
	}
	ui_trim_text(out, DESC_MAX);
}

static void ld_key(buf_t *b, const char *key, const char *val)
{
	json_write_str(b, key, strlen(key));
	buf_putc(b, ':');
	json_write_str(b, val, strlen(val));
}

/* ,"author":{...},"datePublished":...,"text":...,"url":... */
static void ld_message(page *p, const ui_ld_day *d, const st_message *m)
{
	buf_t *b = p->b, t = BUF_INIT;
	buf_puts(b, "\"author\":{\"@type\":\"Person\",");
	ld_key(b, "name", ui_author_name(p, m));
	if (ui_has_page(p, m->user_id)) {
		link_user(p, &t, m->user_id);
		buf_t abs = BUF_INIT;
		if (ui_absolute(p, &abs, buf_str(&t))) {
			buf_putc(b, ',');
			ld_key(b, "url", buf_str(&abs));
		}
		buf_free(&abs);
	}
	buf_puts(b, "},");
	char iso[32];
	ts_iso(ts_seconds(m->ts), iso);
	ld_key(b, "datePublished", iso);
	buf_putc(b, ',');
	buf_reset(&t);
	ui_message_plain(p, m, &t);
	ui_trim_text(&t, LD_TEXT_MAX);
	ld_key(b, "text", buf_str(&t));
	buf_reset(&t);
	buf_puts(&t, d->url);
	buf_putc(&t, '#');
	link_anchor(&t, m->ts);
	buf_putc(b, ',');
	ld_key(b, "url", buf_str(&t));
	buf_free(&t);
}

void ui_jsonld_day(page *p, void *ud)
{
	const ui_ld_day *d = ud;
	buf_t *b = p->b;
	const st_message *first = NULL;
	size_t shown = 0;
	for (size_t i = 0; i < d->n; i++)
		if (!d->m[i].hidden && !shown++)
			first = &d->m[i];
	if (!first)
		return;
	buf_puts(b, "{\"@context\":\"https://schema.org\",\"@type\":\"DiscussionForumPosting\",");
	ld_key(b, "headline", d->headline);
	buf_printf(b, ",\"commentCount\":%zu,", shown - 1);
	ld_message(p, d, first);
	buf_puts(b, ",\"comment\":[");
	size_t k = 0;
	for (size_t i = 0; i < d->n && k < LD_COMMENTS; i++) {
		if (d->m[i].hidden || &d->m[i] == first)
			continue;
		buf_puts(b, k++ ? ",{\"@type\":\"Comment\"," : "{\"@type\":\"Comment\",");
		ld_message(p, d, &d->m[i]);
		buf_putc(b, '}');
	}
	buf_puts(b, "]}");
}
