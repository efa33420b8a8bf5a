/* names.h: a map from IDs to names (users, conversations), on libc's
 * tsearch trees: sorted, O(log n), no hashing to get wrong.
 *
 * Lookups do not change the tree, so one thread may read a map that no
 * thread is changing any more (the reader thread reads the metadata pass's
 * maps while the writer keeps its own). */
#ifndef SLACKLOG_INGEST_NAMES_H
#define SLACKLOG_INGEST_NAMES_H
#include <stdbool.h>

typedef struct names {
	void *root;
} names;

/* Add id -> value (copied; value may be NULL). An id already present keeps
 * its value unless it had none. Returns true when id was new. */
bool names_put(names *n, const char *id, const char *value);
bool names_has(const names *n, const char *id);
/* The value, or NULL when id is absent or has none. */
const char *names_get(const names *n, const char *id);
void names_free(names *n);
#endif
