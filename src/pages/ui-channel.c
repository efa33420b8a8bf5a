/* ui-channel.c: a channel's page, "/{channel}/": purpose and topic, then
 * its days as month calendars, newest first. A calendar shows the quiet
 * days too, so a channel with three messages a year still reads as a
 * timeline; each active day links to its page with its message count. A
 * day whose only activity was replies to threads of earlier days (they
 * are shown and counted on the thread's day) is not quiet either: it is
 * marked apart, without a count, and links to its page of such replies. */
#include "pages/ui.h"
#include "render/html.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const month_names[] = {"January", "February", "March", "April", "May", "June", "July",
					  "August", "September", "October", "November", "December"};

static int days_in_month(int y, int m)
{
	static const int md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return md[(m - 1) % 12];
}

/* 0 = Monday .. 6 = Sunday, for the first of the month. */
static int first_weekday(int y, int m)
{
	struct tm tm = {0};
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = 1;
	tm.tm_hour = 12;
	time_t t = timegm(&tm);
	gmtime_r(&t, &tm);
	return (tm.tm_wday + 6) % 7;
}

/* One month's calendar; days[lo..hi) are this month's days with a page. */
static void month(page *p, const st_channel *c, const site_dayp *days, size_t lo, size_t hi)
{
	int y = atoi(days[lo].day), m = atoi(days[lo].day + 5);
	int64_t total = 0;
	for (size_t i = lo; i < hi; i++)
		total += days[i].count;
	/* a month with only replies to earlier threads has no count */
	buf_printf(p->b, "<table class=\"month\">\n<caption>%s %d", month_names[(m - 1) % 12], y);
	if (total)
		buf_printf(p->b, " <span class=\"count\">(%" PRId64 ")</span>", total);
	buf_puts(p->b, "</caption>\n");
	buf_puts(p->b, "<thead><tr><th scope=\"col\" abbr=\"Monday\">Mo</th><th scope=\"col\" abbr=\"Tuesday\">Tu</th>"
		       "<th scope=\"col\" abbr=\"Wednesday\">We</th><th scope=\"col\" abbr=\"Thursday\">Th</th>"
		       "<th scope=\"col\" abbr=\"Friday\">Fr</th><th scope=\"col\" abbr=\"Saturday\">Sa</th>"
		       "<th scope=\"col\" abbr=\"Sunday\">Su</th></tr></thead>\n<tbody>\n<tr>");
	int col = first_weekday(y, m), nd = days_in_month(y, m);
	for (int k = 0; k < col; k++)
		buf_puts(p->b, "<td></td>");
	size_t i = lo;
	for (int d = 1; d <= nd; d++, col++) {
		if (col == 7) {
			buf_puts(p->b, "</tr>\n<tr>");
			col = 0;
		}
		if (i < hi && atoi(days[i].day + 8) == d && days[i].late) {
			buf_puts(p->b, "<td class=\"late\"><a");
			ui_href_day(p, c->path, days[i].day);
			buf_printf(p->b, " title=\"%s: replies to earlier threads\">%d</a></td>", days[i].day, d);
			i++;
		} else if (i < hi && atoi(days[i].day + 8) == d) {
			buf_puts(p->b, "<td class=\"on\"><a");
			ui_href_day(p, c->path, days[i].day);
			buf_printf(p->b, " title=\"%s: %" PRId64 " message%s\">%d<span class=\"n\">%" PRId64 "</span></a></td>",
				   days[i].day, days[i].count, days[i].count == 1 ? "" : "s", d, days[i].count);
			i++;
		} else {
			buf_printf(p->b, "<td>%d</td>", d);
		}
	}
	for (; col < 7; col++)
		buf_puts(p->b, "<td></td>");
	buf_puts(p->b, "</tr>\n</tbody>\n</table>\n");
}

