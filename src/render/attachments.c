/* attachments.c: legacy message attachments, link unfurls and shared
 * (unfurled) messages.
 *
 * Every text field (pretext, author_name, title, text, fields' titles and
 * values, footer) is Slack text: its <...> tokens (links, mentions,
 * dates), entities, emoji and line breaks always count, as in all of
 * Slack's text (docs/slack-format 5). Emphasis, code and quotes count
 * only in the fields the attachment lists in mrkdwn_in: Slack's
 * formatting guide says attachments are not formatted by default and
 * names "pretext", "text" and "fields" (the values; a field's title
 * "cannot contain markup") as what mrkdwn_in may list, and its first
 * version "title" too. A field shown as a link (a title with title_link,
 * an author_name with author_link) shows the links and mentions inside it
 * by their labels: HTML has no link inside a link.
 *
 * The colour bar is the one style attribute data can reach, so it is
 * strictly validated: a 3- or 6-digit hex colour, or good/warning/danger.
 * Remote images (author icons, image_url, thumbs) appear only with
 * ctx->remote_images; without it an image is a link (a link preview's
 * thumbnail is left out), so a static page loads nothing from elsewhere.
 *
 * Shapes: see rd.h. */
#include "render/rd.h"
#include <string.h>

static bool listed(const jv *a, const char *field)
{
	json_foreach(v, json_arr(a, "mrkdwn_in")) {
		const char *s = json_str(v);
		if (s && strcmp(s, field) == 0)
			return true;
	}
	return false;
}

/* The mrkdwn flags of a field: emphasis only when mrkdwn_in lists it. */
static int flags_of(const jv *a, const char *field)
{
	return field && listed(a, field) ? 0 : MK_NOEMPH;
}

/* Slack text s, as the label of link when link is set (and allowed). */
static void text_as(rw *w, const char *s, size_t n, int flags, const char *link)
{
	size_t ln = link ? strlen(link) : 0;
	bool open = ln && rd_link_open(w, link, ln);
	if (!open) {
		rd_mrkdwn(w, s, n, flags);
		return;
	}
	w->nolink++;
	rd_mrkdwn(w, s, n, flags);
	w->nolink--;
	buf_t d = BUF_INIT;
	rd_decode(&d, s, n);
	rd_link_close(w, link, ln, rd_label_differs(link, ln, buf_str(&d), d.len));
	buf_free(&d);
}

/* A text field in a div of class cls, formatted as mrkdwn_in says for
 * md (NULL: never), a link when link is set; false when empty. */
static bool field(rw *w, const jv *a, const char *key, const char *cls, const char *md, const char *link)
{
	const jv *v = json_get(a, key);
	if (!json_str(v) || !v->n)
		return false;
	rw_line(w);
	if (!w->text)
		buf_printf(w->b, "<div class=\"%s\">", cls);
	text_as(w, v->s, v->n, flags_of(a, md), link);
	rw_html(w, "</div>");
	return true;
}

static void img(rw *w, const char *url, const char *cls, const char *alt)
{
	if (!w->text && w->c->remote_images && rd_url_ok(url, strlen(url)))
		rd_img(w, cls, url, alt);
}

static bool author(rw *w, const jv *a)
{
	const jv *name = json_get(a, "author_name");
	const char *icon = json_getstr(a, "author_icon");
	if (!json_str(name) || !name->n)
		return false;
	rw_line(w);
	rw_html(w, "<div class=\"att-author\">");
	if (icon)
		img(w, icon, "att-author-icon", "");
	text_as(w, name->s, name->n, MK_NOEMPH, json_getstr(a, "author_link"));
	rw_html(w, "</div>");
	return true;
}

static bool fields(rw *w, const jv *a)
{
	const jv *fs = json_arr(a, "fields");
	int md = flags_of(a, "fields");
	bool any = false;
	json_foreach(f, fs) {
		const jv *t = json_get(f, "title"), *v = json_get(f, "value");
		if (!json_str(t) && !json_str(v))
			continue;
		if (!any) {
			rw_line(w);
			rw_html(w, "<div class=\"att-fields\">");
		}
		any = true;
		rw_html(w, json_getbool(f, "short") ? "<div class=\"att-field short\">" : "<div class=\"att-field\">");
		if (json_str(t) && t->n) {
			rw_html(w, "<div class=\"att-field-title\">");
			rd_mrkdwn(w, t->s, t->n, MK_NOEMPH);
			rw_html(w, "</div>");
			rw_plain(w, ": ");
		}
		if (json_str(v) && v->n) {
			rw_html(w, "<div class=\"att-field-value\">");
			rd_mrkdwn(w, v->s, v->n, md);
			rw_html(w, "</div>");
		}
		rw_html(w, "</div>");
		rw_plain(w, "\n");
	}
	if (any)
		rw_html(w, "</div>");
	return any;
}

