/* search-bench.c: measurements behind the search design (bench/search).
 *
 *   search-bench load CORPUS.tsv DB [--no-index]
 *       build an archive from a corpus (bench/search-corpus) through
 *       store.h as the importer does (the text rides on the upsert,
 *       20,000 messages a transaction): wall and CPU time, and the
 *       commits' CPU. SETUP="sql" runs on the new archive first.
 *   search-bench query DB QUERIES [ROUNDS]
 *       run a query mix (class \t query) through search_run(), one round
 *       unmeasured first (COLD=1: none), and print p50/p99 latency per
 *       class and overall, wall and CPU (the machine is shared: CPU time
 *       is the steadier). SLOW_MS=n lists the queries slower than n ms;
 *       PRAGMAS="sql" runs on the read handle first.
 *   search-bench sql DB "SQL" ...
 *       run statements on an archive's read handle (its tokenizer and
 *       functions registered): rows and time, the fastest of REPEAT runs
 *   search-bench layouts CORPUS.tsv
 *       build FTS5 tables of the corpus text in several layouts and
 *       tokenizers: build time and size of each
 *
 * It links the same library as slacklog; the layouts and sql modes use
 * SQLite directly because they measure what the store does not expose. */
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

static double cpu_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Transaction size of the importer (src/ingest/import.c). */
enum { COMMIT_MSGS = 20000 };

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
	const char *setup = getenv("SETUP");    /* e.g. an FTS5 setting, to compare */
	if (setup && sqlite3_exec(store_sqlite_db(s), setup, NULL, NULL, NULL) != SQLITE_OK)
		fprintf(stderr, "%s: %s\n", setup, sqlite3_errmsg(store_sqlite_db(s)));
	char *line = NULL;
	size_t cap = 0;
	double t0 = now_seconds(), c0 = cpu_seconds(), tcommit = 0;
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
		if (index) {
			/* as the importer does: the plain text rides on the upsert */
			m.plain = m.text;
			m.plainlen = strlen(m.text);
		}
		store_upsert_message(s, &m);
		if (++n % COMMIT_MSGS == 0) {
			double t1 = cpu_seconds();
			store_commit(s);
			tcommit += cpu_seconds() - t1;
			store_begin(s);
		}
	}
	double t1 = cpu_seconds();
	store_commit(s);
	tcommit += cpu_seconds() - t1;
	store_close(s);
	free(line);
	fclose(in);
	printf("load: %ld messages in %.2f s, %.2f s CPU (commits %.2f s CPU)\n", n, now_seconds() - t0,
	       cpu_seconds() - c0, tcommit);
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

static double thread_cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Latencies of one class: wall and CPU milliseconds. */
typedef struct series {
	char name[32];
	double wall[MAXQ * 10], cpu[MAXQ * 10];
	size_t n;
} series;

static void report(series *x, const char *extra)
{
	size_t n = x->n;
	if (!n)
		return;
	qsort(x->wall, x->n, sizeof *x->wall, cmp_double);
	qsort(x->cpu, x->n, sizeof *x->cpu, cmp_double);
	printf("%-10s %6zu %8.2f %8.2f %8.2f %8.2f %8.2f%s\n", x->name, x->n, pct(x->wall, x->n, .5),
	       pct(x->wall, x->n, .99), x->wall[n - 1], pct(x->cpu, x->n, .5), pct(x->cpu, x->n, .99), extra);
}

static int load_queries(const char *file, char cls[][32], char text[][256], size_t *nq)
{
	FILE *in = fopen(file, "r");
	if (!in)
		return perror(file), 2;
	char line[512];
	*nq = 0;
	while (*nq < MAXQ && fgets(line, sizeof line, in)) {
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = 0;
		tab[1 + strcspn(tab + 1, "\n")] = 0;
		snprintf(cls[*nq], 32, "%.31s", line);
		snprintf(text[*nq], 256, "%.255s", tab + 1);
		(*nq)++;
	}
	fclose(in);
	return 0;
}

