/* days.c: day files -> batches of normalized messages. See days.h.
 *
 * Day files are streamed from the walker (json_each_read): the busiest
 * day of a large workspace is megabytes (7.5 MB at a million messages),
 * and a file held whole, with its buffer kept for the next, was most of
 * what peak RSS still grew with.
 *
 * A user_profile embedded in messages is passed on once per author and
 * export (the writer stores it only for authors it does not know).
 *
 * Each message also gets its plain text for the search index, rendered
 * here on the reader thread, which has time to spare (the writer is the
 * slower side). Mentions resolve through the metadata pass's maps, which
 * nothing changes any more, and the profiles this reader has seen. */
#include "ingest/days.h"
#include "ingest/names.h"
#include "ingest/norm.h"
#include "render/render.h"
#include <stdio.h>
#include <string.h>

typedef struct reader {
	const days_cfg *c;
	batch *b;
	uint64_t files;
	const char *name;
	const conv *cv;
	locator loc;
	json_reader rd;              /* the day file, read in pieces */
	bool read_failed;
	size_t index;                /* of the current element in the file */
	names profiles;              /* author ID -> name, from user_profile */
	render_ctx rctx;
	buf_t plain;
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

static void pass_profile(reader *r, const st_user *p)
{
	if (names_put(&r->profiles, p->id, norm_shown_name(p)))
		*batch_add_user(r->b) = *p;
}

static const char *user_name(void *ud, const char *id)
{
	reader *r = ud;
	const char *n = meta_user_shown(r->c->m, id);
	return n ? n : names_get(&r->profiles, id);
}

static const char *channel_name(void *ud, const char *id)
{
	reader *r = ud;
	return meta_channel_name(r->c->m, id);
}

static void plain_text(reader *r, const jv *it, st_message *m)
{
	buf_reset(&r->plain);
	render_message_text(&r->plain, &r->rctx, it);
	m->plain = arena_strndup(&r->b->arena, buf_str(&r->plain), r->plain.len);
	m->plainlen = r->plain.len;
}

static int item(void *ctx, const jv *it, const char *raw, size_t rawlen)
{
	reader *r = ctx;
	batch *b = r->b;
	st_message *m = batch_add_msg(b);
	st_user prof;
	const char *why = NULL;
	char what[80];
	r->index++;
	if (norm_message(&b->arena, it, raw, rawlen, r->cv->id, m, &prof, &why) != 0) {
		b->nmsgs--;
		b->skipped++;
		snprintf(what, sizeof what, "message skipped: %s", why);
		locator_sync(&r->loc, &r->rd);
		warn_item(r->c->warn, r->c->label, r->name, &r->loc, raw, r->index, what);
		return 0;
	}
	if (prof.id)
		pass_profile(r, &prof);
	plain_text(r, it, m);
	if (b->nmsgs >= BATCH_MSGS || b->arena.used_total >= BATCH_BYTES)
		return send(r) != 0;
	return 0;
}

static long read_some(void *ctx, char *p, size_t cap)
{
	reader *r = ctx;
	long n = walk_read_some(r->c->w, p, cap);
	r->read_failed |= n < 0;
	return n;
}

/* A day file, streamed: memory follows its largest message, not its
 * size (the busiest day of a large workspace is megabytes). */
static void read_file(reader *r, const char *name, size_t folder_len)
{
	const days_cfg *c = r->c;
	r->name = name;
	r->cv = meta_folder(c->m, name, folder_len);
	if (!r->cv) {
		warnf(c->warn, "%s: %s: no conversation for this folder; skipped", c->label, name);
		return;
	}
	json_err err;
	json_stats st = {0};
	r->rd = (json_reader){.read = read_some, .ctx = r};
	r->read_failed = false;
	locator_init(&r->loc, NULL);
	r->index = 0;
	int rc = json_each_read(&r->rd, item, r, &err, &st);
	if (walk_read_limited(c->w) || (rc == JSON_EMPTY && r->read_failed))
		return;   /* the walker said why */
	if (rc == JSON_EMPTY)
		warn_if_empty(c->warn, c->label, name, "", 0);
	else if (rc != JSON_STOPPED)
		warn_json(c->warn, c->label, name, rc, &err, &st);
}

int days_read(const days_cfg *c)
{
	reader r = {.c = c, .b = batch_new()};
	r.rctx.ud = &r;
	r.rctx.user_name = user_name;
	r.rctx.channel_name = channel_name;
	r.rctx.base = "";
	warner saved = *c->warn;
	c->warn->fn = to_batch;
	c->warn->ctx = &r;
	const char *name;
	while (!r.stopped && (name = walk_next(c->w)) != NULL) {
		size_t len;
		if (meta_classify(name, &len) != ENT_DAY)
			continue;
		read_file(&r, name, len);
		r.files++;
	}
	if (!r.stopped)
		send(&r);
	*c->warn = saved;
	batch_free(r.b);
	names_free(&r.profiles);
	buf_free(&r.plain);
	return r.stopped ? -1 : 0;
}
