/* cache.h: finished answers kept in memory, shared by the worker threads.
 *
 * A page is a function of its URL and the archive, so an answer can be
 * reused until the archive changes: entries are tagged with site_version()
 * and a lookup with another version is a miss. The gzip form is kept
 * beside the identity form, so a popular page is built and compressed
 * once. Bounded: a direct-mapped table (a new entry replaces whatever had
 * its slot) under a byte budget. Search answers (no-store) are not kept.
 *
 * pcache_hold() lends a kept answer without copying it: the server hands
 * its bytes to the socket and releases it when libmicrohttpd is done with
 * them. Entries are counted references, so one replaced meanwhile lives
 * on until its last reader lets go. */
#ifndef SLACKLOG_CACHE_H
#define SLACKLOG_CACHE_H
#include <stdbool.h>
#include <stdint.h>
#include "pages/pages.h"

typedef struct pcache pcache_t;

pcache_t *pcache_new(size_t max_bytes);
void pcache_free(pcache_t *c);
/* Copy a kept answer for key into out (and its gzip form into gz when
 * gz is given and the form exists). */
bool pcache_get(pcache_t *c, const char *key, uint64_t version, page_out *out, buf_t *gz);
/* A kept answer, lent: o and gz stay valid until pcache_release(ref). */
typedef struct pcache_hit {
	const page_out *o;
	const buf_t *gz;             /* its gzip form (len 0: none) */
	void *ref;
} pcache_hit;
bool pcache_hold(pcache_t *c, const char *key, uint64_t version, pcache_hit *h);
void pcache_release(void *ref);
/* Keep an answer; gz may be NULL or empty. */
void pcache_put(pcache_t *c, const char *key, uint64_t version, const page_out *o, const buf_t *gz);
#endif
