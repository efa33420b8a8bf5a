/* moderation-actions-sqlite.c: the moderation actions of the SQLite store
 * (store.h, "moderation"): opt out, take down, erase, set the publish
 * policy, and the audit log. moderation-sqlite.c enforces what these
 * record.
 *
 * Each action is one transaction (its own unless the caller holds one),
 * and drops from the search index every message whose entry may now be
 * wrong: the hidden ones, and those naming the person (their plain text
 * has the old name). The caller indexes them again with the renderer
 * (store_search_missing / store_search_pending), which the store has not.
 *
 * Erasure must leave no copy in the file: secure_delete zeroes freed
 * pages, the index is merged into one segment (FTS5 keeps deleted terms
 * in old segments until then) and the WAL is checkpointed and truncated
 * (it holds old page images). A reader holding an old snapshot (a running
 * server's request) keeps the checkpoint from copying the new pages over
 * the old ones: store_checkpoint tries again until the readers have moved
 * on or the caller's patience ends, and says which. */
#include "store/sqlite-int.h"
#include "lib/buf.h"
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int exec(store_t *s, const char *sql, const char *what)
{
	if (sqlite3_exec(store_sqlite_db(s), sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_sqlite_fail(s, what);
	return 0;
}

/* Prepare sql and bind the strings of args (NULL-terminated) as ?1, ?2... */
static sqlite3_stmt *prep(store_t *s, const char *sql, const char *const *args)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(store_sqlite_db(s), sql, -1, &q, NULL) != SQLITE_OK) {
		store_sqlite_fail(s, "preparing a moderation query");
		return NULL;
	}
	for (int i = 0; args && args[i]; i++)
		sqlite3_bind_text(q, i + 1, args[i], -1, SQLITE_STATIC);
	return q;
}

/* Run a write; rows changed or -1. */
static int64_t run(store_t *s, const char *sql, const char *const *args, const char *what)
{
	sqlite3_stmt *q = prep(s, sql, args);
	if (!q)
		return -1;
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_sqlite_fail(s, what);
	return sqlite3_changes64(store_sqlite_db(s));
}

static int64_t count(store_t *s, const char *sql, const char *const *args)
{
	sqlite3_stmt *q = prep(s, sql, args);
	if (!q)
		return -1;
	int64_t n = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
	sqlite3_finalize(q);
	return n < 0 ? store_sqlite_fail(s, "counting") : n;
}

/* Rows of (text, text) into a buffer of NUL-separated pairs. */
static int pairs(store_t *s, const char *sql, const char *const *args, buf_t *out, size_t *n)
{
	sqlite3_stmt *q = prep(s, sql, args);
	*n = 0;
	if (!q)
		return -1;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		for (int c = 0; c < 2; c++) {
			const char *t = (const char *)sqlite3_column_text(q, c);
			buf_puts(out, t ? t : "");
			buf_putc(out, 0);
		}
		(*n)++;
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : store_sqlite_fail(s, "reading rows to moderate");
}

static int begin(store_t *s, bool *own)
{
	*own = !store_sqlite_in_tx(s);
	if (*own && store_begin(s) < 0)
		return -1;
	if (search_sqlite_flush(s) < 0)
		return -1;
	moderation_sqlite_reset(s);
	/* rare, and they touch pages every way (names, threads, counts) */
	return changes_sqlite_all(s);
}

static int64_t finish(store_t *s, bool own, int64_t rc)
{
	moderation_sqlite_reset(s);
	if (!own)
		return rc;
	if (rc < 0) {
		char keep[512];
		snprintf(keep, sizeof keep, "%s", store_errmsg(s));
		store_rollback(s);
		store_sqlite_seterr(s, keep);
		return -1;
	}
	return store_commit(s) < 0 ? -1 : rc;
}

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define OR_QUOTES "OR instr(raw, '\"is_share\"') > 0 OR instr(raw, '\"is_msg_unfurl\"') > 0"
#define JOIN_LEAVE "('channel_join', 'channel_leave', 'group_join', 'group_leave')"
#define NOT_REDACTED \
	"NOT EXISTS (SELECT 1 FROM redacted r WHERE r.channel_id = messages.channel_id " \
	"AND (r.ts = messages.ts OR (r.thread AND r.ts = messages.thread_ts)))"

/* ---- opt-out ---------------------------------------------------------- */

