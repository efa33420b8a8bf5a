/* fuzz-blocks.c: libFuzzer target for whole messages: rich_text and
 * layout blocks, attachments, files, subtypes, reactions.
 *
 * The first byte picks the context as in fuzz-mrkdwn.c; the rest is JSON.
 * An object renders as a message, an array as a blocks array, and every
 * string member named "name" also as a reaction chip. The HTML must pass
 * html_check(). */
#define FUZZ_NO_MAIN
#include "fuzz-mrkdwn.c"
#include "lib/arena.h"
#include "lib/json.h"

static void reactions(buf_t *b, const render_ctx *c, const jv *v, int depth)
{
	if (depth > 8)
		return;
	json_foreach(it, v) {
		if (it->key && it->type == JV_STR && !strcmp(it->key, "name"))
			render_reaction_html(b, c, it->s, (int)(it->n % 7), "U1,U2");
		reactions(b, c, it, depth + 1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	render_ctx c;
	fuzz_ctx(&c, data[0]);
	arena_t a = {0};
	json_err err;
	jv *v = json_parse(&a, (const char *)data + 1, size - 1, &err, NULL);
	if (v) {
		buf_t b = BUF_INIT;
		if (v->type == JV_OBJ)
			render_message_html(&b, &c, v);
		else
			render_blocks_html(&b, &c, v);
		reactions(&b, &c, v, 0);
		fuzz_check(&b);
		buf_reset(&b);
		if (v->type == JV_OBJ)
			render_message_text(&b, &c, v);
		buf_free(&b);
	}
	arena_free(&a);
	return 0;
}
