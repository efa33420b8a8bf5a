/* ui-message.c: one message as the archive shows it: avatar, author (linked
 * to the person's page, if they have one), time with its permalink anchor,
 * the body from the renderer (which ends an edited message's text with
 * "(edited)"), reactions.
 *
 * The author is whoever the data names, in this order: the user record,
 * the message's embedded user_profile (people missing from users.json),
 * bot_profile, the legacy username field; for a bot's message without
 * those (old bot_message posts), the bot as the export knows it (its bot
 * user, or the integration named by its bot_add message), then the
 * author of its first attachment that has one; then the user ID, "bot"
 * for bots (never their ID: it means nothing to a reader), or "unknown".
 *
 * An app's post (is_app) is tagged "app", and the name and picture the
 * post itself carries (username and icons: a webhook's or an app's
 * chosen name for this post) come before all of those, as in Slack:
 * bot_profile names the integration ("incoming-webhook"), not the post.
 * A withheld message (store.h, moderation) is a blank stand-in; a
 * deleted thread start (tombstone) shows no author either.
 *
 * A thread's start also has a summary: how many replies Slack counts
 * (reply_count: a thread older than the archive's logs has more than the
 * archive) and how many the archive shows, who replied (reply_users, then
 * the authors of the replies here) and when last (latest_reply, or the
 * newest reply here). */
#include "pages/ui.h"
#include "render/html.h"
#include "lib/json.h"
#include "lib/ts.h"
#include <stdint.h>
#include <string.h>

typedef struct author {
	const char *id;          /* user ID (linked if they have a page), or NULL */
	const char *name;
	const char *image;       /* remote avatar URL or NULL */
	bool app;                /* an app's post: tagged */
} author;

/* the author line of a message that is no one's */
static const author nobody = {NULL, "", NULL, false};

static const char *nonempty(const char *s)
{
	return s && *s ? s : NULL;
}

/* An app's post (docs/slack-format 2, 3): an integration's (bot_message,
 * or a bot_id or bot_profile without a user) or a bot user's (modern apps
 * post as their bot user, with bot_id and bot_profile). A person's own
 * message sent through an app with their token carries the app's bot_id,
 * app_id or bot_profile too, but is theirs: their user record is not a
 * bot's. Only a user the archive does not know is judged by the bot_id. */
