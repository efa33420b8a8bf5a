/* ui-day.c: the day page, "/{channel}/{YYYY-MM-DD}/", the archive's main
 * view (see docs: the example day page). The date; "Channels": every
 * channel with messages that day and its count, linking to its page for
 * the same day; the channel's name and topic; links to the previous and
 * next day with messages; then the messages.
 *
 * Threads: a reply is shown under its parent, in a <details> element that
 * opens without JavaScript, on the parent's day page (the store puts it
 * there). A thread_broadcast is also shown in the channel flow, at its own
 * time on its own day, pointing at its copy in the thread (which is the
 * one counted and anchored). Replies whose parent is not in
 * the archive are shown in order, with a note. A reply posted on a later
 * day than its thread's start stays there, counted there; the day it was
 * posted shows a line per thread that got replies that day, linking to
 * the first of them on the start's page (not a message: it changes no
 * count), so that day does not read as if the channel had been silent.
 * A day with only such replies has a page of those lines. A day without
 * either is a 404 that names the nearest days that have messages. */
#include "pages/ui.h"
#include "render/html.h"
#include <stdlib.h>
#include <string.h>

typedef struct dayview {
	st_message *m;
	size_t n;
	long *first_reply;       /* per message: index of its first reply, -1 */
	long *next_reply;        /* per reply: index of the next in its thread */
	bool *in_thread;         /* shown under a parent on this page */
} dayview;

static bool is_reply(const st_message *m)
{
	return m->thread_ts && strcmp(m->thread_ts, m->ts) != 0;
}

static int by_ts(const void *a, const void *b)
{
	return strcmp(((const st_message *)a)->ts, ((const st_message *)b)->ts);
}

