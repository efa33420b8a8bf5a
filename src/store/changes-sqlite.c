/* changes-sqlite.c: the change log, what makes `slacklog build`
 * incremental.
 *
 * Every write that changes what a page shows records what it touched in
 * the changes table, one row per thing with the sequence number of its
 * latest change: a channel-day whose messages, counts or reactions changed
 * ('d'), a person whose shown profile changed ('u') or whose message
 * counts did ('n'), a channel whose topic or purpose changed ('c'), a
 * message that moved, went or was hidden, so links to it elsewhere change
 * ('m', key channel, day = ts), or everything ('g': a rename, the zone,
 * the publish policy, a moderation action, custom emoji).
 * The writes that record are in the store's own functions (sqlite.c,
 * moderation-actions-sqlite.c), so every path that writes (import,
 * ingest, events, sync, moderation) records without knowing.
 *
 * A build keeps the sequence it built up to and asks for what changed
 * since (store_changes); which pages each change touches is the pages'
 * business (src/pages/publish.c). The sequence is max + 1 at the moment
 * of the write, in the statement that writes, so it grows in commit order
 * (writers are serialised by SQLite's write lock) and a reader never sees
 * a smaller number commit after a larger one.
 *
 * A rewrite of the same thing in one transaction is recorded once: the
 * handle remembers what it recorded since the transaction began. */
#include "store/sqlite-int.h"
#include <stdlib.h>
#include <string.h>

enum { SLOT_RECORD = CHANGES_SLOT, SEEN_MAX = 64 };

struct changes {
	char *seen[SEEN_MAX];         /* "kind key\0day" recorded in this transaction */
	size_t nseen, next;
	bool all;                     /* 'g' recorded in this transaction */
	sqlite3_stmt *q_version;      /* store_change_seq_poll: PRAGMA data_version */
	int64_t version, seq;         /* its last answer, and the sequence then */
	bool looked;
};

static struct changes *state(store_t *s)
{
	struct changes **c = store_sqlite_changes(s);
	if (!*c)
		*c = xcalloc(1, sizeof **c);
	return *c;
}

void changes_sqlite_reset(store_t *s)
{
	struct changes *c = *store_sqlite_changes(s);
	if (!c)
		return;
	for (size_t i = 0; i < c->nseen; i++)
		free(c->seen[i]);
	c->nseen = c->next = 0;
	c->all = false;
}

void changes_sqlite_free(store_t *s)
{
	changes_sqlite_reset(s);
	if (*store_sqlite_changes(s))
		sqlite3_finalize((*store_sqlite_changes(s))->q_version);
	free(*store_sqlite_changes(s));
	*store_sqlite_changes(s) = NULL;
}

/* Already recorded in this transaction? If not, remember it. */
static bool seen(store_t *s, struct changes *c, int kind, const char *key, const char *day)
{
	if (!store_sqlite_in_tx(s))
		return false;
	size_t kl = strlen(key), dl = strlen(day);
	for (size_t i = 0; i < c->nseen; i++) {
		const char *e = c->seen[i];
		if (e[0] == kind && strcmp(e + 1, key) == 0 && strcmp(e + kl + 2, day) == 0)
			return true;
	}
	char *e = xmalloc(kl + dl + 3);
	e[0] = (char)kind;
	memcpy(e + 1, key, kl + 1);
	memcpy(e + kl + 2, day, dl + 1);
	if (c->nseen < SEEN_MAX) {
		c->seen[c->nseen++] = e;
	} else {
		free(c->seen[c->next]);
		c->seen[c->next] = e;
		c->next = (c->next + 1) % SEEN_MAX;
	}
	return false;
}

