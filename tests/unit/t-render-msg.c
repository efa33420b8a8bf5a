/* t-render-msg.c: whole messages: subtypes, files, attachments, rich_text
 * and layout blocks, reactions and the emoji API, in HTML and text. The
 * expected strings are written by hand from the shapes in src/render/rd.h
 * and the rules in docs/slack-format sections 2, 3 and 6; sizes are
 * 1024-based with one decimal under 10. */
#include "t-render.h"
#include "render/rd.h"

#define CLAP "\xF0\x9F\x91\x8F"
#define TREE "\xF0\x9F\x8E\x84"              /* U+1F384 christmas tree */
#define LOCK "\xF0\x9F\x94\x92"              /* U+1F512 lock */
#define WAVE "\xF0\x9F\x91\x8B"
#define DOT " \xC2\xB7 "
#define RT(els) "{\"blocks\":[{\"type\":\"rich_text\",\"elements\":[" els "]}]}"
#define SEC(els) "{\"type\":\"rich_text_section\",\"elements\":[" els "]}"
#define TXT(s) "{\"type\":\"text\",\"text\":\"" s "\"}"

static void subtypes(void)
{
	printf("# plain messages and subtypes\n");
	t_msg(&CTX, 0, "{\"text\":\"hi *there*\"}", "<div class=\"text\">hi <b>there</b></div>");
	t_msg(&CTX, 1, "{\"text\":\"hi *there*\"}", "hi there");
	t_msg(&CTX, 0, "{\"text\":\"\"}", "");
	t_msg(&CTX, 0, "{\"user\":\"U1\"}", "");
	t_msg(&CTX, 0, "{\"text\":null,\"blocks\":null,\"attachments\":null,\"files\":null}", "");
	t_msg(&CTX, 0, "{\"text\":\"*x*\",\"mrkdwn\":false}", "<div class=\"text\">*x*</div>");
	t_msg(&CTX, 0, "{\"subtype\":\"me_message\",\"text\":\"waves _hello_\"}",
	      "<div class=\"text me\"><i>waves <i>hello</i></i></div>");
	t_msg(&CTX, 0, "{\"subtype\":\"me_message\",\"text\":\"&gt; q\"}", "<div class=\"text me\"><blockquote>q</blockquote></div>");
	t_msg(&CTX, 1, "{\"subtype\":\"me_message\",\"text\":\"waves _hello_\"}", "waves hello");
	t_msg(&CTX, 0, "{\"subtype\":\"channel_join\",\"text\":\"<@U1|alice> has joined the channel\"}",
	      "<div class=\"system\">" ALICE " has joined the channel</div>");
	t_msg(&CTX, 1, "{\"subtype\":\"channel_join\",\"text\":\"<@U1|alice> has joined the channel\"}",
	      "@alice has joined the channel");
	t_msg(&CTX, 0, "{\"subtype\":\"channel_leave\",\"user\":\"U1\"}", "<div class=\"system\">left the channel</div>");
	t_msg(&CTX, 0, "{\"subtype\":\"group_join\"}", "<div class=\"system\">joined the channel</div>");
	t_msg(&CTX, 0, "{\"subtype\":\"channel_topic\",\"topic\":\"Data &amp; viz\"}",
	      "<div class=\"system\">set the channel topic: Data &amp; viz</div>");
	t_msg(&CTX, 0, "{\"subtype\":\"channel_purpose\",\"text\":\"<@U1|a> set the channel purpose: *x*\"}",
	      "<div class=\"system\">" ALICE " set the channel purpose: <b>x</b></div>");
	t_msg(&CTX, 0, "{\"subtype\":\"channel_name\",\"old_name\":\"a\",\"name\":\"b\"}",
	      "<div class=\"system\">renamed the channel from &quot;a&quot; to &quot;b&quot;</div>");
	t_msg(&CTX, 0, "{\"subtype\":\"channel_archive\"}", "<div class=\"system\">archived the channel</div>");
	t_msg(&CTX, 0, "{\"subtype\":\"channel_unarchive\"}", "<div class=\"system\">unarchived the channel</div>");
	t_msg(&CTX, 0, "{\"subtype\":\"tombstone\",\"text\":\"This message was deleted.\",\"user\":\"USLACKBOT\"}",
	      "<div class=\"system tombstone\">This message was deleted.</div>");
	t_msg(&CTX, 1, "{\"subtype\":\"tombstone\",\"hidden\":true}", "This message was deleted.");
	t_msg(&CTX, 0, "{\"subtype\":\"bot_message\",\"text\":\"\",\"bot_id\":\"B1\",\"attachments\":[{\"text\":\"build ok\"}]}",
	      "<div class=\"attachment\"><div class=\"att-text\">build ok</div></div>");
	t_msg(&CTX, 0, "{\"subtype\":\"thread_broadcast\",\"text\":\"also here\",\"root\":{\"text\":\"x\"}}",
	      "<div class=\"text\">also here</div>");
	t_msg(&CTX, 0, "{\"subtype\":\"some_future_subtype\",\"text\":\"still *shown*\"}",
	      "<div class=\"text\">still <b>shown</b></div>");
	t_msg(&CTX, 0,
	      "{\"subtype\":\"pinned_item\",\"text\":\"<@U1|alice> pinned a message to this channel.\",\"attachments\":"
	      "[{\"is_msg_unfurl\":true,\"author_name\":\"Bob\",\"text\":\"the *plan*\",\"ts\":\"1392734382\","
	      "\"from_url\":\"https://acme.slack.com/archives/C1/p1392734382000000\",\"footer\":\"Posted in #general\"}]}",
	      "<div class=\"system\">" ALICE " pinned a message to this channel.</div>"
	      "<blockquote class=\"shared-message\"><div class=\"att-author\">Bob</div>"
	      "<div class=\"att-text\">the <b>plan</b></div><div class=\"att-footer\">Posted in #general" DOT
	      "<a href=\"/general/p/1392734382.000000\">" TIME(T1, "Feb 18, 2014 14:39") "</a></div></blockquote>");
	t_msg(&CTX, 0,
	      "{\"subtype\":\"file_comment\",\"text\":\"<@U1|a> commented\",\"comment\":{\"comment\":\"nice *pic*\",\"user\":\"U1\"},"
	      "\"file\":{\"title\":\"Pic\",\"permalink\":\"https://x.slack.com/files/U2/F1/pic.png\",\"pretty_type\":\"PNG\",\"size\":2048}}",
	      "<div class=\"text\">nice <b>pic</b></div><div class=\"file\">" LINK("https://x.slack.com/files/U2/F1/pic.png", "Pic")
	      " <span class=\"file-meta\">PNG" DOT "2.0 KB</span></div>");
	t_msg(&CTX, 0, "{\"subtype\":\"file_comment\",\"text\":\"old <@U1>\"}", "<div class=\"text\">old " ALICE "</div>");
}

