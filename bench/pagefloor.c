/* bench/pagefloor.c: the least a day page built from the archive can cost,
 * next to what it does cost.
 *
 *   bench/out/pagefloor DB CHANNEL_ID DAY [RUNS]
 *
 * Each run does only the archive reads the day page makes (in one read
 * snapshot: the channel-day's messages with their reactions, the day's
 * channels for the sidebar, the previous and next day), then "writes" a
 * page: a copy of every message's stored JSON into one buffer (as long as
 * the rendered page, which is about as long as the JSON it comes from) and
 * the SHA-256 an ETag needs over it. No JSON parse, no rendering, no
 * escaping: a page that kept its messages' finished HTML in the archive
 * would still read these rows and hash its bytes. Prints the median and
 * p99 CPU time of the runs (default 2000), of the reads alone and of the
 * whole. Compare with bench/out/page-bench on the same page and with what
 * a server may spend per answer to reach a given share of nginx. */
#include "store/store.h"
#include "lib/arena.h"
#include "lib/buf.h"
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double cpu_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void report(const char *what, double *v, size_t n)
{
	qsort(v, n, sizeof *v, by_value);
	printf("%-22s median %.3f  p99 %.3f  min %.3f ms CPU\n", what, v[n / 2], v[(size_t)(0.99 * (double)(n - 1))],
	       v[0]);
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: pagefloor DB CHANNEL_ID DAY [RUNS]\n");
		return 2;
	}
	size_t runs = argc > 4 ? (size_t)atol(argv[4]) : 2000;
	if (runs < 1)
		runs = 1;
	char err[256];
	store_t *s = store_open(argv[1], STORE_READONLY | STORE_NOMAP, err, sizeof err);
	if (!s) {
		fprintf(stderr, "pagefloor: %s: %s\n", argv[1], err);
		return 2;
	}
	const char *ch = argv[2], *day = argv[3];
	double *reads = malloc(runs * sizeof *reads), *all = malloc(runs * sizeof *all);
	buf_t page = { 0 };
	size_t nmsg = 0, nside = 0;
	for (size_t i = 0; i <= runs; i++) {
		arena_t a = { 0 };
		double t0 = cpu_ms();
		if (store_read_begin(s) < 0) {
			fprintf(stderr, "pagefloor: %s\n", store_errmsg(s));
			return 1;
		}
		st_message *m;
		st_daycount *side;
		if (store_day_messages(s, &a, ch, day, false, &m, &nmsg) < 0 ||
		    store_day_channels(s, &a, day, &side, &nside) < 0) {
			fprintf(stderr, "pagefloor: %s\n", store_errmsg(s));
			return 1;
		}
		store_adjacent_day(s, &a, ch, day, -1);
		store_adjacent_day(s, &a, ch, day, 1);
		store_read_end(s);
		double t1 = cpu_ms();
		page.len = 0;
		for (size_t k = 0; k < nmsg; k++)
			if (m[k].raw)
				buf_put(&page, m[k].raw, m[k].rawlen);
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned int mdlen;
		EVP_Digest(page.p, page.len, md, &mdlen, EVP_sha256(), NULL);
		double t2 = cpu_ms();
		arena_free(&a);
		if (i == 0)
			continue;         /* the first run warms the cache */
		reads[i - 1] = t1 - t0;
		all[i - 1] = t2 - t0;
	}
	printf("%s %s: %zu messages, %zu sidebar channels, %zu bytes of JSON; %zu runs\n", ch, day, nmsg, nside,
	       page.len, runs);
	report("archive reads", reads, runs);
	report("reads + copy + SHA-256", all, runs);
	free(reads);
	free(all);
	buf_free(&page);
	store_close(s);
	return 0;
}
