/* ui-link.c: the archive's URL scheme, in one place.
 *
 *   /                         the workspace
 *   /{channel}/               a channel's days
 *   /{channel}/{YYYY-MM-DD}/  a day page; messages at #p{ts without dot}
 *   /user.{ID}/               a person
 *   /archives/{CID}/p{16}     Slack-style permalink (answered with 301)
 *
 * Channel names never contain a dot, so every route that is not a channel
 * has one in its first segment (style.css, robots.txt, user.U123). Names
 * are percent-encoded per segment: old exports have non-ASCII names. */
#include "pages/ui.h"
#include "render/html.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void link_home(page *p, buf_t *b)
{
	buf_puts(b, p->prefix);
	buf_putc(b, '/');
}

void link_channel(page *p, buf_t *b, const char *name)
{
	buf_puts(b, p->prefix);
	buf_putc(b, '/');
	url_segment(b, name);
	buf_putc(b, '/');
}

void link_day(page *p, buf_t *b, const char *name, const char *day)
{
	link_channel(p, b, name);
	url_segment(b, day);
	buf_putc(b, '/');
}

void link_message(page *p, buf_t *b, const char *name, const char *day, const char *ts)
{
	link_day(p, b, name, day);
	buf_putc(b, '#');
	link_anchor(b, ts);
}

void link_user(page *p, buf_t *b, const char *user_id)
{
	buf_puts(b, p->prefix);
	buf_puts(b, "/user.");
	url_segment(b, user_id);
	buf_putc(b, '/');
}

void link_anchor(buf_t *b, const char *ts)
{
	buf_putc(b, 'p');
	for (const char *s = ts; s && *s; s++)
		if (*s >= '0' && *s <= '9')
			buf_putc(b, *s);
}

/* The URLs above are built from percent-encoded segments, so they hold no
 * character that needs escaping in an attribute; html_attr anyway. */
static void href(page *p, buf_t *tmp)
{
	buf_puts(p->b, " href=\"");
	html_attr(p->b, buf_str(tmp));
	buf_putc(p->b, '"');
	buf_free(tmp);
}

void ui_href_channel(page *p, const char *name)
{
	buf_t t = BUF_INIT;
	link_channel(p, &t, name);
	href(p, &t);
}

void ui_href_day(page *p, const char *name, const char *day)
{
	buf_t t = BUF_INIT;
	link_day(p, &t, name, day);
	href(p, &t);
}

void ui_href_user(page *p, const char *user_id)
{
	buf_t t = BUF_INIT;
	link_user(p, &t, user_id);
	href(p, &t);
}

/* Up to two initials from a name: "Harry Potter" -> "HP", "abilinski" ->
 * "A". Works on UTF-8 (the first code point of each word). */
static void initials(buf_t *b, const char *name)
{
	int n = 0;
	bool word = false;
	for (const unsigned char *s = (const unsigned char *)name; *s && n < 2; s++) {
		bool sep = *s < 0x80 && !((*s >= '0' && *s <= '9') || ((*s | 32) >= 'a' && (*s | 32) <= 'z'));
		if (sep) {
			word = false;
			continue;
		}
		if (word || (*s & 0xC0) == 0x80)
			continue;
		word = true;
		n++;
		size_t len = *s < 0x80 ? 1 : *s < 0xE0 ? 2 : *s < 0xF0 ? 3 : 4;
		if (len == 1) {
			char c = (char)(*s >= 'a' && *s <= 'z' ? *s - 32 : *s);
			html_txtn(b, &c, 1);
		} else {
			size_t k = 0;
			while (k < len && s[k])
				k++;
			html_txtn(b, (const char *)s, k);
			s += k - 1;
		}
	}
	if (n == 0)
		buf_putc(b, '?');
}

static unsigned colour_of(const char *id)
{
	uint32_t h = 2166136261u;
	for (const char *s = id; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h % 12;
}

void ui_avatar(page *p, const char *user_id, const char *name, const char *image, int size)
{
	if (p->conf->remote_avatars && image && *image && html_url_ok(image, strlen(image))) {
		buf_printf(p->b, "<img class=\"avatar\" width=\"%d\" height=\"%d\" alt=\"\" loading=\"lazy\" src=\"", size, size);
		html_href(p->b, image);
		buf_puts(p->b, "\">");
		return;
	}
	buf_printf(p->b, "<span class=\"avatar c%u\" aria-hidden=\"true\">", colour_of(user_id ? user_id : name));
	initials(p->b, name ? name : "?");
	buf_puts(p->b, "</span>");
}

void ui_day_long(buf_t *b, const char *day)
{
	static const char *const wd[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
	static const char *const mo[] = {"January", "February", "March", "April", "May", "June", "July",
					 "August", "September", "October", "November", "December"};
	struct tm tm = {0};
	tm.tm_year = atoi(day) - 1900;
	tm.tm_mon = atoi(day + 5) - 1;
	tm.tm_mday = atoi(day + 8);
	tm.tm_hour = 12;
	time_t t = timegm(&tm);
	gmtime_r(&t, &tm);
	buf_printf(b, "%s, %d %s %d", wd[tm.tm_wday % 7], tm.tm_mday, mo[tm.tm_mon % 12], tm.tm_year + 1900);
}
