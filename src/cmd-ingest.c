/* cmd-ingest.c: `slacklog ingest [--db FILE] [--follow] PATH...`: event
 * logs into the archive.
 *
 * Lines are applied (src/ingest/events.c) in transactions of up to
 * COMMIT_EVENTS events; with --follow, whatever a poll found is committed
 * before sleeping, so an event written to a log is in the archive within
 * about one poll interval. SIGINT and SIGTERM end the loop between polls:
 * the open transaction is committed and the archive closed cleanly. */
#include "cmd.h"
#include "cli.h"
#include "moderation.h"
#include "ingest/events.h"
#include "ingest/evlog.h"
#include "ingest/meta.h"
#include "lib/ts.h"
#include "store/store.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

enum { COMMIT_EVENTS = 5000 };
#define SNAPSHOT_MAX ((size_t)256 << 20)

static const char usage[] =
	"usage: slacklog ingest [--db FILE] [--follow] [--interval SECONDS] [--quiet|--verbose] PATH...\n"
	"\n"
	"Apply Slack event logs to the archive. PATH is a log file (JSON Lines: one\n"
	"event per line, bare RTM events, Events API envelopes or Socket Mode\n"
	"envelopes; .txt, .jsonl or .json, perhaps .gz) or a directory of them, read\n"
	"in name order after the users.json and channels.json of their directory\n"
	"(or of the one above it). Replaying logs changes nothing; logs read in any\n"
	"order give the same archive. An export is read by 'slacklog import'.\n"
	"\n"
	"  --db FILE         the archive (default: $SLACKLOG_DB, else ./slacklog.db)\n"
	"  -f, --follow      keep reading files as they grow, and new files in the\n"
	"                    directories, until SIGINT or SIGTERM\n"
	"  --interval SECS   how often --follow looks for new lines (default 0.5)\n"
	"  -q, --quiet       print errors only\n"
	"  -v, --verbose     also say what is skipped\n"
	"\n"
	"Exit status: 0 applied cleanly, 1 applied with warnings (bad lines were\n"
	"skipped), 2 failed.\n";

typedef struct ingest {
	store_t *s;
	ev *e;
	warner w;
	bool in_tx, failed;
	uint64_t uncommitted, warnings;
	progress prog;
	char unnamed[1024];          /* the warning that names will be IDs */
} ingest;

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void print_warning(void *ctx, const char *msg)
{
	ingest *in = ctx;
	in->warnings++;
	progress_end(&in->prog);
	log_warn("%s", msg);
}

static int commit(ingest *in)
{
	if (!in->in_tx)
		return 0;
	in->in_tx = false;
	in->uncommitted = 0;
	if (store_commit(in->s) == 0)
		return 0;
	log_err("committing: %s", store_errmsg(in->s));
	in->failed = true;
	return -1;
}

static int begin(ingest *in)
{
	if (in->in_tx)
		return 0;
	if (store_begin(in->s) != 0) {
		log_err("starting a transaction: %s", store_errmsg(in->s));
		in->failed = true;
		return -1;
	}
	in->in_tx = true;
	return 0;
}

static bool blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return false;
	return true;
}

static int on_line(void *ctx, const char *line, size_t len, const char *file, size_t lineno)
{
	ingest *in = ctx;
	if (blank(line, len))
		return 0;
	if (begin(in) != 0)
		return 1;
	char where[1200];
	snprintf(where, sizeof where, "%s:%zu", file, lineno);
	if (ev_apply_text(in->e, line, len, where) == EV_FAILED) {
		in->failed = true;
		return 1;
	}
	if (++in->uncommitted >= COMMIT_EVENTS && commit(in) != 0)
		return 1;
	if (in->prog.on && (in->uncommitted & 255) == 0)
		progress_update(&in->prog, 0, 0, ev_counts_of(in->e)->events, "events");
	return 0;
}

