/* import.c: one export into the store: pass one (metadata) on this thread,
 * pass two (day files) read by a second thread and written here. See
 * import.h.
 *
 * Why two threads: reading, parsing, normalizing and rendering the day
 * files is about a sixth of an import's CPU time, writing SQLite the rest
 * (measured with --verbose, which prints both). On two cores the reader's
 * share comes off the wall-clock time. SQLite stays on this thread; the
 * reader never touches the store. */
#include "ingest/import.h"
#include "ingest/batch.h"
#include "ingest/days.h"
#include "ingest/meta.h"
#include "ingest/names.h"
#include "ingest/order.h"
#include "ingest/walk.h"
#include "cli.h"
#include "lib/ts.h"
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

enum {
	QUEUE_DEPTH = 2,
	/* Messages per transaction. Batches are smaller (they bound memory);
	 * committing less often saves rewriting the same index pages, but
	 * the search index holds a transaction's texts twice until it
	 * commits (the store's queue, FTS5's pending terms): 20000 cost 6 MB
	 * more peak RSS than 10000, for no CPU time that could be measured. */
	COMMIT_MSGS = 10000,
};

typedef struct imp {
	store_t *s;
	const char *label;
	meta *m;
	import_totals *t;
	warner warn;
	progress prog;
	uint64_t total_files;
	arena_t scratch;
	bool in_tx;
	uint64_t uncommitted;
	names profiles;              /* user_profile authors already handled */
	char asof[TS_LEN + 1];       /* the newest message's ts: when the export was */
	char newest_day[11];         /* the newest day file's date */
	char made[TS_LEN + 1];       /* before the export was made: see write_msgs */
} imp;

static void print_warning(void *ctx, const char *msg)
{
	imp *im = ctx;
	im->t->warnings++;
	progress_end(&im->prog);
	log_warn("%s", msg);
}

static int store_failed(imp *im, const char *what)
{
	log_err("%s: %s: %s", im->label, what, store_errmsg(im->s));
	return -1;
}

/* ---- writing a batch ------------------------------------------------------ */

/* A user_profile author the archive does not know yet: store the profile,
 * never over a users.json record. */
static int store_profile(imp *im, const st_user *u)
{
	if (meta_user_known(im->m, u->id) || !names_put(&im->profiles, u->id, NULL))
		return 0;
	arena_reset(&im->scratch);
	if (store_user(im->s, &im->scratch, u->id))
		return 0;
	if (store_upsert_user(im->s, u) == ST_ERROR)
		return store_failed(im, "storing a user from a message's user_profile");
	im->t->users++;
	return 0;
}

static void count(import_totals *t, const st_message *m, int rc)
{
	t->messages++;
	t->inserted += rc == ST_INSERTED;
	t->updated += rc == ST_UPDATED;
	t->unchanged += rc == ST_UNCHANGED;
	t->refused += rc == ST_REFUSED;
	if (m->thread_ts) {
		bool parent = strcmp(m->thread_ts, m->ts) == 0;
		t->threads += parent;
		t->replies += !parent;
	}
	for (size_t i = 0; i < m->nreactions; i++)
		t->reactions += (uint64_t)m->reactions[i].count;
	t->files += m->has_files;
}

/* A copy in an export is the message as of when the export was made,
 * which the export does not say. What is known: after the copy's ts and
 * edit, and after the start of its newest day file's date (im->made).
 * The store orders copies by that time (after their edit): a change an
 * event tells after it wins over the export's copy, one before it loses,
 * and an export made after another wins over it. */
