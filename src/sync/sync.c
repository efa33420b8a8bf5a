/* sync.c: Web API backfill. See sync.h.
 *
 * Two arenas: one holds the page of the list being walked, the other the
 * replies of one thread (reset per replies page), so memory follows the
 * largest page, never the channel. */
#include "sync/sync.h"
#include "sync/api.h"
#include "ingest/events.h"
#include "ingest/names.h"
#include "ingest/order.h"
#include "cli.h"
#include "lib/ts.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct syncer {
	store_t *s;
	api_t *api;
	ev *e;
	warner w;
	const sync_opts *o;
	sync_totals *t;
	arena_t page, replies, scratch;
	progress prog;
	bool fatal;
} syncer;

static const struct { const char *method; double interval; } tiers[] = {
	{"users.list", 3.0}, {"emoji.list", 3.0}, {"conversations.list", 3.0},
	{"conversations.history", 1.2}, {"conversations.replies", 1.2},
};

static void print_warning(void *ctx, const char *msg)
{
	syncer *y = ctx;
	y->t->warnings++;
	progress_end(&y->prog);
	log_warn("%s", msg);
}

/* A call; API_SLACK_ERROR is warned about (or fatal for a refused token). */
static int call(syncer *y, arena_t *a, const char *method, const api_param *p, size_t n, const jv **out,
		const char **error)
{
	if (y->o->cancel && *y->o->cancel) {
		*error = "stopped";
		y->fatal = true;
		return API_FAILED;
	}
	int rc = api_call(y->api, a, method, p, n, out, error);
	if (rc == API_SLACK_ERROR && api_auth_error(*error)) {
		progress_end(&y->prog);
		log_err("Slack refused the token (%s): check --token or $SLACKLOG_TOKEN", *error);
		y->fatal = y->t->refused = true;
		return API_FAILED;
	}
	if (rc == API_FAILED) {
		progress_end(&y->prog);
		log_err("%s%s: %s", y->o->api_url, method, *error);
		y->fatal = true;
	}
	return rc;
}

static int tx(syncer *y, bool commit)
{
	int rc = commit ? store_commit(y->s) : store_begin(y->s);
	if (rc != 0) {
		log_err("%s: %s", commit ? "committing" : "starting a transaction", store_errmsg(y->s));
		y->fatal = true;
	}
	return rc;
}

static const char *next_cursor(const jv *root)
{
	const char *c = json_str(json_path(root, "response_metadata.next_cursor"));
	return c && *c ? c : NULL;
}

static char page_size[16];

/* ---- users, emoji, channels ---------------------------------------------- */

typedef int (*item_fn)(syncer *y, const jv *item);

/* The end of a page written in a transaction: rolled back when rc says
 * it failed, else committed; *cursor becomes the next page's ("" after
 * the last). */
static int page_done(syncer *y, int rc, const jv *root, char *cursor, size_t len)
{
	if (rc != 0) {
		store_rollback(y->s);
		return -1;
	}
	if (tx(y, true) != 0)
		return -1;
	const char *next = next_cursor(root);
	snprintf(cursor, len, "%s", next ? next : "");
	return 0;
}

/* Walk a paged list method, one transaction per page. */
static int walk_list(syncer *y, const char *method, const char *key, const char *types, item_fn fn)
{
	char cursor[512] = "";
	do {
		arena_reset(&y->page);
		api_param p[] = {{"limit", page_size}, {"cursor", *cursor ? cursor : NULL}, {"types", types},
				 {"exclude_archived", types ? "false" : NULL}};
		const jv *root;
		const char *err;
		int rc = call(y, &y->page, method, p, 4, &root, &err);
		if (rc == API_SLACK_ERROR) {
			warnf(&y->w, "%s: %s; skipped", method, err);
			return 0;
		}
		if (rc != API_OK || tx(y, false) != 0)
			return -1;
		rc = 0;
		json_foreach(it, json_arr(root, key))
			if (rc == 0)
				rc = fn(y, it);
		if (page_done(y, rc, root, cursor, sizeof cursor) != 0)
			return -1;
	} while (*cursor);
	return 0;
}

static int user_item(syncer *y, const jv *u)
{
	if (ev_user(y->e, u, "users.list") == EV_FAILED)
		return -1;
	y->t->users++;
	return 0;
}

typedef struct chan_list {
	char **ids;
	size_t n, cap;
} chan_list;

static chan_list channels;

static int channel_item(syncer *y, const jv *c)
{
	if (ev_channel(y->e, c, CH_PUBLIC, "conversations.list") == EV_FAILED)
		return -1;
	const char *id = json_getstr(c, "id");
	if (!id || !*id || json_getbool(c, "is_private") || json_getbool(c, "is_im") || json_getbool(c, "is_mpim"))
		return 0;
	if (channels.n == channels.cap) {
		channels.cap = channels.cap ? 2 * channels.cap : 64;
		channels.ids = xrealloc(channels.ids, channels.cap * sizeof *channels.ids);
	}
	channels.ids[channels.n++] = xstrdup(id);
	y->t->channels++;
	return 0;
}