static int read_whole(const char *path, buf_t *b)
{
	gzFile z = gzopen(path, "rb");
	if (!z)
		return -1;
	char chunk[65536];
	int n;
	while ((n = gzread(z, chunk, sizeof chunk)) > 0 && b->len < SNAPSHOT_MAX)
		buf_put(b, chunk, (size_t)n);
	gzclose(z);
	return n < 0 ? -1 : 0;
}

static int on_snapshot(void *ctx, const char *path, int which)
{
	ingest *in = ctx;
	buf_t b = BUF_INIT;
	if (read_whole(path, &b) != 0) {
		warnf(&in->w, "%s: cannot read it", path);
		buf_free(&b);
		return 0;
	}
	int rc = begin(in) == 0 ? ev_snapshot(in->e, buf_str(&b), b.len, which, path) : EV_FAILED;
	buf_free(&b);
	if (rc == EV_FAILED) {
		in->failed = true;
		return 1;
	}
	return commit(in) != 0;
}

static void summary(const ev_counts *n, double secs)
{
	printf("ingest: %llu events: %llu messages stored, %llu deleted, %llu reaction changes, "
	       "%llu conversation changes, %llu users, %llu emoji, %llu memberships; %llu older changes ignored, "
	       "%llu skipped, %llu bad, in %.2fs\n",
	       (unsigned long long)n->events, (unsigned long long)n->messages, (unsigned long long)n->deleted,
	       (unsigned long long)n->reactions, (unsigned long long)n->channels, (unsigned long long)n->users,
	       (unsigned long long)n->emoji, (unsigned long long)n->members, (unsigned long long)n->older,
	       (unsigned long long)n->skipped, (unsigned long long)n->bad, secs);
}

static void follow(ingest *in, evlog *l, double interval)
{
	struct sigaction sa = {0};
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	log_info("following %zu log files; SIGINT or SIGTERM stops", evlog_files(l));
	while (!stop && !in->failed) {
		struct timespec ts = {(time_t)interval, (long)((interval - (double)(time_t)interval) * 1e9)};
		nanosleep(&ts, NULL);
		if (stop)
			break;
		if (evlog_poll(l, false) != 0 || commit(in) != 0)
			break;
	}
	/* what was written before the signal */
	if (!in->failed && evlog_poll(l, false) == 0)
		commit(in);
}

/* Something was written besides the archive's zone. */
static bool changed(const ev_counts *n)
{
	return n->messages || n->deleted || n->reactions || n->channels || n->users || n->emoji || n->members;
}

/* The archive knows nobody (no conversations) yet and no users.json
 * (channels.json) came with path's logs: every name will be an ID. What
 * to say, once, if their events are read. */
static void note_unnamed(ingest *in, const char *path, int found)
{
	st_totals t;
	if (in->unnamed[0] || ((found & EV_SNAP_USERS) && (found & EV_SNAP_CHANNELS)) || store_totals(in->s, &t) != 0)
		return;
	bool users = !(found & EV_SNAP_USERS) && t.users == 0, convs = !(found & EV_SNAP_CHANNELS) && t.channels == 0;
	if (!users && !convs)
		return;
	snprintf(in->unnamed, sizeof in->unnamed,
		 "%s: no %s beside it or in the directory above, and the archive has no %s yet: %s; put Slack's "
		 "users.json and channels.json beside the logs, import the workspace's export first, or run "
		 "'slacklog sync --token TOKEN'", path,
		 users && convs ? "users.json or channels.json" : users ? "users.json" : "channels.json",
		 users && convs ? "users or conversations" : users ? "users" : "conversations",
		 users && convs ? "people are shown as their IDs, and conversations named by their IDs and unpublished"
		 : users ? "people are shown as their IDs" : "conversations are named by their IDs and unpublished");
}

static int add_paths(ingest *in, evlog *l, char **paths, int npaths)
{
	int status = EXIT_OK;
	for (int i = 0; i < npaths && !in->failed; i++) {
		char err[1200];
		int found = evlog_add(l, paths[i], err, sizeof err);
		if (found == EVLOG_STOPPED) {
			in->failed = true;
		} else if (found < 0) {
			log_err("%s", err);
			status = EXIT_FAIL;
		} else {
			note_unnamed(in, paths[i], found);
		}
	}
	return status;
}

