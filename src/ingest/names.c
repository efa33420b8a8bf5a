/* names.c: ID -> name maps on tsearch. See names.h. */
#include "ingest/names.h"
#include "lib/buf.h"
#include <search.h>
#include <stdlib.h>
#include <string.h>

typedef struct name_entry {
	char *id, *value;
} name_entry;

static int cmp(const void *a, const void *b)
{
	return strcmp(((const name_entry *)a)->id, ((const name_entry *)b)->id);
}

static void free_entry(void *p)
{
	name_entry *e = p;
	free(e->id);
	free(e->value);
	free(e);
}

bool names_put(names *n, const char *id, const char *value)
{
	name_entry *e = xcalloc(1, sizeof *e);
	e->id = xstrdup(id);
	name_entry **got = tsearch(e, &n->root, cmp);
	bool added = *got == e;
	if (!added) {
		free_entry(e);
		e = *got;
		if (e->value)
			return false;
	}
	e->value = value ? xstrdup(value) : NULL;
	return added;
}

static name_entry *find(const names *n, const char *id)
{
	name_entry key = {(char *)id, NULL};
	name_entry **got = tfind(&key, &n->root, cmp);
	return got ? *got : NULL;
}

bool names_has(const names *n, const char *id)
{
	return find(n, id) != NULL;
}

const char *names_get(const names *n, const char *id)
{
	name_entry *e = find(n, id);
	return e ? e->value : NULL;
}

void names_free(names *n)
{
	tdestroy(n->root, free_entry);
	n->root = NULL;
}
