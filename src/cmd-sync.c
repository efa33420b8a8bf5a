/* cmd-sync.c: `slacklog sync [--token TOKEN] [--db FILE] [--api-url URL]`:
 * options, the token (never printed), the summary and the exit status.
 * The work is in src/sync/. */
#include "cmd.h"
#include "cli.h"
#include "moderation.h"
#include "ingest/events.h"
#include "lib/ts.h"
#include "store/store.h"
#include "sync/sync.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: slacklog sync [--token TOKEN] [--db FILE] [--api-url URL] [--min-interval SECS]\n"
	"                     [--page N] [--thread-window DAYS] [--quiet|--verbose]\n"
	"\n"
	"Fetch users, custom emoji, public channels and their history (threads\n"
	"included) from Slack's Web API into the archive. Each run fetches only\n"
	"what is newer than the last one; an interrupted run resumes where it\n"
	"stopped. Channels the token cannot read (not_in_channel) are skipped.\n"
	"New replies to older threads are found by looking again at the threads\n"
	"active in the days before the last run's newest message.\n"
	"\n"
	"  --token TOKEN       a bot or user token (default: $SLACKLOG_TOKEN) with\n"
	"                      channels:read, channels:history, users:read, emoji:read\n"
	"  --db FILE           the archive (default: $SLACKLOG_DB, else ./slacklog.db)\n"
	"  --api-url URL       the Web API (default: https://slack.com/api/)\n"
	"  --min-interval SECS seconds between two calls of one method (default:\n"
	"                      Slack's tiers: 3 for lists, 1.2 for history and replies)\n"
	"  --page N            messages asked for per call (default 200)\n"
	"  --thread-window DAYS  threads active this many days before the last\n"
	"                      run's newest message are checked for new replies\n"
	"                      (default 30; 0: never)\n"
	"  -q, --quiet         print errors only\n"
	"  -v, --verbose       say more\n"
	"\n"
	"Exit status: 0 synced, 1 synced with warnings (channels skipped), 2 failed\n"
	"(token refused, API unreachable, database error).\n";

int cmd_sync(int argc, char **argv)
{
	static const cli_opt opts[] = {
		{"--db", true, 'd'}, {"--token", true, 't'}, {"--api-url", true, 'u'}, {"--min-interval", true, 'i'},
		{"--page", true, 'p'}, {"--thread-window", true, 'w'}, {"--quiet", false, 'q'},
		{"--verbose", false, 'v'}, {"--help", false, 'h'}, {NULL, false, 0},
	};
	cli_args a = {.cmd = "sync", .opts = opts, .shorts = "qvh", .argc = argc, .argv = argv};
	const char *db = NULL, *token = getenv("SLACKLOG_TOKEN"), *url = "https://slack.com/api/";
	sync_opts o = {.min_interval = -1, .page = 200, .thread_window = 30 * 86400};
	double window_days;
	int c;
	while ((c = cli_next(&a)) != CLI_END) {
		switch (c) {
		case 'd': db = a.val; break;
		case 't': token = a.val; break;
		case 'u': url = a.val; break;
		case 'i': o.min_interval = atof(a.val); break;
		case 'p': o.page = atoi(a.val); break;
		case 'w':
			window_days = atof(a.val);
			if (window_days < 0 || window_days > 36500)
				return cli_usage_error("sync", "--thread-window must be between 0 and 36500 days");
			o.thread_window = (int64_t)(window_days * 86400);
			break;
		case 'q': cli_verbosity = 0; break;
		case 'v': cli_verbosity = 2; break;
		case 'h': return cli_help(usage);
		default: return EXIT_FAIL;
		}
	}
	if (a.nargs)
		return cli_usage_error("sync", "unexpected argument '%s'", argv[0]);
	if (!token || !*token)
		return cli_usage_error("sync", "no token: give --token or set SLACKLOG_TOKEN");
	if (o.page < 1 || o.page > 1000)
		return cli_usage_error("sync", "--page must be between 1 and 1000");
	char base[1024];
	if (cli_api_base(url, base, sizeof base) != 0)
		return cli_usage_error("sync", "--api-url must be an http:// or https:// URL");
	o.api_url = base;
	o.token = token;
	store_t *s = ev_open_archive(cli_db_path(db));
	if (!s)
		return EXIT_FAIL;
	if (moderation_index_current(s) != 0) {
		store_close(s);
		return EXIT_FAIL;
	}
	sync_totals t;
	int rc = sync_run(s, &o, &t);
	store_close(s);
	if (cli_verbosity >= 1)
		printf("sync: %llu users, %llu emoji, %llu channels (%llu skipped), %llu messages fetched, %llu stored, "
		       "%llu threads fetched, %llu messages checked again, "
		       "%lu API calls, %.1fs waiting for rate limits, in %.2fs\n",
		       (unsigned long long)t.users, (unsigned long long)t.emoji, (unsigned long long)t.channels,
		       (unsigned long long)t.skipped_channels, (unsigned long long)t.messages,
		       (unsigned long long)t.stored, (unsigned long long)t.threads, (unsigned long long)t.rechecked,
		       t.calls, t.waited, t.seconds);
	if (rc != 0)
		return EXIT_FAIL;
	return t.warnings ? EXIT_WARN : EXIT_OK;
}
