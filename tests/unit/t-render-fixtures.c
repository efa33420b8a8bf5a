/* t-render-fixtures.c: every message of a real export (houstondatavis,
 * $SHARED/fixtures) renders to well-formed, harmless HTML and to text, and
 * messages without markup characters come out as exactly their text (an
 * edited one followed by Slack's "(edited)" mark). */
#include "t-render.h"
#include "../../fuzz/html-check.h"
#include "../../bench/render-walk.h"
#include <stdlib.h>

struct tally {
	int msgs, bad, plain, plainbad, edited;
	const char *file;
};

static bool is_plain(const jv *m)
{
	const char *t = json_getstr(m, "text");
	if (!t || !*t || json_getstr(m, "subtype") || json_arr(m, "attachments") || json_arr(m, "files") ||
	    json_arr(m, "blocks") || json_is(json_get(m, "file"), JV_OBJ))
		return false;
	return !strpbrk(t, "<>*_~`:&\n\"'");
}

static int one(void *ud, const jv *m, const char *raw, size_t rawlen)
{
	struct tally *t = ud;
	(void)raw;
	(void)rawlen;
	buf_t h = BUF_INIT, x = BUF_INIT;
	render_message_html(&h, &CTX, m);
	render_message_text(&x, &CTX, m);
	size_t at;
	const char *err = html_check(buf_str(&h), h.len, &at);
	t->msgs++;
	if (err) {
		t->bad++;
		printf("# %s: %s at %zu: %.80s\n", t->file, err, at, buf_str(&h) + at);
	}
	if (is_plain(m)) {
		const char *text = json_getstr(m, "text");
		buf_t want = BUF_INIT;
		/* an edited one ends with Slack's mark */
		const char *e = json_getscalar(json_get(m, "edited"), "ts");
		char ts[TS_LEN + 1], iso[32] = "";
		if (e && ts_canon(e, ts)) {
			ts_iso(ts_seconds(ts), iso);
			t->edited++;
		}
		buf_printf(&want, "<div class=\"text\">%s", text);
		if (*iso)
			buf_printf(&want, " <span class=\"edited\" title=\"edited %s\">(edited)</span>", iso);
		buf_puts(&want, "</div>");
		t->plain++;
		if (strcmp(buf_str(&h), buf_str(&want)) != 0 || strcmp(buf_str(&x), text) != 0)
			t->plainbad++;
		buf_free(&want);
	}
	buf_free(&h);
	buf_free(&x);
	return 0;
}

static void file(void *ud, const char *name, const char *data, size_t len)
{
	struct tally *t = ud;
	json_err err;
	t->file = name;
	json_each(data, len, one, t, &err, NULL);
}

int main(void)
{
	const char *shared = getenv("SHARED") ? getenv("SHARED") : "../shared";
	char root[512], path[1024];
	snprintf(root, sizeof root, "%s/fixtures/houstondatavis-2016", shared);
	ts_set_zone("UTC");
	struct tally t = {0};
	CHECK(walk_export(root, file, &t) > 300, "read the day files of %s", root);
	CHECK(t.msgs > 1000, "rendered %d messages of the houston export", t.msgs);
	CHECK(t.bad == 0, "all HTML well-formed and harmless (%d bad)", t.bad);
	CHECK(t.plain > 100, "%d plain messages", t.plain);
	CHECK(t.plainbad == 0, "plain messages render as their text (%d differ)", t.plainbad);
	CHECK(t.edited > 0, "%d of them edited: their text, then \"(edited)\"", t.edited);

	struct tally z = {0};
	snprintf(path, sizeof path, "%s/fixtures/slack-export-viewer-testarchive.zip", shared);
	CHECK(walk_export(path, file, &z) > 10, "read the day files of %s", path);
	CHECK(z.msgs >= 150, "rendered %d messages of the slack-export-viewer zip", z.msgs);
	CHECK(z.bad == 0, "all HTML well-formed and harmless (%d bad)", z.bad);
	CHECK(z.plainbad == 0, "plain messages render as their text (%d of %d differ)", z.plainbad, z.plain);
	UNIT_DONE();
}
