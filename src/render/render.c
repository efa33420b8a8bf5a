/* render.c: a whole message body, by subtype, and reaction chips.
 *
 * The body is the text (or the rich_text blocks that Slack's clients
 * prefer when present), then files, then attachments. Subtypes change the
 * frame, not the parsing: joins, leaves, topic/purpose/name changes, pins
 * and the like are one compact system line (their text already names the
 * actor); me_message is italic (<i>, or only class "me" when it holds
 * blocks); a deleted thread parent (tombstone) is "This message was
 * deleted."; a legacy file_comment shows the comment and the file. Any
 * subtype not listed renders like a plain message, so a new Slack subtype
 * never loses its text. An edited message ends its text with "(edited)",
 * as Slack shows it.
 *
 * The same walk writes HTML or plain text (rd.h's rw), so the search index
 * and feeds hold exactly what the page shows. */
#include "render/rd.h"
#include "lib/ts.h"
#include <stdio.h>
#include <string.h>

static const char *const system_subtypes[] = {
	"channel_join", "channel_leave", "group_join", "group_leave",
	"channel_topic", "group_topic", "channel_purpose", "group_purpose",
	"channel_name", "group_name", "channel_archive", "group_archive",
	"channel_unarchive", "group_unarchive", "pinned_item", "unpinned_item",
	"bot_add", "bot_remove", "bot_enable", "bot_disable",
	"channel_convert_to_private", "channel_convert_to_public",
	"channel_posting_permissions", "reminder_add", "joiner_notification",
	"joiner_notification_for_inviter", "app_conversation_leave",
	"channel_canvas_updated", "tabbed_canvas_updated",
};

static bool is_system(const char *st)
{
	for (size_t i = 0; st && i < sizeof system_subtypes / sizeof *system_subtypes; i++)
		if (strcmp(st, system_subtypes[i]) == 0)
			return true;
	return false;
}

static bool is(const char *st, const char *want)
{
	return st && strcmp(st, want) == 0;
}

/* A system line whose text is missing: say what happened from the fields. */
static void system_fallback(rw *w, const jv *m, const char *st)
{
	const char *v;
	if (strstr(st, "_join"))
		rw_txts(w, "joined the channel");
	else if (strstr(st, "_leave"))
		rw_txts(w, "left the channel");
	else if (strstr(st, "_topic")) {
		rw_txts(w, "set the channel topic: ");
		if ((v = json_getstr(m, "topic")))
			rd_mrkdwn(w, v, strlen(v), MK_NOEMPH);
	} else if (strstr(st, "_purpose")) {
		rw_txts(w, "set the channel purpose: ");
		if ((v = json_getstr(m, "purpose")))
			rd_mrkdwn(w, v, strlen(v), MK_NOEMPH);
	} else if (strstr(st, "_name")) {
		rw_txts(w, "renamed the channel from \"");
		rw_txts(w, json_getstr(m, "old_name"));
		rw_txts(w, "\" to \"");
		rw_txts(w, json_getstr(m, "name"));
		rw_txts(w, "\"");
	} else if (strstr(st, "_archive") && !strstr(st, "unarchive"))
		rw_txts(w, "archived the channel");
	else if (strstr(st, "unarchive"))
		rw_txts(w, "unarchived the channel");
	else if (strstr(st, "pinned_item"))
		rw_txts(w, is(st, "pinned_item") ? "pinned a message" : "unpinned a message");
}

static bool text_of(const jv *m, const jv **t)
{
	*t = json_get(m, "text");
	return json_str(*t) && (*t)->n;
}

static void system_line(rw *w, const jv *m, const char *st)
{
	const jv *t;
	rw_html(w, "<div class=\"system\">");
	if (text_of(m, &t))
		rd_mrkdwn(w, t->s, t->n, 0);
	else
		system_fallback(w, m, st);
	rw_html(w, "</div>");
	rw_line(w);
	rd_attachments(w, json_arr(m, "attachments"));
}

static const char *const block_tags[] = {"<blockquote", "<pre", "<ul", "<ol", "<div", "<hr"};

/* me_message: the body in <i>, unless it holds block elements (a quote,
 * a list), which may not sit inside <i>; class "me" lets CSS italicise
 * those. */
static void me_wrap(rw *w, size_t start)
{
	buf_t *b = w->b;
	for (size_t i = 0; i < sizeof block_tags / sizeof *block_tags; i++)
		if (strstr(b->p + start, block_tags[i]))
			return;
	buf_t inner = BUF_INIT;
	buf_put(&inner, b->p + start, b->len - start);
	buf_truncate(b, start);
	buf_puts(b, "<i>");
	buf_put(b, inner.p, inner.len);
	buf_puts(b, "</i>");
	buf_free(&inner);
}

