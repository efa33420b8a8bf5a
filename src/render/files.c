/* files.c: files shared in a message: the old single "file" object and
 * the newer "files" array.
 *
 * File bytes are never in an export, so a file is its title, a short
 * description (pretty type and human size) and a link to its Slack
 * permalink. A thumbnail (thumb_360) is shown only with remote_images.
 * A snippet (mode "snippet": code or text pasted into Slack) also shows
 * the first lines Slack keeps of it (preview, plain text as written, not
 * entity-escaped) as code, and how many lines it has beyond them
 * (lines_more), linking to the whole file; a post's preview (mode
 * "space") is HTML and is not shown. Stub files carry no name:
 * "tombstone" (deleted) shows "file removed"; "hidden_by_limit" and
 * file_access "access_denied" show "file not available". */
#include "render/rd.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

void rd_human_size(char *out, size_t len, int64_t n)
{
	static const char *const units[] = {"KB", "MB", "GB", "TB"};
	if (n < 1024) {
		snprintf(out, len, "%lld B", (long long)(n < 0 ? 0 : n));
		return;
	}
	double v = (double)n / 1024;
	int u = 0;
	while (v >= 1024 && u < 3) {
		v /= 1024;
		u++;
	}
	if (v < 10)
		snprintf(out, len, "%.1f %s", v, units[u]);
	else
		snprintf(out, len, "%.0f %s", v, units[u]);
}

static void gone(rw *w, const char *what)
{
	rw_html(w, "<div class=\"file gone\">");
	rw_txts(w, what);
	rw_html(w, "</div>");
	rw_plain(w, "\n");
}

static void meta(rw *w, const jv *f)
{
	char type[32] = "", size[32] = "";
	const char *pt = json_getstr(f, "pretty_type");
	const char *ft = json_getstr(f, "filetype");
	if (pt && *pt) {
		snprintf(type, sizeof type, "%s", pt);
	} else if (ft && *ft) {
		size_t i = 0;
		for (; ft[i] && i < sizeof type - 1; i++)
			type[i] = (char)toupper((unsigned char)ft[i]);
		type[i] = 0;
	}
	const jv *sz = json_get(f, "size");
	if (json_scalar(sz) && json_int(sz, -1) >= 0)
		rd_human_size(size, sizeof size, json_int(sz, 0));
	if (!type[0] && !size[0])
		return;
	rw_html(w, " <span class=\"file-meta\">");
	rw_plain(w, " (");
	rw_txts(w, type);
	if (type[0] && size[0])
		rw_txts(w, w->text ? ", " : " \xC2\xB7 ");
	rw_txts(w, size);
	rw_plain(w, ")");
	rw_html(w, "</span>");
}

static bool is(const char *s, const char *want)
{
	return s && strcmp(s, want) == 0;
}

/* A snippet's first lines, or NULL. */
static const jv *preview_of(const jv *f)
{
	const jv *pv = json_get(f, "preview");
	return is(json_getstr(f, "mode"), "snippet") && json_str(pv) && pv->n ? pv : NULL;
}

/* A snippet's first lines, and a link (NULL: none) to the rest. */
static void snippet(rw *w, const jv *f, const char *link)
{
	const jv *pv = preview_of(f);
	int64_t more = json_getint(f, "lines_more", 0);
	if (!pv)
		return;
	rw_line(w);
	/* a newline right after <pre> is not content to the HTML parser */
	rw_html(w, pv->s[0] == '\n' || pv->s[0] == '\r' ? "<pre>\n" : "<pre>");
	/* lines end in \n, whatever the file used (\r\n) */
	const char *s = pv->s, *end = pv->s + pv->n;
	for (const char *cr = s; (cr = memchr(cr, '\r', (size_t)(end - cr))); cr++)
		if (cr + 1 < end && cr[1] == '\n') {
			rw_txt(w, s, (size_t)(cr - s));
			s = cr + 1;
		}
	rw_txt(w, s, (size_t)(end - s));
	rw_html(w, "</pre>");
	if (more <= 0 || w->text)
		return;
	char n[48];
	snprintf(n, sizeof n, "%lld more line%s", (long long)more, more == 1 ? "" : "s");
	rw_html(w, "<div class=\"snippet-more\">");
	if (link && *link)
		rd_link(w, link, n);
	else
		rw_txts(w, n);
	rw_html(w, "</div>");
}

void rd_file(rw *w, const jv *f)
{
	const char *mode = json_getstr(f, "mode");
	const char *access = json_getstr(f, "file_access");
	if (!json_is(f, JV_OBJ))
		return;
	if (is(mode, "tombstone")) {
		gone(w, "file removed");
		return;
	}
	if (is(mode, "hidden_by_limit") || is(access, "access_denied")) {
		gone(w, "file not available");
		return;
	}
	const char *title = json_getstr(f, "title");
	const char *name = json_getstr(f, "name");
	const char *link = json_getstr(f, "permalink");
	const char *thumb = json_getstr(f, "thumb_360");
	if (!title || !*title)
		title = name && *name ? name : NULL;
	if (!title) {
		gone(w, "file not available");
		return;
	}
	if (!link || !*link)
		link = json_getstr(f, "url_private");
	rw_html(w, preview_of(f) ? "<div class=\"file snippet\">" : "<div class=\"file\">");
	if (link && *link && !w->text)
		rd_link(w, link, title);
	else
		rw_txts(w, title);
	meta(w, f);
	if (thumb && !w->text && w->c->remote_images && rd_url_ok(thumb, strlen(thumb)))
		rd_img(w, "file-thumb", thumb, title);
	snippet(w, f, link);
	rw_html(w, "</div>");
	rw_plain(w, "\n");
}

void rd_files(rw *w, const jv *msg)
{
	const jv *one = json_get(msg, "file");
	if (json_is(one, JV_OBJ))
		rd_file(w, one);
	json_foreach(f, json_arr(msg, "files"))
		rd_file(w, f);
}
