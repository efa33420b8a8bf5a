/* rd.h: what the files of the render library share; not for use outside
 * src/render/.
 *
 * Every renderer writes through an rw (render writer): the output buffer,
 * the caller's context, and whether the output is HTML or plain text. One
 * parser per format serves both outputs, so the HTML and the text of a
 * message can never disagree about what the message says. In text mode the
 * markup calls (rw_html) write nothing and text is written unescaped.
 *
 * The HTML shapes are documented in render.h.
 */
#ifndef SLACKLOG_RD_H
#define SLACKLOG_RD_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lib/buf.h"
#include "lib/json.h"
#include "render/render.h"
#include "render/html.h"

typedef struct rw {
	buf_t *b;
	const render_ctx *c;
	bool text;           /* plain text instead of HTML */
	size_t start;        /* where this rendering began in b: what was
			      * there before never changes what it writes */
	int nolink;          /* inside a link: links and mentions show their
			      * labels only (HTML has no link in a link) */
	buf_t tmp;           /* scratch: decoded labels, resolved names */
} rw;

void rw_init(rw *w, buf_t *b, const render_ctx *c, bool text);
void rw_done(rw *w);

/* Bytes that need no escaping in either mode. */
static inline void rw_raw(rw *w, const char *s, size_t n) { buf_put(w->b, s, n); }
/* Markup: written in HTML mode only. */
static inline void rw_html(rw *w, const char *s) { if (!w->text) buf_puts(w->b, s); }
/* Text content: escaped in HTML mode, as is in text mode. */
void rw_txt(rw *w, const char *s, size_t n);
void rw_txts(rw *w, const char *s);
/* Plain text mode only (separators, "label (url)"). */
static inline void rw_plain(rw *w, const char *s) { if (w->text) buf_puts(w->b, s); }
/* Plain text only: make sure the next part starts on a line of its own. */
static inline void rw_line(rw *w)
{
	if (w->text && w->b->len > w->start && w->b->p[w->b->len - 1] != '\n')
		buf_putc(w->b, '\n');
}
/* A line break: <br> or "\n". */
static inline void rw_br(rw *w) { buf_puts(w->b, w->text ? "\n" : "<br>"); }

/* Decode &amp; &lt; &gt; (only these) from s into b. */
void rd_decode(buf_t *b, const char *s, size_t n);

/* Pieces shared by mrkdwn and blocks. Names are NUL-terminated. */
void rd_user(rw *w, const char *id, const char *label);
void rd_channel(rw *w, const char *id, const char *label);
void rd_broadcast(rw *w, const char *what);
void rd_usergroup(rw *w, const char *id, const char *handle);
/* A link: url is decoded text; the label is written by the caller between
 * rd_link_open() and rd_link_close(). Returns false (and writes nothing)
 * when url may not be a link, or inside another link (w->nolink); the
 * caller then writes the label as text. */
bool rd_link_open(rw *w, const char *url, size_t n);
void rd_link_close(rw *w, const char *url, size_t n, bool label_differs);
/* Whether a label says more than its URL (not equal to it, with or
 * without the scheme): text output then adds " (url)". */
bool rd_label_differs(const char *url, size_t n, const char *label, size_t ln);
/* What an unlabeled URL shows: mailto: addresses without the scheme. */
size_t rd_shown_url(const char *url, size_t n, const char **shown);
/* A whole link with a plain label (NULL: the URL itself). */
void rd_link(rw *w, const char *url, const char *label);
/* <img class="cls" src="url" alt="alt"> (HTML only; the caller has
 * checked remote_images and rd_url_ok). */
void rd_img(rw *w, const char *cls, const char *url, const char *alt);
/* An absolute http/https/mailto URL (no relative ones from Slack data). */
bool rd_url_ok(const char *url, size_t n);
/* Date: format with Slack's {tokens} in the archive's zone; false when
 * the timestamp is unusable (caller shows the fallback). */
bool rd_date_format(buf_t *out, int64_t sec, const char *fmt, size_t n);
void rd_date(rw *w, int64_t sec, const char *fmt, size_t n, const char *link, const char *fallback);
/* Emoji by name and skin tone ("3", "2-3" or NULL); false when unknown. */
bool rd_emoji(rw *w, const char *name, const char *tone);
/* Standard emoji characters with their name as a tooltip, and the skin
 * tone's name when tone ("3", "2-3") is not NULL. */
void rd_emoji_put(rw *w, const char *name, const char *tone, const char *chars);
/* A rich-text emoji's "unicode" field ("1f44d-1f3fb") as UTF-8 into out;
 * false when it is not a valid code point sequence. */
bool rd_unicode_hex(buf_t *out, const char *hex);

/* mrkdwn flags */
enum {
	MK_NOEMPH = 1,      /* no * _ ~ ` ``` (plain text fields) */
	MK_NOEMOJI = 2,     /* no :emoji: (inside code) */
	MK_NOPRE = 4,       /* no ``` (inside emphasis) */
	MK_CODE = 8,        /* inside <pre>: newlines stay newlines */
	MK_STOPQ = 16,      /* stop before a line that starts a quote */
	MK_NOQUOTE = 32,    /* no &gt; quotes */
};
void rd_mrkdwn(rw *w, const char *s, size_t n, int flags);
void rd_blocks(rw *w, const jv *blocks);
bool rd_blocks_renderable(const jv *blocks);
/* A Block Kit text object ({type: mrkdwn|plain_text, text}). */
void rd_text_obj(rw *w, const jv *t);
/* Attachment colour: "#hex" (3 or 6 digits) or good/warning/danger, as
 * "#hex" in out; false for anything else. */
bool rd_color(const char *s, char out[8]);
void rd_attachments(rw *w, const jv *atts);
void rd_files(rw *w, const jv *msg);
void rd_file(rw *w, const jv *f);
/* 512 -> "512 B", 1536 -> "1.5 KB", 12345678 -> "12 MB" (1024-based). */
void rd_human_size(char *out, size_t len, int64_t n);
#endif