static int emoji(syncer *y)
{
	arena_reset(&y->page);
	const jv *root;
	const char *err;
	int rc = call(y, &y->page, "emoji.list", NULL, 0, &root, &err);
	if (rc == API_SLACK_ERROR) {
		warnf(&y->w, "emoji.list: %s; skipped", err);
		return 0;
	}
	if (rc != API_OK || tx(y, false) != 0)
		return -1;
	json_foreach(v, json_get(root, "emoji")) {
		const char *val = json_str(v);
		if (!val || !*v->key)
			continue;
		if (store_upsert_emoji(y->s, v->key, val) == ST_ERROR) {
			log_err("storing emoji %s: %s", v->key, store_errmsg(y->s));
			store_rollback(y->s);
			y->fatal = true;
			return -1;
		}
		y->t->emoji++;
	}
	return tx(y, true);
}

/* ---- history ------------------------------------------------------------- */

static const char *setting(syncer *y, const char *ch, const char *what)
{
	char key[256];
	snprintf(key, sizeof key, "sync:%s:%s", ch, what);
	const char *v = store_get_setting(y->s, &y->scratch, key);
	return v && *v ? v : NULL;
}

static int set(syncer *y, const char *ch, const char *what, const char *value)
{
	char key[256];
	snprintf(key, sizeof key, "sync:%s:%s", ch, what);
	if (store_set_setting(y->s, key, value ? value : "") == 0)
		return 0;
	log_err("saving sync progress: %s", store_errmsg(y->s));
	y->fatal = true;
	return -1;
}

static int store_msg(syncer *y, const jv *m, const char *ch, char top[TS_LEN + 1])
{
	int rc = ev_message(y->e, m, ch, "conversations.history");
	if (rc == ST_ERROR)
		return -1;
	y->t->messages++;
	y->t->stored += rc == ST_INSERTED || rc == ST_UPDATED;
	char ts[TS_LEN + 1];
	if (ts_canon(json_getscalar(m, "ts"), ts) && strcmp(ts, top) > 0)
		memcpy(top, ts, TS_LEN + 1);
	return 0;
}

/* A message read again: stored (an edit, a new reply count) but not
 * counted as fetched. */
static int reread(syncer *y, const jv *m, const char *ch)
{
	int rc = ev_message(y->e, m, ch, "conversations.history");
	if (rc == ST_ERROR)
		return -1;
	y->t->rechecked++;
	y->t->stored += rc == ST_INSERTED || rc == ST_UPDATED;
	return 0;
}

/* The replies of one thread after oldest (NULL: all of them); the parent
 * comes too, and is stored again (unchanged, or with its new reply count). */
static int replies(syncer *y, const char *ch, const char *parent, const char *oldest)
{
	char cursor[512] = "";
	char ignore[TS_LEN + 1] = "9999999999.999999";
	do {
		arena_reset(&y->replies);
		api_param p[] = {{"channel", ch}, {"ts", parent}, {"limit", page_size},
				 {"cursor", *cursor ? cursor : NULL}, {"oldest", oldest}};
		const jv *root;
		const char *err;
		int rc = call(y, &y->replies, "conversations.replies", p, 5, &root, &err);
		if (rc == API_SLACK_ERROR) {
			warnf(&y->w, "conversations.replies %s %s: %s; skipped", ch, parent, err);
			return 0;
		}
		if (rc != API_OK)
			return -1;
		json_foreach(m, json_arr(root, "messages")) {
			char ts[TS_LEN + 1];
			bool again = oldest && (!ts_canon(json_getscalar(m, "ts"), ts) || strcmp(ts, oldest) <= 0);
			if ((again ? reread(y, m, ch) : store_msg(y, m, ch, ignore)) != 0)
				return -1;
		}
		const char *next = next_cursor(root);
		snprintf(cursor, sizeof cursor, "%s", next ? next : "");
	} while (*cursor);
	return 0;
}

static bool is_parent(const jv *m)
{
	const char *ts = json_getscalar(m, "ts"), *th = json_getscalar(m, "thread_ts");
	return ts && th && strcmp(ts, th) == 0 && json_getint(m, "reply_count", 1) > 0;
}

/* A parent's replies are fetched when Slack's latest_reply is newer than
 * the newest reply stored (those after it), or when Slack counts more
 * replies than are stored or does not say (all of them). *from: the
 * stored reply to fetch after, NULL for all. */
