/* bench/render.c: throughput of the render library, one core.
 *
 *   build/rel/bench-render [--seconds S] [EXPORT_DIR_OR_ZIP ...]
 *
 * Loads every message of the given exports (default: both fixtures under
 * $SHARED/fixtures), parses them once, then renders them over and over for
 * about S seconds (default 2) per measurement: the mrkdwn "text" fields
 * alone (the target: >= 100 MB/s of message text), whole messages to HTML
 * (blocks, attachments, files) and whole messages to text; then 10,000
 * synthetic texts of about 1 KB, since real messages are short and the
 * per-message cost hides the per-byte one. Time is CPU
 * time of this thread, so the numbers are per core. Names resolve through
 * callbacks that answer from a small table, as the pages' store lookups
 * would from a cache. */
#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/json.h"
#include "lib/ts.h"
#include "render/render.h"
#include "render-walk.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
	const jv **v;
	size_t n, cap, text_bytes, json_bytes;
	arena_t *arenas;
	size_t narenas;
} corpus;

static corpus C;

static void keep(const jv *m)
{
	if (C.n == C.cap) {
		C.cap = C.cap ? 2 * C.cap : 1024;
		C.v = xrealloc(C.v, C.cap * sizeof *C.v);
	}
	C.v[C.n++] = m;
	const jv *t = json_get(m, "text");
	C.text_bytes += json_str(t) ? t->n : 0;
}

/* json_each() would reset its arena between messages: parse each file
 * whole into an arena of its own and keep them all. */
static void load(void *ud, const char *name, const char *data, size_t len)
{
	(void)ud;
	(void)name;
	C.arenas = xrealloc(C.arenas, (C.narenas + 1) * sizeof *C.arenas);
	arena_t *a = &C.arenas[C.narenas++];
	*a = (arena_t){0};
	json_err err;
	jv *root = json_parse(a, data, len, &err, NULL);
	json_foreach(m, root)
		if (m->type == JV_OBJ)
			keep(m);
	C.json_bytes += len;
}

static const char *user_name(void *ud, const char *id)
{
	(void)ud;
	return id[1] == '0' ? "someone" : NULL;
}

static const char *channel_name(void *ud, const char *id)
{
	(void)ud;
	(void)id;
	return "general";
}

static double cpu(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

enum { MRKDWN, HTML, TEXT };

static void pass(int what, const render_ctx *ctx, buf_t *out, size_t *outbytes)
{
	for (size_t i = 0; i < C.n; i++) {
		buf_reset(out);
		if (what == MRKDWN) {
			const jv *t = json_get(C.v[i], "text");
			if (json_str(t))
				render_mrkdwn_html(out, ctx, t->s, t->n);
		} else if (what == HTML) {
			render_message_html(out, ctx, C.v[i]);
		} else {
			render_message_text(out, ctx, C.v[i]);
		}
		*outbytes += out->len;
	}
}

/* Synthetic texts: n messages of about `size` bytes, words mixed with the
 * constructs real messages carry (emphasis, code, mentions, channels,
 * links, emoji, entities, quotes), from a fixed seed. */
static char **synthetic(size_t n, size_t size, size_t *total)
{
	static const char *const words[] = {
		"the", "archive", "deploy", "*bold*", "_italic_", "~gone~", "`code`", "<@U0BMQB6JE>",
		"<#C061A0WJG|general>", "<https://example.com/a?b=1&amp;c=2|a link>", ":+1:", ":tada:",
		"&lt;tag&gt;", "snake_case", "2*3*4", "data", "visualization", "meetup", "tonight", "python",
		"<!here>", ":thumbsup::skin-tone-3:", "https://bare.example.com", "really?", "(yes)",
	};
	char **v = xcalloc(n, sizeof *v);
	unsigned r = 12345;
	*total = 0;
	for (size_t i = 0; i < n; i++) {
		buf_t b = BUF_INIT;
		if (i % 7 == 0)
			buf_puts(&b, "&gt; quoted line\n");
		while (b.len < size) {
			r = r * 1103515245u + 12345u;
			buf_puts(&b, words[(r >> 16) % (sizeof words / sizeof *words)]);
			buf_putc(&b, (r >> 8) % 13 == 0 ? '\n' : ' ');
		}
		*total += b.len;
		v[i] = buf_detach(&b);
	}
	return v;
}

static void measure_synthetic(const render_ctx *ctx, double seconds)
{
	enum { N = 10000, SIZE = 1000 };
	size_t total, passes = 0;
	char **v = synthetic(N, SIZE, &total);
	buf_t out = BUF_INIT;
	double t0 = cpu(), t;
	do {
		for (size_t i = 0; i < N; i++) {
			buf_reset(&out);
			render_mrkdwn_html(&out, ctx, v[i], strlen(v[i]));
		}
		passes++;
	} while ((t = cpu() - t0) < seconds);
	printf("%-16s %8.1f MB/s of text  %9.0f messages/s  (synthetic: %d texts of ~%d bytes, %zu passes)\n",
	       "mrkdwn->HTML", (double)(total * passes) / 1e6 / t, (double)(N * passes) / t, N, SIZE, passes);
	for (size_t i = 0; i < N; i++)
		free(v[i]);
	free(v);
	buf_free(&out);
}

static void measure(const char *label, int what, const render_ctx *ctx, double seconds)
{
	buf_t out = BUF_INIT;
	size_t passes = 0, outbytes = 0;
	pass(what, ctx, &out, &outbytes);    /* warm up */
	outbytes = 0;
	double t0 = cpu(), t;
	do {
		pass(what, ctx, &out, &outbytes);
		passes++;
	} while ((t = cpu() - t0) < seconds);
	double mb = (double)(C.text_bytes * passes) / 1e6;
	printf("%-16s %8.1f MB/s of text  %9.0f messages/s  (%zu passes, %.2f s CPU, %.1f MB out)\n", label, mb / t,
	       (double)(C.n * passes) / t, passes, t, (double)outbytes / 1e6);
	buf_free(&out);
}

int main(int argc, char **argv)
{
	double seconds = 2;
	int nsrc = 0;
	ts_set_zone("UTC");
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seconds") && i + 1 < argc) {
			seconds = atof(argv[++i]);
			continue;
		}
		if (walk_export(argv[i], load, NULL) < 0)
			fprintf(stderr, "bench-render: cannot read %s\n", argv[i]);
		nsrc++;
	}
	if (!nsrc) {
		const char *shared = getenv("SHARED") ? getenv("SHARED") : "../shared";
		char p[1024];
		snprintf(p, sizeof p, "%s/fixtures/houstondatavis-2016", shared);
		walk_export(p, load, NULL);
		snprintf(p, sizeof p, "%s/fixtures/slack-export-viewer-testarchive.zip", shared);
		walk_export(p, load, NULL);
	}
	if (!C.n) {
		fprintf(stderr, "bench-render: no messages found\n");
		return 2;
	}
	printf("corpus: %zu messages, %.1f KB of text, %.1f KB of JSON\n", C.n, (double)C.text_bytes / 1e3,
	       (double)C.json_bytes / 1e3);
	render_ctx ctx = {NULL, user_name, channel_name, NULL, NULL, "", false};
	measure("mrkdwn->HTML", MRKDWN, &ctx, seconds);
	measure("message->HTML", HTML, &ctx, seconds);
	measure("message->text", TEXT, &ctx, seconds);
	measure_synthetic(&ctx, seconds);
	for (size_t i = 0; i < C.narenas; i++)
		arena_free(&C.arenas[i]);
	free(C.arenas);
	free(C.v);
	return 0;
}
