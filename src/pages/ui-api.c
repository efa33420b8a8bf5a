/* ui-api.c: the read-only JSON API under "/api.v1/" (docs/API.md).
 *
 *   channels.json                      published channels with totals
 *   channels/{name}.json               a channel and its days with counts
 *   channels/{name}/{YYYY-MM-DD}.json  a day page's messages
 *   threads/{channel_id}/{ts}.json     a whole thread
 *   users/{id}.json                    a public profile (no contact details)
 *   search?q=                          (search.c)
 *
 * Every path ends in ".json" so `slacklog build` can write the same
 * documents as files at the same URLs. Field names are stable; new fields
 * may be added. Strings go through json_write_str (which also escapes <, >
 * and &). Errors are {"error": "..."} with a 4xx status. */
#include "pages/ui.h"
#include "lib/json.h"
#include "lib/ts.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static void key(buf_t *b, const char *k)
{
	json_write_str(b, k, strlen(k));
	buf_putc(b, ':');
}

static void str(buf_t *b, const char *k, const char *v)
{
	key(b, k);
	if (v)
		json_write_str(b, v, strlen(v));
	else
		buf_puts(b, "null");
}

static void done(page *p, int status)
{
	buf_putc(p->b, '\n');
	ui_finish(p, status, status == 200 ? CACHE_PAGE : CACHE_ERROR);
	p->out->type = "application/json; charset=utf-8";
}

static void api_404(page *p, const char *what)
{
	buf_reset(p->b);
	buf_puts(p->b, "{");
	str(p->b, "error", what);
	buf_puts(p->b, "}");
	done(p, 404);
}

static void channel_obj(page *p, const st_channel *c)
{
	buf_t *b = p->b, u = BUF_INIT;
	buf_putc(b, '{');
	str(b, "id", c->id);
	buf_putc(b, ',');
	str(b, "name", c->name);
	buf_putc(b, ',');
	str(b, "topic", c->topic);
	buf_putc(b, ',');
	str(b, "purpose", c->purpose);
	buf_printf(b, ",\"archived\":%s,\"created\":%" PRId64 ",\"messages\":%" PRId64 ",",
		   c->archived ? "true" : "false", c->created, c->messages);
	str(b, "first_day", c->first_day);
	buf_putc(b, ',');
	str(b, "last_day", c->last_day);
	buf_putc(b, ',');
	link_channel(p, &u, c->path);
	str(b, "url", buf_str(&u));
	buf_putc(b, '}');
	buf_free(&u);
}

/* The users who reacted, as Slack lists them, less the people who opted
 * out or were erased: their IDs would name them (the count stays Slack's). */
static void reactions(page *p, buf_t *b, const st_message *m)
{
	buf_t id = BUF_INIT;
	key(b, "reactions");
	buf_putc(b, '[');
	for (size_t i = 0; i < m->nreactions; i++) {
		const st_reaction *r = &m->reactions[i];
		buf_puts(b, i ? ",{" : "{");
		str(b, "name", r->name);
		buf_printf(b, ",\"count\":%d,\"users\":[", r->count);
		const char *u = r->users ? r->users : "";
		for (bool first = true; *u;) {
			size_t n = strcspn(u, ",");
			buf_reset(&id);
			buf_put(&id, u, n);
			if (n && !ui_user_hidden(p, buf_str(&id))) {
				if (!first)
					buf_putc(b, ',');
				json_write_str(b, u, n);
				first = false;
			}
			u += n + (u[n] == ',');
		}
		buf_puts(b, "]}");
	}
	buf_putc(b, ']');
	buf_free(&id);
}

/* Slack's text with every <@ID> or <@ID|label> of a person who opted out
 * or was erased written as <@UERASED>: the raw ID would name them. */