/* "(edited)" ends the text, where Slack shows it (not by the time); the
 * plain text does not say it */
static void edited(void)
{
	printf("# edited\n");
#define EDITED " <span class=\"edited\" title=\"edited " T1 "\">(edited)</span>"
#define ED ",\"edited\":{\"user\":\"U1\",\"ts\":\"1392734382.000000\"}"
	t_msg(&CTX, 0, "{\"text\":\"hi *there*\"" ED "}", "<div class=\"text\">hi <b>there</b>" EDITED "</div>");
	t_msg(&CTX, 1, "{\"text\":\"hi *there*\"" ED "}", "hi there");
	t_msg(&CTX, 0, "{\"text\":\"see ```x```\"" ED "}", "<div class=\"text\">see <pre>x</pre>" EDITED "</div>");
	t_msg(&CTX, 0, "{\"subtype\":\"me_message\",\"text\":\"waves\"" ED "}",
	      "<div class=\"text me\"><i>waves</i>" EDITED "</div>");
	t_msg(&CTX, 0, "{\"text\":\"x\",\"blocks\":[{\"type\":\"rich_text\",\"elements\":[" SEC(TXT("rich")) "]}]" ED "}",
	      "<div class=\"text\">rich" EDITED "</div>");
	t_msg(&CTX, 0, "{\"text\":\"\",\"files\":[{\"name\":\"a\"}]" ED "}",
	      "<div class=\"text\">" EDITED "</div><div class=\"file\">a</div>");
	t_msg(&CTX, 1, "{\"text\":\"\",\"files\":[{\"name\":\"a\"}]" ED "}", "a");
	t_msg(&CTX, 0, "{\"text\":\"hi\",\"edited\":{\"ts\":\"soon\"}}", "<div class=\"text\">hi</div>");
	t_msg(&CTX, 0, "{\"text\":\"hi\",\"edited\":null}", "<div class=\"text\">hi</div>");
#undef ED
#undef EDITED
}

