/* ui-message.c: one message as the archive shows it: avatar, author (linked
 * to the person's page), time with its permalink anchor, the body from the
 * renderer, reactions, the "edited" mark.
 *
 * The author is whoever the data names, in this order: the user record,
 * the message's embedded user_profile (people missing from users.json),
 * bot_profile, the legacy username field; for a bot's message without
 * those (old bot_message posts), the bot as the export knows it (its bot
 * user, or the integration named by its bot_add message), then the
 * author of its first attachment that has one; then the user ID, "bot"
 * for bots (never their ID: it means nothing to a reader), or "unknown".
 * A withheld message (store.h, moderation) is a blank stand-in. */
#include "pages/ui.h"
#include "render/html.h"
#include "lib/json.h"
#include "lib/ts.h"
#include <stdint.h>
#include <string.h>

typedef struct author {
	const char *id;          /* user ID to link, or NULL */
	const char *name;
	const char *image;       /* remote avatar URL or NULL */
} author;

static const char *nonempty(const char *s)
{
	return s && *s ? s : NULL;
}

static bool is_bot(const st_message *m)
{
	return (m->bot_id && *m->bot_id) || (m->subtype && strcmp(m->subtype, "bot_message") == 0);
}

static const char *attachment_author(const jv *j)
{
	json_foreach(att, json_arr(j, "attachments")) {
		const char *name = nonempty(json_getstr(att, "author_name"));
		if (name)
			return name;
	}
	return NULL;
}

static author who(page *p, const st_message *m, const jv *j)
{
	author a = {m->user_id, NULL, NULL};
	const st_user *u = m->user_id ? ui_user(p, m->user_id) : NULL;
	const jv *prof = json_get(j, "user_profile"), *bot = json_get(j, "bot_profile");
	if (u) {
		a.name = u->shown;
		a.image = u->avatar;
	}
	if (!a.name)
		a.name = nonempty(json_getstr(prof, "display_name"));
	if (!a.name)
		a.name = nonempty(json_getstr(prof, "real_name"));
	if (!a.name)
		a.name = nonempty(json_getstr(bot, "name"));
	if (!a.name && !m->user_id)
		a.name = nonempty(m->username);
	if (!a.name && !m->user_id && m->bot_id)
		a.name = ui_bot_name(p, m->channel_id, m->bot_id);
	if (!a.name && !m->user_id && is_bot(m))
		a.name = attachment_author(j);
	if (!a.name)
		a.name = m->user_id ? m->user_id : is_bot(m) ? "bot" : "unknown";
	if (!a.image)
		a.image = json_getstr(prof, "image_72");
	if (!a.image)
		a.image = json_getstr(json_get(bot, "icons"), "image_72");
	if (!a.image)
		a.image = json_getstr(json_get(j, "icons"), "image_48");
	return a;
}

static void author_line(page *p, const st_message *m, const author *a, const char *page_day, unsigned flags)
{
	buf_t *b = p->b;
	int64_t sec = ts_seconds(m->ts);
	char iso[32], clock[6];
	ts_iso(sec, iso);
	ts_clock(sec, clock);
	buf_puts(b, "<p class=\"meta\">");
	if (a->id) {
		buf_puts(b, "<a class=\"author\"");
		ui_href_user(p, a->id);
		buf_puts(b, ">");
		html_txt(b, a->name);
		buf_puts(b, "</a>");
	} else {
		buf_puts(b, "<span class=\"author\">");
		html_txt(b, a->name);
		buf_puts(b, "</span>");
	}
	if (m->bot_id && !m->user_id)
		buf_puts(b, " <span class=\"tag\">app</span>");
	buf_puts(b, " <a class=\"time\" href=\"#");
	link_anchor(b, m->ts);
	buf_puts(b, "\" title=\"Link to this message\"><time datetime=\"");
	html_attr(b, iso);
	buf_puts(b, "\">");
	if (m->day && page_day && strcmp(m->day, page_day) != 0) {
		html_txt(b, m->day);
		buf_putc(b, ' ');
	}
	html_txt(b, clock);
	buf_puts(b, "</time></a>");
	if (m->edited_ts) {
		char eiso[32];
		ts_iso(ts_seconds(m->edited_ts), eiso);
		buf_puts(b, " <span class=\"edited\" title=\"edited ");
		html_attr(b, eiso);
		buf_puts(b, "\">(edited)</span>");
	}
	if (flags & UI_MSG_ORPHAN)
		buf_puts(b, " <span class=\"note\">reply in a thread whose first message is not in the archive</span>");
	buf_puts(b, "</p>\n");
}