/* When an edited message was edited, as ISO 8601 in iso; false if never. */
static bool edited_at(const jv *m, char iso[32])
{
	char ts[TS_LEN + 1];
	const char *e = json_getscalar(json_get(m, "edited"), "ts");
	if (!e || !ts_canon(e, ts))
		return false;
	ts_iso(ts_seconds(ts), iso);
	return true;
}

/* "(edited)" where Slack shows it, after the text; HTML only: it is not
 * part of what the message says. */
static void edited_mark(rw *w, const char *iso)
{
	buf_puts(w->b, " <span class=\"edited\" title=\"edited ");
	html_attr(w->b, iso);
	buf_puts(w->b, "\">(edited)</span>");
}

static void text_part(rw *w, const jv *m, bool me)
{
	const jv *blocks = json_arr(m, "blocks"), *t;
	bool use_blocks = rd_blocks_renderable(blocks);
	char iso[32];
	bool edited = !w->text && edited_at(m, iso);
	if (!use_blocks && !text_of(m, &t)) {
		if (edited) {            /* a file's message, say: the mark alone */
			buf_puts(w->b, "<div class=\"text\">");
			edited_mark(w, iso);
			buf_puts(w->b, "</div>");
		}
		return;
	}
	rw_html(w, me ? "<div class=\"text me\">" : "<div class=\"text\">");
	size_t start = w->b->len;
	if (use_blocks) {
		rd_blocks(w, blocks);
	} else {
		bool plain = json_get(m, "mrkdwn") && json_get(m, "mrkdwn")->type == JV_FALSE;
		rd_mrkdwn(w, t->s, t->n, plain ? MK_NOEMPH : 0);
	}
	if (me && !w->text)
		me_wrap(w, start);
	if (edited)
		edited_mark(w, iso);
	rw_html(w, "</div>");
	rw_line(w);
}

static void body(rw *w, const jv *m)
{
	const char *st = json_getstr(m, "subtype");
	if (!json_is(m, JV_OBJ))
		return;
	if (is(st, "tombstone")) {
		rw_html(w, "<div class=\"system tombstone\">");
		rw_txts(w, "This message was deleted.");
		rw_html(w, "</div>");
		return;
	}
	if (is_system(st)) {
		system_line(w, m, st);
		return;
	}
	if (is(st, "file_comment")) {
		const jv *c = json_getstr(json_get(m, "comment"), "comment") ? json_get(json_get(m, "comment"), "comment") : NULL;
		if (c) {
			rw_html(w, "<div class=\"text\">");
			rd_mrkdwn(w, c->s, c->n, 0);
			rw_html(w, "</div>");
			rw_line(w);
		} else {
			text_part(w, m, false);
		}
		rd_files(w, m);
		return;
	}
	text_part(w, m, is(st, "me_message"));
	rd_files(w, m);
	rw_line(w);
	rd_attachments(w, json_arr(m, "attachments"));
}

void render_message_html(buf_t *out, const render_ctx *c, const jv *msg)
{
	rw w;
	rw_init(&w, out, c, false);
	body(&w, msg);
	rw_done(&w);
}

void render_message_text(buf_t *out, const render_ctx *c, const jv *msg)
{
	rw w;
	size_t start = out->len;
	rw_init(&w, out, c, true);
	body(&w, msg);
	rw_done(&w);
	while (out->len > start && out->p[out->len - 1] == '\n')
		out->len--;
	if (out->p)
		out->p[out->len] = 0;
}

/* ---- reactions ------------------------------------------------------ */

static void who(buf_t *t, const render_ctx *c, int count, const char *users)
{
	int listed = 0;
	const char *p = users ? users : "";
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		char id[64];
		if (n && n < sizeof id) {
			memcpy(id, p, n);
			id[n] = 0;
			const char *name = c && c->user_name ? c->user_name(c->ud, id) : NULL;
			if (listed)
				buf_puts(t, ", ");
			buf_puts(t, name && *name ? name : id);
			listed++;
		}
		p += n + (comma ? 1 : 0);
	}
	int others = count - listed;
	if (!listed) {
		buf_printf(t, "%d %s", count, count == 1 ? "person" : "people");
	} else if (others > 0) {
		buf_printf(t, " and %d other%s", others, others == 1 ? "" : "s");
	}
}

void render_reaction_html(buf_t *out, const render_ctx *c, const char *name, int count, const char *users)
{
	buf_t t = BUF_INIT;
	if (count < 0)
		count = 0;
	who(&t, c, count, users);
	buf_puts(out, "<span class=\"reaction\" title=\"");
	html_attr(out, buf_str(&t));
	buf_puts(out, "\">");
	render_emoji_html(out, c, name);
	buf_printf(out, " <span class=\"count\">%d</span></span>", count);
	buf_free(&t);
}
