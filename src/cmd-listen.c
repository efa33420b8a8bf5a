/* cmd-listen.c: `slacklog listen [--db FILE] --app-token xapp-...
 * [--token xoxb-...] [--log-dir DIR] [--api-url URL]`: options, the tokens
 * (taken out of the process's arguments, never printed), signals and the
 * exit status. The work is in src/live/. */
#include "cmd.h"
#include "cli.h"
#include "ingest/events.h"
#include "live/socketmode.h"
#include "store/store.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: slacklog listen [--db FILE] [--app-token xapp-...] [--token xoxb-...] [--log-dir DIR]\n"
	"                       [--api-url URL] [--min-interval SECS] [--thread-window DAYS]\n"
	"                       [--quiet|--verbose]\n"
	"\n"
	"Log a workspace as it happens, over Slack's Socket Mode: a connection the\n"
	"listener opens itself, so no public endpoint is needed. Every event is\n"
	"stored (deduplicated by its event_id) and committed before Slack is told it\n"
	"arrived. Lost connections are opened again with a growing delay; after each,\n"
	"and on start, what was said meanwhile in the public channels is fetched\n"
	"through the Web API (as `slacklog sync` does) when a bot token is given.\n"
	"Runs until SIGINT or SIGTERM, which close the connection cleanly.\n"
	"\n"
	"  --app-token TOKEN   the app-level token, xapp-..., with connections:write\n"
	"                      (default: $SLACKLOG_APP_TOKEN)\n"
	"  --token TOKEN       a bot token, xoxb-..., for the backfill (default:\n"
	"                      $SLACKLOG_TOKEN; without one, gaps are possible)\n"
	"  --db FILE           the archive (default: $SLACKLOG_DB, else ./slacklog.db)\n"
	"  --log-dir DIR       also append each event to DIR/YYYY-MM-DD.jsonl (the\n"
	"                      archive's days), which `slacklog ingest` reads back\n"
	"  --api-url URL       the Web API (default: https://slack.com/api/)\n"
	"  --min-interval SECS the backfill's pace, as for sync\n"
	"  --thread-window DAYS  threads the backfill looks at again, as for sync (30)\n"
	"  -q, --quiet         print errors only\n"
	"  -v, --verbose       say more (each retried or ignored envelope)\n"
	"\n"
	"Exit status: 0 stopped by a signal, 2 failed (a token refused, Socket Mode\n"
	"turned off for the app, the archive or the log directory unusable).\n";

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* A copy of a secret argument, whose bytes in the process's arguments
 * (what ps and /proc/PID/cmdline show) are blanked. */
static char *secret(char *arg)
{
	char *copy = xstrdup(arg);
	memset(arg, 'x', strlen(arg));
	return copy;
}

static int listen_run(const char *db, const sm_opts *o)
{
	struct sigaction sa = {0};
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	store_t *s = ev_open_archive(db);
	if (!s)
		return EXIT_FAIL;
	int rc = sm_run(s, o, &stop);
	store_close(s);
	if (rc == 0)
		log_info("stopped");
	return rc == 0 ? EXIT_OK : EXIT_FAIL;
}

int cmd_listen(int argc, char **argv)
{
	static const cli_opt opts[] = {
		{"--db", true, 'd'}, {"--app-token", true, 'a'}, {"--token", true, 't'}, {"--log-dir", true, 'l'},
		{"--api-url", true, 'u'}, {"--min-interval", true, 'i'}, {"--thread-window", true, 'w'},
		{"--quiet", false, 'q'}, {"--verbose", false, 'v'}, {"--help", false, 'h'}, {NULL, false, 0},
	};
	cli_args a = {.cmd = "listen", .opts = opts, .shorts = "qvh", .argc = argc, .argv = argv};
	const char *db = NULL, *url = "https://slack.com/api/";
	char *app = NULL, *bot = NULL;
	sm_opts o = {.min_interval = -1, .thread_window = 30 * 86400};
	double days;
	int c, status = -1;
	while (status < 0 && (c = cli_next(&a)) != CLI_END) {
		switch (c) {
		case 'd': db = a.val; break;
		case 'a': free(app); app = secret((char *)a.val); break;
		case 't': free(bot); bot = secret((char *)a.val); break;
		case 'l': o.log_dir = a.val; break;
		case 'u': url = a.val; break;
		case 'i': o.min_interval = atof(a.val); break;
		case 'w':
			days = atof(a.val);
			if (days < 0 || days > 36500)
				status = cli_usage_error("listen", "--thread-window must be between 0 and 36500 days");
			o.thread_window = (int64_t)(days * 86400);
			break;
		case 'q': cli_verbosity = 0; break;
		case 'v': cli_verbosity = 2; break;
		case 'h': status = cli_help(usage); break;
		default: status = EXIT_FAIL;
		}
	}
	char base[1024];
	const char *app_env = getenv("SLACKLOG_APP_TOKEN"), *bot_env = getenv("SLACKLOG_TOKEN");
	if (status < 0 && a.nargs)
		status = cli_usage_error("listen", "unexpected argument '%s'", argv[0]);
	if (status < 0 && !(app && *app) && !(app_env && *app_env))
		status = cli_usage_error("listen", "no app-level token: give --app-token or set SLACKLOG_APP_TOKEN");
	if (status < 0 && cli_api_base(url, base, sizeof base) != 0)
		status = cli_usage_error("listen", "--api-url must be an http:// or https:// URL");
	if (status < 0) {
		o.db = cli_db_path(db);
		o.api_url = base;
		o.app_token = app && *app ? app : app_env;
		o.bot_token = bot && *bot ? bot : bot_env && *bot_env ? bot_env : NULL;
		status = listen_run(o.db, &o);
	}
	free(app);
	free(bot);
	return status;
}