static void reactions(page *p, const st_message *m)
{
	if (!m->nreactions)
		return;
	buf_puts(p->b, "<div class=\"reactions\">");
	for (size_t i = 0; i < m->nreactions; i++)
		render_reaction_html(p->b, &p->rc, m->reactions[i].name, m->reactions[i].count, m->reactions[i].users);
	buf_puts(p->b, "</div>\n");
}

static void body(page *p, const st_message *m)
{
	buf_puts(p->b, "<div class=\"body\">");
	ui_message_html(p, m, p->b);
	buf_puts(p->b, "</div>\n");
}

const char *ui_message_author(page *p, const st_message *m)
{
	return who(p, m, ui_message_json(p, m)).name;
}

/* Parsed messages of this page, by the address of their stored JSON: the
 * head (description, JSON-LD) and the body read the same messages, and
 * parsing is a good part of a page's cost. The table starts small (most
 * pages show a few messages) and doubles up to JSON_SLOTS; a full table
 * parses again. */
enum { JSON_SLOTS0 = 32, JSON_SLOTS = 2048 };
typedef struct jslot {
	const char *raw;
	const jv *v;
} jslot;
typedef struct jmemo {
	jslot *s;
	size_t cap, used;
} jmemo;

static jslot *jfind(jslot *s, size_t cap, const char *raw)
{
	size_t i = ((uintptr_t)raw >> 3) & (cap - 1);
	while (s[i].raw && s[i].raw != raw)
		i = (i + 1) & (cap - 1);
	return &s[i];
}

const jv *ui_message_json(page *p, const st_message *m)
{
	if (!m->raw || !m->rawlen)
		return NULL;
	jmemo *j = p->jsons;
	if (!j) {
		j = p->jsons = arena_alloc(&p->a, sizeof *j);
		*j = (jmemo){arena_zalloc(&p->a, JSON_SLOTS0 * sizeof *j->s), JSON_SLOTS0, 0};
	}
	jslot *e = jfind(j->s, j->cap, m->raw);
	if (e->raw)
		return e->v;
	json_err err;
	const jv *v = json_parse(&p->a, m->raw, m->rawlen, &err, NULL);
	if ((j->used + 1) * 2 > j->cap && j->cap < JSON_SLOTS) {
		jslot *t = arena_zalloc(&p->a, 2 * j->cap * sizeof *t);
		for (size_t i = 0; i < j->cap; i++)
			if (j->s[i].raw)
				*jfind(t, 2 * j->cap, j->s[i].raw) = j->s[i];
		j->s = t;
		j->cap *= 2;
		e = jfind(j->s, j->cap, m->raw);
	}
	if ((j->used + 1) * 2 <= j->cap) {
		*e = (jslot){m->raw, v};
		j->used++;
	}
	return v;
}

/* A message taken down or by someone who opted out, kept so that its
 * thread's replies still hang together: a time and nothing else. */
static void stand_in(page *p, const st_message *m, const char *page_day, unsigned flags)
{
	buf_puts(p->b, "<li class=\"msg withheld\"");
	if (!(flags & UI_MSG_NO_ID)) {
		buf_puts(p->b, " id=\"");
		link_anchor(p->b, m->ts);
		buf_puts(p->b, "\"");
	}
	buf_puts(p->b, ">\n<div class=\"content\">\n");
	author a = {NULL, "", NULL};
	author_line(p, m, &a, page_day, flags);
	buf_puts(p->b, "<div class=\"body\"><p class=\"note\">This message is not shown.</p></div>\n");
}

void ui_message_open(page *p, const st_message *m, const char *page_day, unsigned flags)
{
	if (m->withheld) {
		stand_in(p, m, page_day, flags);
		return;
	}
	const jv *j = ui_message_json(p, m);
	author a = who(p, m, j);
	buf_t *b = p->b;
	buf_puts(b, "<li class=\"msg");
	if (m->subtype) {
		buf_puts(b, " st-");
		html_attr(b, m->subtype);
	}
	buf_puts(b, "\"");
	if (!(flags & UI_MSG_NO_ID)) {
		buf_puts(b, " id=\"");
		link_anchor(b, m->ts);
		buf_puts(b, "\"");
	}
	buf_puts(b, ">\n");
	ui_avatar(p, a.id, a.name, a.image, 36);
	buf_puts(b, "\n<div class=\"content\">\n");
	author_line(p, m, &a, page_day, flags);
	body(p, m);
	reactions(p, m);
	ui_memo_fill(p, m, a.name);
}

void ui_message_close(page *p)
{
	buf_puts(p->b, "</div>\n</li>\n");
}