static void text_scrubbed(page *p, buf_t *out, const char *text)
{
	buf_t id = BUF_INIT;
	const char *s = text;
	for (const char *at; (at = strstr(s, "<@")); s = at) {
		size_t n = strcspn(at + 2, "|>");
		buf_put(out, s, (size_t)(at - s));
		buf_reset(&id);
		buf_put(&id, at + 2, n);
		if (at[2 + n] == '>' || at[2 + n] == '|') {
			const char *end = strchr(at + 2 + n, '>');
			if (end && ui_user_hidden(p, buf_str(&id))) {
				buf_puts(out, "<@" ST_ERASED_ID ">");
				at = end + 1;
				continue;
			}
		}
		buf_put(out, at, 2);
		at += 2;
	}
	buf_puts(out, s);
	buf_free(&id);
}

/* here: how many replies to it the document holds */
static void message_obj(page *p, const st_channel *c, const st_message *m, size_t here)
{
	buf_t *b = p->b, t = BUF_INIT;
	buf_putc(b, '{');
	str(b, "ts", m->ts);
	buf_putc(b, ',');
	str(b, "day", m->day);
	buf_putc(b, ',');
	str(b, "page_day", m->page_day);
	buf_putc(b, ',');
	str(b, "thread_ts", m->thread_ts);
	buf_printf(b, ",\"reply_count\":%d,\"replies_in_archive\":%zu,", m->reply_count, here);
	str(b, "user_id", m->user_id);
	buf_putc(b, ',');
	str(b, "author", ui_author_name(p, m));
	buf_putc(b, ',');
	str(b, "subtype", m->subtype);
	buf_putc(b, ',');
	str(b, "edited_ts", m->edited_ts);
	buf_putc(b, ',');
	if (m->text) {
		text_scrubbed(p, &t, m->text);
	}
	str(b, "text", m->text ? buf_str(&t) : NULL);
	buf_reset(&t);
	buf_putc(b, ',');
	ui_message_plain(p, m, &t);
	str(b, "plain", buf_str(&t));
	buf_putc(b, ',');
	buf_reset(&t);
	ui_message_html(p, m, &t);
	str(b, "html", buf_str(&t));
	buf_putc(b, ',');
	reactions(p, b, m);
	buf_putc(b, ',');
	buf_reset(&t);
	link_day(p, &t, c->path, m->page_day ? m->page_day : m->day);
	buf_putc(&t, '#');
	link_anchor(&t, m->ts);
	str(b, "url", buf_str(&t));
	buf_putc(b, '}');
	buf_free(&t);
}

static int by_ts(const void *x, const void *y)
{
	return strcmp((*(const st_message *const *)x)->ts, (*(const st_message *const *)y)->ts);
}

static int by_ts_key(const void *key, const void *e)
{
	return strcmp(key, (*(const st_message *const *)e)->ts);
}

/* For each of m[0..n), how many of the shown others are replies to it. */
static size_t *replies_here(page *p, const st_message *m, size_t n)
{
	size_t *here = arena_zalloc(&p->a, (n + 1) * sizeof *here);
	const st_message **by = arena_alloc(&p->a, (n + 1) * sizeof *by);
	for (size_t i = 0; i < n; i++)
		by[i] = &m[i];
	qsort(by, n, sizeof *by, by_ts);
	for (size_t i = 0; i < n; i++) {
		if (m[i].hidden || !m[i].thread_ts || strcmp(m[i].thread_ts, m[i].ts) == 0)
			continue;
		const st_message **start = n ? bsearch(m[i].thread_ts, by, n, sizeof *by, by_ts_key) : NULL;
		if (start)
			here[*start - m]++;
	}
	return here;
}

static void messages(page *p, const st_channel *c, const st_message *m, size_t n)
{
	size_t *here = replies_here(p, m, n);
	buf_puts(p->b, "\"messages\":[");
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (m[i].hidden)
			continue;
		if (k++)
			buf_putc(p->b, ',');
		message_obj(p, c, &m[i], here[i]);
	}
	buf_putc(p->b, ']');
}

