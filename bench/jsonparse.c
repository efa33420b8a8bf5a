/* jsonparse: how fast do C JSON parsers read a Slack export?
 *
 *   bench/out/jsonparse [-r REPS] [-o NAMES] [-t] EXPORT
 *
 * EXPORT is an export directory (every *.json below it) or a zip (every
 * *.json entry, read with libarchive; the time to inflate them all is
 * shown as its own row). All files are loaded into memory first, so what
 * is timed is parsing alone, the floor under any importer. Parsers, run in
 * turn within each repetition so that machine noise hits them alike:
 *
 *   yajl-stream  yajl callbacks that only count values: no tree at all
 *                (yajl's own UTF-8 check on, as in json-c and jansson)
 *   json.h       the product's path: json_each() from src/lib/json.h,
 *                a jv tree per array element in an arena
 *   json-c       json_tokener_parse(), a whole tree per file
 *   jansson      json_loadb(), a whole tree per file
 *
 * Each parser reports how many top-level array elements it saw, and they
 * must agree, so a parser that silently stops early cannot look fast.
 * Times are wall and CPU seconds, min and median over the repetitions;
 * MB/s come from CPU time, which a busy shared machine disturbs less. -o
 * picks parsers (comma-separated names); -t prints tab-separated rows for
 * scripts: name, wall min, wall median, cpu min, cpu median, MB/s at cpu
 * min, MB/s at cpu median, elements. */
#include "lib/json.h"
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <yajl/yajl_parse.h>

typedef struct file {
	char *name;
	char *p;            /* NUL-terminated copy of the file */
	size_t n;
} file;

static file *files;
static size_t nfiles, capfiles, total_bytes;

static double clock_s(clockid_t id)
{
	struct timespec t;
	clock_gettime(id, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static double now(void) { return clock_s(CLOCK_MONOTONIC); }
static double cpu(void) { return clock_s(CLOCK_PROCESS_CPUTIME_ID); }

static void die(const char *what, const char *name)
{
	fprintf(stderr, "jsonparse: %s: %s\n", name, what);
	exit(2);
}

static bool is_json(const char *name)
{
	size_t n = strlen(name);
	return n > 5 && strcmp(name + n - 5, ".json") == 0;
}

static void add_file(const char *name, char *p, size_t n)
{
	if (nfiles == capfiles) {
		capfiles = capfiles ? 2 * capfiles : 1024;
		files = xrealloc(files, capfiles * sizeof *files);
	}
	files[nfiles++] = (file){xstrdup(name), p, n};
	total_bytes += n;
}

/* ---- loading -------------------------------------------------------- */

static int load_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)f;
	if (flag != FTW_F || !is_json(path))
		return 0;
	FILE *fp = fopen(path, "rb");
	if (!fp)
		die(strerror(errno), path);
	char *p = xmalloc((size_t)st->st_size + 1);
	size_t n = fread(p, 1, (size_t)st->st_size, fp);
	if (n != (size_t)st->st_size)
		die("short read", path);
	fclose(fp);
	p[n] = 0;
	add_file(path, p, n);
	return 0;
}

/* Read every *.json entry of a zip. With keep, each is stored for the
 * parsers; without, entries are inflated into one reused buffer and thrown
 * away, which is what a streaming importer pays (fresh memory for every
 * entry would add page faults, costly on a virtual machine, to the time). */
static void read_zip(const char *path, bool keep)
{
	struct archive *a = archive_read_new();
	archive_read_support_format_zip(a);
	if (archive_read_open_filename(a, path, 1 << 16) != ARCHIVE_OK)
		die(archive_error_string(a), path);
	static char scratch[1 << 18];
	struct archive_entry *e;
	while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);
		if (!name || !is_json(name) || archive_entry_filetype(e) != AE_IFREG)
			continue;
		size_t cap = keep ? (archive_entry_size_is_set(e) ? (size_t)archive_entry_size(e) : 1 << 16) : sizeof scratch;
		char *p = keep ? xmalloc(cap + 1) : scratch;
		size_t n = 0;
		for (;;) {
			if (keep && n == cap)
				p = xrealloc(p, (cap *= 2) + 1);
			la_ssize_t r = archive_read_data(a, p + n, cap - n);
			if (r < 0)
				die(archive_error_string(a), name);
			if (r == 0)
				break;
			if (keep)
				n += (size_t)r;
		}
		if (keep) {
			p[n] = 0;
			add_file(name, p, n);
		}
	}
	archive_read_free(a);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const file *)a)->name, ((const file *)b)->name);
}

