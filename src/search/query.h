/* query.h: Slack's search syntax, parsed into a tree.
 *
 *   words              all must match          deploy failed
 *   "exact phrase"     words in this order     "connection refused"
 *   -word, -"phrase"   must not match          deploy -staging
 *   a OR b             either (binds tighter   deploy staging OR prod
 *                      than the implicit AND)
 *   prefix*            words starting so       deploy*
 *   from:@name from:name from:U123             author (any of several)
 *   in:#channel in:channel                     channel (any of several)
 *   before: after: on: during:  YYYY, YYYY-MM or YYYY-MM-DD (the archive's days)
 *   has:link has:file has:reaction is:thread
 *   sort:relevance (default) sort:new sort:old
 *
 * The parser never hands text to FTS5 as syntax: query_fts() writes every
 * term as a quoted FTS5 string, so NEAR(, ^, :, {} and quotes in the
 * input are only characters. Anything it cannot read is an error with a
 * message meant for the person who typed the query, and the same errors
 * are given by the command line, the web page and the API:
 *   unbalanced quotes; OR without a term on each side; a lone - or *;
 *   an unknown filter (foo:bar; quote it to search for the text); a filter
 *   without a value or with a bad one; an empty query; more than
 *   QUERY_MAX_BYTES bytes or QUERY_MAX_TERMS terms; invalid UTF-8.
 * Words made only of punctuation (^, {}, ;) have nothing to search for
 * and are dropped; a query left with nothing at all is an error. */
#ifndef SLACKLOG_QUERY_H
#define SLACKLOG_QUERY_H
#include <stdbool.h>
#include <stddef.h>
#include "lib/arena.h"
#include "lib/buf.h"

enum { QUERY_MAX_BYTES = 1000, QUERY_MAX_TERMS = 32 };

typedef enum { QN_TERM, QN_AND, QN_OR, QN_NOT } qn_kind;

typedef struct qnode {
	qn_kind kind;
	const char *text;        /* QN_TERM: the word or phrase, unquoted */
	bool phrase, prefix;     /* QN_TERM: was quoted; ends with * */
	struct qnode **kids;     /* QN_AND, QN_OR: two or more; QN_NOT: one */
	size_t nkids;
} qnode;

typedef struct query {
	qnode *root;             /* QN_AND of the clauses; NULL: filters only */
	const char **from;       /* as written, without the @ */
	size_t nfrom;
	const char **in;         /* as written, without the # */
	size_t nin;
	char day_from[11];       /* day >= day_from, "" when open ("2016", "2016-03", ...) */
	char day_to[11];         /* day < day_to, "" when open */
	bool has_link, has_file, has_reaction, is_thread;
	int sort;                /* ST_SORT_* */
} query;

/* Parse; 0 on success, -1 with err filled with a message for the user.
 * The query's strings live in a. */
int query_parse(arena_t *a, const char *text, size_t len, query *q, char *err, size_t errlen);

/* The FTS5 MATCH expression of the clauses that must match, and of those
 * that must not when nothing must match (-word alone). Either may come out
 * empty. */
void query_fts(const query *q, buf_t *match, buf_t *exclude);

/* The tree as an S-expression, for tests and --debug:
 * (and "a" (or "b" "c"*) (not "d e")) plus filters. */
void query_describe(const query *q, buf_t *out);
#endif