static bool new_replies(syncer *y, const char *ch, const char *ts, const jv *m, const char **from)
{
	char latest[TS_LEN + 1];
	int64_t stored;
	*from = NULL;
	const char *have = store_thread_latest(y->s, &y->scratch, ch, ts, &stored);
	if (!have || !ts_canon(json_getscalar(m, "latest_reply"), latest))
		return true;
	if (strcmp(latest, have) > 0) {
		*from = have;
		return true;
	}
	return json_getint(m, "reply_count", 0) > stored;
}

/* The replies of a parent on a history page, when it has new ones. Those
 * after the newest stored reply may not be all that is missing (a
 * broadcast reply comes with the history, before its thread): when Slack
 * still counts more, the whole thread is fetched. */
static int thread_of(syncer *y, const char *ch, const jv *m)
{
	const char *from;
	char ts[TS_LEN + 1];
	arena_reset(&y->scratch);
	if (!is_parent(m) || !ts_canon(json_getscalar(m, "ts"), ts) || !new_replies(y, ch, ts, m, &from))
		return 0;
	y->t->threads++;
	int rc = replies(y, ch, ts, from);
	if (rc != 0 || !from)
		return rc;
	int64_t stored;
	store_thread_latest(y->s, &y->scratch, ch, ts, &stored);
	return stored < json_getint(m, "reply_count", 0) ? replies(y, ch, ts, NULL) : 0;
}

/* One page of history and its threads, with the progress after it, in
 * one transaction. *done when it was the last page. */
static int history_page(syncer *y, const char *ch, const char *oldest, char *cursor, size_t cursorlen,
			char top[TS_LEN + 1], bool *done)
{
	arena_reset(&y->page);
	api_param p[] = {{"channel", ch}, {"limit", page_size}, {"oldest", oldest},
			 {"cursor", *cursor ? cursor : NULL}};
	const jv *root;
	const char *err;
	int rc = call(y, &y->page, "conversations.history", p, 4, &root, &err);
	if (rc == API_SLACK_ERROR) {
		warnf(&y->w, "conversations.history %s: %s; channel skipped", ch, err);
		y->t->skipped_channels++;
		*done = true;
		return 1;
	}
	if (rc != API_OK || tx(y, false) != 0)
		return -1;
	rc = 0;
	json_foreach(m, json_arr(root, "messages")) {
		if (rc == 0)
			rc = store_msg(y, m, ch, top);
		if (rc == 0)
			rc = thread_of(y, ch, m);
	}
	const char *next = next_cursor(root);
	snprintf(cursor, cursorlen, "%s", next ? next : "");
	*done = !next;
	if (rc == 0)
		rc = set(y, ch, "top", top);
	if (rc == 0)
		rc = set(y, ch, "cursor", cursor);
	if (rc == 0 && *done) {
		const char *newest = setting(y, ch, "newest");
		rc = set(y, ch, "newest", newest && strcmp(newest, top) > 0 ? newest : top);
		if (rc == 0)
			rc = set(y, ch, "oldest", NULL);
	}
	if (rc != 0) {
		store_rollback(y->s);
		return -1;
	}
	return tx(y, true);
}

/* ---- threads with new replies ---------------------------------------------
 *
 * conversations.history with oldest= lists new messages only: a new reply
 * to an older thread is not among them (unless broadcast). So after the
 * new messages, an incremental run looks again, as Slack's clients do, at
 * the threads that were active within the window before the last run's
 * newest message (until): the parents within the window come again from
 * history with their latest_reply, and only threads whose latest_reply is
 * newer than the newest reply stored are fetched; threads the store saw
 * active in the window whose parent is older than it are asked directly
 * for replies after the newest one stored. Nothing here is saved as
 * progress: a run killed meanwhile looks again next time. */

/* The parents of the window from history (their threads fetched when they
 * have new replies); seen collects their ts. */
static int recheck_history(syncer *y, const char *ch, const char *since, const char *until, names *seen)
{
	char cursor[512] = "";
	do {
		arena_reset(&y->page);
		api_param p[] = {{"channel", ch}, {"limit", page_size}, {"oldest", since}, {"latest", until},
				 {"inclusive", "true"}, {"cursor", *cursor ? cursor : NULL}};
		const jv *root;
		const char *err;
		int rc = call(y, &y->page, "conversations.history", p, 6, &root, &err);
		if (rc == API_SLACK_ERROR) {
			warnf(&y->w, "conversations.history %s: %s; threads not checked again", ch, err);
			return 0;
		}
		if (rc != API_OK || tx(y, false) != 0)
			return -1;
		rc = 0;
		json_foreach(m, json_arr(root, "messages")) {
			if (rc == 0)
				rc = reread(y, m, ch);
			if (rc == 0 && is_parent(m))
				names_put(seen, json_getscalar(m, "ts"), NULL);
			if (rc == 0)
				rc = thread_of(y, ch, m);
		}
		if (page_done(y, rc, root, cursor, sizeof cursor) != 0)
			return -1;
	} while (*cursor);
	return 0;
}