static void files(void)
{
	printf("# files\n");
	t_msg(&CTX, 0, "{\"files\":[{\"id\":\"F1\",\"mode\":\"tombstone\"}]}", "<div class=\"file gone\">file removed</div>");
	t_msg(&CTX, 0, "{\"files\":[{\"id\":\"F1\",\"mode\":\"hidden_by_limit\"}]}",
	      "<div class=\"file gone\">file not available</div>");
	t_msg(&CTX, 0, "{\"files\":[{\"id\":\"F1\",\"file_access\":\"access_denied\"}]}",
	      "<div class=\"file gone\">file not available</div>");
	t_msg(&CTX, 0, "{\"files\":[{\"id\":\"F1\"}]}", "<div class=\"file gone\">file not available</div>");
	t_msg(&CTX, 1, "{\"files\":[{\"id\":\"F1\",\"mode\":\"tombstone\"}]}", "file removed");
	const char *img = "{\"files\":[{\"name\":\"a.png\",\"title\":\"A\",\"permalink\":\"https://x/f\",\"filetype\":\"png\","
			  "\"size\":512,\"thumb_360\":\"https://x/t.png\"}]}";
	t_msg(&CTXIMG, 0, img, "<div class=\"file\">" LINK("https://x/f", "A") " <span class=\"file-meta\">PNG" DOT
			      "512 B</span><img class=\"file-thumb\" src=\"https://x/t.png\" alt=\"A\"></div>");
	t_msg(&CTX, 0, img, "<div class=\"file\">" LINK("https://x/f", "A") " <span class=\"file-meta\">PNG" DOT "512 B</span></div>");
	const char *pdf = "{\"text\":\"see\",\"files\":[{\"name\":\"r.pdf\",\"permalink\":\"https://x/r\",\"pretty_type\":\"PDF\","
			  "\"size\":1572864}]}";
	t_msg(&CTX, 0, pdf, "<div class=\"text\">see</div><div class=\"file\">" LINK("https://x/r", "r.pdf")
			    " <span class=\"file-meta\">PDF" DOT "1.5 MB</span></div>");
	t_msg(&CTX, 1, pdf, "see\nr.pdf (PDF, 1.5 MB)");
	t_msg(&CTX, 0, "{\"files\":[{\"name\":\"big.bin\",\"size\":12345678}]}",
	      "<div class=\"file\">big.bin <span class=\"file-meta\">12 MB</span></div>");
	t_msg(&CTX, 0, "{\"files\":[{\"name\":\"e\",\"size\":0}]}", "<div class=\"file\">e <span class=\"file-meta\">0 B</span></div>");
	t_msg(&CTX, 0, "{\"files\":[{\"name\":\"k\",\"size\":\"10240\"}]}",
	      "<div class=\"file\">k <span class=\"file-meta\">10 KB</span></div>");
	t_msg(&CTX, 0, "{\"file\":{\"name\":\"old.txt\",\"url_private\":\"https://files.slack.com/old.txt\"}}",
	      "<div class=\"file\">" LINK("https://files.slack.com/old.txt", "old.txt") "</div>");
	t_msg(&CTX, 0, "{\"files\":[{\"name\":\"a\"},{\"mode\":\"tombstone\"}]}",
	      "<div class=\"file\">a</div><div class=\"file gone\">file removed</div>");
	/* snippets: the first lines Slack keeps (raw text, escaped here) as
	 * code, and how many more link to the whole file (types/file.md:
	 * lines is the total, lines_more those not in the preview) */
#define SNIP "{\"files\":[{\"title\":\"deploy.sh\",\"mode\":\"snippet\",\"filetype\":\"shell\",\"pretty_type\":\"Shell\"," \
	     "\"size\":230,\"permalink\":\"https://x.slack.com/files/U1/F1/deploy.sh\","
#define DEPLOY "https://x.slack.com/files/U1/F1/deploy.sh"
	const char *snip = SNIP "\"preview\":\"#!/bin/sh\\nmake <x> &amp; y\",\"lines\":9,\"lines_more\":7}]}";
	t_msg(&CTX, 0, snip, "<div class=\"file snippet\">" LINK(DEPLOY, "deploy.sh") " <span class=\"file-meta\">Shell" DOT "230 B</span>"
			     "<pre>#!/bin/sh\nmake &lt;x&gt; &amp;amp; y</pre><div class=\"snippet-more\">" LINK(DEPLOY, "7 more lines")
			     "</div></div>");
	t_msg(&CTX, 1, snip, "deploy.sh (Shell, 230 B)\n#!/bin/sh\nmake <x> &amp; y");
	t_msg(&CTX, 0, SNIP "\"preview\":\"\\nfirst line blank\",\"lines_more\":1}]}",
	      "<div class=\"file snippet\">" LINK(DEPLOY, "deploy.sh") " <span class=\"file-meta\">Shell" DOT "230 B</span>"
	      "<pre>\n\nfirst line blank</pre><div class=\"snippet-more\">" LINK(DEPLOY, "1 more line") "</div></div>");
	t_msg(&CTX, 0, SNIP "\"preview\":\"a\\r\\nb\\rc\\r\\n\\r\\nd\\r\"}]}",
	      "<div class=\"file snippet\">" LINK(DEPLOY, "deploy.sh") " <span class=\"file-meta\">Shell" DOT "230 B</span>"
	      "<pre>a\nb\rc\n\nd\r</pre></div>");
	t_msg(&CTX, 1, SNIP "\"preview\":\"a\\r\\nb\"}]}", "deploy.sh (Shell, 230 B)\na\nb");
	t_msg(&CTX, 0, "{\"files\":[{\"name\":\"-.txt\",\"title\":\"Untitled\",\"mode\":\"snippet\",\"filetype\":\"text\","
		       "\"preview\":\"one line\",\"lines\":1,\"lines_more\":0}]}",
	      "<div class=\"file snippet\">Untitled <span class=\"file-meta\">TEXT</span><pre>one line</pre></div>");
	t_msg(&CTX, 0, "{\"files\":[{\"title\":\"a.py\",\"mode\":\"snippet\",\"preview\":\"x = 1\",\"lines_more\":3}]}",
	      "<div class=\"file snippet\">a.py<pre>x = 1</pre><div class=\"snippet-more\">3 more lines</div></div>");
	t_msg(&CTX, 0, SNIP "\"preview\":\"\",\"lines_more\":3}]}",
	      "<div class=\"file\">" LINK(DEPLOY, "deploy.sh") " <span class=\"file-meta\">Shell" DOT "230 B</span></div>");
	/* a post's preview is HTML: not a snippet */
	t_msg(&CTX, 0, "{\"files\":[{\"title\":\"Minutes\",\"mode\":\"space\",\"pretty_type\":\"Post\","
		       "\"preview\":\"<document><h2>Minutes</h2></document>\"}]}",
	      "<div class=\"file\">Minutes <span class=\"file-meta\">Post</span></div>");
#undef SNIP
#undef DEPLOY
	char size[32];
	rd_human_size(size, sizeof size, 1023);
	CHECK_STR(size, "1023 B", "1023 bytes");
	rd_human_size(size, sizeof size, 1024);
	CHECK_STR(size, "1.0 KB", "1024 bytes");
	rd_human_size(size, sizeof size, 1073741824);
	CHECK_STR(size, "1.0 GB", "1 GiB");
}