static int write_msgs(imp *im, const batch *b)
{
	for (size_t i = 0; i < b->nusers; i++)
		if (store_profile(im, &b->users[i]) != 0)
			return -1;
	for (size_t i = 0; i < b->nmsgs; i++) {
		st_message copy = b->msgs[i];
		const st_message *m = &copy;
		const char *t = m->edited_ts && strcmp(m->edited_ts, m->ts) > 0 ? m->edited_ts : m->ts;
		copy.seen = strcmp(im->made, t) > 0 ? im->made : t;
		int rc = store_upsert_message(im->s, m);
		if (rc == ST_ERROR) {
			log_err("%s: storing message %s of %s: %s", im->label, m->ts, m->channel_id, store_errmsg(im->s));
			return -1;
		}
		count(im->t, m, rc);
		char c[TS_LEN + 1];
		if (ts_canon(m->ts, c) && strcmp(c, im->asof) > 0)
			memcpy(im->asof, c, sizeof c);
	}
	return 0;
}

static int commit(imp *im)
{
	if (!im->in_tx)
		return 0;
	im->in_tx = false;
	im->uncommitted = 0;
	return store_commit(im->s) == 0 ? 0 : store_failed(im, "committing");
}

/* Write a batch inside the open transaction (opening one if needed), and
 * commit every COMMIT_MSGS messages. Frees b. */
static int write_batch(imp *im, batch *b)
{
	for (size_t i = 0; i < b->nwarnings; i++)
		print_warning(im, b->warnings[i]);
	int rc = 0;
	if (!im->in_tx) {
		rc = store_begin(im->s) == 0 ? 0 : store_failed(im, "starting a transaction");
		im->in_tx = rc == 0;
	}
	if (rc == 0 && write_msgs(im, b) != 0) {
		store_rollback(im->s);
		im->in_tx = false;
		rc = -1;
	}
	im->uncommitted += b->nmsgs;
	if (rc == 0 && im->uncommitted >= COMMIT_MSGS)
		rc = commit(im);
	progress_update(&im->prog, b->files_done, im->total_files, im->t->messages, "messages");
	batch_free(b);
	return rc;
}

/* ---- pass one ------------------------------------------------------------- */

/* Track whether every entry so far lies in one top-level folder. */
static void common_folder(buf_t *common, bool *one, const char *name)
{
	const char *sl = strchr(name, '/');
	size_t n = sl ? (size_t)(sl - name) + 1 : 0;
	if (!*one)
		return;
	if (!n || (common->len && (common->len != n || memcmp(common->p, name, n) != 0))) {
		*one = false;
		return;
	}
	if (!common->len)
		buf_put(common, name, n);
}

static int read_entries(imp *im, walker *w, uint64_t *entries, buf_t *common, bool *one)
{
	const char *name;
	size_t len;
	int rc = 0;
	while (rc == 0 && (name = walk_next(w)) != NULL) {
		(*entries)++;
		common_folder(common, one, name);
		switch (meta_classify(name, &len)) {
		case ENT_META:
			rc = meta_read(im->m, w, name, len);
			break;
		case ENT_DAY:
			meta_day_folder(im->m, name, len);
			im->total_files++;
			if (memcmp(name + len + 1, im->newest_day, 10) > 0)
				memcpy(im->newest_day, name + len + 1, 10);
			break;
		case ENT_OTHER:
			log_debug("%s: %s: not a metadata or day file; ignored", im->label, name);
			break;
		}
	}
	return rc;
}

static bool found_nothing(imp *im)
{
	const meta_counts *n = meta_counts_of(im->m);
	return n->conversations == 0 && n->users == 0 && n->emoji == 0 && im->total_files == 0;
}

/* The export was made after its newest day file's date began in the
 * zone that named it: at the latest 14 hours before that date's UTC
 * midnight (Slack names them in Los Angeles time, other tools may not). */
static void export_made(imp *im)
{
	struct tm tm = {0};
	int64_t t = 0;
	if (*im->newest_day && strptime(im->newest_day, "%Y-%m-%d", &tm))
		t = (int64_t)timegm(&tm) - 14 * 3600;
	order_time_int(t, im->made);
}

