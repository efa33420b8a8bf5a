/* cmd-serve.c: `slacklog serve`, the web archive over HTTP.
 *
 * Settings come from flags, SLACKLOG_* variables and slacklog.conf (see
 * web/conf.h). The main thread only waits for signals: SIGTERM and SIGINT
 * stop the server gracefully (requests in flight finish), SIGHUP re-reads
 * the settings and reopens the access log. libmicrohttpd's worker threads
 * answer requests; the signals are blocked in them. */
#include "cmd.h"
#include "cli.h"
#include "pages/pages.h"
#include "web/accesslog.h"
#include "web/conf.h"
#include "web/server.h"
#include "lib/buf.h"
#include "moderation.h"
#include "settings.h"
#include <pthread.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"usage: slacklog serve [--db FILE] [--listen HOST:PORT] [--base-url URL]\n"
	"                      [--config FILE] [--access-log FILE] [--threads N]\n"
	"                      [--cache-mb N] [--search-url URL] [-q]\n"
	"\n"
	"Serve the archive at http://127.0.0.1:8080/ (or --listen; port 0 picks a\n"
	"free one). Every setting can also come from the environment (SLACKLOG_DB,\n"
	"SLACKLOG_LISTEN, SLACKLOG_BASE_URL, SLACKLOG_CONFIG, SLACKLOG_ACCESS_LOG, ...)\n"
	"or from slacklog.conf (see docs/slacklog.conf.example); flags win over the\n"
	"environment, which wins over the file.\n"
	"\n"
	"  --db FILE          the archive (default: $SLACKLOG_DB, else ./slacklog.db)\n"
	"  --listen HOST:PORT address to listen on (default 127.0.0.1:8080)\n"
	"  --base-url URL     public address, for canonical links and a path prefix\n"
	"  --config FILE      settings file (default: ./slacklog.conf if present)\n"
	"  --access-log FILE  one line per request (default: stderr; '-' too)\n"
	"  --threads N        worker threads (default: one per core)\n"
	"  --cache-mb N       memory for finished pages (default 64; 0: build every\n"
	"                     answer afresh)\n"
	"  --search-url URL   where the search box sends queries ('off': no box)\n"
	"  -q, --quiet        no access log; only errors and the address\n"
	"\n"
	"Signals: SIGTERM/SIGINT stop gracefully; SIGHUP reloads the settings\n"
	"(and applies the publish/unpublish lists) and reopens the access log.\n"
	"GET /healthz answers \"ok\" when the archive can be read.\n";

enum { MAX_FLAGS = 16 };

static const struct {
	const char *flag, *key;
} flag_keys[] = {
	{"--db", "db"}, {"--listen", "listen"}, {"--base-url", "base_url"}, {"--config", "config"},
	{"--access-log", "access_log"}, {"--threads", "threads"}, {"--search-url", "search_url"},
	{"--cache-mb", "cache_mb"},
};

static int parse_args(int argc, char **argv, conf_flag *flags, size_t *n, bool *quiet)
{
	*n = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help"))
			return cli_help(usage), 1;
		if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			*quiet = true;
			continue;
		}
		size_t k = 0, nk = sizeof flag_keys / sizeof *flag_keys;
		const char *val = NULL;
		for (; k < nk; k++) {
			size_t fl = strlen(flag_keys[k].flag);
			if (!strncmp(a, flag_keys[k].flag, fl) && a[fl] == '=') {
				val = a + fl + 1;
				break;
			}
			if (!strcmp(a, flag_keys[k].flag)) {
				if (i + 1 >= argc)
					return cli_usage_error("serve", "%s needs a value", a), -1;
				val = argv[++i];
				break;
			}
		}
		if (k == nk)
			return cli_usage_error("serve", "unknown option '%s'", a), -1;
		if (*n == MAX_FLAGS)
			return cli_usage_error("serve", "too many options"), -1;
		if (settings_check_flag("serve", flag_keys[k].flag, flag_keys[k].key, val) < 0)
			return -1;
		flags[(*n)++] = (conf_flag){flag_keys[k].key, val};
	}
	return 0;
}

