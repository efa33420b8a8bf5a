/* arena.h: a bump allocator. Everything parsed from one JSON value (one
 * message, one user) lives in an arena that is reset when the value has been
 * stored, so memory use follows the largest record, not the export. */
#ifndef SLACKLOG_ARENA_H
#define SLACKLOG_ARENA_H
#include <stddef.h>

typedef struct arena_chunk arena_chunk;
typedef struct arena {
	arena_chunk *head;
	size_t used_total;
} arena_t;

void *arena_alloc(arena_t *a, size_t n);   /* 8-byte aligned, uninitialised */
void *arena_zalloc(arena_t *a, size_t n);
char *arena_strndup(arena_t *a, const char *s, size_t n);
void arena_reset(arena_t *a);              /* keeps the first chunk */
void arena_free(arena_t *a);
#endif
