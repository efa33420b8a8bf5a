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
 * mailto URLs become links. */
#ifndef SLACKLOG_RENDER_H
#define SLACKLOG_RENDER_H
#include <stdbool.h>
#include <stddef.h>
#include "lib/buf.h"
#include "lib/json.h"

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
} render_ctx;

/* The body of a message: text or blocks, attachments, files, subtype
 * presentation. Not the author line, time or reactions (pages do those). */
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
