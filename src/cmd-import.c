/* cmd-import.c: `slacklog import [--db FILE] [--tz ZONE] [--quiet|--verbose]
 * PATH...`: options, the archive's time zone, one summary line per PATH,
 * and the exit status. The work is in src/ingest/import.c. */
#include "cmd.h"
#include "moderation.h"
#include "cli.h"
#include "ingest/import.h"
#include "lib/ts.h"
#include "store/store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"usage: slacklog import [--db FILE] [--tz ZONE] [--quiet|--verbose] PATH...\n"
	"\n"
	"Import Slack exports into the archive. PATH is an export .zip, an unpacked\n"
	"export directory, or an emoji.list JSON file ({\"emoji\": {name: url}}).\n"
	"Importing the same data again changes nothing; a newer export adds to and\n"
	"updates what is there.\n"
	"\n"
	"  --db FILE     the archive (default: $SLACKLOG_DB, else ./slacklog.db)\n"
	"  --tz ZONE     the archive's time zone for days, e.g. America/Chicago\n"
	"                (default: the archive's, else UTC); changing it re-buckets\n"
	"                every stored message\n"
	"  -q, --quiet   print errors only\n"
	"  -v, --verbose also say what is skipped and why\n"
	"\n"
	"Exit status: 0 imported cleanly, 1 imported with warnings (some input was\n"
	"skipped or repaired), 2 failed.\n";

/* The archive's zone: --tz when given (stored, and stored days moved when it
 * changed), else the stored one, else UTC. */
static int set_zone(store_t *s, const char *want)
{
	arena_t a = {0};
	const char *stored = store_get_setting(s, &a, "time_zone");
	const char *zone = want ? want : stored ? stored : "UTC";
	int rc = 0;
	if (!ts_set_zone(zone)) {
		log_err("unknown time zone '%s' (expected a name like UTC or America/Chicago)", zone);
		rc = -1;
	} else if (!stored || strcmp(stored, zone) != 0) {
		if (stored)
			log_info("time zone changed from %s to %s: moving stored messages to their new days", stored, zone);
		rc = store_begin(s);
		if (rc == 0)
			rc = store_set_setting(s, "time_zone", zone);
		if (rc == 0 && stored)
			rc = store_rebucket_days(s);
		rc = rc == 0 ? store_commit(s) : (store_rollback(s), -1);
		if (rc != 0)
			log_err("setting the time zone: %s", store_errmsg(s));
	}
	arena_free(&a);
	return rc;
}

static void summary(const char *path, const import_totals *t)
{
	printf("%s: %llu conversations, %llu users, %llu messages (%llu new, %llu updated, %llu unchanged",
	       path, (unsigned long long)t->conversations, (unsigned long long)t->users,
	       (unsigned long long)t->messages, (unsigned long long)t->inserted,
	       (unsigned long long)t->updated, (unsigned long long)t->unchanged);
	if (t->refused)
		printf(", %llu deleted earlier", (unsigned long long)t->refused);
	printf("), %llu threads, %llu replies, %llu reactions, %llu files",
	       (unsigned long long)t->threads, (unsigned long long)t->replies,
	       (unsigned long long)t->reactions, (unsigned long long)t->files);
	if (t->emoji)
		printf(", %llu emoji", (unsigned long long)t->emoji);
	printf(", %llu warnings in %.2fs\n", (unsigned long long)t->warnings, t->seconds);
}

static int threads_wanted(void)
{
	const char *e = getenv("SLACKLOG_IMPORT_THREADS");
	return e && atoi(e) == 1 ? 1 : 2;
}

/* Each PATH in turn; *stored is set when any of them put something in. */
static int import_all(store_t *s, char **paths, int n, bool *stored)
{
	int status = EXIT_OK;
	for (int i = 0; i < n; i++) {
		import_totals t;
		int rc = import_path(s, paths[i], threads_wanted(), &t);
		*stored |= t.conversations || t.users || t.messages || t.emoji;
		if (rc != 0) {
			status = EXIT_FAIL;
			continue;
		}
		if (t.warnings && status == EXIT_OK)
			status = EXIT_WARN;
		if (cli_verbosity >= 1)
			summary(paths[i], &t);
	}
	/* messages naming someone renamed, opted out or erased, rendered
	 * again with the names the archive gives them */
	if (moderation_reindex_stale(s) < 0) {
		log_err("indexing for search: %s", store_errmsg(s));
		status = EXIT_FAIL;
	}
	return status;
}

int cmd_import(int argc, char **argv)
{
	static const cli_opt opts[] = {
		{"--db", true, 'd'}, {"--tz", true, 'z'}, {"--quiet", false, 'q'}, {"--verbose", false, 'v'},
		{"--help", false, 'h'}, {NULL, false, 0},
	};
	cli_args a = {.cmd = "import", .opts = opts, .shorts = "qvh", .argc = argc, .argv = argv};
	const char *db = NULL, *tz = NULL;
	int c;
	while ((c = cli_next(&a)) != CLI_END) {
		switch (c) {
		case 'd': db = a.val; break;
		case 'z': tz = a.val; break;
		case 'q': cli_verbosity = 0; break;
		case 'v': cli_verbosity = 2; break;
		case 'h': return cli_help(usage);
		default: return EXIT_FAIL;
		}
	}
	if (!a.nargs)
		return cli_usage_error("import", "no PATH given");
	if (tz && !ts_set_zone(tz))
		return cli_usage_error("import", "unknown time zone '%s' (expected a name like UTC or America/Chicago)", tz);
	const char *path = cli_db_path(db);
	bool existed = access(path, F_OK) == 0, stored = false;
	char err[512];
	store_t *s = store_open(path, STORE_CREATE, err, sizeof err);
	if (!s) {
		log_err("%s", err);
		return EXIT_FAIL;
	}
	int status = set_zone(s, tz) == 0 && moderation_index_current(s) == 0
			     ? import_all(s, argv, a.nargs, &stored)
			     : EXIT_FAIL;
	store_close(s);
	/* an archive made for nothing (a mistyped path, a file that is no
	 * export) is not left behind */
	if (!existed && !stored)
		store_remove(path);
	return status;
}