int changes_sqlite_record(store_t *s, int kind, const char *key, const char *day)
{
	struct changes *c = state(s);
	if (c->all && store_sqlite_in_tx(s))
		return 0;             /* everything changes anyway */
	if (!key)
		return 0;
	if (!day)
		day = "";
	if (seen(s, c, kind, key, day))
		return 0;
	sqlite3_stmt *q = store_sqlite_stmt(s, SLOT_RECORD,
		"INSERT INTO changes(kind, key, day, seq) VALUES (?1, ?2, ?3, "
		"(SELECT coalesce(max(seq), 0) + 1 FROM changes)) "
		"ON CONFLICT(kind, key, day) DO UPDATE SET seq = excluded.seq");
	if (!q)
		return -1;
	char k[2] = {(char)kind, 0};
	sqlite3_bind_text(q, 1, k, 1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, day, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return store_sqlite_fail(s, "recording a change");
	if (kind == CHG_ALL)
		c->all = true;
	return 0;
}

/* Everything changes: the rows before it say nothing a build needs (one
 * built before renders everything, one built after has seen them), so
 * they go. That keeps the table small, and an erased person's ID out of
 * it: erasure is a moderation action, which records this first. The 'g'
 * is recorded before the others go: its sequence is one past theirs, not
 * past an older 'g' (the sequence would go back, and a reader that had
 * seen the rows pruned would not see the 'g'). */
int changes_sqlite_all(store_t *s)
{
	struct changes *c = state(s);
	if (c->all && store_sqlite_in_tx(s))
		return 0;
	if (changes_sqlite_record(s, CHG_ALL, "", "") < 0)
		return -1;
	char *msg = NULL;
	if (sqlite3_exec(store_sqlite_db(s), "DELETE FROM changes WHERE kind <> 'g'", NULL, NULL, &msg) != SQLITE_OK) {
		sqlite3_free(msg);
		return store_sqlite_fail(s, "pruning the change log");
	}
	return 0;
}

/* ---- reading ------------------------------------------------------------ */

int64_t store_change_seq(store_t *s)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(store_sqlite_db(s), "SELECT coalesce(max(seq), 0) FROM changes", -1, &q, NULL) != SQLITE_OK)
		return store_sqlite_fail(s, "reading the change log");
	int64_t v = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
	sqlite3_finalize(q);
	return v < 0 ? store_sqlite_fail(s, "reading the change log") : v;
}

/* data_version is read first: a commit after it moves it again, so the
 * next call asks for the sequence again, whether this one saw it or not. */
int64_t store_change_seq_poll(store_t *s)
{
	struct changes *c = state(s);
	if (!c->q_version && sqlite3_prepare_v3(store_sqlite_db(s), "PRAGMA data_version", -1,
						SQLITE_PREPARE_PERSISTENT, &c->q_version, NULL) != SQLITE_OK)
		return store_sqlite_fail(s, "watching the change log");
	int64_t v = sqlite3_step(c->q_version) == SQLITE_ROW ? sqlite3_column_int64(c->q_version, 0) : -1;
	sqlite3_reset(c->q_version);
	if (v < 0)
		return store_sqlite_fail(s, "watching the change log");
	if (c->looked && v == c->version)
		return c->seq;
	int64_t seq = store_change_seq(s);
	if (seq < 0)
		return -1;
	c->version = v;
	c->seq = seq;
	c->looked = true;
	return seq;
}

const char *store_archive_id(store_t *s, arena_t *a)
{
	return store_get_setting(s, a, "archive_id");
}

int store_changes(store_t *s, arena_t *a, int64_t since, st_change **out, size_t *n)
{
	sqlite3_stmt *q;
	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(store_sqlite_db(s),
			       "SELECT kind, key, day FROM changes WHERE seq > ?1 ORDER BY kind, key, day", -1, &q,
			       NULL) != SQLITE_OK)
		return store_sqlite_fail(s, "reading the change log");
	sqlite3_bind_int64(q, 1, since);
	size_t cap = 0;
	st_change *v = NULL;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		v = store_sqlite_grow(a, v, *n, &cap, sizeof *v);
		const char *k = (const char *)sqlite3_column_text(q, 0);
		v[*n] = (st_change){k ? k[0] : CHG_ALL, store_sqlite_col(a, q, 1), store_sqlite_col(a, q, 2)};
		(*n)++;
	}
	sqlite3_finalize(q);
	*out = v;
	return rc == SQLITE_DONE ? 0 : store_sqlite_fail(s, "reading the change log");
}

/* ---- pages that name something ---------------------------------------- */

