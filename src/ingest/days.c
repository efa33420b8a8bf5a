/* days.c: day files -> batches of normalized messages. See days.h.
 *
 * A user_profile embedded in messages is passed on once per author and
 * export (the writer stores it only for authors it does not know). */
#include "ingest/days.h"
#include "ingest/norm.h"
#include <search.h>
#include <stdlib.h>
#include <string.h>

typedef struct reader {
	const days_cfg *c;
	batch *b;
	uint64_t files;
	const char *name;
	const conv *cv;
	locator loc;
	void *profiles;              /* author IDs whose profile was passed on */
	bool stopped;
} reader;

static void to_batch(void *ctx, const char *msg)
{
	reader *r = ctx;
	batch_add_warning(r->b, msg);
}

static int send(reader *r)
{
	batch *b = r->b;
	b->files_done = r->files;
	r->b = batch_new();
	if (r->c->sink(r->c->ctx, b) != 0)
		r->stopped = true;
	return r->stopped ? -1 : 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void pass_profile(reader *r, const st_user *p)
{
	char *id = xstrdup(p->id);
	char **got = tsearch(id, &r->profiles, cmp_str);
	if (*got != id) {
		free(id);
		return;
	}
	*batch_add_user(r->b) = *p;
}

static int item(void *ctx, const jv *it, const char *raw, size_t rawlen)
{
	reader *r = ctx;
	batch *b = r->b;
	st_message *m = batch_add_msg(b);
	st_user prof;
	const char *why = NULL;
	if (norm_message(&b->arena, it, raw, rawlen, r->cv->id, m, &prof, &why) != 0) {
		b->nmsgs--;
		b->skipped++;
		size_t line = 0, col = 0;
		if (raw)
			locator_at(&r->loc, raw, &line, &col);
		warnf(r->c->warn, "%s: %s:%zu:%zu: message skipped: %s", r->c->label, r->name, line, col, why);
		return 0;
	}
	if (prof.id)
		pass_profile(r, &prof);
	if (b->nmsgs >= BATCH_MSGS || b->arena.used_total >= BATCH_BYTES)
		return send(r) != 0;
	return 0;
}

static void read_file(reader *r, const char *name, size_t folder_len, buf_t *data)
{
	const days_cfg *c = r->c;
	r->name = name;
	r->cv = meta_folder(c->m, name, folder_len);
	if (!r->cv) {
		warnf(c->warn, "%s: %s: no conversation for this folder; skipped", c->label, name);
		return;
	}
	if (walk_read(c->w, data) != 0 && data->len == 0)
		return;
	if (warn_if_empty(c->warn, c->label, name, buf_str(data), data->len))
		return;
	json_err err;
	json_stats st = {0};
	locator_init(&r->loc, data->p);
	int rc = json_each(buf_str(data), data->len, item, r, &err, &st);
	if (rc != JSON_STOPPED)
		warn_json(c->warn, c->label, name, rc, &err, &st);
}

int days_read(const days_cfg *c)
{
	reader r = {.c = c, .b = batch_new()};
	warner saved = *c->warn;
	c->warn->fn = to_batch;
	c->warn->ctx = &r;
	buf_t data = BUF_INIT;
	const char *name;
	while (!r.stopped && (name = walk_next(c->w)) != NULL) {
		size_t len;
		if (meta_classify(name, &len) != ENT_DAY)
			continue;
		read_file(&r, name, len, &data);
		r.files++;
	}
	if (!r.stopped)
		send(&r);
	*c->warn = saved;
	batch_free(r.b);
	buf_free(&data);
	tdestroy(r.profiles, free);
	return r.stopped ? -1 : 0;
}