/* The archive follows the settings' publish and unpublish lists (a
 * short-lived write handle: the server's own are read-only). An archive
 * that cannot be written keeps its policy; pages still honour unpublish. */
static void publish_policy(const conf_t *c)
{
	if (access(c->db, W_OK) != 0) {
		if (c->publish && c->publish[0])
			log_warn("%s is read-only: the publish list is not applied", c->db);
		return;
	}
	int n = moderation_publish(c->db, c->publish, c->unpublish);
	if (n > 0)
		log_info("publish policy: %d channel%s changed", n, n == 1 ? "" : "s");
}

/* The settings, all layers; db defaults like every other command's. */
static conf_t *settings(const conf_flag *flags, size_t n)
{
	char err[512];
	conf_t *c = conf_build(flags, n, err, sizeof err);
	if (!c) {
		log_err("%s", err);
		return NULL;
	}
	if (!c->db) {
		c->db = xstrdup(cli_db_path(NULL));
	}
	return c;
}

static void reload(site_t *site, accesslog_t *log, const conf_flag *flags, size_t n, bool quiet)
{
	conf_t *c = settings(flags, n);
	if (!c) {
		log_err("reload failed: keeping the current settings");
		return;
	}
	publish_policy(c);
	char err[512];
	if (log && !quiet && accesslog_reopen(log, c->access_log, err, sizeof err) < 0)
		log_err("%s", err);
	site_reconf(site, c);
	log_info("settings reloaded");
}

int cmd_serve(int argc, char **argv)
{
	conf_flag flags[MAX_FLAGS];
	size_t nflags;
	bool quiet = false;
	int rc = parse_args(argc, argv, flags, &nflags, &quiet);
	if (rc)
		return rc > 0 ? EXIT_OK : EXIT_FAIL;
	if (quiet)
		cli_verbosity = 0;

	/* Pages allocate and free the same few hundred kilobytes per request:
	 * keep glibc from handing that memory back to the kernel after each
	 * one (madvise and the TLB flushes cost more than building the page). */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 4 << 20);

	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	conf_t *c = settings(flags, nflags);
	if (!c)
		return EXIT_FAIL;
	if (access(c->db, R_OK) != 0) {
		log_err("no archive at %s: run 'slacklog import EXPORT' first, or give --db", c->db);
		conf_free(c);
		return EXIT_FAIL;
	}
	publish_policy(c);
	char err[512];
	accesslog_t *log = quiet ? NULL : accesslog_open(c->access_log, err, sizeof err);
	if (!quiet && !log) {
		log_err("%s", err);
		conf_free(c);
		return EXIT_FAIL;
	}
	char db[4096], listen[256];
	snprintf(db, sizeof db, "%s", c->db);
	snprintf(listen, sizeof listen, "%s", c->listen);
	/* mapped, the database's pages would count in the server's RSS (the
	 * first request's channel list alone touches hundreds of megabytes
	 * of a big archive); SQLite's page cache is enough for pages */
	c->no_mmap = true;
	site_t *site = site_new(c, err, sizeof err);   /* owns c from here */
	if (!site) {
		log_err("%s: %s", db, err);
		accesslog_close(log);
		return EXIT_FAIL;
	}
	server_t *srv = server_start(site, log, c, err, sizeof err);
	if (!srv) {
		log_err("%s", err);
		site_free(site);
		accesslog_close(log);
		return EXIT_FAIL;
	}
	const char *colon = strrchr(listen, ':');
	/* said even when quiet: with port 0 it is the only way to learn it */
	fprintf(stderr, "slacklog: serving %s on http://%.*s:%u/\n", db, colon ? (int)(colon - listen) : 0, listen,
		server_port(srv));
	for (;;) {
		int sig = 0;
		if (sigwait(&set, &sig) != 0)
			break;
		if (sig != SIGHUP)
			break;
		reload(site, log, flags, nflags, quiet);
	}
	log_info("stopping");
	server_stop(srv);
	site_free(site);
	accesslog_close(log);
	return EXIT_OK;
}