static bool picture(rw *w, const jv *a, bool unfurl)
{
	const char *url = json_getstr(a, "image_url");
	const char *cls = "att-image";
	if (!url || !*url) {
		/* a link preview's thumb is decoration: without remote images
		 * it is left out, so the preview stays compact */
		if (unfurl && !w->c->remote_images)
			return false;
		url = json_getstr(a, "thumb_url");
		cls = "att-thumb";
	}
	if (!url || !*url || w->text)
		return false;
	buf_printf(w->b, "<div class=\"%s\">", cls);
	if (w->c->remote_images && rd_url_ok(url, strlen(url)))
		img(w, url, "att-img", json_getstr(a, "title"));
	else
		rd_link(w, url, "image");
	buf_puts(w->b, "</div>");
	return true;
}

static void footer(rw *w, const jv *a, const char *link)
{
	const jv *f = json_get(a, "footer");
	const jv *ts = json_get(a, "ts");
	bool has_f = json_str(f) && f->n, has_ts = json_scalar(ts) && json_int(ts, 0) > 0;
	if (!has_f && !has_ts)
		return;
	rw_line(w);
	rw_html(w, "<div class=\"att-footer\">");
	if (has_f)
		rd_mrkdwn(w, f->s, f->n, MK_NOEMPH);
	if (has_f && has_ts)
		rw_txt(w, " \xC2\xB7 ", 4);
	if (has_ts) {
		static const char fmt[] = "{date_short} {time}";
		rd_date(w, json_int(ts, 0), fmt, sizeof fmt - 1, link, NULL);
	}
	rw_html(w, "</div>");
}

static void shared_message(rw *w, const jv *a)
{
	const jv *t = json_get(a, "text");
	rw_line(w);
	rw_html(w, "<blockquote class=\"shared-message\">");
	author(w, a);
	if (json_str(t) && t->n) {
		rw_line(w);
		rw_html(w, "<div class=\"att-text\">");
		rd_mrkdwn(w, t->s, t->n, 0);
		rw_html(w, "</div>");
	}
	json_foreach(f, json_arr(a, "files"))
		rd_file(w, f);
	footer(w, a, json_getstr(a, "from_url"));
	rw_html(w, "</blockquote>");
}

static void attachment(rw *w, const jv *a)
{
	if (!json_is(a, JV_OBJ))
		return;
	if (json_getbool(a, "is_msg_unfurl") || json_getbool(a, "is_share")) {
		shared_message(w, a);
		return;
	}
	const char *service = json_getstr(a, "service_name");
	bool unfurl = json_getbool(a, "is_app_unfurl") || json_getstr(a, "from_url") || service;
	char color[8];
	if (!w->text) {
		buf_puts(w->b, unfurl ? "<div class=\"attachment unfurl\"" : "<div class=\"attachment\"");
		if (rd_color(json_getstr(a, "color"), color))
			buf_printf(w->b, " style=\"border-left-color:%s\"", color);
		buf_putc(w->b, '>');
	}
	bool any = false;
	if (unfurl && service && *service) {
		rw_html(w, "<div class=\"att-service\">");
		const char *icon = json_getstr(a, "service_icon");
		if (icon)
			img(w, icon, "att-service-icon", "");
		buf_t d = BUF_INIT;
		rd_decode(&d, service, strlen(service));
		rw_txt(w, buf_str(&d), d.len);
		buf_free(&d);
		rw_html(w, "</div>");
		if (w->text)
			rw_plain(w, "\n");
	}
	any |= field(w, a, "pretext", "att-pretext", "pretext", NULL);
	any |= author(w, a);
	any |= field(w, a, "title", "att-title", "title", json_getstr(a, "title_link"));
	any |= field(w, a, "text", "att-text", "text", NULL);
	any |= fields(w, a);
	any |= picture(w, a, unfurl);
	if (rd_blocks_renderable(json_arr(a, "blocks"))) {
		rw_line(w);
		rd_blocks(w, json_arr(a, "blocks"));
		any = true;
	}
	if (!any)
		field(w, a, "fallback", "att-text", NULL, NULL);
	footer(w, a, NULL);
	rw_html(w, "</div>");
}

void rd_attachments(rw *w, const jv *atts)
{
	json_foreach(a, atts)
		attachment(w, a);
}
