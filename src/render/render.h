/* render.h: Slack messages to safe HTML and to plain text.
 *
 * Input is a message as JSON (the original object the store keeps) plus a
 * context that resolves user, channel and custom-emoji names; output is
 * appended to a buffer. Pages, feeds, the search index and `slacklog render`
 * all come through here, so a message looks the same everywhere.
 *
 * Rules follow docs/slack-format (mrkdwn: only &amp; &lt; &gt; decoded;
 * <...> tokens; Slack's word-boundary rules for * _ ~ `; rich_text blocks
 * preferred over text; attachments; files; subtypes; emoji with skin tones).
 * All text goes through html.h's escaping writers; only http, https and
 * mailto URLs become links.
 *
 * The shapes of the HTML, for the page CSS:
 *
 *   *b* _i_ ~s~            <b> <i> <s>
 *   `code` ```pre```       <code>  <pre>
 *   &gt; quote, &gt;&gt;&gt;  <blockquote>   (consecutive quoted lines merge)
 *   line break             <br>
 *   <@U1>                  <a class="mention" href="{base}/user.U1/">@name</a>
 *                          (an unknown user, or one without a page:
 *                          <span class="mention">@label</span>)
 *   <#C1|general>          <a class="channel" href="{base}/general/">#general</a>
 *                          (not in the archive: <span class="channel">#name</span>)
 *   <!here> <!channel>     <span class="mention broadcast">@here</span>
 *   <!subteam^S1|@team>    <span class="mention usergroup">@team</span>
 *   <!date^...>            <time datetime="ISO 8601">formatted</time> (in <a> with a link)
 *   <http://x|label>       <a href="http://x" rel="nofollow">label</a>
 *   archive permalinks     <a href="{ctx->permalink}">label</a>
 *   :smile:                <span class="emoji" title=":smile:">😄</span>
 *   custom emoji           <img class="emoji" src="URL" alt=":name:" title=":name:">
 *                          (without remote_images: the text ":name:")
 *   rich_text lists        <ul class="indent-N"> / <ol class="indent-N" start="K"> <li>
 *   color element          <span class="color" style="background:#hex"></span>#hex
 *
 * Message level (render.c, blocks.c, attachments.c, files.c):
 *   <div class="text">…</div>                    the text or rich_text blocks
 *   <div class="text me"><i>…</i></div>           me_message (no <i> around
 *                                                 quotes, pre or lists)
 *   <div class="system">…</div>                  joins, leaves, topic, purpose,
 *                                                 renames, pins, tombstones
 *   <div class="block-section">…</div> and .block-fields, .block-context,
 *       .block-header, <hr class="block-divider">, .block-image (img.block-img)
 *   <div class="attachment" style="border-left-color:#hex">  .att-pretext,
 *       .att-author (img.att-author-icon), .att-title, .att-text,
 *       .att-fields > .att-field[.short] > .att-field-title + .att-field-value,
 *       .att-image / .att-thumb (img.att-img, or a link "image" without
 *       remote_images), .att-footer; link unfurls add class "unfurl" and
 *       show .att-service; shared messages are <blockquote class="shared-message">
 *   <div class="file"><a href="permalink" rel="nofollow">title</a> <span class="file-meta">
 *       PNG · 12 KB</span> [<img class="file-thumb">]</div>
 *       <div class="file gone">file removed</div>
 *       a snippet: <div class="file snippet">…<pre>its first lines</pre>
 *       <div class="snippet-more"><a href="permalink">7 more lines</a></div></div>
 *   <span class="reaction" title="who">emoji <span class="count">N</span></span>
 *
 * Plain text (render_*_text) drops the markup: mentions become @name,
 * channels #name, emoji their characters (custom ones ":name:"), links
 * "label (url)" when the label says something else, list items "• " or
 * "N. ", attachments and files one line per part. */
#ifndef SLACKLOG_RENDER_H
#define SLACKLOG_RENDER_H
#include <stdbool.h>
#include <stddef.h>
#include "lib/buf.h"
#include "lib/json.h"

/* The version of the plain text render_message_text writes. It goes up
 * whenever that text changes for some message (so far: 2, attachment
 * titles parsed, snippets' lines, no newline after a block), so that text
 * kept from an older renderer, the search index's, is rendered again
 * (moderation_reindex_outdated). Pages render at read time and need
 * nothing. */
enum { RENDER_TEXT_VERSION = 2 };

typedef struct render_ctx {
	void *ud;
	/* Current display name of a user, or NULL when unknown. */
	const char *(*user_name)(void *ud, const char *user_id);
	/* Current name of a channel, or NULL when unknown. */
	const char *(*channel_name)(void *ud, const char *channel_id);
	/* Custom emoji: URL or "alias:name", or NULL. */
	const char *(*custom_emoji)(void *ud, const char *name);
	/* Archive URL of a message for a Slack permalink to the workspace's own
	 * archive, or NULL; written into out. */
	bool (*permalink)(void *ud, const char *channel_id, const char *ts, const char *thread_ts, buf_t *out);
	/* URL prefix for links the renderer makes: user pages are
	 * "{base}/user.{ID}/", channels "{base}/{name}/". Usually "". */
	const char *base;
	bool remote_images;        /* show file thumbnails / custom emoji images */
	/* Whether a user the archive names has a page to link to (NULL: all
	 * of them); false for people shown only by a neutral label. */
	bool (*user_page)(void *ud, const char *user_id);
} render_ctx;

/* The body of a message: text or blocks, attachments, files, subtype
 * presentation. Not the author line, time or reactions (pages do those).
 * Every render_* function appends to out, and what out held before never
 * changes what it appends (pages keep renderings and reuse them). */
void render_message_html(buf_t *out, const render_ctx *c, const jv *msg);
/* The same message as readable plain text (feeds, meta descriptions,
 * search index, terminal output). */
void render_message_text(buf_t *out, const render_ctx *c, const jv *msg);

/* mrkdwn alone (a text field, or attachment fields in mrkdwn_in). */
void render_mrkdwn_html(buf_t *out, const render_ctx *c, const char *s, size_t n);
void render_mrkdwn_text(buf_t *out, const render_ctx *c, const char *s, size_t n);
/* Blocks array alone. */
void render_blocks_html(buf_t *out, const render_ctx *c, const jv *blocks);

/* One reaction chip: emoji, count, names of who reacted as a tooltip.
 * users: comma-separated user IDs (may be truncated; count is authoritative). */
void render_reaction_html(buf_t *out, const render_ctx *c, const char *name, int count, const char *users);

/* An emoji short name ("+1", "clap::skin-tone-3") as UTF-8 characters, or
 * NULL when the name is not a standard emoji. */
const char *emoji_unicode(const char *name, char *tmp, size_t tmplen);
/* Write :name: as HTML: the character, a custom image, or the literal. */
void render_emoji_html(buf_t *out, const render_ctx *c, const char *name);
#endif