static void api_channels(page *p)
{
	const st_channel *cs;
	size_t n, k = 0;
	site_channels(p, &cs, &n);
	buf_puts(p->b, "{\"channels\":[");
	for (size_t i = 0; i < n; i++) {
		if (!site_channel_visible(p, &cs[i]))
			continue;
		if (k++)
			buf_putc(p->b, ',');
		channel_obj(p, &cs[i]);
	}
	buf_puts(p->b, "]}");
	done(p, 200);
}

static void api_channel(page *p, const st_channel *c)
{
	const st_daycount *d;
	st_daycount *sd;
	size_t n;
	if (!site_channel_days(p, c, &d, &n)) {
		if (store_channel_days(p->st, &p->a, c->id, &sd, &n) < 0) {
			ui_error(p, "listing days");
			return;
		}
		d = sd;
	}
	st_chanday *late;
	size_t nlate;
	if (store_late_days(p->st, &p->a, c->id, &late, &nlate) < 0) {
		ui_error(p, "listing days");
		return;
	}
	buf_puts(p->b, "{\"channel\":");
	channel_obj(p, c);
	buf_puts(p->b, ",\"days\":[");
	for (size_t i = 0; i < n; i++) {
		buf_puts(p->b, i ? ",{" : "{");
		str(p->b, "day", d[i].day);
		buf_printf(p->b, ",\"messages\":%" PRId64 "}", d[i].count);
	}
	buf_puts(p->b, "],\"reply_days\":[");
	for (size_t i = 0; i < nlate; i++) {
		buf_puts(p->b, i ? ",{" : "{");
		str(p->b, "day", late[i].day);
		buf_printf(p->b, ",\"replies\":%" PRId64 "}", late[i].count);
	}
	buf_puts(p->b, "]}");
	done(p, 200);
}

static size_t shown(const st_message *m, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += !m[i].hidden;
	return k;
}

/* {"channel":{"id":..,"name":..},"KEY":VAL, then the caller's fields */
static void doc_head(page *p, const st_channel *c, const char *k, const char *v)
{
	buf_puts(p->b, "{\"channel\":{");
	str(p->b, "id", c->id);
	buf_putc(p->b, ',');
	str(p->b, "name", c->name);
	buf_puts(p->b, "},");
	str(p->b, k, v);
	buf_putc(p->b, ',');
}

/* The threads of other days that got replies on this one (ui-day.c). */
static void late_replies(page *p, const st_channel *c, const st_late *l, size_t n)
{
	buf_t u = BUF_INIT;
	buf_puts(p->b, "\"late_replies\":[");
	for (size_t i = 0; i < n; i++) {
		buf_puts(p->b, i ? ",{" : "{");
		str(p->b, "thread_ts", l[i].thread_ts);
		buf_putc(p->b, ',');
		str(p->b, "page_day", l[i].page_day);
		buf_printf(p->b, ",\"replies\":%" PRId64 ",", l[i].replies);
		buf_reset(&u);
		link_message(p, &u, c->path, l[i].page_day, l[i].first_ts);
		str(p->b, "url", buf_str(&u));
		buf_putc(p->b, '}');
	}
	buf_putc(p->b, ']');
	buf_free(&u);
}

static void api_day(page *p, const st_channel *c, const char *day)
{
	st_message *m;
	st_late *late;
	size_t n, nlate;
	if (!day_valid(day))
		return api_404(p, "no such day");
	if (ui_day_messages(p, c, day, &m, &n) < 0 || store_day_late(p->st, &p->a, c->id, day, &late, &nlate) < 0) {
		ui_error(p, "reading a day");
		return;
	}
	if (!shown(m, n) && !nlate)
		return api_404(p, "this channel has no messages on this day");
	doc_head(p, c, "day", day);
	str(p->b, "prev", site_adjacent_day(p, c, day, -1));
	buf_putc(p->b, ',');
	str(p->b, "next", site_adjacent_day(p, c, day, 1));
	buf_putc(p->b, ',');
	messages(p, c, m, n);
	buf_putc(p->b, ',');
	late_replies(p, c, late, nlate);
	buf_puts(p->b, "}");
	done(p, 200);
}

