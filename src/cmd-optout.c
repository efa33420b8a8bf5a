/* cmd-optout.c: `slacklog optout USER`: a person asks to leave the public
 * archive. Their messages stay in the store but disappear from every page,
 * count, feed and search; their name and avatar become a neutral label
 * wherever they appear (authors, mentions, reactions). --undo brings them
 * back. The store enforces it (store.h, "moderation"); this finds the
 * person, records the action and re-indexes what changed. */
#include "cmd.h"
#include "cli.h"
#include "moderation.h"
#include <inttypes.h>
#include <stdio.h>

static const char usage[] =
	"usage: slacklog optout [--db FILE] [-q] [--undo] [--by NAME] [--reason TEXT] USER\n"
	"\n"
	"Hide a person from the published archive: their messages disappear from\n"
	"pages, counts and search, and their name and avatar are replaced by \"" ST_NEUTRAL_NAME "\"\n"
	"wherever they appear. A thread they started keeps a blank stand-in so its\n"
	"replies still read as a thread. The data stays in the archive (see\n"
	"'slacklog forget' to erase it); a later import keeps them hidden.\n"
	"\n"
	"  USER            user ID, handle or display name\n"
	"  --undo          publish them again\n"
	"  --by NAME       who acts, for the moderation log (default $SUDO_USER or $USER)\n"
	"  --reason TEXT   why, for the moderation log\n"
	"  --db FILE       the archive (default: $SLACKLOG_DB, else ./slacklog.db)\n"
	"  -q, --quiet     only errors\n";

int cmd_optout(int argc, char **argv)
{
	mod_args a;
	int rc = moderation_args("optout", usage, argc, argv, MOD_UNDO, 1, &a);
	if (rc)
		return rc > 0 ? EXIT_OK : EXIT_FAIL;
	store_t *s = moderation_open(&a);
	if (!s)
		return EXIT_FAIL;
	arena_t ar = {0};
	const char *id = moderation_user_id(s, &ar, a.pos[0]);
	int64_t n = id ? store_optout(s, id, a.undo) : -1;
	if (n < 0) {
		if (n == ST_MOD_ALREADY)
			log_info("%s is %s opted out; nothing changed", id, a.undo ? "not" : "already");
		else if (id)
			log_err("optout %s: %s", id, store_errmsg(s));
		store_close(s);
		arena_free(&ar);
		return n == ST_MOD_ALREADY ? EXIT_OK : EXIT_FAIL;
	}
	log_info("%s %s: %" PRId64 " message%s %s", a.undo ? "opted back in" : "opted out", id, n, n == 1 ? "" : "s",
		 a.undo ? "shown again" : "hidden");
	rc = moderation_done(s, &a, a.undo ? "optout-undo" : "optout", id);
	arena_free(&ar);
	return rc;
}