/* Threads the store saw active in the window, with a parent before it. */
static int recheck_store(syncer *y, const char *ch, const char *since, const names *seen)
{
	arena_t a = {0};
	st_thread *v;
	size_t n;
	int rc = store_channel_threads(y->s, &a, ch, since, &v, &n);
	if (rc != 0) {
		log_err("listing the threads of %s: %s", ch, store_errmsg(y->s));
		y->fatal = true;
	}
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (strcmp(v[i].thread_ts, since) >= 0 || names_has(seen, v[i].thread_ts))
			continue;
		y->t->threads++;
		rc = tx(y, false);
		if (rc == 0 && replies(y, ch, v[i].thread_ts, v[i].latest) != 0) {
			store_rollback(y->s);
			rc = -1;
		}
		if (rc == 0)
			rc = tx(y, true);
	}
	arena_free(&a);
	return rc;
}

static int recheck(syncer *y, const char *ch, const char *until)
{
	char since[TS_LEN + 1];
	int64_t from = ts_seconds(until) - y->o->thread_window;
	order_time_int(from > 0 ? from : 0, since);
	names seen = {0};
	int rc = recheck_history(y, ch, since, until, &seen);
	if (rc == 0)
		rc = recheck_store(y, ch, since, &seen);
	names_free(&seen);
	return rc;
}

static int history(syncer *y, const char *ch)
{
	arena_reset(&y->scratch);
	char cursor[512], oldest[TS_LEN + 1], top[TS_LEN + 1] = "0000000000.000000";
	const char *c = setting(y, ch, "cursor"), *o = setting(y, ch, "oldest"), *t = setting(y, ch, "top");
	const char *newest = setting(y, ch, "newest");
	snprintf(cursor, sizeof cursor, "%s", c ? c : "");
	if (c && o) {
		snprintf(oldest, sizeof oldest, "%s", o);       /* resuming */
		if (t)
			snprintf(top, sizeof top, "%s", t);
		log_debug("%s: resuming an interrupted sync", ch);
	} else {
		const char *since = y->o->since;
		snprintf(oldest, sizeof oldest, "%s",
			 since && (!newest || strcmp(since, newest) > 0) ? since : newest ? newest : "0000000000.000000");
		if (tx(y, false) != 0)
			return -1;
		if (set(y, ch, "oldest", oldest) != 0 || set(y, ch, "top", NULL) != 0 || tx(y, true) != 0)
			return -1;
	}
	bool done = false;
	int rc = 0;
	while (!done) {
		rc = history_page(y, ch, oldest, cursor, sizeof cursor, top, &done);
		if (rc < 0)
			return -1;
		progress_update(&y->prog, y->t->channels - channels.n, y->t->channels, y->t->messages, "messages");
	}
	if (rc == 0 && strcmp(oldest, "0000000000.000000") != 0 && y->o->thread_window > 0)
		return recheck(y, ch, oldest);
	return rc > 0 ? 0 : rc;
}

/* ---- the run ------------------------------------------------------------- */

static void set_pace(syncer *y)
{
	for (size_t i = 0; i < sizeof tiers / sizeof *tiers; i++)
		api_set_interval(y->api, tiers[i].method, y->o->min_interval >= 0 ? y->o->min_interval : tiers[i].interval);
}

int sync_run(store_t *s, const sync_opts *o, sync_totals *t)
{
	double start = now_seconds();
	memset(t, 0, sizeof *t);
	syncer y = {.s = s, .o = o, .t = t};
	y.w.fn = print_warning;
	y.w.ctx = &y;
	y.api = api_new(o->api_url, o->token);
	y.e = ev_new(s, &y.w);
	snprintf(page_size, sizeof page_size, "%d", o->page);
	set_pace(&y);
	int rc = walk_list(&y, "users.list", "members", NULL, user_item);
	if (rc == 0)
		rc = emoji(&y);
	if (rc == 0)
		rc = walk_list(&y, "conversations.list", "channels", "public_channel", channel_item);
	size_t total = channels.n;
	progress_start(&y.prog, "syncing");
	for (size_t i = 0; rc == 0 && i < total; i++) {
		channels.n = total - i;
		rc = history(&y, channels.ids[i]);
	}
	progress_end(&y.prog);
	for (size_t i = 0; i < total; i++)
		free(channels.ids[i]);
	free(channels.ids);
	channels = (chan_list){0};
	t->calls = api_calls(y.api);
	t->waited = api_waited(y.api);
	t->seconds = now_seconds() - start;
	ev_free(y.e);
	api_free(y.api);
	arena_free(&y.page);
	arena_free(&y.replies);
	arena_free(&y.scratch);
	return rc == 0 && !y.fatal ? 0 : -1;
}