static bool is_app(const st_message *m, const st_user *u, const jv *j)
{
	if (m->subtype && strcmp(m->subtype, "bot_message") == 0)
		return true;
	if (u)
		return u->is_bot;
	return (m->bot_id && *m->bot_id) || json_is(json_get(j, "bot_profile"), JV_OBJ);
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

/* The picture an app's post carries (icons: its own, else its app's). */
static const char *app_icon(const jv *j)
{
	static const char *const sizes[] = {"image_72", "image_48", "image_36"};
	const jv *icons[] = {json_get(j, "icons"), json_get(json_get(j, "bot_profile"), "icons")};
	for (size_t i = 0; i < 2; i++)
		for (size_t k = 0; k < 3; k++)
			if (nonempty(json_getstr(icons[i], sizes[k])))
				return json_getstr(icons[i], sizes[k]);
	return NULL;
}

static author who(page *p, const st_message *m, const jv *j)
{
	author a = {m->user_id, NULL, NULL, false};
	const st_user *u = m->user_id ? ui_user(p, m->user_id) : NULL;
	const jv *prof = json_get(j, "user_profile"), *bot = json_get(j, "bot_profile");
	a.app = is_app(m, u, j);
	if (a.app) {
		a.name = nonempty(m->username);
		a.image = app_icon(j);
	}
	if (u) {
		if (!a.name)
			a.name = u->shown;
		if (!a.image)
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
	if (!a.name && !m->user_id && a.app)
		a.name = attachment_author(j);
	if (!a.name)
		a.name = m->user_id ? m->user_id : a.app ? "bot" : "unknown";
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
	if (ui_has_page(p, a->id)) {
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
	if (a->app)
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
	if (flags & UI_MSG_ORPHAN)
		buf_puts(b, " <span class=\"note\">reply in a thread whose first message is not in the archive</span>");
	buf_puts(b, "</p>\n");
}

enum { BCAST_START_MAX = 100 };   /* bytes of a thread's start a broadcast quotes */

/* t cut by ui_trim_text (ending in "…"): end it at a word's end instead,
 * if one is near. */
static void at_word_end(buf_t *t)
{
	static const char ell[] = "\xE2\x80\xA6";
	size_t n = t->len, el = sizeof ell - 1;
	if (n < el || memcmp(t->p + n - el, ell, el) != 0)
		return;
	for (size_t i = n - el; i > 0 && n - el - i < 24; i--)
		if (t->p[i - 1] == ' ') {
			buf_truncate(t, i - 1);
			buf_puts(t, ell);
			return;
		}
}

/* A reply also sent to the channel, shown there, says which thread, as
 * Slack does: "replied to a thread: " and the start of the thread's first
 * message, a link to it. Its words are read from the archive (withheld:
 * none), never from the copy the reply carries (root). */
static void broadcast_line(page *p, const st_message *m)
{
	const st_message *start = m->thread_ts ? store_message(p->st, &p->a, m->channel_id, m->thread_ts) : NULL;
	buf_t url = BUF_INIT, t = BUF_INIT;
	buf_t *b = p->b;
	if (ui_message_url_of(p, start, &url)) {
		ui_message_plain(p, start, &t);
		ui_trim_text(&t, BCAST_START_MAX);
		at_word_end(&t);
	}
	buf_puts(b, "<p class=\"bcast\">");
	if (!url.len) {
		buf_puts(b, "replied to a thread");
	} else {
		buf_puts(b, t.len ? "replied to a thread: <a href=\"" : "replied to <a href=\"");
		html_attr(b, buf_str(&url));
		buf_puts(b, "\">");
		html_txt(b, t.len ? buf_str(&t) : "a thread");
		buf_puts(b, "</a>");
	}
	buf_puts(b, "</p>\n");
	buf_free(&url);
	buf_free(&t);
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
	author_line(p, m, &nobody, page_day, flags);
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
	/* a deleted thread start kept for its replies is no one's, as in
	 * Slack (its user is Slackbot's; the name still goes to feeds) */
	bool gone = m->subtype && strcmp(m->subtype, "tombstone") == 0;
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
	if (!gone) {
		ui_avatar(p, a.id, a.name, a.image, 36);
		buf_putc(b, '\n');
	}
	buf_puts(b, "<div class=\"content\">\n");
	if (flags & UI_MSG_BROADCAST)
		broadcast_line(p, m);
	author_line(p, m, gone ? &nobody : &a, page_day, flags);
	body(p, m);
	reactions(p, m);
	ui_memo_fill(p, m, a.name);
}

void ui_message_close(page *p)
{
	buf_puts(p->b, "</div>\n</li>\n");
}

/* ---- a thread's summary ----------------------------------------------- */

enum { REPLIERS_SHOWN = 5, REPLY_USERS_READ = 100 };

/* A replier as the page shows people: the neutral label for someone who
 * opted out or was erased; else as the author of their first reply here,
 * else by their record, else by the ID. */
static author replier(page *p, const char *id, const st_message *const *r, size_t n)
{
	if (ui_user_hidden(p, id))
		return (author){.name = ST_NEUTRAL_NAME};
	for (size_t i = 0; i < n; i++)
		if (r[i]->user_id && strcmp(r[i]->user_id, id) == 0 && !r[i]->withheld)
			return who(p, r[i], ui_message_json(p, r[i]));
	const st_user *u = ui_user(p, id);
	return (author){.id = id, .name = u ? u->shown : id, .image = u ? u->avatar : NULL};
}

static bool listed(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

/* Who replied: the start's reply_users (Slack's list), then the authors
 * of the replies here it does not name; their avatars, then " from A, B
 * and C" (and how many others, by reply_users_count when it says more). */
static void repliers(page *p, const jv *j, const st_message *const *r, size_t n, buf_t *names)
{
	const jv *ru = json_arr(j, "reply_users");
	const char **ids = arena_alloc(&p->a, (REPLY_USERS_READ + n + 1) * sizeof *ids);
	size_t k = 0, read = 0;
	json_foreach(u, ru) {
		const char *id = json_str(u);
		if (read++ == REPLY_USERS_READ)
			break;
		if (id && *id && !listed(ids, k, id))
			ids[k++] = id;
	}
	for (size_t i = 0; i < n; i++)
		if (r[i]->user_id && !listed(ids, k, r[i]->user_id))
			ids[k++] = r[i]->user_id;
	int64_t total = json_getint(j, "reply_users_count", 0);
	if (total < (int64_t)k)
		total = (int64_t)k;
	if (!k)
		return;
	size_t shown = k < REPLIERS_SHOWN ? k : REPLIERS_SHOWN;
	int64_t others = total - (int64_t)shown;
	buf_puts(p->b, "<span class=\"repliers\">");
	buf_puts(names, " <span class=\"who\">from ");
	for (size_t i = 0; i < shown; i++) {
		author a = replier(p, ids[i], r, n);
		ui_avatar(p, a.id, a.name, a.image, 20);
		if (i)
			buf_puts(names, i + 1 == shown && !others ? " and " : ", ");
		html_txt(names, a.name);
	}
	if (others)
		buf_printf(names, " and %lld other%s", (long long)others, others == 1 ? "" : "s");
	buf_puts(names, "</span>");
	buf_puts(p->b, "</span>");
}

void ui_thread_summary(page *p, const st_message *start, const st_message *const *r, size_t n)
{
	const jv *j = ui_message_json(p, start);    /* NULL when withheld */
	size_t total = start->reply_count > 0 && (size_t)start->reply_count > n ? (size_t)start->reply_count : n;
	buf_t names = BUF_INIT;
	repliers(p, j, r, n, &names);
	buf_printf(p->b, "%zu repl%s", total, total == 1 ? "y" : "ies");
	if (total != n) {
		buf_puts(p->b, " <span class=\"here\">(");
		if (n)
			buf_printf(p->b, "%zu in this archive)</span>", n);
		else
			buf_puts(p->b, "none in this archive)</span>");
	}
	if (names.len)
		buf_put(p->b, names.p, names.len);
	buf_free(&names);
	/* the newest reply: Slack's latest_reply, or the archive's if newer */
	const char *last = NULL;
	for (size_t i = 0; i < n; i++)
		if (!last || strcmp(r[i]->ts, last) > 0)
			last = r[i]->ts;
	char canon[TS_LEN + 1];
	const char *lr = json_getstr(j, "latest_reply");
	if (lr && ts_canon(lr, canon) && ts_seconds(canon) > 0 && (!last || strcmp(canon, last) > 0))
		last = canon;
	if (!last)
		return;
	char iso[32], day[11];
	ts_iso(ts_seconds(last), iso);
	ts_day(ts_seconds(last), day);
	buf_puts(p->b, "<span class=\"last\">, last reply <time datetime=\"");
	html_attr(p->b, iso);
	buf_puts(p->b, "\">");
	html_txt(p->b, day);
	buf_puts(p->b, "</time></span>");
}
