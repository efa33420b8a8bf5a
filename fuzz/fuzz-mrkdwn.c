/* fuzz-mrkdwn.c: libFuzzer target for the mrkdwn renderer.
 *
 * The first byte picks the context (name callbacks or none, remote images
 * or not, a base prefix); the rest is the text. The HTML must pass
 * html_check() (tags and attributes only from the renderer's set, balanced,
 * no script, no event handler, no javascript: URL); the text rendering
 * runs too so the sanitizers see both paths. Build with `make fuzz`. */
#include "render/render.h"
#include "html-check.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static const char *user(void *ud, const char *id)
{
	(void)ud;
	return id[0] == 'U' && id[1] == '1' ? "al\"ice<" : NULL;
}

static const char *channel(void *ud, const char *id)
{
	(void)ud;
	return id[0] == 'C' && id[1] == '1' ? "gen/../eral" : NULL;
}

static const char *emoji(void *ud, const char *name)
{
	(void)ud;
	if (name[0] == 'a')
		return "alias:b";
	if (name[0] == 'b')
		return "alias:a";
	if (name[0] == 'j')
		return "javascript:alert(1)";
	if (name[0] == 'p')
		return "https://e.example/p\".png";
	return NULL;
}

static bool permalink(void *ud, const char *cid, const char *ts, const char *thread_ts, buf_t *out)
{
	(void)ud;
	(void)thread_ts;
	buf_printf(out, "/%s/%s", cid, ts);
	return cid[0] == 'C';
}

void fuzz_ctx(render_ctx *c, uint8_t sel)
{
	*c = (render_ctx){0};
	if (sel & 1) {
		c->user_name = user;
		c->channel_name = channel;
		c->custom_emoji = emoji;
		c->permalink = permalink;
	}
	c->remote_images = sel & 2;
	c->base = sel & 4 ? "/arch\"" : "";
}

void fuzz_check(const buf_t *b)
{
	size_t at;
	const char *err = html_check(buf_str(b), b->len, &at);
	if (err) {
		fprintf(stderr, "html_check: %s at %zu: %.80s\n", err, at, buf_str(b) + at);
		abort();
	}
}

#ifndef FUZZ_NO_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	render_ctx c;
	fuzz_ctx(&c, data[0]);
	buf_t b = BUF_INIT;
	render_mrkdwn_html(&b, &c, (const char *)data + 1, size - 1);
	fuzz_check(&b);
	buf_reset(&b);
	render_mrkdwn_text(&b, &c, (const char *)data + 1, size - 1);
	buf_free(&b);
	return 0;
}
#endif