/* days are oldest first; write years and months newest first. */
static void calendar(page *p, const st_channel *c, const site_dayp *days, size_t n)
{
	int year = 0;
	size_t hi = n;
	while (hi > 0) {
		size_t lo = hi - 1;
		while (lo > 0 && strncmp(days[lo - 1].day, days[hi - 1].day, 7) == 0)
			lo--;
		int y = atoi(days[lo].day);
		if (y != year) {
			if (year)
				buf_puts(p->b, "</div>\n</section>\n");
			buf_printf(p->b, "<section class=\"year\" aria-labelledby=\"y%d\">\n<h2 id=\"y%d\">%d</h2>\n<div class=\"months\">\n", y, y, y);
			year = y;
		}
		month(p, c, days, lo, hi);
		hi = lo;
	}
	if (year)
		buf_puts(p->b, "</div>\n</section>\n");
}

static void about(page *p, const char *cls, const char *label, const char *s)
{
	if (!s || !*s)
		return;
	buf_printf(p->b, "<p class=\"%s\"><span class=\"label\">%s</span> ", cls, label);
	render_mrkdwn_html(p->b, &p->rc, s, strlen(s));
	buf_puts(p->b, "</p>\n");
}

/* "Purpose. N messages from DAY to DAY." in plain text (the first and
 * last day with a page). */
static void describe(page *p, const st_channel *c, const site_dayp *days, size_t n, int64_t total, buf_t *out)
{
	const char *s = c->purpose && *c->purpose ? c->purpose : c->topic;
	if (s && *s) {
		render_mrkdwn_text(out, &p->rc, s, strlen(s));
		buf_puts(out, " ");
	}
	buf_printf(out, "Archive of #%s: %" PRId64 " message%s", c->name, total, total == 1 ? "" : "s");
	if (n)
		buf_printf(out, " from %s to %s", days[0].day, days[n - 1].day);
	buf_puts(out, ".");
	ui_trim_text(out, 160);
}

void page_channel(page *p, const st_channel *c)
{
	site_dayp *days;
	size_t n, nm = 0;
	if (site_day_pages(p, c, false, &days, &n) < 0) {
		ui_error(p, "listing days");
		return;
	}
	int64_t total = 0;
	for (size_t i = 0; i < n; i++) {
		total += days[i].count;
		nm += !days[i].late;
	}
	buf_t title = BUF_INIT, canon = BUF_INIT, desc = BUF_INIT;
	buf_printf(&title, "#%s", c->name);
	link_channel(p, &canon, c->path);
	describe(p, c, days, n, total, &desc);
	ui_seo seo = {buf_str(&desc), "website", c, NULL, NULL};
	ui_head_seo(p, buf_str(&title), buf_str(&canon), &seo);
	buf_free(&title);
	buf_free(&canon);
	buf_free(&desc);
	buf_puts(p->b, "<main id=\"main\" class=\"channel\">\n<h1><span class=\"hash\" aria-hidden=\"true\">#</span>");
	html_txt(p->b, c->name);
	buf_puts(p->b, "</h1>\n");
	about(p, "purpose", "Purpose:", c->purpose);
	about(p, "topic", "Topic:", c->topic);
	if (n) {
		/* from the first to the last day with a page: a channel whose
		 * threads went on after its last message was not silent */
		buf_printf(p->b, "<p class=\"summary\">%" PRId64 " message%s on %zu day%s, from ", total,
			   total == 1 ? "" : "s", nm, nm == 1 ? "" : "s");
		buf_puts(p->b, "<a");
		ui_href_day(p, c->path, days[0].day);
		buf_printf(p->b, ">%s</a> to <a", days[0].day);
		ui_href_day(p, c->path, days[n - 1].day);
		buf_printf(p->b, ">%s</a>", days[n - 1].day);
		if (n > nm)
			buf_printf(p->b, ", and replies to earlier threads on %zu more day%s", n - nm, n - nm == 1 ? "" : "s");
		buf_puts(p->b, ".</p>\n");
		calendar(p, c, days, n);
	} else {
		buf_puts(p->b, "<p class=\"summary\">No messages in this channel.</p>\n");
	}
	buf_puts(p->b, "</main>\n");
	ui_foot(p);
	ui_finish(p, 200, CACHE_PAGE);
}