static int query(const char *db, const char *file, int rounds)
{
	static char cls[MAXQ][32], text[MAXQ][256];
	static series per[NCLASS + 1];
	size_t nq, ncls = 0, bad = 0;
	if (load_queries(file, cls, text, &nq))
		return 2;
	char err[256];
	store_t *s = store_open(db, STORE_READONLY, err, sizeof err);
	if (!s)
		return fprintf(stderr, "%s\n", err), 2;
	const char *pragmas = getenv("PRAGMAS");  /* e.g. "PRAGMA mmap_size = 1e9", to compare settings */
	if (pragmas && sqlite3_exec(store_sqlite_db(s), pragmas, NULL, NULL, NULL) != SQLITE_OK)
		fprintf(stderr, "%s: %s\n", pragmas, sqlite3_errmsg(store_sqlite_db(s)));
	series *all = &per[NCLASS];
	snprintf(all->name, sizeof all->name, "all");
	long long hits = 0;
	arena_t a = {0};
	const char *env = getenv("SLOW_MS");    /* print the queries slower than this */
	double slow = env ? atof(env) : 0;
	/* a first round unmeasured: the archive's pages into the OS cache */
	for (size_t i = 0; i < nq && !getenv("COLD"); i++) {
		search_req req = {.q = text[i], .qlen = strlen(text[i])};
		search_res res;
		search_run(s, &a, &req, &res);
		arena_reset(&a);
	}
	for (int r = 0; r < rounds; r++)
		for (size_t i = 0; i < nq; i++) {
			size_t c = 0;
			while (c < ncls && strcmp(per[c].name, cls[i]) != 0)
				c++;
			if (c == ncls && ncls < NCLASS)
				snprintf(per[ncls++].name, 32, "%.31s", cls[i]);
			search_req req = {.q = text[i], .qlen = strlen(text[i])};
			search_res res;
			double t0 = now_seconds(), c0 = thread_cpu();
			int rc = search_run(s, &a, &req, &res);
			double ms = (now_seconds() - t0) * 1000, cms = (thread_cpu() - c0) * 1000;
			if (rc != SEARCH_OK && r == 0)
				fprintf(stderr, "query '%s': %s\n", text[i], res.err), bad++;
			if (slow > 0 && ms >= slow)
				fprintf(stderr, "%8.2f ms %8.2f cpu  %-9s %s (%lld hits)\n", ms, cms, cls[i], text[i],
					(long long)res.total);
			hits += res.total;
			arena_reset(&a);
			series *x[] = {all, c < NCLASS ? &per[c] : NULL};
			for (int k = 0; k < 2; k++)
				if (x[k]) {
					x[k]->wall[x[k]->n] = ms;
					x[k]->cpu[x[k]->n++] = cms;
				}
		}
	printf("%-10s %6s %8s %8s %8s %8s %8s\n", "class", "runs", "p50 ms", "p99 ms", "max ms", "p50 cpu", "p99 cpu");
	for (size_t c = 0; c < ncls; c++)
		report(&per[c], "");
	char extra[128];
	snprintf(extra, sizeof extra, "   (%zu bad queries, %.0f hits per query)", bad, (double)hits / (double)all->n);
	report(all, extra);
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

/* Run SQL on an archive's connection (its tokenizer registered), timing
 * each statement: for trying query shapes by hand. */
static int run_sql(const char *db, int argc, char **argv)
{
	char err[256];
	store_t *s = store_open(db, STORE_READONLY, err, sizeof err);
	if (!s)
		return fprintf(stderr, "%s\n", err), 2;
	const char *pragmas = getenv("PRAGMAS");
	if (pragmas && sqlite3_exec(store_sqlite_db(s), pragmas, NULL, NULL, NULL) != SQLITE_OK)
		fprintf(stderr, "%s: %s\n", pragmas, sqlite3_errmsg(store_sqlite_db(s)));
	const char *env = getenv("REPEAT");      /* run each this many times: the fastest */
	int repeat = env && atoi(env) > 0 ? atoi(env) : 1;
	for (int i = 0; i < argc; i++) {
		double best = 1e9;
		long rows = 0;
		for (int r = 0; r < repeat; r++) {
			sqlite3_stmt *q;
			double t0 = now_seconds();
			if (sqlite3_prepare_v2(store_sqlite_db(s), argv[i], -1, &q, NULL) != SQLITE_OK) {
				fprintf(stderr, "%s\n", sqlite3_errmsg(store_sqlite_db(s)));
				break;
			}
			rows = 0;
			while (sqlite3_step(q) == SQLITE_ROW)
				if (rows++ < 10 && r == 0) {
					for (int c = 0; c < sqlite3_column_count(q); c++)
						printf("%s%.60s", c ? " | " : "", (const char *)sqlite3_column_text(q, c));
					printf("\n");
				}
			sqlite3_finalize(q);
			double ms = (now_seconds() - t0) * 1000;
			best = ms < best ? ms : best;
		}
		printf("-- %ld rows, %.2f ms\n", rows, best);
	}
	store_close(s);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && strcmp(argv[1], "sql") == 0)
		return run_sql(argv[2], argc - 3, argv + 3);
	if (argc >= 4 && strcmp(argv[1], "load") == 0)
		return load(argv[2], argv[3], !(argc > 4 && strcmp(argv[4], "--no-index") == 0));
	if (argc >= 4 && strcmp(argv[1], "query") == 0)
		return query(argv[2], argv[3], argc > 4 ? atoi(argv[4]) : 3);
	if (argc >= 3 && strcmp(argv[1], "layouts") == 0)
		return compare_layouts(argv[2]);
	fprintf(stderr, "usage: search-bench load CORPUS DB [--no-index] | query DB QUERIES [ROUNDS] | layouts CORPUS\n");
	return 2;
}
