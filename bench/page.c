/* bench/page.c: how long one page takes to build, from the store query to
 * the finished HTML, without HTTP and without the server's cache.
 *
 *   bench/out/page-bench DB PATH [RUNS]
 *
 * Opens the archive as `slacklog serve` does (site_new: read-only, one
 * store handle for this thread), builds PATH once cold (the thread's
 * channel list is loaded then, as on a worker's first request), then RUNS
 * more times (default 1000). Prints the cold time and the minimum, p10,
 * median, p90, p99 and maximum of the rest, in wall time and in this thread's CPU time (the
 * machine is shared: CPU time is what other processes disturb least), and
 * the page's size and status. Then the first build after a change, 9
 * times (median and maximum): the site's version is moved as a SIGHUP
 * does, so the thread reloads what it keeps per version (the channel
 * list, the day table), while SQLite's page cache stays warm. page_get() is exactly what the server calls
 * on a cache miss; malloc is tuned and the archive read (without a memory
 * map) as the server does. */
#include "pages/pages.h"
#include "web/conf.h"
#include "lib/buf.h"
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(clockid_t clock)
{
	struct timespec t;
	clock_gettime(clock, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double pct(const double *v, size_t n, double p)
{
	size_t i = (size_t)(p * (double)(n - 1) + 0.5);
	return v[i < n ? i : n - 1];
}

static void report(const char *what, double *v, size_t n)
{
	qsort(v, n, sizeof *v, by_value);
	printf("%-5s min %.3f  p10 %.3f  median %.3f  p90 %.3f  p99 %.3f  max %.3f ms\n", what, v[0], pct(v, n, 0.1),
	       pct(v, n, 0.5), pct(v, n, 0.9), pct(v, n, 0.99), v[n - 1]);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: page-bench DB PATH [RUNS]\n");
		return 2;
	}
	size_t runs = argc > 3 ? (size_t)atol(argv[3]) : 1000;
	if (runs < 1)
		runs = 1;
	/* as `slacklog serve` does (cmd-serve.c) */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
	char err[512];
	conf_t *c = conf_new();
	if (conf_set(c, "db", argv[1], err, sizeof err) < 0) {
		fprintf(stderr, "page-bench: %s\n", err);
		return 2;
	}
	c->no_mmap = true;           /* as the server reads it */
	site_t *s = site_new(c, err, sizeof err);
	if (!s) {
		fprintf(stderr, "page-bench: %s: %s\n", argv[1], err);
		return 2;
	}
	const char *path = argv[2], *query = strchr(path, '?');
	char *p = query ? strndup(path, (size_t)(query - path)) : strdup(path);
	page_out o;
	page_out_init(&o);
	double t0 = now(CLOCK_MONOTONIC);
	page_get(s, p, query ? query + 1 : NULL, &o);
	printf("%s: status %d, %zu bytes; cold (channel list loaded) %.3f ms\n", path, o.status, o.body.len,
	       now(CLOCK_MONOTONIC) - t0);
	double *wall = malloc(runs * sizeof *wall), *cpu = malloc(runs * sizeof *cpu);
	for (size_t i = 0; i < runs; i++) {
		double w = now(CLOCK_MONOTONIC), u = now(CLOCK_THREAD_CPUTIME_ID);
		page_get(s, p, query ? query + 1 : NULL, &o);
		cpu[i] = now(CLOCK_THREAD_CPUTIME_ID) - u;
		wall[i] = now(CLOCK_MONOTONIC) - w;
	}
	printf("%zu runs\n", runs);
	report("wall", wall, runs);
	report("cpu", cpu, runs);
	double after[9];
	for (size_t i = 0; i < 9; i++) {
		conf_t *c2 = conf_new();
		conf_set(c2, "db", argv[1], err, sizeof err);
		c2->no_mmap = true;
		site_reconf(s, c2);
		double w = now(CLOCK_MONOTONIC);
		page_get(s, p, query ? query + 1 : NULL, &o);
		after[i] = now(CLOCK_MONOTONIC) - w;
	}
	qsort(after, 9, sizeof *after, by_value);
	printf("after a change: median %.3f  max %.3f ms (wall)\n", after[4], after[8]);
	free(wall);
	free(cpu);
	free(p);
	page_out_free(&o);
	site_free(s);
	return 0;
}
