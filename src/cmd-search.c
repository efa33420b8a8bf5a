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
	"  --limit N     results to show, from 1 to 100 (default 20)\n"
	"  --offset N    skip the first N results, from 0 to 100000 (the next page)\n"
	"\n"
	"Exit status: 0 with results or none, 2 when the query cannot be read\n"
	"(the message says why) or the archive cannot be opened.\n";

static int number(const char *opt, const char *v, int min, int max, int *out)
{
	char *end;
	long n = strtol(v, &end, 10);
	if (!*v || *end || n < min || n > max)
		return cli_usage_error("search", "%s must be a number from %d to %d", opt, min, max);
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
	static const cli_opt opts[] = {
		{"--db", true, 'd'}, {"--json", false, 'j'}, {"--limit", true, 'l'}, {"--offset", true, 'o'},
		{"--help", false, 'h'}, {NULL, false, 0},
	};
	cli_args a = {.cmd = "search", .opts = opts, .shorts = "h", .dash_args = true, .argc = argc, .argv = argv};
	int c;
	while ((c = cli_next(&a)) != CLI_END) {
		switch (c) {
		case 'd': *db = a.val; break;
		case 'j': *json = true; break;
		case 'l':
			if (number("--limit", a.val, 1, SEARCH_LIMIT_MAX, &req->limit))
				return -1;
			break;
		case 'o':
			if (number("--offset", a.val, 0, SEARCH_OFFSET_MAX, &req->offset))
				return -1;
			break;
		case 'h': return cli_help(usage), 1;
		default: return -1;
		}
	}
	for (int i = 0; i < a.nargs; i++)
		buf_printf(q, "%s%s", q->len ? " " : "", argv[i]);
	return 0;
}

int cmd_search(int argc, char **argv)
{
	const char *db = NULL;
	bool json = false;
	search_req req = {0};
	buf_t q = BUF_INIT;
	int rc = parse_args(argc, argv, &db, &json, &req, &q);
	if (rc) {
		buf_free(&q);
		return rc > 0 ? EXIT_OK : EXIT_FAIL;
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
	rc = search_run(s, &a, &req, &r);
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
