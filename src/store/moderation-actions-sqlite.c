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
 * Erasure gathers what identifies the person before deleting anything
 * of theirs, keeps a salted hash of each, and sends every stored record
 * (messages, channels, users, the order of live events) through the
 * upserts' own rule (erase.c), so what others' messages carried of them
 * goes the way a later import's copy of it would.
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
#include "lib/json.h"
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

/* Run a write with n parameters, any of them NULL; 0 or -1. */
static int run_values(store_t *s, const char *sql, const char *const *v, int n, const char *what)
{
	sqlite3_stmt *q = prep(s, sql, NULL);
	if (!q)
		return -1;
	for (int i = 0; i < n; i++)
		if (v[i])
			sqlite3_bind_text(q, i + 1, v[i], -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : store_sqlite_fail(s, what);
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
	int rc = store_sqlite_rows(s, q, 2, out, n, "reading rows to moderate");
	sqlite3_finalize(q);
	return rc;
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

/* ---- what identifies them ----------------------------------------------
 *
 * Before anything of theirs is deleted, the strings that say who they are
 * (erase.c) are gathered as NUL-separated strings: the ID; the handle,
 * names and email of their profile and of the profile snapshots in their
 * messages; the IDs of files they uploaded, from every file object that is
 * theirs in anyone's message; "CHANNEL/TS" of each of their messages. Only
 * a salted hash of each is kept. */

static void add(buf_t *b, const char *v)
{
	if (v && *v) {
		buf_puts(b, v);
		buf_putc(b, 0);
	}
}

static void add_names(buf_t *b, const jv *o, const char *const *keys)
{
	for (size_t i = 0; keys[i]; i++)
		add(b, json_getstr(o, keys[i]));
}

static bool file_id(const char *v)
{
	size_t at = 0, n, len = strlen(v);
	return v[0] == 'F' && erase_next_id(v, len, &at, &n) && at == 0 && n == len;
}

/* The IDs of file objects in v that are theirs (a member is their ID). */
static void their_files(buf_t *b, const jv *v, const char *id)
{
	bool mine = false;
	json_foreach(m, v)
		mine |= v->type == JV_OBJ && m->type == JV_STR && strcmp(m->s, id) == 0;
	json_foreach(m, v) {
		if (mine && m->type == JV_STR && file_id(m->s))
			add(b, m->s);
		their_files(b, m, id);
	}
}

/* Their profile: its handle, names and email. */
static int profile(store_t *s, const char *id, buf_t *b)
{
	static const char *const keys[] = {"name", "real_name", NULL};
	static const char *const pkeys[] = {"real_name", "display_name", "real_name_normalized",
					    "display_name_normalized", "email", NULL};
	sqlite3_stmt *q = prep(s, "SELECT name, real_name, display_name, raw FROM users WHERE id = ?1", ARGS(id));
	if (!q)
		return -1;
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		for (int c = 0; c < 3; c++)
			add(b, (const char *)sqlite3_column_text(q, c));
		const char *raw = (const char *)sqlite3_column_text(q, 3);
		arena_t tree = {0};
		json_err err;
		const jv *u = raw ? json_parse(&tree, raw, strlen(raw), &err, NULL) : NULL;
		add_names(b, u, keys);
		add_names(b, json_get(u, "profile"), pkeys);
		arena_free(&tree);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_sqlite_fail(s, "reading a profile");
}

static int identifiers(store_t *s, const char *id, buf_t *b)
{
	static const char *const snapshot[] = {"name", "real_name", "display_name", NULL};
	add(b, id);
	if (profile(s, id, b) < 0)
		return -1;
	sqlite3_stmt *q = prep(s, "SELECT raw, user_id = ?1, channel_id, ts FROM messages "
				  "WHERE user_id = ?1 OR instr(raw, ?1) > 0", ARGS(id));
	if (!q)
		return -1;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *raw = (const char *)sqlite3_column_text(q, 0);
		arena_t tree = {0};
		json_err err;
		const jv *o = json_parse(&tree, raw, (size_t)sqlite3_column_bytes(q, 0), &err, NULL);
		if (sqlite3_column_int(q, 1)) {
			/* their message: a quote of it, and the names it was sent under */
			buf_printf(b, "%s/%s", (const char *)sqlite3_column_text(q, 2), (const char *)sqlite3_column_text(q, 3));
			buf_putc(b, 0);
			add_names(b, json_get(o, "user_profile"), snapshot);
		}
		their_files(b, o, id);
		arena_free(&tree);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : store_sqlite_fail(s, "gathering what identifies a person");
}

/* Keep the salted hash of each identifier. */
static int record_erasure(store_t *s, const buf_t *ids)
{
	arena_t a = {0};
	const char *sl;
	int rc = salt(s, &a, &sl);
	for (const char *p = ids->p; rc == 0 && p && p < ids->p + ids->len; p += strlen(p) + 1) {
		char hex[65];
		moderation_sqlite_hash(sl, p, strlen(p), hex);
		if (run(s, "INSERT OR IGNORE INTO erased(hash) VALUES (?1)", ARGS(hex), "recording an erasure") < 0)
			rc = -1;
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
	/* the reaction events kept to order them name the person too */
	if (run(s, "DELETE FROM reacted WHERE user = ?1", ARGS(id), "forgetting reaction events") < 0)
		return -1;
	sqlite3_stmt *q = prep(s, "SELECT channel_id, ts, name FROM reactions "
				  "WHERE instr(',' || users || ',', ',' || ?1 || ',') > 0", ARGS(id));
	if (!q)
		return -1;
	buf_t b = BUF_INIT;
	size_t n;
	int r = store_sqlite_rows(s, q, 3, &b, &n, "finding reactions");
	sqlite3_finalize(q);
	const char *p = b.p;
	for (size_t i = 0; i < n && r == 0; i++) {
		const char *ts = p + strlen(p) + 1, *name = ts + strlen(ts) + 1;
		r = store_reaction_remove(s, p, ts, name, id);
		p = name + strlen(name) + 1;
	}
	buf_free(&b);
	return r;
}

/* Every message, through the upsert's own rule (the erasure is recorded
 * by now: erase.c): those that named them are rewritten, and out of the
 * index until indexed again. Names are not ASCII and JSON escapes them
 * several ways, so no SQL filter could find them all: each is read. */
static int rewrite_messages(store_t *s)
{
	sqlite3_stmt *q = prep(s, "SELECT id, raw, text, username, user_id, channel_id, ts FROM messages", NULL);
	if (!q)
		return -1;
	int rc, r = 0;
	while (r == 0 && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		st_message m = {.day = ""};
		m.raw = (const char *)sqlite3_column_text(q, 1);
		m.rawlen = (size_t)sqlite3_column_bytes(q, 1);
		m.text = (const char *)sqlite3_column_text(q, 2);
		m.username = (const char *)sqlite3_column_text(q, 3);
		m.user_id = (const char *)sqlite3_column_text(q, 4);
		m.channel_id = (const char *)sqlite3_column_text(q, 5);
		m.ts = (const char *)sqlite3_column_text(q, 6);
		const st_message *out;
		int hidden = 0;
		if (moderation_sqlite_message(s, &m, &out, &hidden) == ST_ERROR) {
			r = -1;
			break;
		}
		if (out->raw == m.raw && out->text == m.text && out->username == m.username)
			continue;
		char rowid[24];
		snprintf(rowid, sizeof rowid, "%lld", (long long)sqlite3_column_int64(q, 0));
		if (search_sqlite_drop(s, "SELECT CAST(?1 AS INTEGER)", ARGS(rowid)) < 0 ||
		    run_values(s, "UPDATE messages SET raw = ?2, text = ?3, username = ?4 WHERE id = ?1",
			       (const char *[]){rowid, out->raw, out->text, out->username}, 4, "rewriting a message") < 0)
			r = -1;
	}
	sqlite3_finalize(q);
	return r;
}

/* Every channel (members, creator, topic, pins may name them): stored
 * again through the upsert, which rewrites them. */
static int rewrite_channels(store_t *s)
{
	sqlite3_stmt *q = prep(s, "SELECT id, name, kind, topic, purpose, created, archived, creator, raw FROM channels",
			       NULL);
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

/* Everyone else's record (a profile field may name them): raw rewritten
 * by the upsert's rule. */
static int rewrite_users(store_t *s, const char *id)
{
	sqlite3_stmt *q = prep(s, "SELECT id, raw FROM users WHERE id <> ?1 AND raw IS NOT NULL", ARGS(id));
	if (!q)
		return -1;
	int rc, r = 0;
	while (r == 0 && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		st_user in = {.id = (const char *)sqlite3_column_text(q, 0), .raw = (const char *)sqlite3_column_text(q, 1)};
		in.rawlen = (size_t)sqlite3_column_bytes(q, 1);
		const st_user *u = &in;
		if (moderation_sqlite_user_in(s, &u) == ST_ERROR)
			r = -1;
		else if (u != &in && run(s, "UPDATE users SET raw = ?2 WHERE id = ?1", ARGS(u->id, u->raw),
					 "rewriting a user") < 0)
			r = -1;
	}
	sqlite3_finalize(q);
	return r < 0 || rc == SQLITE_DONE ? r : store_sqlite_fail(s, "reading users");
}

/* Their messages, reactions and DMs; the messages deleted or -1. */
static int64_t delete_theirs(store_t *s, const char *id)
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
	return n + dm;
}

/* The order of live events (settings "ev:..."): keys naming them
 * (ev:user:ID, ev:re:...:ID) go, values quoting them (a topic, a
 * purpose) are rewritten by the setter's rule. */
static int rewrite_settings(store_t *s, const char *id)
{
	if (run(s, "DELETE FROM settings WHERE key LIKE 'ev:%' AND instr(key, ?1) > 0", ARGS(id),
		"deleting event state") < 0)
		return -1;
	sqlite3_stmt *q = prep(s, "SELECT key, value FROM settings WHERE key LIKE 'ev:%' AND value IS NOT NULL", NULL);
	if (!q)
		return -1;
	int rc, r = 0;
	while (r == 0 && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(q, 0), *was = (const char *)sqlite3_column_text(q, 1);
		const char *v = was;
		if (moderation_sqlite_setting(s, key, &v) < 0 ||
		    (v != was && run(s, "UPDATE settings SET value = ?2 WHERE key = ?1", ARGS(key, v),
				     "rewriting event state") < 0))
			r = -1;
	}
	sqlite3_finalize(q);
	return r < 0 || rc == SQLITE_DONE ? r : store_sqlite_fail(s, "reading event state");
}

static int64_t forget(store_t *s, const char *id)
{
	/* what identifies them is read before anything of theirs goes */
	buf_t ids = BUF_INIT;
	int64_t n = identifiers(s, id, &ids) < 0 ? -1 : delete_theirs(s, id);
	if (n >= 0 && record_erasure(s, &ids) < 0)
		n = -1;
	buf_free(&ids);
	if (n < 0)
		return -1;
	moderation_sqlite_reset(s);
	if (rewrite_messages(s) < 0 || rewrite_channels(s) < 0 || rewrite_users(s, id) < 0 ||
	    rewrite_settings(s, id) < 0)
		return -1;
	if (run(s, "DELETE FROM users WHERE id = ?1", ARGS(id), "deleting a user") < 0 ||
	    run(s, "DELETE FROM optout WHERE user_id = ?1", ARGS(id), "deleting an opt-out") < 0 ||
	    run(s, "UPDATE modlog SET target = 'an erased person' WHERE target = ?1", ARGS(id), "updating the log") < 0)
		return -1;
	if (search_sqlite_flush(s) < 0 ||
	    exec(s, "INSERT INTO search(search) VALUES ('optimize')", "merging the search index") < 0)
		return -1;
	return n;
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
			  : kind == CH_PRIVATE || kind == CH_UNKNOWN ? listed(pub, name) || listed(pub, id)
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
	return run_values(s, "INSERT INTO modlog(at, by, action, target, reason) VALUES (?1, ?2, ?3, ?4, ?5)",
			  (const char *[]){at, by, action, target, reason}, 5, "writing the moderation log");
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
