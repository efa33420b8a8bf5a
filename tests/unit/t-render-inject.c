/* t-render-inject.c: hostile input must come out as harmless text.
 *
 * Each attack goes through the renderer (mrkdwn, or a whole message with
 * blocks, attachments and files) and the output must pass html_check()
 * (tags and attributes only from the renderer's set, so no event handler;
 * balanced; href/src only http/https/mailto/relative; style only a colour)
 * and no attribute value may start with javascript:, data: or vbscript:. */
#include "t-render.h"
#include "../../fuzz/html-check.h"
#include <strings.h>

static void safe(const char *what, const char *html)
{
	size_t at;
	const char *err = html_check(html, strlen(html), &at);
	CHECK(err == NULL, "%s: well-formed and harmless%s%s", what, err ? ": " : "", err ? err : "");
	if (err)
		printf("#   at %zu: %.60s\n", at, html + at);
}

static const char *mrkdwn_attacks[] = {
	"<script>alert(1)</script>",
	"&lt;script&gt;alert(1)&lt;/script&gt;",
	"<javascript:alert(1)>",
	"<javascript:alert(1)|click me>",
	"<JaVaScRiPt:alert(1)|x>",
	"<java\tscript:alert(1)|x>",
	"<java\nscript:alert(1)|x>",
	"< javascript:alert(1)|x>",
	"<\x01javascript:alert(1)|x>",
	"<javascript&#58;alert(1)|x>",
	"<data:text/html;base64,PHNjcmlwdD4=|x>",
	"<vbscript:msgbox(1)|x>",
	"<http://x.com\" onmouseover=\"alert(1)|x>",
	"<http://x.com' onmouseover='alert(1)|x>",
	"<http://x.com|\" onmouseover=\"alert(1)>",
	"<http://x.com|<img src=x onerror=alert(1)>>",
	"<http://x.com|&lt;img src=x onerror=alert(1)&gt;>",
	"<@U9|\"><script>alert(1)</script>>",
	"<@U9|&lt;img src=x onerror=alert(1)&gt;>",
	"<@U\"onmouseover=alert(1)>",
	"<#C9|\" onmouseover=\"x>",
	"<#C9|&lt;/a&gt;&lt;script&gt;>",
	"<!subteam^S1|\"><b onmouseover=x>>",
	"<!date^1392734382^{date}^javascript:alert(1)|x>",
	"<!date^1392734382^<img onerror=x>|x>",
	"<!date^1392734382^{date}|\"><script>>",
	"<!foo|\" onclick=\"x>",
	":\"onmouseover=alert(1):",
	":smile\" onload=\"x:",
	"*<img src=x onerror=alert(1)>*",
	"`<a href=\"javascript:alert(1)\">x</a>`",
	"```<javascript:alert(1)|x>```",
	"&gt; <javascript:alert(1)|quoted>",
	"<https://acme.slack.com/archives/C1/p1458969700000002?thread_ts=\"><script>|x>",
	"<mailto:a@b.c?subject=\"onclick=x|mail>",
	"<//evil.com/x|protocol-relative>",
	"<\\\\evil.com|unc>",
	"<http://x.com/\"/onerror=alert(1)//>",
	"\"'><svg onload=alert(1)>",
	"<file:///etc/passwd|f>",
};

