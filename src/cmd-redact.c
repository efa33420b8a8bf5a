/* cmd-redact.c: `slacklog redact CHANNEL TS`: take one message (or with
 * --thread its whole thread) down from every published surface: pages,
 * counts, search, feeds, the API. The message stays in the store, hidden,
 * and a later import keeps it hidden (store.h, "moderation"). */
#include "cmd.h"
#include "cli.h"
#include "moderation.h"
#include "lib/ts.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: slacklog redact [--db FILE] [-q] [--thread] [--reason TEXT] [--by NAME] CHANNEL TS\n"
	"\n"
	"Take a message down: it disappears from pages, counts, search and the API.\n"
	"A thread parent whose replies stay keeps a blank stand-in.\n"
	"\n"
	"  CHANNEL         channel name or ID\n"
	"  TS              the message's ts (1457953300.000100, or p1457953300000100\n"
	"                  from a permalink)\n"
	"  --thread        the whole thread: the message and every reply\n"
	"  --reason TEXT   why, for the moderation log\n"
	"  --by NAME       who acts (default $SUDO_USER or $USER)\n"
	"  --db FILE       the archive (default: $SLACKLOG_DB, else ./slacklog.db)\n"
	"  -q, --quiet     only errors\n";

/* "p1457953300000100" (a permalink's last part) or a ts. */
static bool parse_ts(const char *in, char out[TS_LEN + 1])
{
	if (in[0] == 'p' && strlen(in) == 17) {
		char tmp[TS_LEN + 1];
		snprintf(tmp, sizeof tmp, "%.10s.%.6s", in + 1, in + 11);
		return ts_canon(tmp, out);
	}
	return ts_canon(in, out);
}

int cmd_redact(int argc, char **argv)
{
	mod_args a;
	int rc = moderation_args("redact", usage, argc, argv, MOD_THREAD, 2, &a);
	if (rc)
		return rc > 0 ? EXIT_OK : EXIT_FAIL;
	char ts[TS_LEN + 1];
	if (!parse_ts(a.pos[1], ts))
		return cli_usage_error("redact", "'%s' is not a message ts", a.pos[1]);
	store_t *s = moderation_open(&a);
	if (!s)
		return EXIT_FAIL;
	arena_t ar = {0};
	const st_channel *c = store_channel_by_name(s, &ar, a.pos[0]);
	if (!c)
		c = store_channel_by_id(s, &ar, a.pos[0]);
	int64_t n = c ? store_redact(s, c->id, ts, a.thread) : 0;
	if (n <= 0) {
		if (n == ST_MOD_ALREADY)
			log_info("%s in #%s is already taken down; nothing changed", ts, c->name);
		else if (n < 0)
			log_err("redact %s %s: %s", a.pos[0], ts, store_errmsg(s));
		else
			log_err("redact: no message %s in %s", ts, c ? c->name : a.pos[0]);
		store_close(s);
		arena_free(&ar);
		return n == ST_MOD_ALREADY ? EXIT_OK : EXIT_FAIL;
	}
	log_info("took down %" PRId64 " message%s in #%s", n, n == 1 ? "" : "s", c->name);
	char target[512];
	snprintf(target, sizeof target, "%s %s%s", c->id, ts, a.thread ? " thread" : "");
	rc = moderation_done(s, &a, "redact", target);
	arena_free(&ar);
	return rc;
}