static void attachments(void)
{
	printf("# attachments\n");
	const char *full = "{\"attachments\":[{\"color\":\"good\",\"pretext\":\"pre *x*\",\"title\":\"T\",\"title_link\":\"https://t.com\","
			   "\"text\":\"body *y*\",\"mrkdwn_in\":[\"text\"],\"fields\":[{\"title\":\"F1\",\"value\":\"v1\",\"short\":true},"
			   "{\"title\":\"F2\",\"value\":\"*v2*\"}],\"footer\":\"foot\",\"ts\":1392734382}]}";
	t_msg(&CTX, 0, full,
	      "<div class=\"attachment\" style=\"border-left-color:#2eb886\"><div class=\"att-pretext\">pre *x*</div>"
	      "<div class=\"att-title\">" LINK("https://t.com", "T") "</div><div class=\"att-text\">body <b>y</b></div>"
	      "<div class=\"att-fields\"><div class=\"att-field short\"><div class=\"att-field-title\">F1</div>"
	      "<div class=\"att-field-value\">v1</div></div><div class=\"att-field\"><div class=\"att-field-title\">F2</div>"
	      "<div class=\"att-field-value\">*v2*</div></div></div><div class=\"att-footer\">foot" DOT
	      TIME(T1, "Feb 18, 2014 14:39") "</div></div>");
	t_msg(&CTX, 1, full, "pre *x*\nT (https://t.com)\nbody y\nF1: v1\nF2: *v2*\nfoot" DOT "Feb 18, 2014 14:39");
	t_msg(&CTX, 0, "{\"attachments\":[{\"text\":\"x\",\"fields\":[{\"title\":\"F\",\"value\":\"*v*\"}],\"mrkdwn_in\":[\"fields\"]}]}",
	      "<div class=\"attachment\"><div class=\"att-text\">x</div><div class=\"att-fields\"><div class=\"att-field\">"
	      "<div class=\"att-field-title\">F</div><div class=\"att-field-value\"><b>v</b></div></div></div></div>");
	static const struct { const char *color, *style; } colors[] = {
		{"danger", " style=\"border-left-color:#a30200\""},
		{"warning", " style=\"border-left-color:#daa038\""},
		{"36a64f", " style=\"border-left-color:#36a64f\""},
		{"#FFF", " style=\"border-left-color:#FFF\""},
		{"#ggg", ""},
		{"blue", ""},
		{"#1234", ""},
		{"", ""},
		{"#36a64f;x", ""},
	};
	for (size_t i = 0; i < sizeof colors / sizeof *colors; i++) {
		char json[128], want[160];
		snprintf(json, sizeof json, "{\"attachments\":[{\"color\":\"%s\",\"text\":\"t\"}]}", colors[i].color);
		snprintf(want, sizeof want, "<div class=\"attachment\"%s><div class=\"att-text\">t</div></div>", colors[i].style);
		t_msg(&CTX, 0, json, want);
	}
	const char *unfurl = "{\"attachments\":[{\"service_name\":\"GitHub\",\"title\":\"repo\",\"title_link\":\"https://github.com/x\","
			     "\"text\":\"desc\",\"from_url\":\"https://github.com/x\",\"thumb_url\":\"https://gh/t.png\"}]}";
	t_msg(&CTX, 0, unfurl,
	      "<div class=\"attachment unfurl\"><div class=\"att-service\">GitHub</div><div class=\"att-title\">"
	      LINK("https://github.com/x", "repo") "</div><div class=\"att-text\">desc</div></div>");
	t_msg(&CTXIMG, 0, unfurl,
	      "<div class=\"attachment unfurl\"><div class=\"att-service\">GitHub</div><div class=\"att-title\">"
	      LINK("https://github.com/x", "repo") "</div><div class=\"att-text\">desc</div><div class=\"att-thumb\">"
	      "<img class=\"att-img\" src=\"https://gh/t.png\" alt=\"repo\"></div></div>");
	const char *author = "{\"attachments\":[{\"author_name\":\"Ann\",\"author_link\":\"https://a.com\","
			     "\"author_icon\":\"https://a.com/i.png\",\"text\":\"t\"}]}";
	t_msg(&CTXIMG, 0, author,
	      "<div class=\"attachment\"><div class=\"att-author\"><img class=\"att-author-icon\" src=\"https://a.com/i.png\" alt=\"\">"
	      LINK("https://a.com", "Ann") "</div><div class=\"att-text\">t</div></div>");
	t_msg(&CTX, 0, author,
	      "<div class=\"attachment\"><div class=\"att-author\">" LINK("https://a.com", "Ann")
	      "</div><div class=\"att-text\">t</div></div>");
	t_msg(&CTX, 0, "{\"attachments\":[{\"fallback\":\"[Jan 1] fallback &amp; text\"}]}",
	      "<div class=\"attachment\"><div class=\"att-text\">[Jan 1] fallback &amp; text</div></div>");
	t_msg(&CTX, 0, "{\"attachments\":[{\"text\":\"t\",\"thumb_url\":\"https://i/t.png\"}]}",
	      "<div class=\"attachment\"><div class=\"att-text\">t</div><div class=\"att-thumb\">" LINK("https://i/t.png", "image")
	      "</div></div>");
	t_msg(&CTX, 0, "{\"attachments\":[{\"image_url\":\"https://i/x.png\"}]}",
	      "<div class=\"attachment\"><div class=\"att-image\">" LINK("https://i/x.png", "image") "</div></div>");
	t_msg(&CTX, 0, "{\"attachments\":[{\"text\":\"hi <@U1> *x*\"}]}",
	      "<div class=\"attachment\"><div class=\"att-text\">hi " ALICE " *x*</div></div>");
	t_msg(&CTX, 0, "{\"attachments\":[{\"fallback\":\"fb\",\"blocks\":[{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"*b*\"}}]}]}",
	      "<div class=\"attachment\"><div class=\"block-section\"><b>b</b></div></div>");
	t_msg(&CTX, 0, "{\"attachments\":[{\"fallback\":\"fb\",\"blocks\":null}]}",
	      "<div class=\"attachment\"><div class=\"att-text\">fb</div></div>");
	t_msg(&CTX, 0, "{\"text\":\"look\",\"attachments\":[{\"title\":\"a &amp; b\"}]}",
	      "<div class=\"text\">look</div><div class=\"attachment\"><div class=\"att-title\">a &amp; b</div></div>");
	t_msg(&CTX, 1, "{\"text\":\"look\",\"attachments\":[{\"title\":\"a &amp; b\",\"text\":\"c\"}]}", "look\na & b\nc");
}

