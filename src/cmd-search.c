/* cmd-search.c: `slacklog search`, the archive's search from a terminal.
 *
 * The arguments are joined with spaces into one query (so both
 * `search deploy in:#ops` and `search 'deploy in:#ops'` work) and run
 * through search_run(), the code the web page and the API use. Output is
 * one block per hit, or with --json the API's object. A query the user got
 * wrong exits 2 with the parser's message; no hits is not an error. */
#include "cli.h"
#include "cmd.h"
#include "search/search.h"
#include "lib/ts.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"usage: slacklog search [--db FILE] [--json] [--limit N] [--offset N] QUERY...\n"
	"\n"
	"Search the archive's public channels. The arguments form one query:\n"
	"  words                 every word must match (case and accents do not matter)\n"
	"  \"exact phrase\"        the words in this order\n"
	"  -word  -\"phrase\"      leave out messages that match\n"
	"  a OR b                either of them\n"
	"  prefix*               words that start with prefix\n"
	"  from:@name            by this person (handle, display name or user ID)\n"
	"  in:#channel           in this channel (several in: mean any of them)\n"
	"  before:D after:D on:D during:D   D is YYYY, YYYY-MM or YYYY-MM-DD\n"
	"  has:link has:file has:reaction is:thread\n"
	"  sort:relevance (default) sort:new sort:old\n"
	"A query of filters alone lists the matching messages, newest first.\n"
	"Relevance ranks the newest 2000 hits and lists older ones after them.\n"
	"\n"
	"  --db FILE     the archive (default $SLACKLOG_DB, else ./slacklog.db)\n"
	"  --json        print {\"total\": N, \"results\": [...]}; each result has channel,\n"
	"                ts, day, user, snippet (HTML: escaped, matches in <mark>) and url;\n"
	"                past 10000 hits, \"total_capped\": true says there are more\n"
	"  --limit N     results to show (default 20, at most 100)\n"
	"  --offset N    skip the first N results (the next page)\n"
	"\n"
	"Exit status: 0 with results or none, 2 when the query cannot be read\n"
	"(the message says why) or the archive cannot be opened.\n";

static int number(const char *opt, const char *v, int max, int *out)
{
	char *end;
	long n = v ? strtol(v, &end, 10) : -1;
	if (!v || !*v || *end || n < 0 || n > max)
		return cli_usage_error("search", "%s expects a number from 0 to %d", opt, max);
	*out = (int)n;
	return 0;
}

/* The snippet for a terminal: marks become bold, or *...* when piped. */
static void print_snippet(const char *s, bool tty)
{
	for (; *s; s++) {
		if (*s == ST_MARK_OPEN[0])
			fputs(tty ? "\033[1m" : "*", stdout);
		else if (*s == ST_MARK_CLOSE[0])
			fputs(tty ? "\033[0m" : "*", stdout);
		else if (*s == '\n')
			fputs("\n    ", stdout);
		else
			putchar(*s);
	}
}

static void print_hits(const search_res *r)
{
	bool tty = isatty(STDOUT_FILENO);
	for (size_t i = 0; i < r->n; i++) {
		const st_hit *h = &r->hits[i];
		char clock[6];
		ts_clock(ts_seconds(h->ts), clock);
		printf("#%s  %s %s  %s\n    ", h->channel, h->day, clock, h->user && *h->user ? h->user : "(unknown)");
		print_snippet(h->snippet, tty);
		buf_t url = BUF_INIT;
		search_hit_url(&url, h);
		printf("\n    %s\n\n", buf_str(&url));
		buf_free(&url);
	}
	if (r->total == 0)
		printf("No results.\n");
	else if (r->n == 0)
		printf("No results from %d on (%lld in all).\n", r->offset + 1, (long long)r->total);
	else
		printf("Results %d-%d of %s%lld%s.\n", r->offset + 1, r->offset + (int)r->n,
		       r->total_capped ? "more than " : "", (long long)r->total,
		       r->total_capped || (int64_t)(r->offset + (int)r->n) < r->total ? " (--offset for more)" : "");
}

static int parse_args(int argc, char **argv, const char **db, bool *json, search_req *req, buf_t *q)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--db") == 0 && i + 1 < argc) {
			*db = argv[++i];
		} else if (strcmp(a, "--json") == 0) {
			*json = true;
		} else if (strcmp(a, "--limit") == 0 || strcmp(a, "--offset") == 0) {
			int v = 0;
			if (number(a, i + 1 < argc ? argv[i + 1] : NULL, a[2] == 'l' ? SEARCH_LIMIT_MAX : SEARCH_OFFSET_MAX, &v))
				return -1;
			i++;
			if (a[2] == 'l')
				req->limit = v ? v : -1;
			else
				req->offset = v;
		} else if (strcmp(a, "--") == 0) {
			for (i++; i < argc; i++)
				buf_printf(q, "%s%s", q->len ? " " : "", argv[i]);
		} else if (a[0] == '-' && a[1] == '-') {
			return cli_usage_error("search", "unknown option '%s'", a);
		} else {
			buf_printf(q, "%s%s", q->len ? " " : "", a);
		}
	}
	return 0;
}

int cmd_search(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return cli_help(usage);
	const char *db = NULL;
	bool json = false;
	search_req req = {0};
	buf_t q = BUF_INIT;
	if (parse_args(argc, argv, &db, &json, &req, &q) < 0) {
		buf_free(&q);
		return EXIT_FAIL;
	}
	if (req.limit < 0) {
		buf_free(&q);
		return cli_usage_error("search", "--limit must be at least 1");
	}
	char err[512];
	if (search_check(buf_str(&q), q.len, err, sizeof err) != SEARCH_OK) {
		buf_free(&q);
		log_err("search: %s", err);
		return EXIT_FAIL;
	}
	store_t *s = store_open(cli_db_path(db), STORE_READONLY, err, sizeof err);
	if (!s) {
		buf_free(&q);
		log_err("search: %s", err);
		return EXIT_FAIL;
	}
	arena_t a = {0};
	const char *zone = store_get_setting(s, &a, "time_zone");
	if (zone)
		ts_set_zone(zone);
	req.q = buf_str(&q);
	req.qlen = q.len;
	search_res r;
	int rc = search_run(s, &a, &req, &r);
	if (rc == SEARCH_OK && json) {
		buf_t out = BUF_INIT;
		search_json(&out, &r, NULL);
		puts(buf_str(&out));
		buf_free(&out);
	} else if (rc == SEARCH_OK) {
		print_hits(&r);
	} else {
		log_err("search: %s", r.err);
	}
	arena_free(&a);
	store_close(s);
	buf_free(&q);
	return rc == SEARCH_OK ? EXIT_OK : EXIT_FAIL;
}