static const char *msg_attacks[] = {
	/* attachments */
	"{\"attachments\":[{\"color\":\"red;background:url(javascript:alert(1))\",\"text\":\"x\"}]}",
	"{\"attachments\":[{\"color\":\"#fff\\\" onmouseover=\\\"x\",\"text\":\"x\"}]}",
	"{\"attachments\":[{\"color\":\"expression(alert(1))\",\"text\":\"x\"}]}",
	"{\"attachments\":[{\"color\":\"#12345g\",\"text\":\"x\"}]}",
	"{\"attachments\":[{\"title\":\"<script>alert(1)</script>\",\"title_link\":\"javascript:alert(1)\"}]}",
	"{\"attachments\":[{\"author_name\":\"\\\"><img onerror=x>\",\"author_link\":\"data:text/html,x\",\"author_icon\":\"javascript:x\"}]}",
	"{\"attachments\":[{\"pretext\":\"<javascript:x|p>\",\"text\":\"<script>\",\"mrkdwn_in\":[\"text\",\"pretext\"]}]}",
	"{\"attachments\":[{\"fields\":[{\"title\":\"<b onclick=x>\",\"value\":\"<javascript:x|v>\",\"short\":true}]}]}",
	"{\"attachments\":[{\"image_url\":\"javascript:alert(1)\",\"thumb_url\":\"vbscript:x\",\"title\":\"t\"}]}",
	"{\"attachments\":[{\"footer\":\"<script>\",\"ts\":\"1392734382\"}]}",
	"{\"attachments\":[{\"is_msg_unfurl\":true,\"author_name\":\"<x>\",\"text\":\"<javascript:x|y>\",\"from_url\":\"javascript:x\",\"ts\":\"1\"}]}",
	"{\"attachments\":[{\"service_name\":\"<svg onload=x>\",\"service_icon\":\"javascript:x\",\"from_url\":\"x\"}]}",
	"{\"attachments\":[{\"fallback\":\"<img src=x onerror=alert(1)>\"}]}",
	/* links and mentions inside a linked title or author: no link in a link */
	"{\"attachments\":[{\"title\":\"<https://x.org|x> <@U1> <#C1> <!date^1^{date}^https://d.org|d>\",\"title_link\":\"https://t.org\"}]}",
	"{\"attachments\":[{\"author_name\":\"<https://x.org|x> <@U1>\",\"author_link\":\"https://a.org\",\"text\":\"t\"}]}",
	/* files */
	"{\"files\":[{\"name\":\"<img src=x onerror=alert(1)>.png\",\"permalink\":\"javascript:alert(1)\"}]}",
	"{\"files\":[{\"title\":\"\\\" onmouseover=\\\"x\",\"permalink\":\"https://x.slack.com/f\",\"thumb_360\":\"javascript:x\"}]}",
	"{\"files\":[{\"title\":\"t\",\"pretty_type\":\"<script>\",\"size\":\"<b>\"}]}",
	"{\"file\":{\"title\":\"t\",\"url_private\":\"data:text/html,<script>alert(1)</script>\"}}",
	/* blocks */
	"{\"blocks\":[{\"type\":\"rich_text\",\"elements\":[{\"type\":\"rich_text_section\",\"elements\":[{\"type\":\"link\",\"url\":\"javascript:alert(1)\",\"text\":\"x\"}]}]}]}",
	"{\"blocks\":[{\"type\":\"rich_text\",\"elements\":[{\"type\":\"rich_text_section\",\"elements\":[{\"type\":\"text\",\"text\":\"<script>alert(1)</script>\"}]}]}]}",
	"{\"blocks\":[{\"type\":\"rich_text\",\"elements\":[{\"type\":\"rich_text_section\",\"elements\":[{\"type\":\"link\",\"url\":\"https://x.com/\\\"onclick=x\",\"text\":\"<b>\"}]}]}]}",
	"{\"blocks\":[{\"type\":\"rich_text\",\"elements\":[{\"type\":\"rich_text_section\",\"elements\":[{\"type\":\"user\",\"user_id\":\"U1\\\"><script>\"}]}]}]}",
	"{\"blocks\":[{\"type\":\"rich_text\",\"elements\":[{\"type\":\"rich_text_section\",\"elements\":[{\"type\":\"channel\",\"channel_id\":\"C\\\" onclick=\\\"x\"}]}]}]}",
	"{\"blocks\":[{\"type\":\"rich_text\",\"elements\":[{\"type\":\"rich_text_section\",\"elements\":[{\"type\":\"emoji\",\"name\":\"\\\"><script>\",\"unicode\":\"3c-73\"}]}]}]}",
	"{\"blocks\":[{\"type\":\"rich_text\",\"elements\":[{\"type\":\"rich_text_section\",\"elements\":[{\"type\":\"color\",\"value\":\"red;background:url(x)\"}]}]}]}",
	"{\"blocks\":[{\"type\":\"rich_text\",\"elements\":[{\"type\":\"rich_text_section\",\"elements\":[{\"type\":\"date\",\"timestamp\":1,\"format\":\"<b>{date}\",\"url\":\"javascript:x\"}]}]}]}",
	"{\"blocks\":[{\"type\":\"rich_text\",\"elements\":[{\"type\":\"rich_text_list\",\"style\":\"ordered\\\" onclick=\\\"x\",\"indent\":\"9\\\"><script>\",\"elements\":[]}]}]}",
	"{\"blocks\":[{\"type\":\"image\",\"image_url\":\"javascript:alert(1)\",\"alt_text\":\"\\\"><script>\"}]}",
	"{\"blocks\":[{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"<javascript:x|y>\"},\"fields\":[{\"type\":\"plain_text\",\"text\":\"<script>\"}]}]}",
	"{\"blocks\":[{\"type\":\"context\",\"elements\":[{\"type\":\"image\",\"image_url\":\"data:image/svg+xml,<svg onload=x>\",\"alt_text\":\"a\"}]}]}",
	"{\"blocks\":[{\"type\":\"header\",\"text\":{\"type\":\"plain_text\",\"text\":\"<h1 onclick=x>\"}}]}",
	/* subtypes */
	"{\"subtype\":\"channel_name\",\"old_name\":\"<script>\",\"name\":\"\\\"onclick\"}",
	"{\"subtype\":\"channel_topic\",\"topic\":\"<javascript:x|t>\"}",
	"{\"subtype\":\"file_comment\",\"comment\":{\"comment\":\"<script>x</script>\"}}",
};

