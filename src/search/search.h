/* search.h: run a search query against the archive, and write results.
 *
 * The one path every caller takes (slacklog search, the web page /?q=,
 * the JSON API): parse the text (query.h), resolve from: and in: against
 * the users and published channels, hand the store an st_search, and
 * write the hits as the JSON object the CLI and the API share. A query
 * the user got wrong is SEARCH_BAD with a message to show them; only a
 * broken archive is SEARCH_ERROR. */
#ifndef SLACKLOG_SEARCH_H
#define SLACKLOG_SEARCH_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lib/arena.h"
#include "lib/buf.h"
#include "store/store.h"

enum { SEARCH_LIMIT_DEFAULT = 20, SEARCH_LIMIT_MAX = 100, SEARCH_OFFSET_MAX = 100000 };
/* Hits are counted up to this many; past it the total says "more than". */
enum { SEARCH_COUNT_MAX = 10000 };
enum { SEARCH_OK = 0, SEARCH_BAD = 1, SEARCH_ERROR = -1 };

typedef struct search_req {
	const char *q;               /* the query text as typed */
	size_t qlen;
	const char *channel;         /* scope to this channel name (/{channel}/?q=), or NULL */
	int limit, offset;           /* 0: defaults */
} search_req;

typedef struct search_res {
	st_hit *hits;
	size_t n;
	int64_t total;
	bool total_capped;           /* there are more than total hits (not all counted) */
	int limit, offset;
	int sort;                    /* ST_SORT_*: the order of the hits (a query of
				      * filters alone is listed newest first) */
	char err[512];               /* SEARCH_BAD / SEARCH_ERROR: what went wrong */
} search_res;

int search_run(store_t *s, arena_t *a, const search_req *r, search_res *out);
/* Parse only (before opening an archive): SEARCH_OK or SEARCH_BAD with err. */
int search_check(const char *q, size_t qlen, char *err, size_t errlen);

/* {"total": N, "results": [{"channel", "ts", "day", "user", "snippet", "url"}]}
 * The snippet is HTML: the text escaped, matches inside <mark></mark>.
 * When not every hit was counted, "total_capped": true follows "total":
 * there are more than N. Each url starts with prefix (the path of the
 * site's base_url, "" or NULL for the archive's root, as the CLI prints). */
void search_json(buf_t *b, const search_res *r, const char *prefix);
/* The URL of a hit: /{channel}/{page_day}/#p{ts without the dot}. */
void search_hit_url(buf_t *b, const st_hit *h);
/* A snippet as HTML: escaped first, then the marks become <mark>. */
void search_snippet_html(buf_t *b, const char *snippet);
#endif