/* An app's attachment as a GitHub-style preview posts it, built by hand
 * in that shape: every text field is Slack text (links, mentions, emoji,
 * entities) whether or not mrkdwn_in lists it; emphasis only where it
 * does; a field that is itself a link shows the links inside it by their
 * labels (docs/slack-format 2 and 5; Slack's formatting guide on
 * mrkdwn_in). */
static void attachment_text(void)
{
	printf("# attachment fields are Slack text\n");
#define ISSUE "https://github.com/o/r/issues/93"
	const char *gh = "{\"bot_id\":\"B1\",\"attachments\":[{\"color\":\"36a64f\","
			 "\"pretext\":\"<@U1> opened <" ISSUE "|an issue> *now*\","
			 "\"title\":\"<" ISSUE "|#93 Missing params> :christmas_tree:\","
			 "\"text\":\"Steps: *run* `make` &amp; see\",\"mrkdwn_in\":[\"text\"],"
			 "\"fields\":[{\"title\":\"<https://x.org|Repo> :lock:\",\"value\":\"*o/r*\",\"short\":true}],"
			 "\"footer\":\"<https://github.com/o/r|o/r> :octocat:\"}]}";
	t_msg(&CTX, 0, gh,
	      "<div class=\"attachment\" style=\"border-left-color:#36a64f\"><div class=\"att-pretext\">" ALICE " opened "
	      LINK(ISSUE, "an issue") " *now*</div><div class=\"att-title\">" LINK(ISSUE, "#93 Missing params") " "
	      E("christmas_tree", TREE) "</div><div class=\"att-text\">Steps: <b>run</b> <code>make</code> &amp; see</div>"
	      "<div class=\"att-fields\"><div class=\"att-field short\"><div class=\"att-field-title\">"
	      LINK("https://x.org", "Repo") " " E("lock", LOCK) "</div><div class=\"att-field-value\">*o/r*</div></div></div>"
	      "<div class=\"att-footer\">" LINK("https://github.com/o/r", "o/r") " :octocat:</div></div>");
	t_msg(&CTX, 1, gh, "@alice opened an issue (" ISSUE ") *now*\n#93 Missing params (" ISSUE ") " TREE
			   "\nSteps: run make & see\nRepo (https://x.org) " LOCK ": *o/r*\no/r (https://github.com/o/r) :octocat:");
	/* title_link makes the whole title one link: what links inside it
	 * show is their label, a mention is a span */
	const char *tl = "{\"attachments\":[{\"title\":\"<" ISSUE "|#93> by <@U1> :christmas_tree:\",\"title_link\":\"https://t.com\"}]}";
	t_msg(&CTX, 0, tl,
	      "<div class=\"attachment\"><div class=\"att-title\"><a href=\"https://t.com\" rel=\"nofollow\">#93 by "
	      "<span class=\"mention\">@alice</span> " E("christmas_tree", TREE) "</a></div></div>");
	t_msg(&CTX, 1, tl, "#93 by @alice " TREE " (https://t.com)");
	/* emphasis in a title or field value only when mrkdwn_in names it */
	t_msg(&CTX, 0, "{\"attachments\":[{\"title\":\"*big* news\",\"fields\":[{\"title\":\"*t*\",\"value\":\"_v_\"}]}]}",
	      "<div class=\"attachment\"><div class=\"att-title\">*big* news</div><div class=\"att-fields\"><div class=\"att-field\">"
	      "<div class=\"att-field-title\">*t*</div><div class=\"att-field-value\">_v_</div></div></div></div>");
	t_msg(&CTX, 0, "{\"attachments\":[{\"title\":\"*big* news\",\"mrkdwn_in\":[\"title\",\"fields\"],"
		       "\"fields\":[{\"title\":\"*t*\",\"value\":\"_v_\"}]}]}",
	      "<div class=\"attachment\"><div class=\"att-title\"><b>big</b> news</div><div class=\"att-fields\"><div class=\"att-field\">"
	      "<div class=\"att-field-title\">*t*</div><div class=\"att-field-value\"><i>v</i></div></div></div></div>");
	/* the author line: Slack text too, its link around the labels */
	t_msg(&CTX, 0, "{\"attachments\":[{\"author_name\":\"Ann &amp; <https://b.org|Bo> :wave:\",\"author_link\":\"https://a.com\",\"text\":\"t\"}]}",
	      "<div class=\"attachment\"><div class=\"att-author\"><a href=\"https://a.com\" rel=\"nofollow\">Ann &amp; Bo "
	      E("wave", WAVE) "</a></div><div class=\"att-text\">t</div></div>");
	t_msg(&CTX, 0, "{\"attachments\":[{\"author_name\":\"<https://b.org|Bo> :wave:\",\"text\":\"t\"}]}",
	      "<div class=\"attachment\"><div class=\"att-author\">" LINK("https://b.org", "Bo") " " E("wave", WAVE)
	      "</div><div class=\"att-text\">t</div></div>");
	/* a title_link that may not be a link leaves the title's own links */
	t_msg(&CTX, 0, "{\"attachments\":[{\"title\":\"<https://x.org|x>\",\"title_link\":\"javascript:alert(1)\"}]}",
	      "<div class=\"attachment\"><div class=\"att-title\">" LINK("https://x.org", "x") "</div></div>");
#undef ISSUE
}

