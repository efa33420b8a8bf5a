/* ui-index.c: the workspace page, "/": every published channel with its
 * message total, first and last active day, purpose or topic. (With a
 * query, "/?q=...", the same URL is the search page: ui-search.c.) */
#include "pages/ui.h"
#include "render/html.h"
#include <inttypes.h>
#include <string.h>

static void about(page *p, const st_channel *c)
{
	const char *s = c->purpose && *c->purpose ? c->purpose : c->topic;
	if (s && *s)
		render_mrkdwn_html(p->b, &p->rc, s, strlen(s));
}

static void day_cell(page *p, const st_channel *c, const char *day)
{
	buf_puts(p->b, "<td>");
	if (day && *day) {
		buf_puts(p->b, "<a");
		ui_href_day(p, c->path, day);
		buf_puts(p->b, ">");
		html_txt(p->b, day);
		buf_puts(p->b, "</a>");
	}
	buf_puts(p->b, "</td>");
}

static void channel_row(page *p, const st_channel *c)
{
	buf_puts(p->b, "<tr>\n<th scope=\"row\"><a");
	ui_href_channel(p, c->path);
	buf_puts(p->b, "><span class=\"hash\" aria-hidden=\"true\">#</span>");
	html_txt(p->b, c->name);
	buf_puts(p->b, "</a>");
	if (c->archived)
		buf_puts(p->b, " <span class=\"tag\">archived</span>");
	buf_printf(p->b, "</th>\n<td class=\"num\">%" PRId64 "</td>", c->messages);
	day_cell(p, c, c->first_day);
	day_cell(p, c, c->last_day);
	buf_puts(p->b, "<td class=\"about\">");
	about(p, c);
	buf_puts(p->b, "</td>\n</tr>\n");
}

void page_index(page *p)
{
	const st_channel *cs;
	size_t n;
	site_channels(p, &cs, &n);
	buf_t canon = BUF_INIT, desc = BUF_INIT;
	link_home(p, &canon);
	size_t vis = 0;
	int64_t total = 0;
	for (size_t i = 0; i < n; i++)
		if (site_channel_visible(p, &cs[i])) {
			vis++;
			total += cs[i].messages;
		}
	buf_printf(&desc, "Public archive of %s: %" PRId64 " message%s in %zu channel%s.", p->conf->site_title,
		   total, total == 1 ? "" : "s", vis, vis == 1 ? "" : "s");
	ui_seo seo = {buf_str(&desc), "website", NULL, NULL, NULL};
	ui_head_seo(p, NULL, buf_str(&canon), &seo);
	buf_free(&canon);
	buf_free(&desc);
	buf_puts(p->b, "<main id=\"main\" class=\"index\">\n<h1>Channels</h1>\n");
	buf_puts(p->b, "<table class=\"channels\">\n<thead><tr><th scope=\"col\">Channel</th>"
		       "<th scope=\"col\" class=\"num\">Messages</th><th scope=\"col\">First day</th>"
		       "<th scope=\"col\">Last day</th><th scope=\"col\">About</th></tr></thead>\n<tbody>\n");
	size_t shown = 0;
	for (size_t i = 0; i < n; i++) {
		if (!site_channel_visible(p, &cs[i]))
			continue;
		channel_row(p, &cs[i]);
		shown++;
	}
	buf_puts(p->b, "</tbody>\n</table>\n");
	if (!shown)
		buf_puts(p->b, "<p>This archive has no published channels yet.</p>\n");
	buf_puts(p->b, "</main>\n");
	ui_foot(p);
	ui_finish(p, 200, CACHE_PAGE);
}