static int64_t optout(store_t *s, const char *id, bool undo)
{
	if (undo ? run(s, "DELETE FROM optout WHERE user_id = ?1", ARGS(id), "recording an opt-out") < 0
		 : run(s, "INSERT OR REPLACE INTO optout(user_id, at) VALUES (?1, strftime('%s', 'now'))", ARGS(id),
		       "recording an opt-out") < 0)
		return -1;
	/* their messages, every message naming them and those quoting a
	 * message (maybe theirs): indexed again later */
	if (search_sqlite_drop(s, "SELECT id FROM messages WHERE instr(raw, ?1) > 0 " OR_QUOTES, ARGS(id)) < 0)
		return -1;
	if (!undo)
		return run(s, "UPDATE messages SET hidden = 2 WHERE user_id = ?1 AND hidden <> 2", ARGS(id),
			   "hiding messages");
	return run(s, "UPDATE messages SET hidden = subtype IS NOT NULL AND subtype IN " JOIN_LEAVE
		      " WHERE user_id = ?1 AND hidden = 2 AND " NOT_REDACTED, ARGS(id), "showing messages");
}

int64_t store_optout(store_t *s, const char *user_id, bool undo)
{
	int64_t was = count(s, "SELECT count(*) FROM optout WHERE user_id = ?1", ARGS(user_id));
	if (was < 0)
		return -1;
	if (undo ? was == 0 : was > 0)
		return ST_MOD_ALREADY;    /* and the pages are not all marked changed */
	bool own;
	if (begin(s, &own) < 0)
		return -1;
	return finish(s, own, optout(s, user_id, undo));
}

/* ---- takedown --------------------------------------------------------- */

#define IN_TAKEDOWN "channel_id = ?1 AND (ts = ?2 OR (?3 = '1' AND thread_ts = ?2))"

/* The takedown of ?2 (?3: its thread) is recorded already: its own (a
 * thread's when a thread is asked for), or its thread's. */
#define TAKEN_DOWN \
	"SELECT count(*) FROM redacted WHERE channel_id = ?1 AND ((ts = ?2 AND (thread OR ?3 = '0')) OR " \
	"(thread AND ts = (SELECT thread_ts FROM messages WHERE channel_id = ?1 AND ts = ?2)))"

static int64_t redact(store_t *s, const char *ch, const char *ts, bool thread)
{
	const char *t = thread ? "1" : "0";
	if (run(s, "INSERT INTO redacted(channel_id, ts, thread) VALUES (?1, ?2, ?3 = '1') "
		   "ON CONFLICT(channel_id, ts) DO UPDATE SET thread = thread OR excluded.thread", ARGS(ch, ts, t),
		"recording a takedown") < 0 ||
	    search_sqlite_drop(s, "SELECT id FROM messages WHERE " IN_TAKEDOWN " " OR_QUOTES, ARGS(ch, ts, t)) < 0 ||
	    run(s, "UPDATE messages SET hidden = 2 WHERE " IN_TAKEDOWN, ARGS(ch, ts, t), "hiding messages") < 0)
		return -1;
	return 0;
}

int64_t store_redact(store_t *s, const char *channel_id, const char *ts, bool thread)
{
	const char *t = thread ? "1" : "0";
	int64_t n = count(s, "SELECT count(*) FROM messages WHERE " IN_TAKEDOWN, ARGS(channel_id, ts, t));
	if (n <= 0)
		return n;
	int64_t done = count(s, TAKEN_DOWN, ARGS(channel_id, ts, t));
	if (done != 0)
		return done < 0 ? -1 : ST_MOD_ALREADY;    /* nothing marked changed */
	bool own;
	if (begin(s, &own) < 0)
		return -1;
	int64_t rc = finish(s, own, redact(s, channel_id, ts, thread));
	return rc < 0 ? rc : n;
}

/* ---- erasure ---------------------------------------------------------- */

static int salt(store_t *s, arena_t *a, const char **out)
{
	*out = store_get_setting(s, a, "erasure_salt");
	if (*out)
		return 0;
	unsigned char r[16];
	char hex[33];
	if (RAND_bytes(r, sizeof r) != 1) {
		store_sqlite_seterr(s, "no random bytes for the erasure salt");
		return -1;
	}
	for (int i = 0; i < 16; i++)
		snprintf(hex + 2 * i, 3, "%02x", r[i]);
	*out = arena_strndup(a, hex, 32);
	return store_set_setting(s, "erasure_salt", hex);
}