static int by_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool tokchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* Does text hold one of the sorted tokens as a whole [A-Za-z0-9] run? */
static bool names(const char *t, size_t len, const char *const *tok, size_t ntok, size_t minlen, size_t maxlen)
{
	char w[64];
	for (size_t i = 0; i < len;) {
		if (!tokchar((unsigned char)t[i])) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < len && tokchar((unsigned char)t[j]))
			j++;
		size_t n = j - i;
		if (n >= minlen && n <= maxlen && n < sizeof w) {
			memcpy(w, t + i, n);
			w[n] = 0;
			const char *key = w;
			if (bsearch(&key, tok, ntok, sizeof *tok, by_str))
				return true;
		}
		i = j;
	}
	return false;
}

static void add_day(arena_t *a, st_chanday **v, size_t *n, size_t *cap, sqlite3_stmt *q, int col)
{
	*v = store_sqlite_grow(a, *v, *n, cap, sizeof **v);
	(*v)[(*n)++] = (st_chanday){store_sqlite_col(a, q, 0), store_sqlite_col(a, q, col), 0, 0};
}

/* The days of the rows of sql[0..nsql) (channel, page day, day, text;
 * ?1 bound to after when given) whose text names one of tokens. */
static int days_named(store_t *s, arena_t *a, const char **tokens, size_t ntok, const char *const *sql, int nsql,
		      const char *after, st_chanday **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!ntok)
		return 0;
	qsort(tokens, ntok, sizeof *tokens, by_str);
	size_t minlen = (size_t)-1, maxlen = 0;
	for (size_t i = 0; i < ntok; i++) {
		size_t l = strlen(tokens[i]);
		minlen = l < minlen ? l : minlen;
		maxlen = l > maxlen ? l : maxlen;
	}
	size_t cap = 0;
	st_chanday *v = NULL;
	for (int k = 0; k < nsql; k++) {
		sqlite3_stmt *q;
		if (sqlite3_prepare_v2(store_sqlite_db(s), sql[k], -1, &q, NULL) != SQLITE_OK)
			return store_sqlite_fail(s, "looking for pages that name a change");
		if (after)
			sqlite3_bind_text(q, 1, after, -1, SQLITE_STATIC);
		int rc;
		while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
			const char *t = (const char *)sqlite3_column_text(q, 3);
			if (!t || !names(t, (size_t)sqlite3_column_bytes(q, 3), tokens, ntok, minlen, maxlen))
				continue;
			add_day(a, &v, n, &cap, q, 1);
			if (strcmp((const char *)sqlite3_column_text(q, 1), (const char *)sqlite3_column_text(q, 2)) != 0)
				add_day(a, &v, n, &cap, q, 2);
		}
		sqlite3_finalize(q);
		if (rc != SQLITE_DONE)
			return store_sqlite_fail(s, "looking for pages that name a change");
	}
	*out = v;
	return 0;
}

int store_days_naming(store_t *s, arena_t *a, const char **tokens, size_t ntok, st_chanday **out, size_t *n)
{
	/* authors, mentions, links (raw JSON), then reactions' people */
	static const char *const sql[2] = {
		"SELECT channel_id, page_day, day, coalesce(user_id, '') || ' ' || raw FROM messages WHERE hidden <> 1",
		"SELECT m.channel_id, m.page_day, m.day, r.users FROM reactions r JOIN messages m "
		"ON m.channel_id = r.channel_id AND m.ts = r.ts WHERE m.hidden <> 1"};
	return days_named(s, a, tokens, ntok, sql, 2, NULL, out, n);
}

/* The messages posted or edited after `after`, found by a walk of the
 * messages_page index (ts and edited_ts are in it), then their rows: a
 * message deleted in a live workspace is a recent one, and few came
 * after it. */
int store_days_linking(store_t *s, arena_t *a, const char **tokens, size_t ntok, const char *after, st_chanday **out,
		       size_t *n)
{
	static const char *const sql[1] = {
		"SELECT channel_id, page_day, day, raw FROM messages WHERE hidden <> 1 AND id IN "
		"(SELECT id FROM messages INDEXED BY messages_page WHERE ts >= ?1 OR edited_ts >= ?1)"};
	return days_named(s, a, tokens, ntok, sql, 1, after, out, n);
}
