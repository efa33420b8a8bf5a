/* search-bench.c: measurements behind the search design (bench/search).
 *
 *   search-bench load CORPUS.tsv DB [--no-index]
 *       build an archive from a corpus (bench/search-corpus) through
 *       store.h, timing the whole and the indexing alone
 *   search-bench query DB QUERIES [ROUNDS]
 *       run a query mix (class \t query) through search_run() and print
 *       p50/p99 latency per class and overall
 *   search-bench layouts CORPUS.tsv
 *       build FTS5 tables of the corpus text in several layouts and
 *       tokenizers: build time and size of each
 *
 * It links the same library as slacklog; the layouts mode uses SQLite
 * directly because it measures alternatives the store does not use. */
#include "search/search.h"
#include "store/sqlite-int.h"
#include "cli.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { F_CID, F_CNAME, F_TS, F_DAY, F_THREAD, F_UID, F_UNAME, F_LINK, F_FILE, F_REACT, F_PUB, F_TEXT, NF };

static int split(char *line, char *f[NF])
{
	int n = 0;
	f[n++] = line;
	for (char *p = line; *p && n < NF; p++)
		if (*p == '\t') {
			*p = 0;
			f[n++] = p + 1;
		}
	char *nl = strchr(f[n - 1], '\n');
	if (nl)
		*nl = 0;
	return n;
}

static const char *nz(const char *s)
{
	return s && *s ? s : NULL;
}