static int record_erasure(store_t *s, const char *id)
{
	arena_t a = {0};
	const char *sl;
	int rc = salt(s, &a, &sl);
	if (rc == 0) {
		EVP_MD_CTX *c = EVP_MD_CTX_new();
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned int len = 0;
		char hex[65];
		EVP_DigestInit_ex(c, EVP_sha256(), NULL);
		EVP_DigestUpdate(c, sl, strlen(sl));
		EVP_DigestUpdate(c, id, strlen(id));
		EVP_DigestFinal_ex(c, md, &len);
		EVP_MD_CTX_free(c);
		for (unsigned i = 0; i < 32; i++)
			snprintf(hex + 2 * i, 3, "%02x", md[i]);
		rc = run(s, "INSERT OR IGNORE INTO erased(hash) VALUES (?1)", ARGS(hex), "recording an erasure") < 0 ? -1 : 0;
	}
	arena_free(&a);
	return rc;
}

/* Delete (with tombstones) every message of the rows' (channel, ts). */
static int64_t delete_all(store_t *s, const char *sql, const char *const *args)
{
	buf_t b = BUF_INIT;
	size_t n;
	int64_t rc = pairs(s, sql, args, &b, &n);
	const char *p = b.p;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const char *ts = p + strlen(p) + 1;
		if (store_delete_message(s, p, ts) < 0)
			rc = -1;
		p = ts + strlen(ts) + 1;
	}
	buf_free(&b);
	return rc < 0 ? -1 : (int64_t)n;
}

static int remove_reactions(store_t *s, const char *id)
{
	sqlite3_stmt *q = prep(s, "SELECT channel_id, ts, name FROM reactions "
				  "WHERE instr(',' || users || ',', ',' || ?1 || ',') > 0", ARGS(id));
	if (!q)
		return -1;
	buf_t b = BUF_INIT;
	size_t n = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		for (int c = 0; c < 3; c++) {
			buf_puts(&b, (const char *)sqlite3_column_text(q, c));
			buf_putc(&b, 0);
		}
		n++;
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE) {
		buf_free(&b);
		return store_sqlite_fail(s, "finding reactions");
	}
	const char *p = b.p;
	int r = 0;
	for (size_t i = 0; i < n && r == 0; i++) {
		const char *ts = p + strlen(p) + 1, *name = ts + strlen(ts) + 1;
		r = store_reaction_remove(s, p, ts, name, id);
		p = name + strlen(name) + 1;
	}
	buf_free(&b);
	return r;
}

/* Messages naming them: the ID rewritten by the upsert's own rule (the
 * erasure is recorded by now), out of the index until indexed again. */
static int rewrite_mentions(store_t *s, const char *id)
{
	sqlite3_stmt *q = prep(s, "SELECT m.id, m.raw, m.text FROM messages m WHERE instr(m.raw, ?1) > 0 "
				  "OR instr(m.text, ?1) > 0", ARGS(id));
	if (!q)
		return -1;
	int rc, r = 0;
	while (r == 0 && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		st_message m = {.channel_id = "", .ts = "", .day = ""};
		m.raw = (const char *)sqlite3_column_text(q, 1);
		m.rawlen = (size_t)sqlite3_column_bytes(q, 1);
		m.text = (const char *)sqlite3_column_text(q, 2);
		const st_message *out;
		int hidden = 0;
		char rowid[24];
		snprintf(rowid, sizeof rowid, "%lld", (long long)sqlite3_column_int64(q, 0));
		if (moderation_sqlite_message(s, &m, &out, &hidden) == ST_ERROR) {
			r = -1;
			break;
		}
		if (search_sqlite_drop(s, "SELECT CAST(?1 AS INTEGER)", ARGS(rowid)) < 0 ||
		    run(s, "UPDATE messages SET raw = ?2, text = ?3 WHERE id = ?1",
			(const char *const[]){rowid, out->raw, out->text ? out->text : NULL, NULL},
			"rewriting a mention") < 0)
			r = -1;
	}
	sqlite3_finalize(q);
	return r;
}

/* Channels naming them (members, creator, topic): stored again through
 * the upsert, which rewrites them. */