static int pass_one(imp *im, walker *w)
{
	uint64_t entries = 0;
	buf_t common = BUF_INIT;
	bool one = true;
	if (store_begin(im->s) != 0)
		return store_failed(im, "starting a transaction");
	int rc = read_entries(im, w, &entries, &common, &one);
	char err[600];
	if (rc == 0 && found_nothing(im) && one && common.len && walk_rewind(w, err, sizeof err) == 0) {
		/* an export zipped inside its folder: read it from there */
		log_debug("%s: the export is in %s", im->label, buf_str(&common));
		walk_set_root(w, common.p, common.len);
		entries = 0;
		rc = read_entries(im, w, &entries, &common, &one);
	}
	buf_free(&common);
	if (rc == 0)
		rc = meta_finish(im->m);
	if (rc != 0) {
		store_rollback(im->s);
		return store_failed(im, "storing metadata");
	}
	if (store_commit(im->s) != 0)
		return store_failed(im, "committing metadata");
	if (entries == 0) {
		log_err("%s: nothing could be read from it", im->label);
		return -1;
	}
	const meta_counts *n = meta_counts_of(im->m);
	log_debug("%s: metadata: %llu users, %llu conversations (%llu undescribed), %llu emoji, "
		  "%llu integration log entries, %llu day files", im->label, (unsigned long long)n->users,
		  (unsigned long long)n->conversations, (unsigned long long)n->undescribed,
		  (unsigned long long)n->emoji, (unsigned long long)n->integration_logs,
		  (unsigned long long)im->total_files);
	if (found_nothing(im)) {
		log_err("%s: not a Slack export (no users.json, channels.json or <channel>/YYYY-MM-DD.json)", im->label);
		return -1;
	}
	export_made(im);
	return 0;
}

/* ---- pass two ------------------------------------------------------------- */

static int sink_direct(void *ctx, batch *b)
{
	return write_batch(ctx, b);
}

static int sink_queue(void *ctx, batch *b)
{
	return bq_put(ctx, b);
}

typedef struct reader_thread {
	days_cfg cfg;
	bqueue *q;
	double cpu;
} reader_thread;

static double thread_cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *reader_main(void *arg)
{
	reader_thread *r = arg;
	days_read(&r->cfg);
	r->cpu = thread_cpu();
	bq_close(r->q);
	return NULL;
}

static int pass_two_threaded(imp *im, days_cfg cfg)
{
	bqueue q;
	bq_init(&q, QUEUE_DEPTH);
	cfg.sink = sink_queue;
	cfg.ctx = &q;
	reader_thread r = {cfg, &q, 0};
	double cpu0 = thread_cpu();
	pthread_t th;
	if (pthread_create(&th, NULL, reader_main, &r) != 0) {
		bq_destroy(&q);
		cfg.sink = sink_direct;
		cfg.ctx = im;
		return days_read(&cfg);
	}
	int rc = 0;
	batch *b;
	while ((b = bq_take(&q)) != NULL) {
		if (rc != 0) {
			batch_free(b);
		} else if (write_batch(im, b) != 0) {
			rc = -1;
			bq_abort(&q);
		}
	}
	pthread_join(th, NULL);
	bq_destroy(&q);
	log_debug("%s: CPU time: reading %.2fs, writing %.2fs", im->label, r.cpu, thread_cpu() - cpu0);
	return rc;
}

static int pass_two(imp *im, walker *w, int threads)
{
	char err[600];
	if (walk_rewind(w, err, sizeof err) != 0) {
		log_err("%s (reading it again)", err);
		return -1;
	}
	days_cfg cfg = {.w = w, .warn = &im->warn, .m = im->m, .label = im->label,
			.sink = sink_direct, .ctx = im};
	progress_start(&im->prog, "importing");
	int rc = threads > 1 ? pass_two_threaded(im, cfg) : days_read(&cfg);
	if (rc == 0)
		rc = commit(im);
	else if (im->in_tx)
		store_rollback(im->s);
	if (rc == 0) {
		/* the channels' names, now that the export's time is known */
		rc = store_begin(im->s) == 0 ? 0 : store_failed(im, "starting a transaction");
		if (rc == 0 && meta_settle_names(im->m, im->asof) != 0) {
			store_rollback(im->s);
			rc = store_failed(im, "storing channel names");
		} else if (rc == 0 && store_commit(im->s) != 0) {
			rc = store_failed(im, "committing channel names");
		}
	}
	progress_end(&im->prog);
	return rc;
}

