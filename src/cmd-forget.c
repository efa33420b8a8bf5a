/* cmd-forget.c: `slacklog forget USER`: erase a person from the archive
 * itself: their messages, profile, reactions, raw JSON and search text are
 * deleted, what others' messages carry of them (their files, quotes,
 * profile snapshots) becomes a stand-in and mentions of them a neutral
 * label, and only salted hashes of what identifies them stay, so that
 * importing old data again cannot bring them back (store.h, "moderation";
 * the rules: docs/ARCHITECTURE.md, "Privacy"). */
#include "cmd.h"
#include "cli.h"
#include "moderation.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static const char usage[] =
	"usage: slacklog forget [--db FILE] [-q] [--by NAME] [--reason TEXT] [--wait SECS] USER\n"
	"\n"
	"Erase a person from the archive: their messages (and DMs with them),\n"
	"profile, reactions and search text are deleted from the database, not\n"
	"just hidden. Their files, comments, quotes and profile snapshots in\n"
	"others' messages go too; mentions of them and links to them read\n"
	"\"" ST_NEUTRAL_NAME "\". Importing old exports again, or later events, do\n"
	"not bring them back. This cannot be undone.\n"
	"\n"
	"  USER            user ID, handle or display name\n"
	"  --by NAME       who acts, for the moderation log (default $SUDO_USER or $USER)\n"
	"  --reason TEXT   why, for the moderation log (do not name the person)\n"
	"  --wait SECS     how long to wait for readers of older snapshots (a running\n"
	"                  server's requests) to finish, so that no old copy of the\n"
	"                  erased data is left in the file (default 60)\n"
	"  --db FILE       the archive (default: $SLACKLOG_DB, else ./slacklog.db)\n"
	"  -q, --quiet     only errors\n";

int cmd_forget(int argc, char **argv)
{
	mod_args a;
	int rc = moderation_args("forget", usage, argc, argv, MOD_WAIT, 1, &a);
	if (rc)
		return rc > 0 ? EXIT_OK : EXIT_FAIL;
	char *end = NULL;
	double wait = a.wait ? strtod(a.wait, &end) : 60;
	if (a.wait && (end == a.wait || *end || wait < 0))
		return cli_usage_error("forget", "--wait needs a number of seconds");
	store_t *s = moderation_open(&a);
	if (!s)
		return EXIT_FAIL;
	arena_t ar = {0};
	const char *id = moderation_user_id(s, &ar, a.pos[0]);
	int64_t n = id ? store_forget(s, id) : -1;
	if (n < 0) {
		if (id)
			log_err("forget: %s", store_errmsg(s));
		store_close(s);
		arena_free(&ar);
		return EXIT_FAIL;
	}
	log_info("erased a person: %" PRId64 " message%s deleted", n, n == 1 ? "" : "s");
	int ck = store_checkpoint(s, wait);
	if (ck < 0)
		log_err("forget: %s", store_errmsg(s));
	else if (ck > 0)
		log_warn("forget: other programs (a running server?) are still reading an older state of %s: "
			 "its write-ahead log keeps old copies of the erased data until they finish; "
			 "run the same forget again then to remove them", cli_db_path(a.db));
	rc = moderation_done(s, &a, "forget", "an erased person");
	if (rc == EXIT_OK && ck != 0)
		rc = ck < 0 ? EXIT_FAIL : EXIT_WARN;
	arena_free(&ar);
	return rc;
}