static int rewrite_channels(store_t *s, const char *id)
{
	sqlite3_stmt *q = prep(s, "SELECT id, name, kind, topic, purpose, created, archived, creator, raw FROM channels "
				  "WHERE instr(raw, ?1) > 0 OR creator = ?1 OR instr(topic, ?1) > 0 "
				  "OR instr(purpose, ?1) > 0", ARGS(id));
	if (!q)
		return -1;
	arena_t a = {0};
	st_channel *v = NULL;
	size_t n = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		v = xrealloc(v, (n + 1) * sizeof *v);
		st_channel *c = &v[n++];
		memset(c, 0, sizeof *c);
		const char *col[9];
		for (int i = 0; i < 9; i++) {
			const char *t = (const char *)sqlite3_column_text(q, i);
			col[i] = t ? arena_strndup(&a, t, strlen(t)) : NULL;
		}
		c->id = col[0];
		c->name = col[1];
		c->kind = (channel_kind)sqlite3_column_int(q, 2);
		c->topic = col[3];
		c->purpose = col[4];
		c->created = sqlite3_column_int64(q, 5);
		c->archived = sqlite3_column_int(q, 6);
		c->creator = col[7];
		c->raw = col[8];
		c->rawlen = c->raw ? strlen(c->raw) : 0;
	}
	sqlite3_finalize(q);
	int r = rc == SQLITE_DONE ? 0 : store_sqlite_fail(s, "finding channels");
	for (size_t i = 0; i < n && r == 0; i++)
		if (store_upsert_channel(s, &v[i]) == ST_ERROR)
			r = -1;
	free(v);
	arena_free(&a);
	return r;
}

static int64_t forget(store_t *s, const char *id)
{
	if (remove_reactions(s, id) < 0)
		return -1;
	int64_t n = delete_all(s, "SELECT channel_id, ts FROM messages WHERE user_id = ?1", ARGS(id));
	if (n < 0)
		return -1;
	/* a DM is half theirs: the whole conversation goes */
	int64_t dm = delete_all(s, "SELECT channel_id, ts FROM messages WHERE channel_id IN "
				   "(SELECT id FROM channels WHERE kind = 2 AND instr(raw, ?1) > 0)", ARGS(id));
	if (dm < 0 || run(s, "DELETE FROM channels WHERE kind = 2 AND instr(raw, ?1) > 0", ARGS(id), "deleting a DM") < 0)
		return -1;
	if (record_erasure(s, id) < 0)
		return -1;
	moderation_sqlite_reset(s);
	if (rewrite_mentions(s, id) < 0 || rewrite_channels(s, id) < 0)
		return -1;
	if (run(s, "DELETE FROM users WHERE id = ?1", ARGS(id), "deleting a user") < 0 ||
	    run(s, "DELETE FROM optout WHERE user_id = ?1", ARGS(id), "deleting an opt-out") < 0 ||
	    run(s, "UPDATE modlog SET target = 'an erased person' WHERE target = ?1", ARGS(id), "updating the log") < 0)
		return -1;
	if (search_sqlite_flush(s) < 0 ||
	    exec(s, "INSERT INTO search(search) VALUES ('optimize')", "merging the search index") < 0)
		return -1;
	return n + dm;
}

int64_t store_forget(store_t *s, const char *user_id)
{
	if (store_sqlite_in_tx(s)) {
		store_sqlite_seterr(s, "erasure runs in a transaction of its own");
		return -1;
	}
	if (exec(s, "PRAGMA secure_delete = ON", "setting secure_delete") < 0)
		return -1;
	bool own;
	if (begin(s, &own) < 0)
		return -1;
	int64_t n = finish(s, own, forget(s, user_id));
	if (n >= 0 && store_checkpoint(s, 0) < 0)
		return -1;
	return n;
}

/* One TRUNCATE checkpoint: 0 done, 1 readers kept it from finishing. */
static int checkpoint_once(store_t *s)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(store_sqlite_db(s), "PRAGMA wal_checkpoint(TRUNCATE)", -1, &q, NULL) != SQLITE_OK)
		return store_sqlite_fail(s, "checkpointing");
	int rc = sqlite3_step(q), busy = rc == SQLITE_ROW ? sqlite3_column_int(q, 0) : 1;
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW && (rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
		return store_sqlite_fail(s, "checkpointing");
	return busy ? 1 : 0;
}

int store_checkpoint(store_t *s, double wait)
{
	if (store_sqlite_in_tx(s)) {
		store_sqlite_seterr(s, "a checkpoint runs outside transactions");
		return -1;
	}
	sqlite3 *db = store_sqlite_db(s);
	struct timespec t0, now;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* short waits for the readers inside each try, so wait is kept */
	sqlite3_busy_timeout(db, 100);
	int rc;
	for (;;) {
		rc = checkpoint_once(s);
		clock_gettime(CLOCK_MONOTONIC, &now);
		double spent = (double)(now.tv_sec - t0.tv_sec) + (double)(now.tv_nsec - t0.tv_nsec) / 1e9;
		if (rc != 1 || spent >= wait)
			break;
		nanosleep(&(struct timespec){0, 100 * 1000 * 1000}, NULL);
	}
	sqlite3_busy_timeout(db, 5000);
	return rc;
}

