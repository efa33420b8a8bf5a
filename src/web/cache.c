/* cache.c: see cache.h. One mutex; answers are copied in, and lent out
 * (pcache_hold) or copied out (pcache_get). A hash table of chains finds
 * a key; a list in order of use says what goes first when the budget is
 * spent (a hit moves its entry to the front). An entry counts its
 * holders: the table is one, each lent answer one more; the last frees
 * it. */
#include "web/cache.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum { MIN_BUCKETS = 1024 };

typedef struct entry {
	struct entry *next;          /* in its bucket's chain */
	struct entry *newer, *older; /* in the order of use */
	char *key;                   /* the path, '\0', the query, '\0' */
	size_t plen;
	uint64_t hash;
	page_out o;
	buf_t gz;
	size_t bytes;
	int refs;
} entry;

struct pcache {
	pthread_mutex_t lock;
	entry **bucket;
	size_t nbuckets, count;
	entry *newest, *oldest;
	size_t bytes, max;
	uint64_t epoch;               /* drops so far */
};

pcache_t *pcache_new(size_t max_bytes)
{
	pcache_t *c = xcalloc(1, sizeof *c);
	pthread_mutex_init(&c->lock, NULL);
	c->max = max_bytes;
	c->nbuckets = MIN_BUCKETS;
	c->bucket = xcalloc(c->nbuckets, sizeof *c->bucket);
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
	for (entry *e = c->newest, *next; e; e = next) {
		next = e->older;
		entry_free(e);
	}
	free(c->bucket);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

static uint64_t hash_of(const char *path, const char *query)
{
	uint64_t h = 1469598103934665603ull;
	for (; *path; path++)
		h = (h ^ (unsigned char)*path) * 1099511628211ull;
	h *= 1099511628211ull;       /* the '\0' between them */
	for (; *query; query++)
		h = (h ^ (unsigned char)*query) * 1099511628211ull;
	return h;
}

static entry **chain(pcache_t *c, uint64_t hash)
{
	return &c->bucket[hash & (c->nbuckets - 1)];
}

/* ---- the order of use ---------------------------------------------------- */

static void unlink_use(pcache_t *c, entry *e)
{
	*(e->newer ? &e->newer->older : &c->newest) = e->older;
	*(e->older ? &e->older->newer : &c->oldest) = e->newer;
	e->newer = e->older = NULL;
}

static void link_newest(pcache_t *c, entry *e)
{
	e->older = c->newest;
	e->newer = NULL;
	*(c->newest ? &c->newest->newer : &c->oldest) = e;
	c->newest = e;
}

/* ---- the table (lock held) ----------------------------------------------- */

static entry *find(pcache_t *c, const char *path, const char *query, uint64_t h)
{
	size_t plen = strlen(path);
	for (entry *e = *chain(c, h); e; e = e->next)
		if (e->hash == h && e->plen == plen && memcmp(e->key, path, plen) == 0 &&
		    strcmp(e->key + plen + 1, query) == 0)
			return e;
	return NULL;
}

/* Take e out of the table and the order; the table's reference is the
 * caller's to release (after the lock). */
static void take_out(pcache_t *c, entry *e)
{
	entry **p = chain(c, e->hash);
	while (*p != e)
		p = &(*p)->next;
	*p = e->next;
	unlink_use(c, e);
	c->bytes -= e->bytes;
	c->count--;
}

/* Twice the buckets once there are more entries than buckets. */
static void grow(pcache_t *c)
{
	size_t n = c->nbuckets * 2;
	entry **b = xcalloc(n, sizeof *b);
	for (size_t i = 0; i < c->nbuckets; i++)
		for (entry *e = c->bucket[i], *next; e; e = next) {
			next = e->next;
			e->next = b[e->hash & (n - 1)];
			b[e->hash & (n - 1)] = e;
		}
	free(c->bucket);
	c->bucket = b;
	c->nbuckets = n;
}

/* ---- lookups ------------------------------------------------------------- */

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

/* The entry, moved to the front of the order of use. */
static entry *use(pcache_t *c, const char *path, const char *query)
{
	entry *e = find(c, path, query, hash_of(path, query));
	if (e && e != c->newest) {
		unlink_use(c, e);
		link_newest(c, e);
	}
	return e;
}

bool pcache_get(pcache_t *c, const char *path, const char *query, page_out *out, buf_t *gz)
{
	pthread_mutex_lock(&c->lock);
	entry *e = use(c, path, query);
	if (e) {
		copy_out(out, &e->o);
		if (gz)
			copy_buf(gz, &e->gz);
	}
	pthread_mutex_unlock(&c->lock);
	return e != NULL;
}

bool pcache_hold(pcache_t *c, const char *path, const char *query, pcache_hit *h)
{
	pthread_mutex_lock(&c->lock);
	entry *e = use(c, path, query);
	if (e) {
		__atomic_add_fetch(&e->refs, 1, __ATOMIC_ACQ_REL);
		h->o = &e->o;
		h->gz = &e->gz;
		h->ref = e;
	}
	pthread_mutex_unlock(&c->lock);
	return e != NULL;
}

void pcache_release(void *ref)
{
	entry_free(ref);
}

/* ---- changes ------------------------------------------------------------- */

uint64_t pcache_epoch(pcache_t *c)
{
	return __atomic_load_n(&c->epoch, __ATOMIC_ACQUIRE);
}

void pcache_put(pcache_t *c, const char *path, const char *query, uint64_t epoch, const page_out *o,
		const buf_t *gz)
{
	if (o->cache == CACHE_NONE)
		return;
	entry *e = xcalloc(1, sizeof *e);
	e->refs = 1;
	e->plen = strlen(path);
	size_t qlen = strlen(query);
	e->key = xmalloc(e->plen + qlen + 2);
	memcpy(e->key, path, e->plen + 1);
	memcpy(e->key + e->plen + 1, query, qlen + 1);
	e->hash = hash_of(path, query);
	copy_out(&e->o, o);
	if (gz)
		copy_buf(&e->gz, gz);
	e->bytes = e->plen + qlen + 2 + o->body.len + o->location.len + e->gz.len + sizeof *e;
	if (e->bytes > c->max / 8) {
		entry_free(e);
		return;
	}
	entry *gone = NULL;          /* released after the lock, chained by next */
	pthread_mutex_lock(&c->lock);
	if (epoch != c->epoch) {
		/* a drop ran while it was built: it may be of the archive before
		 * the change that drop was for */
		pthread_mutex_unlock(&c->lock);
		entry_free(e);
		return;
	}
	entry *old = find(c, path, query, e->hash);
	if (old) {
		take_out(c, old);
		old->next = gone;
		gone = old;
	}
	while (c->oldest && c->bytes + e->bytes > c->max) {
		entry *x = c->oldest;
		take_out(c, x);
		x->next = gone;
		gone = x;
	}
	entry **p = chain(c, e->hash);
	e->next = *p;
	*p = e;
	link_newest(c, e);
	c->bytes += e->bytes;
	if (++c->count > c->nbuckets)
		grow(c);
	pthread_mutex_unlock(&c->lock);
	for (entry *next; gone; gone = next) {
		next = gone->next;
		entry_free(gone);
	}
}

size_t pcache_drop(pcache_t *c, pcache_stale_fn stale, void *ud)
{
	entry *gone = NULL;
	size_t n = 0;
	pthread_mutex_lock(&c->lock);
	for (entry *e = c->newest, *older; e; e = older) {
		older = e->older;
		if (stale && !stale(ud, e->key, &e->o))
			continue;
		take_out(c, e);
		e->next = gone;
		gone = e;
		n++;
	}
	__atomic_add_fetch(&c->epoch, 1, __ATOMIC_ACQ_REL);
	pthread_mutex_unlock(&c->lock);
	for (entry *next; gone; gone = next) {
		next = gone->next;
		entry_free(gone);
	}
	return n;
}
