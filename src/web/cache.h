/* cache.h: finished answers kept in memory, shared by the worker threads.
 *
 * A page is a function of its URL and the archive, so an answer can be
 * reused until a change of the archive touches it. The cache does not
 * know which changes touch which pages: its watcher (fresh.h) asks the
 * pages and drops what they name (pcache_drop). The gzip form is kept
 * beside the identity form, so a popular page is built and compressed
 * once. Bounded by a byte budget: past it the answers used least
 * recently go. Search answers (no-store) are not kept.
 *
 * An answer built while a drop ran may be of the archive before the
 * change the drop was for: pcache_epoch() before building, and
 * pcache_put() keeps it only if no drop came in between.
 *
 * pcache_hold() lends a kept answer without copying it: the server hands
 * its bytes to the socket and releases it when libmicrohttpd is done with
 * them. Entries are counted references, so one dropped or replaced
 * meanwhile lives on until its last reader lets go. */
#ifndef SLACKLOG_CACHE_H
#define SLACKLOG_CACHE_H
#include <stdbool.h>
#include <stdint.h>
#include "pages/pages.h"

typedef struct pcache pcache_t;

pcache_t *pcache_new(size_t max_bytes);
void pcache_free(pcache_t *c);
/* Answers are kept by path and query (raw, "" when none); drops look at
 * the path. Copy a kept answer into out (and its gzip form into gz when
 * gz is given and the form exists). */
bool pcache_get(pcache_t *c, const char *path, const char *query, page_out *out, buf_t *gz);
/* A kept answer, lent: o and gz stay valid until pcache_release(ref). */
typedef struct pcache_hit {
	const page_out *o;
	const buf_t *gz;             /* its gzip form (len 0: none) */
	void *ref;
} pcache_hit;
bool pcache_hold(pcache_t *c, const char *path, const char *query, pcache_hit *h);
void pcache_release(void *ref);
/* Taken before an answer is built; moves with each drop. */
uint64_t pcache_epoch(pcache_t *c);
/* Keep an answer built since epoch, unless a drop came after it; gz may
 * be NULL or empty. */
void pcache_put(pcache_t *c, const char *path, const char *query, uint64_t epoch, const page_out *o,
		const buf_t *gz);
/* Drop every answer stale() says is (NULL: every answer); how many. */
typedef bool (*pcache_stale_fn)(void *ud, const char *path, const page_out *o);
size_t pcache_drop(pcache_t *c, pcache_stale_fn stale, void *ud);
#endif
