/* t-render.h: the pretend archive the render tests resolve names against,
 * and table helpers. Included by tests/unit/t-render-*.c.
 *
 *   users     U1 alice, U2 "Bob <b>" (a name that tries markup), W3 walter
 *   channels  C1 general, C2 "dev team", C3 日本
 *   custom    partyparrot -> https URL, thumbs -> alias:+1,
 *             shipit -> alias:squirrel (a Slack-only name), cyc1 <-> cyc2,
 *             evil -> javascript: URL, badalias -> alias:nonexistent,
 *             quote -> a URL with a double quote in it
 *   permalink C1 only: "/general/p/{ts}[?t={thread_ts}]" */
#ifndef T_RENDER_H
#define T_RENDER_H
#include "unit.h"
#include "render/render.h"
#include "lib/buf.h"
#include "lib/json.h"
#include "lib/ts.h"
#include <string.h>

static const char *t_user(void *ud, const char *id)
{
	(void)ud;
	if (!strcmp(id, "U1")) return "alice";
	if (!strcmp(id, "U2")) return "Bob <b>";
	if (!strcmp(id, "W3")) return "walter";
	return NULL;
}

static const char *t_channel(void *ud, const char *id)
{
	(void)ud;
	if (!strcmp(id, "C1")) return "general";
	if (!strcmp(id, "C2")) return "dev team";
	if (!strcmp(id, "C3")) return "\xE6\x97\xA5\xE6\x9C\xAC";
	return NULL;
}

static const char *t_emoji(void *ud, const char *name)
{
	(void)ud;
	if (!strcmp(name, "partyparrot")) return "https://emoji.example/pp.gif";
	if (!strcmp(name, "thumbs")) return "alias:+1";
	if (!strcmp(name, "shipit")) return "alias:squirrel";
	if (!strcmp(name, "cyc1")) return "alias:cyc2";
	if (!strcmp(name, "cyc2")) return "alias:cyc1";
	if (!strcmp(name, "evil")) return "javascript:alert(1)";
	if (!strcmp(name, "badalias")) return "alias:nonexistent";
	if (!strcmp(name, "quote")) return "https://e.example/a\"onerror=\"x.png";
	return NULL;
}

static bool t_permalink(void *ud, const char *cid, const char *ts, const char *thread_ts, buf_t *out)
{
	(void)ud;
	if (strcmp(cid, "C1") != 0)
		return false;
	buf_printf(out, "/general/p/%s", ts);
	if (thread_ts)
		buf_printf(out, "?t=%s", thread_ts);
	return true;
}

__attribute__((unused)) static render_ctx CTX = {NULL, t_user, t_channel, t_emoji, t_permalink, "", false, NULL};
__attribute__((unused)) static render_ctx CTXIMG = {NULL, t_user, t_channel, t_emoji, t_permalink, "", true, NULL};
__attribute__((unused)) static render_ctx BARE = {0};

/* Expected-output pieces: emoji spelled from their code points, and the
 * shapes documented in render.h. */
#define SMILE "\xF0\x9F\x98\x84"            /* U+1F604 */
#define THUMB "\xF0\x9F\x91\x8D"            /* U+1F44D */
#define TONE2 "\xF0\x9F\x8F\xBB"            /* U+1F3FB */
#define TONE3 "\xF0\x9F\x8F\xBC"            /* U+1F3FC */
#define TONE6 "\xF0\x9F\x8F\xBF"            /* U+1F3FF */
#define SLIGHT "\xF0\x9F\x99\x82"           /* U+1F642 slightly smiling face */
#define E(name, chars) "<span class=\"emoji\" title=\":" name ":\">" chars "</span>"
/* in a skin tone: the tooltip names it ("light skin tone") */
#define ET(name, tone, chars) "<span class=\"emoji\" title=\":" name ": (" tone ")\">" chars "</span>"
#define ALICE "<a class=\"mention\" href=\"/user.U1/\">@alice</a>"
#define GENERAL "<a class=\"channel\" href=\"/general/\">#general</a>"
#define LINK(u, l) "<a href=\"" u "\" rel=\"nofollow\">" l "</a>"
#define TIME(iso, s) "<time datetime=\"" iso "\">" s "</time>"
#define T1 "2014-02-18T14:39:42+00:00"

struct tcase {
	const char *in, *want;
};

/* Render mrkdwn with ctx in HTML (text=0) or text mode and compare. */
__attribute__((unused)) static void t_mrkdwn(const render_ctx *c, int text, const char *in, const char *want)
{
	buf_t b = BUF_INIT;
	if (text)
		render_mrkdwn_text(&b, c, in, strlen(in));
	else
		render_mrkdwn_html(&b, c, in, strlen(in));
	CHECK_STR(buf_str(&b), want, "%s %s", text ? "text" : "html", in);
	buf_free(&b);
}

/* Render a message given as JSON. */
__attribute__((unused)) static void t_msg(const render_ctx *c, int text, const char *json, const char *want)
{
	arena_t a = {0};
	json_err err;
	jv *m = json_parse(&a, json, strlen(json), &err, NULL);
	buf_t b = BUF_INIT;
	if (!m) {
		CHECK(m != NULL, "parse %s: %s", json, err.msg);
		arena_free(&a);
		return;
	}
	if (text)
		render_message_text(&b, c, m);
	else
		render_message_html(&b, c, m);
	CHECK_STR(buf_str(&b), want, "msg %s %s", text ? "text" : "html", json);
	/* appended to other text, the same bytes: pages keep a message's
	 * rendering and reuse it elsewhere (src/pages/ui-memo.c) */
	buf_reset(&b);
	buf_puts(&b, "before ");
	if (text)
		render_message_text(&b, c, m);
	else
		render_message_html(&b, c, m);
	const char *after = b.len >= 7 ? b.p + 7 : "";
	CHECK_STR(after, want, "msg %s %s, after other text", text ? "text" : "html", json);
	buf_free(&b);
	arena_free(&a);
}
#endif