static void blocks(void)
{
	printf("# blocks\n");
	const char *b1 = "{\"text\":\"fallback\",\"blocks\":[{\"type\":\"rich_text\",\"elements\":[" SEC(
		TXT("Hello <MARQUEE> ") ",{\"type\":\"text\",\"text\":\"bold\",\"style\":{\"bold\":true}}," TXT(" ")
		",{\"type\":\"text\",\"text\":\"both\",\"style\":{\"bold\":true,\"italic\":true}},"
		"{\"type\":\"link\",\"url\":\"http://github.com/rusq\",\"text\":\"test link\"}") "]}]}";
	t_msg(&CTX, 0, b1, "<div class=\"text\">Hello &lt;MARQUEE&gt; <b>bold</b> <b><i>both</i></b>"
			   LINK("http://github.com/rusq", "test link") "</div>");
	t_msg(&CTX, 1, b1, "Hello <MARQUEE> bold bothtest link (http://github.com/rusq)");
	t_msg(&CTX, 0, RT(SEC("{\"type\":\"text\",\"text\":\"all\",\"style\":{\"bold\":true,\"italic\":true,\"strike\":true,\"code\":true}}")),
	      "<div class=\"text\"><b><i><s><code>all</code></s></i></b></div>");
	t_msg(&CTX, 0, RT(SEC(TXT("a &amp; b *not bold*"))), "<div class=\"text\">a &amp;amp; b *not bold*</div>");
	const char *lists = RT(SEC(TXT("List:\\n")) ","
		"{\"type\":\"rich_text_list\",\"style\":\"bullet\",\"indent\":0,\"elements\":[" SEC(TXT("one")) "," SEC(TXT("two")) "]},"
		"{\"type\":\"rich_text_list\",\"style\":\"bullet\",\"indent\":1,\"elements\":[" SEC(TXT("nested")) "]},"
		"{\"type\":\"rich_text_list\",\"style\":\"ordered\",\"indent\":0,\"offset\":2,\"elements\":[" SEC(TXT("three")) "]}");
	t_msg(&CTX, 0, lists, "<div class=\"text\">List:<br><ul class=\"indent-0\"><li>one</li><li>two</li></ul>"
			      "<ul class=\"indent-1\"><li>nested</li></ul><ol class=\"indent-0\" start=\"3\"><li>three</li></ol></div>");
	t_msg(&CTX, 1, lists, "List:\n\xE2\x80\xA2 one\n\xE2\x80\xA2 two\n  \xE2\x80\xA2 nested\n3. three");
	t_msg(&CTX, 0, RT("{\"type\":\"rich_text_list\",\"style\":\"ordered\",\"elements\":[" SEC(TXT("a")) "," SEC(TXT("b")) "]}"),
	      "<div class=\"text\"><ol class=\"indent-0\"><li>a</li><li>b</li></ol></div>");
	t_msg(&CTX, 1, RT("{\"type\":\"rich_text_list\",\"style\":\"ordered\",\"elements\":[" SEC(TXT("a")) "," SEC(TXT("b")) "]}"),
	      "1. a\n2. b");
	t_msg(&CTX, 0, RT("{\"type\":\"rich_text_preformatted\",\"elements\":[" TXT("a\\n  b") "]},"
			  "{\"type\":\"rich_text_quote\",\"elements\":[" TXT("q\\nr") "]}"),
	      "<div class=\"text\"><pre>a\n  b</pre><blockquote>q<br>r</blockquote></div>");
	/* a section right after a block drops one leading newline (Slack's
	 * composer writes "\nNext" after a code block, quote or list) */
	const char *after = RT(SEC(TXT("Before:\\n")) ",{\"type\":\"rich_text_preformatted\",\"elements\":[" TXT("make") "]},"
		SEC(TXT("\\nAfter code\\n")) ",{\"type\":\"rich_text_quote\",\"elements\":[" TXT("q") "]},"
		SEC("{\"type\":\"text\",\"text\":\"\\n\\nAfter quote\",\"style\":{\"bold\":true}}") ","
		"{\"type\":\"rich_text_list\",\"style\":\"bullet\",\"elements\":[" SEC(TXT("i")) "]},"
		SEC("{\"type\":\"user\",\"user_id\":\"U1\"}," TXT("\\nafter a mention")) ","
		"{\"type\":\"rich_text_preformatted\",\"elements\":[" TXT("x") "]}," SEC(TXT("\\n")) "," SEC(TXT("\\nLast")));
	t_msg(&CTX, 0, after, "<div class=\"text\">Before:<br><pre>make</pre>After code<br><blockquote>q</blockquote>"
			      "<b><br>After quote</b><ul class=\"indent-0\"><li>i</li></ul>" ALICE "<br>after a mention"
			      "<pre>x</pre><br>Last</div>");
	t_msg(&CTX, 1, after, "Before:\nmake\nAfter code\nq\n\nAfter quote\n\xE2\x80\xA2 i\n@alice\nafter a mention\nx\n\nLast");
	t_msg(&CTX, 0, "{\"blocks\":[{\"type\":\"rich_text\",\"elements\":[" SEC(TXT("a\\n")) "," SEC(TXT("\\nb")) "]}]}",
	      "<div class=\"text\">a<br><br>b</div>");
	t_msg(&CTX, 0, RT("{\"type\":\"rich_text_preformatted\",\"elements\":[{\"type\":\"link\",\"url\":\"https://x.com\"}]}"),
	      "<div class=\"text\"><pre>" LINK("https://x.com", "https://x.com") "</pre></div>");
	t_msg(&CTX, 0, RT(SEC(
		"{\"type\":\"user\",\"user_id\":\"U1\"}," TXT(" ") ",{\"type\":\"channel\",\"channel_id\":\"C1\"}," TXT(" ") ","
		"{\"type\":\"usergroup\",\"usergroup_id\":\"S1\"},{\"type\":\"broadcast\",\"range\":\"here\"},"
		"{\"type\":\"emoji\",\"name\":\"+1\",\"skin_tone\":3},{\"type\":\"emoji\",\"name\":\"wave\",\"unicode\":\"1f44b-1f3fb\"},"
		"{\"type\":\"emoji\",\"name\":\"partyparrot\"},{\"type\":\"date\",\"timestamp\":1392734382,\"format\":\"{date_num}\",\"fallback\":\"fb\"},"
		"{\"type\":\"color\",\"value\":\"#ff0000\"},{\"type\":\"team\",\"team_id\":\"T1\"},"
		"{\"type\":\"mystery\",\"text\":\"fallback text\"},{\"type\":\"mystery2\"}")),
	      "<div class=\"text\">" ALICE " " GENERAL " <span class=\"mention usergroup\">@S1</span>"
	      "<span class=\"mention broadcast\">@here</span>" ET("+1", "medium-light skin tone", THUMB TONE3)
	      ET("wave", "light skin tone", WAVE TONE2) ":partyparrot:"
	      TIME(T1, "2014-02-18") "<span class=\"color\" style=\"background:#ff0000\"></span>#ff0000T1fallback text</div>");
	t_msg(&CTX, 0, RT(SEC("{\"type\":\"emoji\",\"name\":\"smile\",\"unicode\":\"zz\"}")), "<div class=\"text\">" E("smile", SMILE) "</div>");
	t_msg(&CTX, 0, RT(SEC("{\"type\":\"emoji\",\"name\":\"nope\"}")), "<div class=\"text\">:nope:</div>");
	/* the tone of a rich-text emoji: skin_tone, else its modifier in unicode */
	t_msg(&CTX, 0, RT(SEC("{\"type\":\"emoji\",\"name\":\"wave\",\"unicode\":\"1F44B-1F3FE\"},"
			      "{\"type\":\"emoji\",\"name\":\"handshake\",\"unicode\":\"1faf1-1f3fb-200d-1faf2-1f3ff\"},"
			      "{\"type\":\"emoji\",\"name\":\"wave\",\"unicode\":\"1f44b\"}")),
	      "<div class=\"text\">" ET("wave", "medium-dark skin tone", WAVE "\xF0\x9F\x8F\xBE")
	      ET("handshake", "light skin tone, dark skin tone", "\xF0\x9F\xAB\xB1" TONE2 "\xE2\x80\x8D\xF0\x9F\xAB\xB2" TONE6)
	      E("wave", WAVE) "</div>");
	t_msg(&CTX, 0, RT(SEC("{\"type\":\"date\",\"timestamp\":\"x\",\"format\":\"{date}\",\"fallback\":\"fb\"}")),
	      "<div class=\"text\">fb</div>");
	t_msg(&CTX, 0, RT(SEC("{\"type\":\"link\",\"url\":\"javascript:alert(1)\",\"text\":\"x\"}")), "<div class=\"text\">x</div>");
	t_msg(&CTX, 0, RT(SEC("{\"type\":\"link\",\"url\":\"https://a.com\",\"text\":\"b\",\"style\":{\"bold\":true}}")),
	      "<div class=\"text\"><a href=\"https://a.com\" rel=\"nofollow\"><b>b</b></a></div>");
	t_msg(&CTX, 0, RT(SEC("{\"type\":\"color\",\"value\":\"red\"}")), "<div class=\"text\">red</div>");
	t_msg(&CTX, 0, "{\"text\":\"plain\",\"blocks\":[{\"type\":\"actions\",\"elements\":[]}]}", "<div class=\"text\">plain</div>");
	t_msg(&CTX, 0, "{\"text\":\"plain\",\"blocks\":[]}", "<div class=\"text\">plain</div>");
	const char *bot = "{\"blocks\":[{\"type\":\"header\",\"text\":{\"type\":\"plain_text\",\"text\":\"Deploy <ok>\"}},"
			  "{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"*done* &amp; dusted\"},\"fields\":["
			  "{\"type\":\"mrkdwn\",\"text\":\"*Env*\\nprod\"},{\"type\":\"plain_text\",\"text\":\"a & b\"}]},"
			  "{\"type\":\"divider\"},{\"type\":\"context\",\"elements\":[{\"type\":\"mrkdwn\",\"text\":\"by <@U1>\"},"
			  "{\"type\":\"image\",\"image_url\":\"https://i/x.png\",\"alt_text\":\"icon\"}]},"
			  "{\"type\":\"image\",\"image_url\":\"https://i/big.png\",\"alt_text\":\"chart\"},"
			  "{\"type\":\"actions\",\"elements\":[{\"type\":\"button\",\"text\":{\"type\":\"plain_text\",\"text\":\"Click\"}}]}]}";
	t_msg(&CTX, 0, bot,
	      "<div class=\"text\"><div class=\"block-header\">Deploy &lt;ok&gt;</div><div class=\"block-section\"><b>done</b> &amp; dusted"
	      "<div class=\"block-fields\"><div><b>Env</b><br>prod</div><div>a &amp; b</div></div></div><hr class=\"block-divider\">"
	      "<div class=\"block-context\">by " ALICE " " LINK("https://i/x.png", "icon") "</div>"
	      "<div class=\"block-image\">" LINK("https://i/big.png", "chart") "</div></div>");
	t_msg(&CTXIMG, 0, "{\"blocks\":[{\"type\":\"image\",\"image_url\":\"https://i/big.png\",\"alt_text\":\"chart\"}]}",
	      "<div class=\"text\"><div class=\"block-image\"><img class=\"block-img\" src=\"https://i/big.png\" alt=\"chart\"></div></div>");
	t_msg(&CTX, 1, bot, "Deploy <ok>\ndone & dusted\nEnv\nprod\na & b\nby @alice icon (https://i/x.png)\nchart (https://i/big.png)");
}