static void api_thread(page *p, const char *channel_id, const char *ts)
{
	const st_channel *c = site_channel_by_id(p, channel_id);
	char canon[TS_LEN + 1];
	if (!c || !ts_canon(ts, canon) || strcmp(canon, ts) != 0)
		return api_404(p, "no such thread");
	st_message *m;
	size_t n;
	if (ui_thread_messages(p, c, canon, &m, &n) < 0) {
		ui_error(p, "reading a thread");
		return;
	}
	if (!shown(m, n))
		return api_404(p, "no such thread");
	doc_head(p, c, "thread_ts", canon);
	messages(p, c, m, n);
	buf_puts(p->b, "}");
	done(p, 200);
}

static void api_user(page *p, const char *id)
{
	const st_user *u = ui_has_page(p, id) ? store_user(p->st, &p->a, id) : NULL;
	if (!u)
		return api_404(p, "no such user");
	buf_t *b = p->b, t = BUF_INIT;
	buf_putc(b, '{');
	str(b, "id", u->id);
	buf_putc(b, ',');
	str(b, "name", u->name);
	buf_putc(b, ',');
	str(b, "real_name", u->real_name);
	buf_putc(b, ',');
	str(b, "display_name", u->display_name);
	buf_putc(b, ',');
	str(b, "shown_name", u->shown);
	buf_putc(b, ',');
	str(b, "title", u->title);
	buf_putc(b, ',');
	/* a profile photo is published only with remote avatars on */
	str(b, "avatar", p->conf->remote_avatars ? u->avatar : NULL);
	buf_printf(b, ",\"is_bot\":%s,\"deleted\":%s,", u->is_bot ? "true" : "false", u->deleted ? "true" : "false");
	link_user(p, &t, u->id);
	str(b, "url", buf_str(&t));
	buf_free(&t);
	st_daycount *dc;
	size_t n, k = 0;
	if (store_user_channels(p->st, &p->a, u->id, &dc, &n) < 0)
		n = 0;
	buf_puts(b, ",\"channels\":[");
	for (size_t i = 0; i < n; i++) {
		if (!site_channel_by_id(p, dc[i].day))
			continue;
		buf_puts(b, k++ ? ",{" : "{");
		str(b, "id", dc[i].day);
		buf_putc(b, ',');
		str(b, "name", dc[i].name);
		buf_printf(b, ",\"messages\":%" PRId64 "}", dc[i].count);
	}
	buf_puts(b, "]}");
	done(p, 200);
}

/* rest = "a/b.json": split into at most 3 segments, ".json" removed. */
static int segments(page *p, const char *rest, char *seg[3])
{
	size_t n = strlen(rest);
	if (n < 6 || strcmp(rest + n - 5, ".json") != 0)
		return 0;
	char *s = arena_strndup(&p->a, rest, n - 5);
	int k = 0;
	for (char *e; k < 3; k++) {
		seg[k] = s;
		if (!(e = strchr(s, '/')))
			return *s ? k + 1 : 0;
		*e = 0;
		if (!*s)
			return 0;
		s = e + 1;
	}
	return 0;
}

void page_api(page *p, const char *rest)
{
	char *seg[3];
	int n = segments(p, rest, seg);
	if (n == 1 && strcmp(seg[0], "channels") == 0)
		return api_channels(p);
	if (n == 2 && strcmp(seg[0], "users") == 0)
		return api_user(p, seg[1]);
	if (n == 3 && strcmp(seg[0], "threads") == 0)
		return api_thread(p, seg[1], seg[2]);
	if ((n == 2 || n == 3) && strcmp(seg[0], "channels") == 0) {
		const st_channel *c = site_channel_by_path(p, seg[1]);
		if (!c)
			return api_404(p, "no such channel");
		if (n == 2)
			return api_channel(p, c);
		return api_day(p, c, seg[2]);
	}
	api_404(p, "no such API document");
}
