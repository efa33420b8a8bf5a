/* arena.c: chunked bump allocation. See arena.h. */
#include "lib/arena.h"
#include "lib/buf.h"
#include <stdlib.h>
#include <string.h>

struct arena_chunk {
	arena_chunk *next;
	size_t used, cap;
	_Alignas(16) char mem[];
};

enum { CHUNK = 64 * 1024 };

void *arena_alloc(arena_t *a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	arena_chunk *c = a->head;
	if (!c || c->used + n > c->cap) {
		size_t cap = n > CHUNK ? n : CHUNK;
		arena_chunk *nc = xmalloc(sizeof *nc + cap);
		nc->used = 0;
		nc->cap = cap;
		/* a large one-off block goes behind the current chunk so the
		 * current chunk keeps serving small allocations */
		if (c && n > CHUNK) {
			nc->next = c->next;
			c->next = nc;
		} else {
			nc->next = c;
			a->head = nc;
		}
		c = nc;
	}
	void *p = c->mem + c->used;
	c->used += n;
	a->used_total += n;
	return p;
}

void *arena_zalloc(arena_t *a, size_t n)
{
	void *p = arena_alloc(a, n);
	memset(p, 0, n);
	return p;
}

char *arena_strndup(arena_t *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

void arena_reset(arena_t *a)
{
	arena_chunk *c = a->head;
	if (!c)
		return;
	/* keep one standard-size chunk, free the rest */
	arena_chunk *keep = NULL;
	while (c) {
		arena_chunk *next = c->next;
		if (!keep && c->cap == CHUNK)
			keep = c;
		else
			free(c);
		c = next;
	}
	if (keep) {
		keep->next = NULL;
		keep->used = 0;
	}
	a->head = keep;
	a->used_total = 0;
}

void arena_free(arena_t *a)
{
	arena_chunk *c = a->head;
	while (c) {
		arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
	a->used_total = 0;
}