static void reaction(const render_ctx *c, const char *name, int count, const char *users, const char *want)
{
	buf_t b = BUF_INIT;
	render_reaction_html(&b, c, name, count, users);
	CHECK_STR(buf_str(&b), want, "reaction %s %d %s", name, count, users ? users : "(null)");
	buf_free(&b);
}

#define CHIP(title, emoji, n) "<span class=\"reaction\" title=\"" title "\">" emoji " <span class=\"count\">" n "</span></span>"

static void reactions_and_emoji(void)
{
	printf("# reactions and emoji\n");
	/* a reaction in a skin tone names the tone on its emoji */
	reaction(&CTX, "clap::skin-tone-2", 3, "U1,W3", CHIP("alice, walter and 1 other", ET("clap", "light skin tone", CLAP TONE2), "3"));
	reaction(&CTX, "+1::skin-tone-5", 1, "U1", CHIP("alice", ET("+1", "medium-dark skin tone", THUMB "\xF0\x9F\x8F\xBE"), "1"));
	reaction(&CTX, "thumbs::skin-tone-3", 1, "U1", CHIP("alice", ET("thumbs", "medium-light skin tone", THUMB TONE3), "1"));
	reaction(&CTX, "smile::skin-tone-3", 1, "U1", CHIP("alice", E("smile", SMILE), "1"));
	reaction(&CTX, "+1", 1, "U1", CHIP("alice", E("+1", THUMB), "1"));
	reaction(&CTX, "+1", 5, "", CHIP("5 people", E("+1", THUMB), "5"));
	reaction(&CTX, "+1", 1, NULL, CHIP("1 person", E("+1", THUMB), "1"));
	reaction(&CTX, "smile", 4, "U9,U1", CHIP("U9, alice and 2 others", E("smile", SMILE), "4"));
	reaction(&CTX, "partyparrot", 1, "U1", CHIP("alice", ":partyparrot:", "1"));
	reaction(&CTX, "nope", 2, "U1,W3", CHIP("alice, walter", ":nope:", "2"));
	reaction(&CTX, "+1", 1, "U2", CHIP("Bob &lt;b&gt;", E("+1", THUMB), "1"));
	reaction(&BARE, "+1", 2, "U1,U2", CHIP("U1, U2", E("+1", THUMB), "2"));

	char tmp[64];
	CHECK_STR(emoji_unicode("+1", tmp, sizeof tmp), THUMB, "emoji_unicode +1");
	CHECK_STR(emoji_unicode("clap::skin-tone-2", tmp, sizeof tmp), CLAP TONE2, "emoji_unicode reaction form");
	CHECK_STR(emoji_unicode(":smile:", tmp, sizeof tmp), SMILE, "emoji_unicode with colons");
	CHECK_STR(emoji_unicode("simple_smile", tmp, sizeof tmp), SLIGHT, "emoji_unicode legacy name");
	CHECK_STR(emoji_unicode("handshake::skin-tone-2-3", tmp, sizeof tmp),
		  "\xF0\x9F\xAB\xB1" TONE2 "\xE2\x80\x8D\xF0\x9F\xAB\xB2" TONE3, "emoji_unicode two tones");
	CHECK(emoji_unicode("nonexistent", tmp, sizeof tmp) == NULL, "emoji_unicode unknown is NULL");
	CHECK(emoji_unicode(NULL, tmp, sizeof tmp) == NULL, "emoji_unicode NULL");
	CHECK(emoji_unicode("", tmp, sizeof tmp) == NULL, "emoji_unicode empty");

	buf_t b = BUF_INIT;
	render_emoji_html(&b, &CTX, "clap::skin-tone-2");
	CHECK_STR(buf_str(&b), ET("clap", "light skin tone", CLAP TONE2), "render_emoji_html reaction form");
	buf_reset(&b);
	render_emoji_html(&b, &CTX, ":smile:");
	CHECK_STR(buf_str(&b), E("smile", SMILE), "render_emoji_html with colons");
	buf_reset(&b);
	render_emoji_html(&b, &CTX, "nope");
	CHECK_STR(buf_str(&b), ":nope:", "render_emoji_html unknown");
	buf_reset(&b);
	render_emoji_html(&b, &CTXIMG, "partyparrot");
	CHECK_STR(buf_str(&b), "<img class=\"emoji\" src=\"https://emoji.example/pp.gif\" alt=\":partyparrot:\" title=\":partyparrot:\">",
		  "render_emoji_html custom image");
	buf_free(&b);
}

