/* date.c: Slack's <!date^ts^format^link|fallback> and rich-text date
 * elements, formatted in the archive's time zone (ts.h sets TZ once).
 *
 * Pages are static files, so the relative forms ({date_pretty}, {ago},
 * "today", "yesterday") would be wrong the day after a build: they are
 * written as the absolute form they fall back to in Slack. Times use the
 * 24-hour clock, like the rest of the archive. Unknown {tokens} are kept
 * as written. */
#include "render/rd.h"
#include "lib/ts.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *const months[] = {"January", "February", "March", "April", "May", "June", "July",
				     "August", "September", "October", "November", "December"};
static const char *const days[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

static const char *ordinal(int d)
{
	if (d % 100 >= 11 && d % 100 <= 13)
		return "th";
	switch (d % 10) {
	case 1: return "st";
	case 2: return "nd";
	case 3: return "rd";
	default: return "th";
	}
}

static void date_of(buf_t *o, const struct tm *t, bool weekday, bool ord, bool shortmonth)
{
	if (weekday)
		buf_printf(o, "%s, ", days[t->tm_wday % 7]);
	if (shortmonth)
		buf_printf(o, "%.3s", months[t->tm_mon % 12]);
	else
		buf_puts(o, months[t->tm_mon % 12]);
	buf_printf(o, " %d%s, %d", t->tm_mday, ord ? ordinal(t->tm_mday) : "", t->tm_year + 1900);
}

static bool token(buf_t *o, const struct tm *t, const char *k, size_t n)
{
#define IS(s) (n == sizeof(s) - 1 && memcmp(k, s, n) == 0)
	if (IS("date_num"))
		buf_printf(o, "%04d-%02d-%02d", t->tm_year + 1900, t->tm_mon + 1, t->tm_mday);
	else if (IS("date_slash"))
		buf_printf(o, "%02d/%02d/%04d", t->tm_mday, t->tm_mon + 1, t->tm_year + 1900);
	else if (IS("date") || IS("date_pretty"))
		date_of(o, t, false, true, false);
	else if (IS("date_short") || IS("date_short_pretty"))
		date_of(o, t, false, false, true);
	else if (IS("date_long") || IS("date_long_pretty") || IS("day_divider_pretty"))
		date_of(o, t, true, true, false);
	else if (IS("date_long_full"))
		date_of(o, t, false, false, false);
	else if (IS("time"))
		buf_printf(o, "%02d:%02d", t->tm_hour, t->tm_min);
	else if (IS("time_secs"))
		buf_printf(o, "%02d:%02d:%02d", t->tm_hour, t->tm_min, t->tm_sec);
	else if (IS("ago")) {
		date_of(o, t, false, false, true);
		buf_printf(o, " %02d:%02d", t->tm_hour, t->tm_min);
	} else
		return false;
	return true;
#undef IS
}

bool rd_date_format(buf_t *o, int64_t sec, const char *fmt, size_t n)
{
	struct tm t;
	time_t tt = (time_t)sec;
	if (sec < 0 || sec > 253402300799LL || !localtime_r(&tt, &t))
		return false;
	size_t i = 0, run = 0;
	while (i < n) {
		const char *open = memchr(fmt + i, '{', n - i);
		if (!open)
			break;
		i = (size_t)(open - fmt);
		const char *close = memchr(fmt + i, '}', n - i);
		if (!close)
			break;
		size_t k = (size_t)(close - fmt);
		buf_put(o, fmt + run, i - run);
		if (!token(o, &t, fmt + i + 1, k - i - 1))
			buf_put(o, fmt + i, k - i + 1);
		i = run = k + 1;
	}
	buf_put(o, fmt + run, n - run);
	return true;
}

void rd_date(rw *w, int64_t sec, const char *fmt, size_t n, const char *link, const char *fallback)
{
	buf_t d = BUF_INIT;
	if (!rd_date_format(&d, sec, fmt, n)) {
		rw_txts(w, fallback);
		buf_free(&d);
		return;
	}
	bool linked = link && *link && rd_link_open(w, link, strlen(link));
	if (!w->text) {
		char iso[32];
		ts_iso(sec, iso);
		buf_puts(w->b, "<time datetime=\"");
		html_attr(w->b, iso);
		buf_puts(w->b, "\">");
	}
	rw_txt(w, d.p ? d.p : "", d.len);
	rw_html(w, "</time>");
	if (linked)
		rd_link_close(w, link, strlen(link), false);
	buf_free(&d);
}
