/* files.c: files shared in a message: the old single "file" object and
 * the newer "files" array.
 *
 * File bytes are never in an export, so a file is its title, a short
 * description (pretty type and human size) and a link to its Slack
 * permalink. A thumbnail (thumb_360) is shown only with remote_images.
 * Stub files carry no name: "tombstone" (deleted) shows "file removed";
 * "hidden_by_limit" and file_access "access_denied" show "file not
 * available". */
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

void rd_file(rw *w, const jv *f)
{
	const char *mode = json_getstr(f, "mode");
	const char *access = json_getstr(f, "file_access");
	if (!json_is(f, JV_OBJ))
		return;
	if (mode && strcmp(mode, "tombstone") == 0) {
		gone(w, "file removed");
		return;
	}
	if ((mode && strcmp(mode, "hidden_by_limit") == 0) || (access && strcmp(access, "access_denied") == 0)) {
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
	rw_html(w, "<div class=\"file\">");
	if (link && *link && !w->text)
		rd_link(w, link, title);
	else
		rw_txts(w, title);
	meta(w, f);
	if (thumb && !w->text && w->c->remote_images && rd_url_ok(thumb, strlen(thumb)))
		rd_img(w, "file-thumb", thumb, title);
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
