/* backfill.c: the backfill thread. See backfill.h.
 *
 * One thread for the listener's life, waiting on a condition variable.
 * It blocks SIGINT and SIGTERM so that they reach the main thread, whose
 * poll() they interrupt; stopping sets the flag sync checks before each
 * call. */
#include "live/backfill.h"
#include "cli.h"
#include "lib/buf.h"
#include "lib/ts.h"
#include "store/store.h"
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct backfill {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char *db;
	sync_opts o;
	bool asked, all, quit, refused;
	char since[TS_LEN + 1];      /* the earliest asked for, unless all */
	volatile sig_atomic_t cancel;
};

static void run(backfill *b, store_t *s, const char *since)
{
	sync_opts o = b->o;
	o.since = since;
	o.cancel = &b->cancel;
	char from[32] = "each channel's last sync";
	if (since)
		ts_iso(ts_seconds(since), from);
	log_info("backfill: fetching what was said since %s", from);
	sync_totals t;
	int rc = sync_run(s, &o, &t);
	if (b->cancel)
		return;
	if (rc != 0) {
		log_warn("backfill failed: messages said while the listener was away may be missing until the next one");
		pthread_mutex_lock(&b->mu);
		b->refused = t.refused;
		pthread_mutex_unlock(&b->mu);
		return;
	}
	log_info("backfill: %llu messages fetched, %llu new or changed, in %lu API calls and %.1fs",
		 (unsigned long long)t.messages, (unsigned long long)t.stored, t.calls, t.seconds);
}

static void *loop(void *arg)
{
	backfill *b = arg;
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	char err[512];
	store_t *s = store_open(b->db, STORE_ALL, err, sizeof err);
	if (!s)
		log_err("backfill: %s", err);
	pthread_mutex_lock(&b->mu);
	for (;;) {
		while (!b->asked && !b->quit)
			pthread_cond_wait(&b->cv, &b->mu);
		if (b->quit)
			break;
		char since[TS_LEN + 1];
		bool all = b->all;
		memcpy(since, b->since, sizeof since);
		b->asked = b->all = false;
		pthread_mutex_unlock(&b->mu);
		if (s)
			run(b, s, all ? NULL : since);
		pthread_mutex_lock(&b->mu);
	}
	pthread_mutex_unlock(&b->mu);
	store_close(s);
	return NULL;
}

backfill *backfill_new(const char *db, const sync_opts *o)
{
	backfill *b = xcalloc(1, sizeof *b);
	b->db = xstrdup(db);
	b->o = *o;
	pthread_mutex_init(&b->mu, NULL);
	pthread_cond_init(&b->cv, NULL);
	if (pthread_create(&b->thread, NULL, loop, b) != 0) {
		log_err("cannot start the backfill thread");
		pthread_cond_destroy(&b->cv);
		pthread_mutex_destroy(&b->mu);
		free(b->db);
		free(b);
		return NULL;
	}
	return b;
}

void backfill_ask(backfill *b, const char *since)
{
	pthread_mutex_lock(&b->mu);
	if (!since)
		b->all = true;
	else if (!b->asked || strcmp(since, b->since) < 0)
		snprintf(b->since, sizeof b->since, "%s", since);
	b->asked = true;
	pthread_cond_signal(&b->cv);
	pthread_mutex_unlock(&b->mu);
}

bool backfill_refused(backfill *b)
{
	pthread_mutex_lock(&b->mu);
	bool r = b->refused;
	pthread_mutex_unlock(&b->mu);
	return r;
}

void backfill_free(backfill *b)
{
	if (!b)
		return;
	b->cancel = 1;
	pthread_mutex_lock(&b->mu);
	b->quit = true;
	pthread_cond_signal(&b->cv);
	pthread_mutex_unlock(&b->mu);
	pthread_join(b->thread, NULL);
	pthread_cond_destroy(&b->cv);
	pthread_mutex_destroy(&b->mu);
	free(b->db);
	free(b);
}