static int run(ingest *in, char **paths, int npaths, bool following, double interval)
{
	evlog *l = evlog_new(on_line, on_snapshot, in, &in->w);
	int status = add_paths(in, l, paths, npaths);
	double start = now_seconds();
	progress_start(&in->prog, "ingesting");
	if (!in->failed && evlog_poll(l, !following) == 0)
		commit(in);
	progress_end(&in->prog);
	/* advice, not input skipped or repaired: the exit status stays */
	if (in->unnamed[0] && (following || changed(ev_counts_of(in->e))))
		log_warn("%s", in->unnamed);
	if (following && !in->failed)
		follow(in, l, interval);
	commit(in);
	if (in->in_tx)
		store_rollback(in->s);
	if (evlog_refused(l))
		status = EXIT_FAIL;
	evlog_free(l);
	if (cli_verbosity >= 1)
		summary(ev_counts_of(in->e), now_seconds() - start);
	if (in->failed)
		return EXIT_FAIL;
	return status != EXIT_OK ? status : in->warnings ? EXIT_WARN : EXIT_OK;
}

/* An export, or a file of one, is refused before the archive is even
 * opened: it is for `slacklog import`. */
static bool refuse_export(const char *path)
{
	char *export = NULL;
	const char *part = meta_is_export(path) ? "" : meta_export_part(path, &export);
	if (part && !*part)
		log_err("%s: this is a Slack export (users.json, channels.json and a folder of day files per channel), "
			"not an event log: use 'slacklog import %s'", path, path);
	else if (part && export)
		log_err("%s: %s of the Slack export %s, not an event log: use 'slacklog import %s'", path, part, export,
			export);
	bool refused = part && (!*part || export);
	free(export);
	return refused;
}

int cmd_ingest(int argc, char **argv)
{
	static const cli_opt opts[] = {
		{"--db", true, 'd'}, {"--follow", false, 'f'}, {"--interval", true, 'i'}, {"--quiet", false, 'q'},
		{"--verbose", false, 'v'}, {"--help", false, 'h'}, {NULL, false, 0},
	};
	cli_args a = {.cmd = "ingest", .opts = opts, .shorts = "fqvh", .argc = argc, .argv = argv};
	const char *db = NULL;
	bool following = false;
	double interval = 0.5;
	int c;
	while ((c = cli_next(&a)) != CLI_END) {
		switch (c) {
		case 'd': db = a.val; break;
		case 'f': following = true; break;
		case 'i': interval = atof(a.val); break;
		case 'q': cli_verbosity = 0; break;
		case 'v': cli_verbosity = 2; break;
		case 'h': return cli_help(usage);
		default: return EXIT_FAIL;
		}
	}
	if (!a.nargs)
		return cli_usage_error("ingest", "no PATH given");
	if (interval < 0.01 || interval > 3600)
		return cli_usage_error("ingest", "--interval must be between 0.01 and 3600 seconds");
	for (int i = 0; i < a.nargs; i++)
		if (refuse_export(argv[i]))
			return EXIT_FAIL;
	const char *path = cli_db_path(db);
	bool existed = access(path, F_OK) == 0;
	store_t *s = ev_open_archive(path);
	if (!s)
		return EXIT_FAIL;
	if (moderation_index_current(s) != 0) {
		store_close(s);
		return EXIT_FAIL;
	}
	ingest in = {.s = s};
	in.w.fn = print_warning;
	in.w.ctx = &in;
	in.e = ev_new(s, &in.w);
	int status = run(&in, argv, a.nargs, following, interval);
	bool stored = changed(ev_counts_of(in.e));
	ev_free(in.e);
	store_close(s);
	/* an archive made for nothing (a mistyped path) is not left behind */
	if (!existed && !stored)
		store_remove(path);
	return status;
}
