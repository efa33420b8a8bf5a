/* batch.c: batches and the bounded queue between reader and writer.
 * See batch.h. */
#include "ingest/batch.h"
#include "lib/buf.h"
#include <stdlib.h>
#include <string.h>

batch *batch_new(void)
{
	batch *b = xcalloc(1, sizeof(batch));
	b->capmsgs = BATCH_MSGS;
	b->msgs = xmalloc(b->capmsgs * sizeof *b->msgs);
	return b;
}

void batch_free(batch *b)
{
	if (!b)
		return;
	arena_free(&b->arena);
	free(b->msgs);
	free(b->users);
	free(b->warnings);
	free(b);
}

/* Grow *arr (of *cap elements of size sz) to hold one more. */
static void *grow(void *arr, size_t *cap, size_t n, size_t sz)
{
	if (n < *cap)
		return arr;
	*cap = *cap ? 2 * *cap : 256;
	return xrealloc(arr, *cap * sz);
}

st_message *batch_add_msg(batch *b)
{
	b->msgs = grow(b->msgs, &b->capmsgs, b->nmsgs, sizeof *b->msgs);
	st_message *m = &b->msgs[b->nmsgs++];
	memset(m, 0, sizeof *m);
	return m;
}

st_user *batch_add_user(batch *b)
{
	b->users = grow(b->users, &b->capusers, b->nusers, sizeof *b->users);
	st_user *u = &b->users[b->nusers++];
	memset(u, 0, sizeof *u);
	return u;
}

void batch_add_warning(batch *b, const char *msg)
{
	b->warnings = grow(b->warnings, &b->capwarnings, b->nwarnings, sizeof *b->warnings);
	b->warnings[b->nwarnings++] = arena_strndup(&b->arena, msg, strlen(msg));
}

void bq_init(bqueue *q, size_t max)
{
	memset(q, 0, sizeof *q);
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->cv, NULL);
	q->max = max ? max : 1;
}

void bq_destroy(bqueue *q)
{
	while (q->head) {
		batch *b = q->head;
		q->head = b->next;
		batch_free(b);
	}
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->cv);
}

int bq_put(bqueue *q, batch *b)
{
	pthread_mutex_lock(&q->mu);
	while (q->n >= q->max && !q->aborted)
		pthread_cond_wait(&q->cv, &q->mu);
	int rc = q->aborted ? -1 : 0;
	if (rc == 0) {
		b->next = NULL;
		if (q->tail)
			q->tail->next = b;
		else
			q->head = b;
		q->tail = b;
		q->n++;
		pthread_cond_broadcast(&q->cv);
	}
	pthread_mutex_unlock(&q->mu);
	if (rc != 0)
		batch_free(b);
	return rc;
}

void bq_close(bqueue *q)
{
	pthread_mutex_lock(&q->mu);
	q->closed = true;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

batch *bq_take(bqueue *q)
{
	pthread_mutex_lock(&q->mu);
	while (!q->head && !q->closed)
		pthread_cond_wait(&q->cv, &q->mu);
	batch *b = q->head;
	if (b) {
		q->head = b->next;
		if (!q->head)
			q->tail = NULL;
		q->n--;
		pthread_cond_broadcast(&q->cv);
	}
	pthread_mutex_unlock(&q->mu);
	return b;
}

void bq_abort(bqueue *q)
{
	pthread_mutex_lock(&q->mu);
	q->aborted = true;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
}