/* ---- the parsers: each returns the number of top-level array elements */

typedef struct counter {
	int depth;
	size_t items;
} counter;

static int y_scalar(counter *c) { if (c->depth == 1) c->items++; return 1; }
static int y_null(void *ctx) { return y_scalar(ctx); }
static int y_bool(void *ctx, int v) { (void)v; return y_scalar(ctx); }
static int y_number(void *ctx, const char *s, size_t n) { (void)s; (void)n; return y_scalar(ctx); }
static int y_string(void *ctx, const unsigned char *s, size_t n) { (void)s; (void)n; return y_scalar(ctx); }
static int y_key(void *ctx, const unsigned char *s, size_t n) { (void)ctx; (void)s; (void)n; return 1; }
static int y_open(void *ctx)
{
	counter *c = ctx;
	if (c->depth++ == 1)
		c->items++;
	return 1;
}
static int y_close(void *ctx) { ((counter *)ctx)->depth--; return 1; }

static const yajl_callbacks ycb = {
	y_null, y_bool, NULL, NULL, y_number, y_string,
	y_open, y_key, y_close, y_open, y_close
};

/* Every parser counts the top-level elements of one NUL-terminated text,
 * or sets *err. */
typedef size_t (*count_fn)(const char *p, size_t n, const char **err);

static size_t count_yajl(const char *p, size_t n, const char **err)
{
	counter c = {0, 0};
	yajl_handle h = yajl_alloc(&ycb, NULL, &c);
	yajl_config(h, yajl_allow_multiple_values, 1);   /* as json.h does */
	if (yajl_parse(h, (const unsigned char *)p, n) != yajl_status_ok ||
	    yajl_complete_parse(h) != yajl_status_ok)
		*err = "yajl: syntax error";
	yajl_free(h);
	return c.items;
}

static int count_item(void *ctx, const jv *item, const char *raw, size_t rawlen)
{
	(void)item; (void)raw; (void)rawlen;
	(*(size_t *)ctx)++;
	return 0;
}

static size_t count_jsonh(const char *p, size_t n, const char **err)
{
	static json_err e;
	size_t items = 0;
	json_stats st = {0};
	if (json_each(p, n, count_item, &items, &e, &st) != JSON_OK)
		*err = e.msg;
	return items;
}

/* json-c and jansson both define json_object and json_type, so each lives
 * in its own file (jsonparse-jsonc.c, jsonparse-jansson.c). */
size_t count_jsonc(const char *p, size_t n, const char **err);
size_t count_jansson(const char *p, size_t n, const char **err);

typedef struct parser {
	const char *name;
	count_fn count;
	bool on;
	double *t, *c;      /* wall and CPU seconds, one per repetition */
	size_t items;
} parser;

static parser parsers[] = {
	{"yajl-stream", count_yajl, true, NULL, NULL, 0},
	{"json.h", count_jsonh, true, NULL, NULL, 0},
	{"json-c", count_jsonc, true, NULL, NULL, 0},
	{"jansson", count_jansson, true, NULL, NULL, 0},
};
enum { NPARSERS = sizeof parsers / sizeof parsers[0] };

/* ---- measuring ------------------------------------------------------ */