/* ---- entry points ----------------------------------------------------------- */

static bool is_json_file(const char *path)
{
	struct stat st;
	size_t n = strlen(path);
	return n > 5 && strcmp(path + n - 5, ".json") == 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* A PATH that is a JSON file rather than an export: an emoji list
 * (emoji.list's answer), nothing else. */
static int import_json_file(imp *im)
{
	char *export;
	const char *part = meta_export_part(im->label, &export);
	if (part && export)
		log_err("%s: %s of the Slack export %s, not something to import alone: use 'slacklog import %s'",
			im->label, part, export, export);
	else if (part)
		log_err("%s: %s of a Slack export, not something to import alone: import the whole export "
			"(its .zip or unpacked directory)", im->label, part);
	free(export);
	if (part)
		return -1;
	FILE *f = fopen(im->label, "rb");
	if (!f) {
		log_err("%s: %s", im->label, strerror(errno));
		return -1;
	}
	buf_t data = BUF_INIT;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && (int64_t)data.len <= WALK_MAX_ENTRY)
		buf_put(&data, chunk, n);
	fclose(f);
	json_err err;
	const jv *root = json_parse(&im->scratch, buf_str(&data), data.len, &err, NULL);
	const jv *list = root ? meta_emoji_list(root) : NULL;
	int rc = -1;
	if (!root)
		log_err("%s:%zu:%zu: invalid JSON: %s; nothing could be read from it", im->label, err.line, err.col,
			err.msg);
	else if (!list)
		log_err("%s: not an emoji list: expected {\"emoji\": {name: url}} (or a Slack export's .zip or "
			"directory)", im->label);
	else if (store_begin(im->s) != 0)
		store_failed(im, "starting a transaction");
	else if (meta_emoji_store(im->m, im->label, list) != 0)
		store_rollback(im->s);
	else
		rc = store_commit(im->s) == 0 ? 0 : store_failed(im, "committing");
	buf_free(&data);
	return rc;
}

static int import_export(imp *im, int threads)
{
	char err[600];
	walker *w = walk_open(im->label, &im->warn, err, sizeof err);
	if (!w) {
		log_err("%s", err);
		return -1;
	}
	int bulk = store_bulk_begin(im->s);
	if (bulk < 0)
		log_warn("%s: %s", im->label, store_errmsg(im->s));
	int rc = pass_one(im, w);
	if (rc == 0)
		rc = pass_two(im, w, threads);
	walk_close(w);
	if (bulk > 0 && store_bulk_end(im->s) != 0)
		rc = store_failed(im, "finishing the bulk load");
	return rc;
}

int import_path(store_t *s, const char *path, int threads, import_totals *t)
{
	double start = now_seconds();
	memset(t, 0, sizeof *t);
	imp im = {.s = s, .label = path, .t = t};
	im.warn.fn = print_warning;
	im.warn.ctx = &im;
	im.m = meta_new(s, &im.warn, path);
	int rc = is_json_file(path) ? import_json_file(&im) : import_export(&im, threads);
	const meta_counts *n = meta_counts_of(im.m);
	t->conversations = n->conversations;
	t->users += n->users;
	t->emoji = n->emoji;
	t->seconds = now_seconds() - start;
	meta_free(im.m);
	names_free(&im.profiles);
	arena_free(&im.scratch);
	return rc;
}