static long find_ts(const dayview *v, const char *ts)
{
	size_t lo = 0, hi = v->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(v->m[mid].ts, ts);
		if (c == 0)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Link each reply to its parent's list, in ts order. */
static void thread_up(page *p, dayview *v)
{
	if (v->n > 1)        /* a day with only replies to other days' threads has none */
		qsort(v->m, v->n, sizeof *v->m, by_ts);
	v->first_reply = arena_alloc(&p->a, (v->n + 1) * sizeof(long));
	v->next_reply = arena_alloc(&p->a, (v->n + 1) * sizeof(long));
	v->in_thread = arena_zalloc(&p->a, (v->n + 1) * sizeof(bool));
	long *last = arena_alloc(&p->a, (v->n + 1) * sizeof(long));
	for (size_t i = 0; i < v->n; i++)
		v->first_reply[i] = v->next_reply[i] = last[i] = -1;
	for (size_t i = 0; i < v->n; i++) {
		if (v->m[i].hidden || !is_reply(&v->m[i]))
			continue;
		long par = find_ts(v, v->m[i].thread_ts);
		if (par < 0 || v->m[par].hidden || is_reply(&v->m[par]))
			continue;
		v->in_thread[i] = true;
		if (last[par] < 0)
			v->first_reply[par] = (long)i;
		else
			v->next_reply[last[par]] = (long)i;
		last[par] = (long)i;
	}
}

/* A thread's start with its replies under it, or (none archived) what
 * Slack counts of them. */
static void thread(page *p, const dayview *v, size_t par, const char *day)
{
	const st_message *m = &v->m[par];
	size_t n = 0;
	for (long r = v->first_reply[par]; r >= 0; r = v->next_reply[r])
		n++;
	if (!n) {
		if (m->reply_count > 0 && !is_reply(m) && m->thread_ts) {
			buf_puts(p->b, "<p class=\"thread none\">");
			ui_thread_summary(p, m, NULL, 0);
			buf_puts(p->b, "</p>\n");
		}
		return;
	}
	const st_message **rs = arena_alloc(&p->a, n * sizeof *rs);
	n = 0;
	for (long r = v->first_reply[par]; r >= 0; r = v->next_reply[r])
		rs[n++] = &v->m[r];
	buf_puts(p->b, "<details class=\"thread\">\n<summary>");
	ui_thread_summary(p, m, rs, n);
	buf_puts(p->b, "</summary>\n<ol class=\"replies\">\n");
	for (long r = v->first_reply[par]; r >= 0; r = v->next_reply[r]) {
		ui_message_open(p, &v->m[r], day, 0);
		ui_message_close(p);
	}
	buf_puts(p->b, "</ol>\n</details>\n");
}

static void broadcast_note(page *p, const st_message *m)
{
	buf_puts(p->b, "<p class=\"note\">Also sent to the thread: <a href=\"#");
	link_anchor(p->b, m->ts);
	buf_puts(p->b, "\">view in thread</a></p>\n");
}

static void elsewhere_note(page *p, const st_message *m)
{
	buf_t url = BUF_INIT;
	if (ui_message_url(p, m->channel_id, m->ts, &url)) {
		buf_puts(p->b, "<p class=\"note\">Sent from a thread of ");
		html_txt(p->b, m->page_day);
		buf_puts(p->b, ": <a href=\"");
		html_attr(p->b, buf_str(&url));
		buf_puts(p->b, "\">view in thread</a></p>\n");
	}
	buf_free(&url);
}

static void messages(page *p, const dayview *v, const char *day)
{
	buf_puts(p->b, "<ol class=\"messages\">\n");
	for (size_t i = 0; i < v->n; i++) {
		const st_message *m = &v->m[i];
		if (m->hidden)
			continue;
		bool bcast = m->subtype && strcmp(m->subtype, "thread_broadcast") == 0;
		/* a broadcast is also in the channel's flow, on its own day */
		if (v->in_thread[i] && !(bcast && m->day && strcmp(m->day, day) == 0))
			continue;
		/* a broadcast from a thread shown on another day's page: a
		 * pointer here, counted and anchored there */
		bool elsewhere = bcast && !v->in_thread[i] && m->page_day && strcmp(m->page_day, day) != 0;
		unsigned flags = 0;
		if (v->in_thread[i] || elsewhere)
			flags |= UI_MSG_NO_ID;
		else if (is_reply(m) && !bcast)
			flags |= UI_MSG_ORPHAN;
		if (bcast)
			flags |= UI_MSG_BROADCAST;
		ui_message_open(p, m, day, flags);
		if (v->in_thread[i])
			broadcast_note(p, m);
		else if (elsewhere)
			elsewhere_note(p, m);
		thread(p, v, i, day);
		ui_message_close(p);
	}
	buf_puts(p->b, "</ol>\n");
}

/* The threads of other days that got replies on this one. */
static void late_lines(page *p, const st_channel *c, const st_late *l, size_t n)
{
	if (!n)
		return;
	buf_puts(p->b, "<ul class=\"late-replies\" aria-label=\"Replies to threads of other days\">\n");
	for (size_t i = 0; i < n; i++) {
		buf_t url = BUF_INIT;
		link_message(p, &url, c->path, l[i].page_day, l[i].first_ts);
		buf_puts(p->b, "<li><a href=\"");
		html_attr(p->b, buf_str(&url));
		buf_printf(p->b, "\">%lld repl%s to a thread from <time datetime=\"", (long long)l[i].replies,
			   l[i].replies == 1 ? "y" : "ies");
		html_attr(p->b, l[i].page_day);
		buf_puts(p->b, "\">");
		html_txt(p->b, l[i].page_day);
		buf_puts(p->b, "</time></a></li>\n");
		buf_free(&url);
	}
	buf_puts(p->b, "</ul>\n");
}

static void sidebar(page *p, const st_channel *c, const char *day)
{
	const st_daycount *dc;
	st_daycount *sdc;
	size_t n;
	if (!site_day_channels(p, day, &dc, &n))
		dc = store_day_channels(p->st, &p->a, day, &sdc, &n) < 0 ? (n = 0, NULL) : sdc;
	buf_puts(p->b, "<nav class=\"sidebar\" aria-labelledby=\"chh\">\n<p class=\"date\"><time datetime=\"");
	html_attr(p->b, day);
	buf_puts(p->b, "\">");
	html_txt(p->b, day);
	buf_puts(p->b, "</time></p>\n<h2 id=\"chh\">Channels</h2>\n<ul class=\"chans\">\n");
	for (size_t i = 0; i < n; i++) {
		/* dc[i].day holds the channel ID here */
		const st_channel *dcc = site_channel_by_id(p, dc[i].day);
		if (!dcc)
			continue;
		buf_puts(p->b, "<li><a");
		ui_href_day(p, dcc->path, day);
		if (strcmp(dc[i].day, c->id) == 0)
			buf_puts(p->b, " aria-current=\"page\"");
		buf_puts(p->b, "><span class=\"hash\" aria-hidden=\"true\">#</span>");
		html_txt(p->b, dc[i].name);
		buf_puts(p->b, " <span class=\"count\">(");
		buf_putint(p->b, dc[i].count);
		buf_puts(p->b, ")</span></a></li>\n");
	}
	buf_puts(p->b, "</ul>\n</nav>\n");
}

static void day_link(page *p, const st_channel *c, const char *day, const char *rel, const char *label)
{
	if (!day) {
		buf_printf(p->b, "<span class=\"%s none\">%s</span>", rel, label);
		return;
	}
	buf_printf(p->b, "<a class=\"%s\" rel=\"%s\"", rel, rel);
	ui_href_day(p, c->path, day);
	buf_printf(p->b, ">%s ", label);
	html_txt(p->b, day);
	buf_puts(p->b, "</a>");
}

static void header(page *p, const st_channel *c, const char *day)
{
	buf_puts(p->b, "<header class=\"dayhead\">\n<h1><a");
	ui_href_channel(p, c->path);
	buf_puts(p->b, "><span class=\"hash\" aria-hidden=\"true\">#</span>");
	html_txt(p->b, c->name);
	buf_puts(p->b, "</a></h1>\n");
	if (c->topic && *c->topic) {
		buf_puts(p->b, "<p class=\"topic\">");
		render_mrkdwn_html(p->b, &p->rc, c->topic, strlen(c->topic));
		buf_puts(p->b, "</p>\n");
	}
	buf_puts(p->b, "<nav class=\"daynav\" aria-label=\"Days\">");
	day_link(p, c, site_adjacent_day(p, c, day, -1), "prev", "\xE2\x86\x90");
	buf_puts(p->b, " <span class=\"today\">");
	ui_day_long(p->b, day);
	buf_puts(p->b, "</span> ");
	day_link(p, c, site_adjacent_day(p, c, day, 1), "next", "\xE2\x86\x92");
	buf_puts(p->b, "</nav>\n</header>\n");
}

typedef struct nearest {
	const st_channel *c;
	const char *prev, *next;
} nearest;

static void nearest_days(page *p, void *ud)
{
	nearest *n = ud;
	if (!n->prev && !n->next)
		return;
	buf_puts(p->b, "<p>The nearest days with messages in this channel:</p>\n<ul class=\"nearest\">\n");
	const char *d[2] = {n->prev, n->next};
	for (int i = 0; i < 2; i++) {
		if (!d[i])
			continue;
		buf_puts(p->b, "<li><a");
		ui_href_day(p, n->c->path, d[i]);
		buf_puts(p->b, ">");
		ui_day_long(p->b, d[i]);
		buf_puts(p->b, "</a></li>\n");
	}
	buf_puts(p->b, "</ul>\n");
}

static void no_messages(page *p, const st_channel *c, const char *day)
{
	nearest n = {c, site_adjacent_day(p, c, day, -1),
		     site_adjacent_day(p, c, day, 1)};
	ui_not_found(p, "This channel has no messages on this day.", nearest_days, &n);
}

void page_day(page *p, const st_channel *c, const char *day)
{
	dayview v = {0};
	st_late *late;
	size_t nlate;
	if (ui_day_messages(p, c, day, &v.m, &v.n) < 0 || store_day_late(p->st, &p->a, c->id, day, &late, &nlate) < 0) {
		ui_error(p, "reading a day");
		return;
	}
	size_t shown = 0;
	for (size_t i = 0; i < v.n; i++)
		shown += !v.m[i].hidden;
	if (!shown && !nlate) {
		no_messages(p, c, day);
		return;
	}
	thread_up(p, &v);
	buf_t title = BUF_INIT, canon = BUF_INIT, desc = BUF_INIT, url = BUF_INIT;
	buf_printf(&title, "#%s %s", c->name, day);
	link_day(p, &canon, c->path, day);
	if (shown) {
		ui_describe(p, v.m, v.n, &desc);
	} else {
		buf_printf(&desc, "Replies in #%s on %s to threads of other days.", c->name, day);
		ui_trim_text(&desc, 160);
	}
	if (!ui_absolute(p, &url, buf_str(&canon)))
		buf_puts(&url, buf_str(&canon));
	ui_ld_day ld = {buf_str(&title), buf_str(&url), v.m, v.n};
	ui_seo seo = {buf_str(&desc), "article", c, shown ? ui_jsonld_day : NULL, &ld};
	ui_head_seo(p, buf_str(&title), buf_str(&canon), &seo);
	buf_free(&title);
	buf_free(&canon);
	buf_free(&desc);
	buf_free(&url);
	buf_puts(p->b, "<div class=\"layout\">\n");
	sidebar(p, c, day);
	buf_puts(p->b, "<main id=\"main\" class=\"day\">\n");
	header(p, c, day);
	late_lines(p, c, late, nlate);
	if (shown)
		messages(p, &v, day);
	buf_puts(p->b, "</main>\n</div>\n");
	ui_foot(p);
	ui_finish(p, 200, CACHE_PAGE);
}
