/* search-rank.c: slacklog_rank(search, window, phrases), the relevance of
 * a hit.
 *
 * Okapi BM25 as FTS5's own bm25() computes it (k1 = 1.2, b = 0.75, the
 * same IDF, lower is better), with three differences that keep a query's
 * cost bounded by the page it returns rather than by how common its words
 * are:
 *
 * - Only the body column counts: phrase instances and the document length
 *   are the text's, so the filter tokens of the meta column neither score
 *   nor lengthen a message.
 * - A phrase's document frequency is counted up to RANK_DF_MAX rows.
 *   bm25() walks every row of every phrase to compute its IDF, 10-40 ms
 *   per common word on a million messages, before the first hit is
 *   ranked. Past the bound every phrase weighs log(rows / RANK_DF_MAX):
 *   common words tie with each other and still weigh far less than rare
 *   ones.
 * - With one phrase in the query's words (the third argument), the IDF
 *   is the same for every hit and is not computed: a phrase of common
 *   words with few hits would cost a second pass over both doclists.
 * - After `window` rows the function returns NULL without looking at the
 *   row: the query walks hits newest first and ranks only the first
 *   `window` of them (search-query.c), while the rest of the walk only
 *   counts.
 *
 * The IDFs, the average length and the call count live in the cursor's
 * auxiliary data, so they are computed once per query. */
#include "store/sqlite-int.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { RANK_DF_MAX = 4000 };

typedef struct rank_state {
	int calls;
	int nphrase;
	bool weigh;                      /* phrases weigh by their IDF */
	double rows, avglen;
	double *idf;                     /* < 0: not computed yet */
	int *freq;
} rank_state;

static void state_free(void *p)
{
	rank_state *st = p;
	sqlite3_free(st->idf);
	sqlite3_free(st->freq);
	sqlite3_free(st);
}

static rank_state *state_new(const Fts5ExtensionApi *api, Fts5Context *fts)
{
	rank_state *st = sqlite3_malloc(sizeof *st);
	if (!st)
		return NULL;
	memset(st, 0, sizeof *st);
	st->nphrase = api->xPhraseCount(fts);
	st->idf = sqlite3_malloc64(sizeof *st->idf * (size_t)(st->nphrase + 1));
	st->freq = sqlite3_malloc64(sizeof *st->freq * (size_t)(st->nphrase + 1));
	sqlite3_int64 rows = 0, total = 0;
	if (!st->idf || !st->freq || api->xRowCount(fts, &rows) != SQLITE_OK ||
	    api->xColumnTotalSize(fts, 0, &total) != SQLITE_OK) {
		state_free(st);
		return NULL;
	}
	for (int i = 0; i < st->nphrase; i++)
		st->idf[i] = -1;
	st->rows = (double)rows;
	st->avglen = rows > 0 ? (double)total / (double)rows : 1;
	if (st->avglen <= 0)
		st->avglen = 1;
	if (api->xSetAuxdata(fts, st, state_free) != SQLITE_OK)
		return NULL;                 /* xSetAuxdata freed it */
	return st;
}

static int count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *p)
{
	(void)api;
	(void)fts;
	return ++*(int *)p >= RANK_DF_MAX ? SQLITE_DONE : SQLITE_OK;
}

static double idf(const Fts5ExtensionApi *api, Fts5Context *fts, rank_state *st, int phrase)
{
	if (st->idf[phrase] >= 0)
		return st->idf[phrase];
	int hits = 0;
	if (api->xQueryPhrase(fts, phrase, &hits, count_row) != SQLITE_OK)
		hits = RANK_DF_MAX;
	double v = log((st->rows - hits + 0.5) / (hits + 0.5));
	return st->idf[phrase] = v > 1e-6 ? v : 1e-6;
}

static void rank_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nval,
		    sqlite3_value **val)
{
	rank_state *st = api->xGetAuxdata(fts, 0);
	if (!st && !(st = state_new(api, fts))) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	st->weigh = nval < 2 || sqlite3_value_int(val[1]) > 1;
	if (nval > 0 && ++st->calls > sqlite3_value_int(val[0])) {
		sqlite3_result_null(ctx);
		return;
	}
	int ninst = 0, len = 0;
	if (api->xInstCount(fts, &ninst) != SQLITE_OK || api->xColumnSize(fts, 0, &len) != SQLITE_OK) {
		sqlite3_result_error(ctx, "cannot rank a search hit", -1);
		return;
	}
	memset(st->freq, 0, sizeof *st->freq * (size_t)st->nphrase);
	for (int i = 0; i < ninst; i++) {
		int phrase, column, offset;
		if (api->xInst(fts, i, &phrase, &column, &offset) == SQLITE_OK && column == 0 && phrase < st->nphrase)
			st->freq[phrase]++;
	}
	const double k1 = 1.2, b = 0.75;
	double score = 0;
	for (int i = 0; i < st->nphrase; i++) {
		if (!st->freq[i])
			continue;
		double f = st->freq[i];
		score += (st->weigh ? idf(api, fts, st, i) : 1) * f * (k1 + 1) / (f + k1 * (1 - b + b * len / st->avglen));
	}
	sqlite3_result_double(ctx, -score);
}

int search_rank_register(fts5_api *api)
{
	return api->xCreateFunction(api, "slacklog_rank", NULL, rank_fn, NULL);
}