static int load(const char *corpus, const char *db, bool index)
{
	FILE *in = fopen(corpus, "r");
	if (!in)
		return perror(corpus), 2;
	unlink(db);
	char err[256];
	store_t *s = store_open(db, STORE_CREATE, err, sizeof err);
	if (!s)
		return fprintf(stderr, "%s\n", err), 2;
	char *line = NULL;
	size_t cap = 0;
	double t0 = now_seconds(), tindex = 0;
	long n = 0;
	store_begin(s);
	while (getline(&line, &cap, in) > 0) {
		char *f[NF];
		if (split(line, f) != NF)
			continue;
		st_channel c = {.id = f[F_CID], .name = f[F_CNAME], .kind = f[F_PUB][0] == '1' ? CH_PUBLIC : CH_PRIVATE};
		store_upsert_channel(s, &c);
		if (*f[F_UID]) {
			st_user u = {.id = f[F_UID], .name = f[F_UNAME]};
			store_upsert_user(s, &u);
		}
		st_reaction r = {.name = "+1", .count = 1, .users = "U1"};
		st_message m = {.channel_id = f[F_CID], .ts = f[F_TS], .day = f[F_DAY], .thread_ts = nz(f[F_THREAD]),
				.user_id = nz(f[F_UID]), .text = f[F_TEXT], .has_links = f[F_LINK][0] == '1',
				.has_files = f[F_FILE][0] == '1', .raw = f[F_TEXT], .rawlen = strlen(f[F_TEXT]),
				.reactions = &r, .nreactions = f[F_REACT][0] != '0'};
		int rc = store_upsert_message(s, &m);
		if (index && (rc == ST_INSERTED || rc == ST_UPDATED)) {
			double t1 = now_seconds();
			store_search_index(s, m.channel_id, m.ts, m.text, strlen(m.text));
			tindex += now_seconds() - t1;
		}
		if (++n % 5000 == 0) {
			store_commit(s);
			store_begin(s);
		}
	}
	store_commit(s);
	store_close(s);
	free(line);
	fclose(in);
	printf("load: %ld messages in %.2f s (indexing %.2f s)\n", n, now_seconds() - t0, tindex);
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double pct(double *v, size_t n, double p)
{
	if (!n)
		return 0;
	size_t i = (size_t)(p * (double)(n - 1) + 0.5);
	return v[i];
}

enum { MAXQ = 2000, NCLASS = 8 };

static int query(const char *db, const char *file, int rounds)
{
	char err[256];
	store_t *s = store_open(db, STORE_READONLY, err, sizeof err);
	if (!s)
		return fprintf(stderr, "%s\n", err), 2;
	FILE *in = fopen(file, "r");
	if (!in)
		return perror(file), 2;
	static char cls[MAXQ][32], text[MAXQ][256];
	size_t nq = 0;
	char line[512];
	while (nq < MAXQ && fgets(line, sizeof line, in)) {
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = 0;
		line[strcspn(tab + 1, "\n") + (size_t)(tab + 1 - line)] = 0;
		snprintf(cls[nq], sizeof cls[nq], "%.31s", line);
		snprintf(text[nq], sizeof text[nq], "%.255s", tab + 1);
		nq++;
	}
	fclose(in);
	static double all[MAXQ * 10], per[NCLASS][MAXQ * 10];
	static char names[NCLASS][32];
	size_t nall = 0, nper[NCLASS] = {0}, ncls = 0, bad = 0;
	long long hits = 0;
	arena_t a = {0};
	for (int r = 0; r < rounds; r++)
		for (size_t i = 0; i < nq; i++) {
			size_t c = 0;
			while (c < ncls && strcmp(names[c], cls[i]) != 0)
				c++;
			if (c == ncls && ncls < NCLASS)
				snprintf(names[ncls++], 32, "%s", cls[i]);
			search_req req = {.q = text[i], .qlen = strlen(text[i])};
			search_res res;
			double t0 = now_seconds();
			int rc = search_run(s, &a, &req, &res);
			double ms = (now_seconds() - t0) * 1000;
			if (rc != SEARCH_OK && r == 0)
				fprintf(stderr, "query '%s': %s\n", text[i], res.err), bad++;
			hits += res.total;
			arena_reset(&a);
			all[nall++] = ms;
			if (c < NCLASS)
				per[c][nper[c]++] = ms;
		}
	qsort(all, nall, sizeof *all, cmp_double);
	printf("%-10s %6s %8s %8s %8s\n", "class", "runs", "p50 ms", "p99 ms", "max ms");
	for (size_t c = 0; c < ncls; c++) {
		qsort(per[c], nper[c], sizeof **per, cmp_double);
		printf("%-10s %6zu %8.2f %8.2f %8.2f\n", names[c], nper[c], pct(per[c], nper[c], .5),
		       pct(per[c], nper[c], .99), per[c][nper[c] - 1]);
	}
	printf("%-10s %6zu %8.2f %8.2f %8.2f   (%zu bad queries, %.0f hits per query)\n", "all", nall,
	       pct(all, nall, .5), pct(all, nall, .99), all[nall - 1], bad, (double)hits / (double)nall);
	arena_free(&a);
	store_close(s);
	return 0;
}

/* ---- layouts ---------------------------------------------------------- */

static const struct layout {
	const char *name, *ddl;
} layouts[] = {
	{"regular, slacklog, automerge=8", "CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'slacklog');"
					  "INSERT INTO t(t, rank) VALUES ('automerge', 8)"},
	{"regular, slacklog, automerge=0 + merge", "CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'slacklog');"
						  "INSERT INTO t(t, rank) VALUES ('automerge', 0)"},
	{"regular, unicode61", "CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')"},
	{"regular, slacklog", "CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'slacklog')"},
	{"contentless, slacklog", "CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'slacklog', content = '')"},
	{"external content, slacklog", "CREATE TABLE x(id INTEGER PRIMARY KEY, body TEXT);"
				       "CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'slacklog', content = 'x', content_rowid = 'id')"},
	{"regular, slacklog, detail=column", "CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'slacklog', detail = column)"},
	{"regular, trigram", "CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'trigram')"},
	{"regular, slacklog + trigram column", "CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'slacklog');"
					       "CREATE VIRTUAL TABLE t3 USING fts5(body, tokenize = 'trigram')"},
};

static double cpu_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int64_t db_bytes(sqlite3 *db)
{
	sqlite3_stmt *q;
	int64_t v = 0;
	sqlite3_prepare_v2(db, "SELECT page_count * page_size FROM pragma_page_count, pragma_page_size", -1, &q, NULL);
	if (sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return v;
}

static int layout_one(const struct layout *l, char **texts, size_t n, size_t bytes)
{
	char path[] = "/tmp/search-bench-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	sqlite3 *db;
	sqlite3_open(path, &db);
	search_sqlite_init(db);
	sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
	if (sqlite3_exec(db, l->ddl, NULL, NULL, NULL) != SQLITE_OK)
		return fprintf(stderr, "%s: %s\n", l->name, sqlite3_errmsg(db)), 2;
	bool ext = strstr(l->ddl, "content = 'x'") != NULL, tri = strstr(l->ddl, "t3") != NULL;
	sqlite3_stmt *ins, *ins3 = NULL, *insx = NULL;
	sqlite3_prepare_v2(db, "INSERT INTO t(rowid, body) VALUES (?1, ?2)", -1, &ins, NULL);
	if (tri)
		sqlite3_prepare_v2(db, "INSERT INTO t3(rowid, body) VALUES (?1, ?2)", -1, &ins3, NULL);
	if (ext)
		sqlite3_prepare_v2(db, "INSERT INTO x(id, body) VALUES (?1, ?2)", -1, &insx, NULL);
	double t0 = cpu_seconds();
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	for (size_t i = 0; i < n; i++) {
		if (i && i % 2000 == 0) {      /* the importer's transaction size */
			sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
			sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
		}
		sqlite3_stmt *all[] = {insx, ins, ins3};
		for (int k = 0; k < 3; k++) {
			if (!all[k])
				continue;
			sqlite3_bind_int64(all[k], 1, (sqlite3_int64)i + 1);
			sqlite3_bind_text(all[k], 2, texts[i], -1, SQLITE_STATIC);
			sqlite3_step(all[k]);
			sqlite3_reset(all[k]);
		}
	}
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	if (strstr(l->ddl, "'automerge', 0"))
		sqlite3_exec(db, "INSERT INTO t(t, rank) VALUES ('merge', 500000)", NULL, NULL, NULL);
	double t = cpu_seconds() - t0;
	sqlite3_finalize(ins);
	sqlite3_finalize(ins3);
	sqlite3_finalize(insx);
	sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
	int64_t size = db_bytes(db);
	printf("%-40s %7.2f s cpu %8.1f MB  %5.2fx text\n", l->name, t, (double)size / 1e6, (double)size / (double)bytes);
	sqlite3_close(db);
	unlink(path);
	return 0;
}

static int compare_layouts(const char *corpus)
{
	FILE *in = fopen(corpus, "r");
	if (!in)
		return perror(corpus), 2;
	size_t n = 0, cap = 0, bytes = 0;
	char **texts = NULL, *line = NULL;
	size_t lcap = 0;
	while (getline(&line, &lcap, in) > 0) {
		char *f[NF];
		if (split(line, f) != NF)
			continue;
		if (n == cap)
			texts = xrealloc(texts, (cap = cap ? cap * 2 : 1024) * sizeof *texts);
		texts[n++] = xstrdup(f[F_TEXT]);
		bytes += strlen(f[F_TEXT]);
	}
	fclose(in);
	free(line);
	printf("%zu texts, %.1f MB of text\n", n, (double)bytes / 1e6);
	for (size_t i = 0; i < sizeof layouts / sizeof *layouts; i++)
		layout_one(&layouts[i], texts, n, bytes);
	for (size_t i = 0; i < n; i++)
		free(texts[i]);
	free(texts);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && strcmp(argv[1], "load") == 0)
		return load(argv[2], argv[3], !(argc > 4 && strcmp(argv[4], "--no-index") == 0));
	if (argc >= 4 && strcmp(argv[1], "query") == 0)
		return query(argv[2], argv[3], argc > 4 ? atoi(argv[4]) : 3);
	if (argc >= 3 && strcmp(argv[1], "layouts") == 0)
		return compare_layouts(argv[2]);
	fprintf(stderr, "usage: search-bench load CORPUS DB [--no-index] | query DB QUERIES [ROUNDS] | layouts CORPUS\n");
	return 2;
}
