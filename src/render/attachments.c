/* attachments.c: legacy message attachments, link unfurls and shared
 * (unfurled) messages.
 *
 * A field is formatted as mrkdwn only when the attachment lists it in
 * mrkdwn_in (docs/slack-format 2); otherwise its <...> tokens, entities,
 * emoji and line breaks still count but * _ ~ ` do not. The colour bar is
 * the one style attribute data can reach, so it is strictly validated: a
 * 3- or 6-digit hex colour, or good/warning/danger. Remote images (author
 * icons, image_url, thumbs) appear only with ctx->remote_images; without
 * it an image is a link (a link preview's thumbnail is left out), so a
 * static page loads nothing from elsewhere.
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

/* A mrkdwn-or-plain field in a div of class cls; false when empty. */
static bool field(rw *w, const jv *a, const char *key, const char *cls, bool md)
{
	const jv *v = json_get(a, key);
	if (!json_str(v) || !v->n)
		return false;
	rw_line(w);
	if (!w->text)
		buf_printf(w->b, "<div class=\"%s\">", cls);
	rd_mrkdwn(w, v->s, v->n, md ? 0 : MK_NOEMPH);
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
	const char *name = json_getstr(a, "author_name");
	const char *link = json_getstr(a, "author_link");
	const char *icon = json_getstr(a, "author_icon");
	if (!name || !*name)
		return false;
	rw_line(w);
	rw_html(w, "<div class=\"att-author\">");
	if (icon)
		img(w, icon, "att-author-icon", "");
	if (link && *link)
		rd_link(w, link, name);
	else
		rw_txts(w, name);
	rw_html(w, "</div>");
	return true;
}

static bool title(rw *w, const jv *a)
{
	const char *t = json_getstr(a, "title");
	const char *link = json_getstr(a, "title_link");
	if (!t || !*t)
		return false;
	rw_line(w);
	rw_html(w, "<div class=\"att-title\">");
	buf_t d = BUF_INIT;
	rd_decode(&d, t, strlen(t));
	if (link && *link)
		rd_link(w, link, buf_str(&d));
	else
		rw_txt(w, buf_str(&d), d.len);
	buf_free(&d);
	rw_html(w, "</div>");
	return true;
}

static bool fields(rw *w, const jv *a)
{
	const jv *fs = json_arr(a, "fields");
	bool md = listed(a, "fields"), any = false;
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
			buf_t d = BUF_INIT;
			rd_decode(&d, t->s, t->n);
			rw_txt(w, buf_str(&d), d.len);
			buf_free(&d);
			rw_html(w, "</div>");
			rw_plain(w, ": ");
		}
		if (json_str(v) && v->n) {
			rw_html(w, "<div class=\"att-field-value\">");
			rd_mrkdwn(w, v->s, v->n, md ? 0 : MK_NOEMPH);
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
	any |= field(w, a, "pretext", "att-pretext", listed(a, "pretext"));
	any |= author(w, a);
	any |= title(w, a);
	any |= field(w, a, "text", "att-text", listed(a, "text"));
	any |= fields(w, a);
	any |= picture(w, a, unfurl);
	if (rd_blocks_renderable(json_arr(a, "blocks"))) {
		rw_line(w);
		rd_blocks(w, json_arr(a, "blocks"));
		any = true;
	}
	if (!any)
		field(w, a, "fallback", "att-text", false);
	footer(w, a, NULL);
	rw_html(w, "</div>");
}

void rd_attachments(rw *w, const jv *atts)
{
	json_foreach(a, atts)
		attachment(w, a);
}