/* Every name in the generated table resolves, and spot checks of aliases
 * against iamcal's data as documented (thumbsup = +1, us = flag-us). */
static void table(void)
{
	char a[64], b[64];
	CHECK_STR(emoji_unicode("thumbsup", a, sizeof a), emoji_unicode("+1", b, sizeof b), "thumbsup is +1");
	CHECK_STR(emoji_unicode("us", a, sizeof a), emoji_unicode("flag-us", b, sizeof b), "us is flag-us");
	CHECK_STR(emoji_unicode("heart", a, sizeof a), "\xE2\x9D\xA4\xEF\xB8\x8F", "heart keeps its FE0F");
	CHECK_STR(emoji_unicode("hash", a, sizeof a), "#\xEF\xB8\x8F\xE2\x83\xA3", "keycap #");
	CHECK_STR(emoji_unicode("woman-shrugging", a, sizeof a), "\xF0\x9F\xA4\xB7\xE2\x80\x8D\xE2\x99\x80\xEF\xB8\x8F",
		  "woman-shrugging ZWJ sequence");
}

int main(void)
{
	ts_set_zone("UTC");
	subtypes();
	edited();
	files();
	attachments();
	attachment_text();
	blocks();
	reactions_and_emoji();
	table();
	UNIT_DONE();
}