/* ---- publish policy --------------------------------------------------- */

static void join(buf_t *b, char *const *l)
{
	for (size_t i = 0; l && l[i]; i++) {
		if (i)
			buf_putc(b, ',');
		buf_puts(b, l[i]);
	}
}

static bool listed(char *const *l, const char *v)
{
	for (size_t i = 0; v && l && l[i]; i++)
		if (strcmp(l[i], v) == 0)
			return true;
	return false;
}

static int apply_policy(store_t *s, char *const *pub, char *const *unpub)
{
	buf_t a = BUF_INIT, b = BUF_INIT;
	join(&a, pub);
	join(&b, unpub);
	int rc = store_set_setting(s, "publish", buf_str(&a)) < 0 || store_set_setting(s, "unpublish", buf_str(&b)) < 0
		 ? -1 : 0;
	buf_free(&a);
	buf_free(&b);
	if (rc < 0)
		return -1;
	sqlite3_stmt *q = prep(s, "SELECT id, name, kind, published FROM channels", NULL);
	if (!q)
		return -1;
	buf_t on = BUF_INIT, off = BUF_INIT;
	int step, changed = 0;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(q, 0), *name = (const char *)sqlite3_column_text(q, 1);
		int kind = sqlite3_column_int(q, 2), was = sqlite3_column_int(q, 3);
		int now = kind == CH_PUBLIC    ? !listed(unpub, name) && !listed(unpub, id)
			  : kind == CH_PRIVATE ? listed(pub, name) || listed(pub, id)
					       : 0;
		if (now != was) {
			buf_puts(now ? &on : &off, id);
			buf_putc(now ? &on : &off, 0);
			changed++;
		}
	}
	sqlite3_finalize(q);
	rc = step == SQLITE_DONE ? 0 : store_sqlite_fail(s, "reading channels");
	for (const char *p = on.p; rc == 0 && p && p < on.p + on.len; p += strlen(p) + 1)
		rc = run(s, "UPDATE channels SET published = 1 WHERE id = ?1", ARGS(p), "publishing a channel") < 0 ? -1 : 0;
	for (const char *p = off.p; rc == 0 && p && p < off.p + off.len; p += strlen(p) + 1)
		if (run(s, "UPDATE channels SET published = 0 WHERE id = ?1", ARGS(p), "unpublishing a channel") < 0 ||
		    search_sqlite_unpublished(s, p) < 0)
			rc = -1;
	buf_free(&on);
	buf_free(&off);
	return rc < 0 ? -1 : changed;
}

int store_set_publish_policy(store_t *s, char *const *publish, char *const *unpublish)
{
	bool own;
	if (begin(s, &own) < 0)
		return -1;
	return (int)finish(s, own, apply_policy(s, publish, unpublish));
}

/* ---- audit log -------------------------------------------------------- */

int store_modlog_add(store_t *s, const char *by, const char *action, const char *target, const char *reason)
{
	char at[24];
	snprintf(at, sizeof at, "%lld", (long long)time(NULL));
	sqlite3_stmt *q = prep(s, "INSERT INTO modlog(at, by, action, target, reason) VALUES (?1, ?2, ?3, ?4, ?5)", NULL);
	if (!q)
		return -1;
	const char *v[5] = {at, by, action, target, reason};
	for (int i = 0; i < 5; i++)
		if (v[i])
			sqlite3_bind_text(q, i + 1, v[i], -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : store_sqlite_fail(s, "writing the moderation log");
}

int store_modlog(store_t *s, arena_t *a, st_modlog **out, size_t *n)
{
	sqlite3_stmt *q = prep(s, "SELECT id, at, by, action, target, reason FROM modlog ORDER BY id", NULL);
	*out = NULL;
	*n = 0;
	if (!q)
		return -1;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = store_sqlite_grow(a, *out, *n, &cap, sizeof **out);
		st_modlog *e = &(*out)[(*n)++];
		e->id = sqlite3_column_int64(q, 0);
		e->at = sqlite3_column_int64(q, 1);
		e->by = store_sqlite_col(a, q, 2);
		e->action = store_sqlite_col(a, q, 3);
		e->target = store_sqlite_col(a, q, 4);
		e->reason = store_sqlite_col(a, q, 5);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : store_sqlite_fail(s, "reading the moderation log");
}
