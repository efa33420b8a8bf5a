/* fresh.c: see fresh.h. One thread, its own store handle (site.c's per
 * thread), a look every FRESH_LOOK_MS. */
#include "web/fresh.h"
#include "lib/arena.h"
#include "cli.h"
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct fresh {
	site_t *site;
	pcache_t *cache;
	pthread_t thread;
	pthread_mutex_t lock;         /* guards stop */
	pthread_cond_t wake;
	bool stop;
	bool looked;                  /* the fields below are set */
	int64_t seq;                  /* answers are true to the changes up to it */
	unsigned generation;
	double dropped;               /* when changes were last dropped for */
};

/* ---- what a walk names --------------------------------------------------- */

typedef struct strs {
	const char **v;
	size_t n, cap;
} strs;

typedef struct touched {
	arena_t a;
	strs dirty, listed, scopes;   /* listed: not dirty; scopes without the '/' */
} touched;

static void add(touched *t, strs *s, const char *str)
{
	if (s->n == s->cap)
		s->v = xrealloc(s->v, (s->cap = s->cap ? 2 * s->cap : 256) * sizeof *s->v);
	s->v[s->n++] = arena_strndup(&t->a, str, strlen(str));
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool has(const strs *s, const char *str)
{
	return s->n && bsearch(&str, s->v, s->n, sizeof *s->v, by_str);
}

static void sort(strs *s)
{
	if (s->n)
		qsort(s->v, s->n, sizeof *s->v, by_str);
}

static void touched_free(touched *t)
{
	free(t->dirty.v);
	free(t->listed.v);
	free(t->scopes.v);
	arena_free(&t->a);
}

/* site_urls_since's callback: a change of everything stops the walk. */
static int note(void *ud, unsigned kind, const char *path, int64_t changed, bool dirty)
{
	(void)changed;
	touched *t = ud;
	if (kind != URL_SCOPE)
		add(t, dirty ? &t->dirty : &t->listed, path);
	else if (strcmp(path, "*") == 0)
		return 1;
	else if (strcmp(path, "/") != 0)
		add(t, &t->scopes, path + 1);
	return 0;
}

/* pcache_drop's question. A URL the walk calls dirty goes; one it lists
 * as it was stays; one it does not list goes if it is under a scope the
 * walk named (no longer published), else stays (nothing it shows
 * changed). Answers other than 200 are not in the walk's world: a new
 * day or channel makes a 404 a page, a moved message a permalink's
 * redirect another. An asset asked for by its content's hash
 * (immutable) is the same for as long as the program runs. */
static bool stale(void *ud, const char *path, const page_out *o)
{
	const touched *t = ud;
	if (o->cache == CACHE_IMMUTABLE)
		return false;
	if (o->status != 200 || has(&t->dirty, path))
		return true;
	return !has(&t->listed, path) && site_url_scoped((char *const *)t->scopes.v, t->scopes.n, path + 1);
}

/* ---- the watch ----------------------------------------------------------- */

static void drop_all(fresh_t *f, int64_t seq, unsigned generation)
{
	pcache_drop(f->cache, NULL, NULL);
	f->seq = seq;
	f->generation = generation;
	f->looked = true;
}

static void look(fresh_t *f)
{
	unsigned generation = site_generation(f->site);
	int64_t seq = site_change_seq(f->site);
	if (seq < 0) {
		/* said; what is kept cannot be trusted until a look works */
		pcache_drop(f->cache, NULL, NULL);
		f->looked = false;
		return;
	}
	if (!f->looked || generation != f->generation || seq < f->seq) {
		drop_all(f, seq, generation);
		return;
	}
	if (seq == f->seq || now_seconds() - f->dropped < FRESH_GAP_MS / 1e3)
		return;
	/* without the site's own files (URL_META): listing the sitemaps'
	 * parts takes the number of pages, a walk of every URL (a quarter of
	 * the walk). Not listed, they are dropped: a sitemap changes with any
	 * change, robots.txt and the assets cost nothing to build. */
	touched t = {0};
	int rc = site_urls_since(f->site, (URL_ALL & ~URL_META) | URL_NARROW | URL_UNDATED, f->seq, note, &t);
	if (rc != 0) {
		if (rc < 0)
			log_warn("page cache: the pages a change touched could not be listed: dropping every page");
		drop_all(f, seq, generation);
	} else {
		sort(&t.dirty);
		sort(&t.listed);
		sort(&t.scopes);
		pcache_drop(f->cache, stale, &t);
		f->seq = seq;
	}
	f->dropped = now_seconds();
	touched_free(&t);
}

static void *run(void *arg)
{
	fresh_t *f = arg;
	pthread_mutex_lock(&f->lock);
	while (!f->stop) {
		pthread_mutex_unlock(&f->lock);
		look(f);
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_nsec += FRESH_LOOK_MS * 1000000L;
		until.tv_sec += until.tv_nsec / 1000000000L;
		until.tv_nsec %= 1000000000L;
		pthread_mutex_lock(&f->lock);
		while (!f->stop && pthread_cond_timedwait(&f->wake, &f->lock, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&f->lock);
	site_thread_done(f->site);
	return NULL;
}

fresh_t *fresh_start(site_t *site, pcache_t *cache)
{
	fresh_t *f = xcalloc(1, sizeof *f);
	f->site = site;
	f->cache = cache;
	pthread_mutex_init(&f->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&f->wake, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&f->thread, NULL, run, f) != 0) {
		pthread_cond_destroy(&f->wake);
		pthread_mutex_destroy(&f->lock);
		free(f);
		return NULL;
	}
	return f;
}

void fresh_stop(fresh_t *f)
{
	if (!f)
		return;
	pthread_mutex_lock(&f->lock);
	f->stop = true;
	pthread_cond_signal(&f->wake);
	pthread_mutex_unlock(&f->lock);
	pthread_join(f->thread, NULL);
	pthread_cond_destroy(&f->wake);
	pthread_mutex_destroy(&f->lock);
	free(f);
}