static void run(parser *p, int rep)
{
	size_t items = 0;
	double t0 = now(), c0 = cpu();
	for (size_t i = 0; i < nfiles; i++) {
		const char *err = NULL;
		items += p->count(files[i].p, files[i].n, &err);
		if (err)
			die(err, files[i].name);
	}
	p->c[rep] = cpu() - c0;
	p->t[rep] = now() - t0;
	p->items = items;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *t, int n)
{
	qsort(t, (size_t)n, sizeof *t, cmp_double);
	return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

/* Speeds are computed from CPU time, which other processes on a shared
 * machine disturb far less than wall time; both are shown. */
static void report(const char *name, double *t, double *c, int reps, size_t items, bool tsv)
{
	double wmed = median(t, reps), cmed = median(c, reps);
	double mb = total_bytes / 1e6;
	if (tsv)
		printf("%s\t%.4f\t%.4f\t%.4f\t%.4f\t%.1f\t%.1f\t%zu\n", name, t[0], wmed,
		       c[0], cmed, mb / c[0], mb / cmed, items);
	else
		printf("%-12s %8.3f %8.3f %8.3f %8.3f %9.1f %9.1f %9zu\n", name, t[0], wmed,
		       c[0], cmed, mb / c[0], mb / cmed, items);
}

static void choose(const char *list)
{
	for (int i = 0; i < NPARSERS; i++)
		parsers[i].on = false;
	char *copy = xstrdup(list);
	for (char *s = strtok(copy, ","); s; s = strtok(NULL, ",")) {
		int found = 0;
		for (int i = 0; i < NPARSERS; i++)
			if (strcmp(parsers[i].name, s) == 0 || (strcmp(s, "yajl") == 0 && i == 0)) {
				parsers[i].on = true;
				found = 1;
			}
		if (!found)
			die("unknown parser (yajl-stream, json.h, json-c, jansson)", s);
	}
	free(copy);
}

int main(int argc, char **argv)
{
	int reps = 5;
	bool tsv = false;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-r") == 0 && i + 1 < argc)
			reps = atoi(argv[++i]);
		else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
			choose(argv[++i]);
		else if (strcmp(argv[i], "-t") == 0)
			tsv = true;
		else
			break;
	}
	if (i != argc - 1 || reps < 1) {
		fprintf(stderr, "usage: jsonparse [-r REPS] [-o yajl-stream,json.h,json-c,jansson] [-t] EXPORT\n");
		return 2;
	}
	const char *path = argv[i];
	struct stat st;
	if (stat(path, &st) != 0)
		die(strerror(errno), path);
	double inflate_wall = -1, inflate_cpu = -1;
	if (S_ISDIR(st.st_mode)) {
		if (nftw(path, load_one, 16, FTW_PHYS) != 0)
			die("cannot walk", path);
	} else {
		double t0 = now(), c0 = cpu();
		read_zip(path, false);
		inflate_cpu = cpu() - c0;
		inflate_wall = now() - t0;
		read_zip(path, true);
	}
	if (!nfiles)
		die("no *.json files", path);
	qsort(files, nfiles, sizeof *files, by_name);
	if (!tsv)
		printf("%zu files, %.1f MB of JSON, %d repetitions; seconds (min, median) and MB/s of CPU time\n"
		       "%-12s %8s %8s %8s %8s %9s %9s %9s\n", nfiles, total_bytes / 1e6, reps,
		       "parser", "wall min", "wall med", "cpu min", "cpu med", "MB/s best", "MB/s med",
		       "elements");
	for (int k = 0; k < NPARSERS; k++) {
		parsers[k].t = xcalloc((size_t)reps, sizeof(double));
		parsers[k].c = xcalloc((size_t)reps, sizeof(double));
	}
	for (int r = 0; r < reps; r++)
		for (int k = 0; k < NPARSERS; k++)
			if (parsers[k].on)
				run(&parsers[k], r);
	if (inflate_wall >= 0)
		report("inflate", &inflate_wall, &inflate_cpu, 1, nfiles, tsv);
	size_t want = 0;
	int bad = 0;
	for (int k = 0; k < NPARSERS; k++) {
		if (!parsers[k].on)
			continue;
		report(parsers[k].name, parsers[k].t, parsers[k].c, reps, parsers[k].items, tsv);
		if (want && parsers[k].items != want)
			bad = 1;
		want = parsers[k].items;
	}
	if (bad)
		fprintf(stderr, "jsonparse: parsers disagree on the number of elements\n");
	return bad;
}
