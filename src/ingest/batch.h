/* batch.h: normalized messages on their way from the reader to the store.
 *
 * The reader thread parses day files and fills a batch: the records and
 * every string they point to live in the batch's own arena, so the parse
 * tree and the file buffer can be reused at once. A full batch goes through
 * a small bounded queue to the thread that writes it in one transaction;
 * the bound keeps memory flat when parsing outruns the database. Warnings
 * travel with the batch of the file they are about, so they are printed in
 * file order, between progress updates, by the one thread that prints. */
#ifndef SLACKLOG_INGEST_BATCH_H
#define SLACKLOG_INGEST_BATCH_H
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lib/arena.h"
#include "store/store.h"

enum {
	BATCH_MSGS = 1000,                /* a batch is sent at this many messages */
	BATCH_BYTES = 2 << 20,            /* or at this much memory */
};

typedef struct batch {
	arena_t arena;
	st_message *msgs;
	size_t nmsgs, capmsgs;
	st_user *users;              /* from user_profile, author unknown so far */
	size_t nusers, capusers;
	const char **warnings;
	size_t nwarnings, capwarnings;
	uint64_t files_done;         /* day files finished when it was sent */
	uint64_t skipped;            /* items that were not messages */
	struct batch *next;
} batch;

batch *batch_new(void);
void batch_free(batch *b);
/* A zeroed slot for the next message / user (strings go in b->arena). */
st_message *batch_add_msg(batch *b);
st_user *batch_add_user(batch *b);
void batch_add_warning(batch *b, const char *msg);

typedef struct bqueue {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	batch *head, *tail;
	size_t n, max;
	bool closed, aborted;
} bqueue;

void bq_init(bqueue *q, size_t max);
void bq_destroy(bqueue *q);
/* Producer: wait for room and append. -1 when the consumer gave up (the
 * batch is then freed). */
int bq_put(bqueue *q, batch *b);
/* Producer: no more batches. */
void bq_close(bqueue *q);
/* Consumer: the next batch, or NULL once closed and empty. */
batch *bq_take(bqueue *q);
/* Consumer: stop the producer (its next bq_put fails). */
void bq_abort(bqueue *q);
#endif