static void reactions(void)
{
	buf_t b = BUF_INIT;
	render_reaction_html(&b, &CTX, "\"><script>alert(1)</script>", 2, "U1,\"><img onerror=x>");
	safe("reaction with hostile name and user", buf_str(&b));
	buf_reset(&b);
	render_reaction_html(&b, &CTXIMG, "evil", 1, "U1");
	safe("reaction with a javascript: custom emoji", buf_str(&b));
	CHECK(!strstr(buf_str(&b), "javascript"), "javascript: custom emoji URL not used");
	buf_reset(&b);
	render_emoji_html(&b, &CTXIMG, "quote");
	safe("custom emoji URL with a quote", buf_str(&b));
	buf_free(&b);
}

/* The attack's payload must never be an attribute value. */
static void no_live_url(const char *what, const char *html)
{
	bool bad = false;
	for (const char *p = html; (p = strstr(p, "=\"")); p += 2) {
		const char *v = p + 2;
		while (*v == ' ')
			v++;
		if (!strncasecmp(v, "javascript", 10) || !strncasecmp(v, "data:", 5) || !strncasecmp(v, "vbscript", 8))
			bad = true;
	}
	CHECK(!bad, "%s: no javascript:/data:/vbscript: attribute", what);
}

int main(void)
{
	ts_set_zone("UTC");
	for (size_t i = 0; i < sizeof mrkdwn_attacks / sizeof *mrkdwn_attacks; i++) {
		const render_ctx *ctxs[] = {&CTX, &CTXIMG, &BARE};
		for (int k = 0; k < 3; k++) {
			buf_t b = BUF_INIT;
			render_mrkdwn_html(&b, ctxs[k], mrkdwn_attacks[i], strlen(mrkdwn_attacks[i]));
			char what[160];
			snprintf(what, sizeof what, "mrkdwn[%d] %.60s", k, mrkdwn_attacks[i]);
			safe(what, buf_str(&b));
			no_live_url(what, buf_str(&b));
			buf_free(&b);
		}
	}
	for (size_t i = 0; i < sizeof msg_attacks / sizeof *msg_attacks; i++) {
		arena_t a = {0};
		json_err err;
		jv *m = json_parse(&a, msg_attacks[i], strlen(msg_attacks[i]), &err, NULL);
		CHECK(m != NULL, "attack %zu parses (%s)", i, m ? "" : err.msg);
		buf_t b = BUF_INIT;
		render_message_html(&b, &CTXIMG, m);
		char what[160];
		snprintf(what, sizeof what, "message %.70s", msg_attacks[i]);
		safe(what, buf_str(&b));
		no_live_url(what, buf_str(&b));
		buf_free(&b);
		arena_free(&a);
	}
	reactions();

	/* the checker itself refuses a link inside a link */
	size_t at;
	const char *nested = "<a href=\"https://a.org\">x <a href=\"https://b.org\">y</a></a>";
	CHECK(html_check(nested, strlen(nested), &at) != NULL, "html_check flags a link inside a link");

	/* a few exact shapes, written by hand */
	t_mrkdwn(&CTX, 0, "<script>alert(1)</script>", "scriptalert(1)/script");
	t_mrkdwn(&CTX, 0, "<javascript:alert(1)|click me>", "click me");
	t_mrkdwn(&CTX, 0, "<http://x.com\" onmouseover=\"alert(1)|x>",
		 "<a href=\"http://x.com&quot; onmouseover=&quot;alert(1)\" rel=\"nofollow\">x</a>");
	t_mrkdwn(&CTX, 0, "\"'><svg onload=alert(1)>", "&quot;&#39;&gt;svg onload=alert(1)");
	t_msg(&CTX, 0, "{\"attachments\":[{\"color\":\"red;x\",\"text\":\"t\"}]}",
	      "<div class=\"attachment\"><div class=\"att-text\">t</div></div>");
	t_msg(&CTX, 0, "{\"attachments\":[{\"color\":\"#ABC\",\"text\":\"t\"}]}",
	      "<div class=\"attachment\" style=\"border-left-color:#ABC\"><div class=\"att-text\">t</div></div>");
	UNIT_DONE();
}
