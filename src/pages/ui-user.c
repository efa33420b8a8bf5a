/* ui-user.c: a person's page, "/user.{ID}/": name, avatar, title, and the
 * channels they wrote in with how many of their messages each shows.
 * Only people who wrote in the published channels have one (ui_has_page):
 * the static build writes a page for each of them, and a page names
 * anyone else without a link.
 * Contact details (email, phone, skype) are in the data but never shown:
 * an archive is public, a profile was not. */
#include "pages/ui.h"
#include "render/html.h"
#include <inttypes.h>
#include <string.h>

static void channels(page *p, const char *user_id)
{
	st_daycount *dc;
	size_t n;
	if (store_user_channels(p->st, &p->a, user_id, &dc, &n) < 0)
		n = 0;
	buf_puts(p->b, "<h2>Channels</h2>\n");
	size_t shown = 0;
	for (size_t i = 0; i < n; i++) {
		const st_channel *c = site_channel_by_id(p, dc[i].day);
		if (!c)
			continue;
		if (!shown++)
			buf_puts(p->b, "<ul class=\"userchans\">\n");
		buf_puts(p->b, "<li><a");
		ui_href_channel(p, c->path);
		buf_puts(p->b, "><span class=\"hash\" aria-hidden=\"true\">#</span>");
		html_txt(p->b, dc[i].name);
		buf_printf(p->b, "</a> <span class=\"count\">(%" PRId64 ")</span></li>\n", dc[i].count);
	}
	if (shown)
		buf_puts(p->b, "</ul>\n");
	else
		buf_puts(p->b, "<p>No messages in the published channels.</p>\n");
}

void page_user(page *p, const char *user_id)
{
	const st_user *u = ui_has_page(p, user_id) ? store_user(p->st, &p->a, user_id) : NULL;
	if (!u) {
		ui_not_found(p, "There is no page for a person with this ID: people have one when they "
			       "wrote in the published channels.", NULL, NULL);
		return;
	}
	buf_t canon = BUF_INIT, desc = BUF_INIT;
	link_user(p, &canon, u->id);
	buf_printf(&desc, "%s", u->shown);
	if (u->title && *u->title)
		buf_printf(&desc, ", %s", u->title);
	buf_printf(&desc, ": messages in the archive of %s.", p->conf->site_title);
	ui_trim_text(&desc, 160);
	ui_seo seo = {buf_str(&desc), "profile", NULL, NULL, NULL};
	ui_head_seo(p, u->shown, buf_str(&canon), &seo);
	buf_free(&canon);
	buf_free(&desc);
	buf_puts(p->b, "<main id=\"main\" class=\"user\">\n<header class=\"person\">\n");
	ui_avatar(p, u->id, u->shown, u->avatar, 72);
	buf_puts(p->b, "\n<div>\n<h1>");
	html_txt(p->b, u->shown);
	buf_puts(p->b, "</h1>\n");
	if (u->real_name && *u->real_name && strcmp(u->real_name, u->shown) != 0) {
		buf_puts(p->b, "<p class=\"realname\">");
		html_txt(p->b, u->real_name);
		buf_puts(p->b, "</p>\n");
	}
	if (u->name && *u->name) {
		buf_puts(p->b, "<p class=\"handle\">@");
		html_txt(p->b, u->name);
		buf_puts(p->b, "</p>\n");
	}
	if (u->title && *u->title) {
		buf_puts(p->b, "<p class=\"title\">");
		html_txt(p->b, u->title);
		buf_puts(p->b, "</p>\n");
	}
	if (u->is_bot)
		buf_puts(p->b, "<p><span class=\"tag\">app</span></p>\n");
	if (u->deleted)
		buf_puts(p->b, "<p><span class=\"tag\">deactivated</span></p>\n");
	buf_puts(p->b, "</div>\n</header>\n");
	channels(p, u->id);
	buf_puts(p->b, "</main>\n");
	ui_foot(p);
	ui_finish(p, 200, CACHE_PAGE);
}
