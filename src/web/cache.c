/* cache.c: see cache.h. One mutex; answers are copied in, and lent out
 * (pcache_hold) or copied out (pcache_get). An entry counts its holders:
 * the table is one, each lent answer one more; the last frees it. */
#include "web/cache.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum { SLOTS = 4096 };

typedef struct entry {
	char *key;
	uint64_t version;
	page_out o;
	buf_t gz;
	size_t bytes;
	int refs;
} entry;

struct pcache {
	pthread_mutex_t lock;
	entry *slot[SLOTS];
	size_t bytes, max;
};

pcache_t *pcache_new(size_t max_bytes)
{
	pcache_t *c = xcalloc(1, sizeof *c);
	pthread_mutex_init(&c->lock, NULL);
	c->max = max_bytes;
	return c;
}

static void entry_free(entry *e)
{
	if (!e || __atomic_sub_fetch(&e->refs, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	free(e->key);
	page_out_free(&e->o);
	buf_free(&e->gz);
	free(e);
}

void pcache_free(pcache_t *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < SLOTS; i++)
		entry_free(c->slot[i]);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

static size_t slot_of(const char *key)
{
	uint64_t h = 1469598103934665603ull;
	for (; *key; key++)
		h = (h ^ (unsigned char)*key) * 1099511628211ull;
	return (size_t)(h % SLOTS);
}

static void copy_buf(buf_t *dst, const buf_t *src)
{
	buf_reset(dst);
	if (src->len)
		buf_put(dst, src->p, src->len);
}

static void copy_out(page_out *dst, const page_out *src)
{
	copy_buf(&dst->body, &src->body);
	copy_buf(&dst->location, &src->location);
	dst->status = src->status;
	dst->type = src->type;
	memcpy(dst->etag, src->etag, sizeof dst->etag);
	dst->last_modified = src->last_modified;
	dst->cache = src->cache;
}

bool pcache_get(pcache_t *c, const char *key, uint64_t version, page_out *out, buf_t *gz)
{
	size_t i = slot_of(key);
	bool hit = false;
	pthread_mutex_lock(&c->lock);
	entry *e = c->slot[i];
	if (e && e->version == version && strcmp(e->key, key) == 0) {
		copy_out(out, &e->o);
		if (gz)
			copy_buf(gz, &e->gz);
		hit = true;
	}
	pthread_mutex_unlock(&c->lock);
	return hit;
}

bool pcache_hold(pcache_t *c, const char *key, uint64_t version, pcache_hit *h)
{
	size_t i = slot_of(key);
	pthread_mutex_lock(&c->lock);
	entry *e = c->slot[i];
	bool hit = e && e->version == version && strcmp(e->key, key) == 0;
	if (hit) {
		__atomic_add_fetch(&e->refs, 1, __ATOMIC_ACQ_REL);
		h->o = &e->o;
		h->gz = &e->gz;
		h->ref = e;
	}
	pthread_mutex_unlock(&c->lock);
	return hit;
}

void pcache_release(void *ref)
{
	entry_free(ref);
}

void pcache_put(pcache_t *c, const char *key, uint64_t version, const page_out *o, const buf_t *gz)
{
	if (o->cache == CACHE_NONE)
		return;
	entry *e = xcalloc(1, sizeof *e);
	e->refs = 1;
	e->key = xstrdup(key);
	e->version = version;
	copy_out(&e->o, o);
	if (gz)
		copy_buf(&e->gz, gz);
	e->bytes = strlen(key) + o->body.len + o->location.len + e->gz.len + sizeof *e;
	if (e->bytes > c->max / 8) {
		entry_free(e);
		return;
	}
	size_t i = slot_of(key);
	pthread_mutex_lock(&c->lock);
	entry *old = c->slot[i];
	if (old)
		c->bytes -= old->bytes;
	c->slot[i] = e;
	c->bytes += e->bytes;
	/* over budget: drop everything else (rare; the table refills) */
	if (c->bytes > c->max) {
		for (size_t k = 0; k < SLOTS; k++) {
			if (k == i || !c->slot[k])
				continue;
			c->bytes -= c->slot[k]->bytes;
			entry *x = c->slot[k];
			c->slot[k] = NULL;
			entry_free(x);
		}
	}
	pthread_mutex_unlock(&c->lock);
	entry_free(old);
}
