/* cmd-render.c: `slacklog render`: one message from stdin to HTML or text.
 *
 * The renderer's own front door: for trying a message out, for tests, and
 * for scripts. With --db, user, channel and custom emoji names come from
 * the archive (read-only, unpublished channels included, since this is the
 * operator's own terminal); without it mentions show their labels or IDs. */
#include "cmd.h"
#include "cli.h"
#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/json.h"
#include "lib/utf8.h"
#include "render/render.h"
#include "store/store.h"
#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: slacklog render [--text] [--mrkdwn] [--db FILE] [--remote-images] [--base URL]\n"
	"\n"
	"Reads one message as JSON on stdin (as Slack exports it) and prints its body\n"
	"as an HTML fragment.\n"
	"\n"
	"  --text            print plain text instead of HTML\n"
	"  --mrkdwn          stdin is raw mrkdwn text, not a message object\n"
	"  --db FILE         resolve user, channel and custom emoji names from the\n"
	"                    archive (default: none; mentions show their labels)\n"
	"  --remote-images   show images hosted elsewhere (thumbnails, custom emoji)\n"
	"  --base URL        prefix for links to user and channel pages (default \"\")\n"
	"\n"
	"Exit status: 0 rendered; 1 rendered, but invalid UTF-8 in the input was\n"
	"replaced; 2 bad usage, unreadable archive or input that is not a JSON object.\n";

struct names {
	store_t *st;
	arena_t a;
};

static const char *user_name(void *ud, const char *id)
{
	struct names *n = ud;
	const st_user *u = store_user(n->st, &n->a, id);
	return u ? u->shown : NULL;
}

static const char *channel_name(void *ud, const char *id)
{
	struct names *n = ud;
	const st_channel *c = store_channel_by_id(n->st, &n->a, id);
	return c ? c->name : NULL;
}

static const char *custom_emoji(void *ud, const char *name)
{
	struct names *n = ud;
	return store_emoji(n->st, &n->a, name);
}

static int read_all(FILE *f, buf_t *b)
{
	char tmp[65536];
	size_t n;
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
		buf_put(b, tmp, n);
	return ferror(f) ? -1 : 0;
}

static int render(buf_t *in, const render_ctx *ctx, bool text, bool mrkdwn)
{
	buf_t out = BUF_INIT;
	int rc = EXIT_OK;
	if (mrkdwn) {
		(text ? render_mrkdwn_text : render_mrkdwn_html)(&out, ctx, buf_str(in), in->len);
		if (!utf8_valid(buf_str(in), in->len)) {
			log_warn("render: stdin: invalid UTF-8 replaced by U+FFFD");
			rc = EXIT_WARN;
		}
	} else {
		arena_t a = {0};
		json_err err;
		json_stats st = {0};
		jv *msg = json_parse(&a, buf_str(in), in->len, &err, &st);
		if (!msg) {
			log_err("render: stdin:%zu:%zu: %s", err.line, err.col, err.msg);
			rc = EXIT_FAIL;
		} else if (msg->type != JV_OBJ) {
			log_err("render: stdin: expected a message object");
			rc = EXIT_FAIL;
		} else {
			(text ? render_message_text : render_message_html)(&out, ctx, msg);
			if (st.fixed_utf8) {
				log_warn("render: stdin: %zu strings with invalid UTF-8 repaired", st.fixed_utf8);
				rc = EXIT_WARN;
			}
		}
		arena_free(&a);
	}
	if (rc != EXIT_FAIL) {
		fwrite(buf_str(&out), 1, out.len, stdout);
		if (!out.len || out.p[out.len - 1] != '\n')
			putchar('\n');
	}
	buf_free(&out);
	return rc;
}

int cmd_render(int argc, char **argv)
{
	static const cli_opt opts[] = {
		{"--text", false, 't'}, {"--mrkdwn", false, 'm'}, {"--db", true, 'd'}, {"--remote-images", false, 'r'},
		{"--base", true, 'b'}, {"--help", false, 'h'}, {NULL, false, 0},
	};
	cli_args a = {.cmd = "render", .opts = opts, .shorts = "h", .argc = argc, .argv = argv};
	bool text = false, mrkdwn = false;
	const char *db = NULL;
	render_ctx ctx = {0};
	int c;
	while ((c = cli_next(&a)) != CLI_END) {
		switch (c) {
		case 't': text = true; break;
		case 'm': mrkdwn = true; break;
		case 'd': db = a.val; break;
		case 'r': ctx.remote_images = true; break;
		case 'b': ctx.base = a.val; break;
		case 'h': return cli_help(usage);
		default: return EXIT_FAIL;
		}
	}
	if (a.nargs)
		return cli_usage_error("render", "unexpected argument '%s' (the message is read from stdin)", argv[0]);
	struct names names = {0};
	if (db) {
		char err[256];
		names.st = store_open(db, STORE_READONLY | STORE_ALL, err, sizeof err);
		if (!names.st) {
			log_err("render: %s", err);
			return EXIT_FAIL;
		}
		ctx.ud = &names;
		ctx.user_name = user_name;
		ctx.channel_name = channel_name;
		ctx.custom_emoji = custom_emoji;
	}
	buf_t in = BUF_INIT;
	int rc = EXIT_OK;
	if (read_all(stdin, &in) < 0) {
		log_err("render: cannot read stdin");
		rc = EXIT_FAIL;
	} else {
		rc = render(&in, &ctx, text, mrkdwn);
	}
	buf_free(&in);
	if (names.st)
		store_close(names.st);
	arena_free(&names.a);
	return rc;
}
