/* moderation-sqlite.c: opt-outs, takedowns, erasures and the publish
 * policy in the SQLite store (see store.h, "moderation").
 *
 * Opted-out people's messages and taken-down ones keep their rows with
 * messages.hidden = 2: every count and the search index already leave out
 * hidden rows, an opt-out can be undone, and the upsert recomputes hidden
 * from the optout and redacted tables, so a later import cannot bring
 * them back. Read functions drop them, or blank them into stand-ins.
 *
 * Erasure deletes instead (tombstones keep the messages out), and keeps
 * only salted SHA-256 hashes of what identifies the person (their ID,
 * names, files, messages: moderation-actions-sqlite.c). Anything that
 * arrives later goes through erasure's walk (erase.c), whose candidate
 * strings are hashed and looked up here: their files, quotes and profile
 * snapshots in others' messages become stand-ins, a mention, a reply list
 * or a reaction names ST_ERASED_ID instead, and the message's plain text
 * (which may name them) waits to be indexed again with the neutral label.
 *
 * Per handle, the opted-out IDs, the erased hashes, the salt and the
 * policy lists are loaded once and kept while PRAGMA data_version says no
 * other connection wrote: the upserts consult them for every message and
 * pages for every name, and a query each would cost more than the check. */
#include "store/sqlite-int.h"
#include "lib/buf.h"
#include "lib/json.h"
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct moderation {
	bool loaded;
	int64_t data_version;
	char **optout;               /* IDs */
	size_t noptout;
	char **erased;               /* hex hashes, sorted */
	size_t nerased;
	char *salt;
	EVP_MD_CTX *salted, *work;   /* SHA-256 with the salt taken in; a copy per hash */
	char **publish, **unpublish; /* NULL-terminated */
	bool redactions;
	sqlite3_stmt *q_version, *q_redacted, *q_quoted;
	arena_t a;                   /* rewritten copies handed to the upserts */
	st_message msg;
	st_channel ch;
	st_user user;
};

enum { ID_OPTOUT = 1, ID_ERASED = 2 };

static void free_list(char **l, size_t n)
{
	for (size_t i = 0; l && (n ? i < n : l[i] != NULL); i++)
		free(l[i]);
	free(l);
}

static void clear(struct moderation *m)
{
	free_list(m->optout, m->noptout);
	free_list(m->erased, m->nerased);
	free_list(m->publish, 0);
	free_list(m->unpublish, 0);
	free(m->salt);
	EVP_MD_CTX_free(m->salted);
	EVP_MD_CTX_free(m->work);
	m->salted = m->work = NULL;
	m->optout = m->erased = m->publish = m->unpublish = NULL;
	m->salt = NULL;
	m->noptout = m->nerased = 0;
	m->redactions = false;
	m->loaded = false;
}

void moderation_sqlite_free(store_t *s)
{
	struct moderation **mp = store_sqlite_mod(s);
	if (!*mp)
		return;
	clear(*mp);
	sqlite3_finalize((*mp)->q_version);
	sqlite3_finalize((*mp)->q_redacted);
	sqlite3_finalize((*mp)->q_quoted);
	arena_free(&(*mp)->a);
	free(*mp);
	*mp = NULL;
}

void moderation_sqlite_reset(store_t *s)
{
	struct moderation *m = *store_sqlite_mod(s);
	if (m)
		m->loaded = false;
}

/* ---- loading ---------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The first column of every row of sql, as a malloc'd array. */
static int load_column(store_t *s, const char *sql, char ***out, size_t *n)
{
	sqlite3_stmt *q;
	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(store_sqlite_db(s), sql, -1, &q, NULL) != SQLITE_OK)
		return store_sqlite_fail(s, "reading moderation state");
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap)
			*out = xrealloc(*out, (cap = cap ? cap * 2 : 8) * sizeof **out);
		const char *t = (const char *)sqlite3_column_text(q, 0);
		(*out)[(*n)++] = xstrdup(t ? t : "");
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : store_sqlite_fail(s, "reading moderation state");
}

/* "a,b" -> {"a", "b", NULL} */
static char **split(const char *v)
{
	size_t n = 0;
	char **l = xcalloc(1, sizeof *l);
	while (v && *v) {
		const char *c = strchr(v, ',');
		size_t len = c ? (size_t)(c - v) : strlen(v);
		if (len) {
			l = xrealloc(l, (n + 2) * sizeof *l);
			l[n++] = xstrndup(v, len);
			l[n] = NULL;
		}
		v += len + (c ? 1 : 0);
	}
	return l;
}

static int64_t data_version(store_t *s, struct moderation *m)
{
	if (!m->q_version &&
	    sqlite3_prepare_v2(store_sqlite_db(s), "PRAGMA data_version", -1, &m->q_version, NULL) != SQLITE_OK)
		return -1;
	int64_t v = -1;
	if (sqlite3_step(m->q_version) == SQLITE_ROW)
		v = sqlite3_column_int64(m->q_version, 0);
	sqlite3_reset(m->q_version);
	return v;
}

static int load(store_t *s, struct moderation *m)
{
	clear(m);
	arena_t a = {0};
	char **redacted = NULL;
	size_t nred = 0;
	int rc = 0;
	if (load_column(s, "SELECT user_id FROM optout", &m->optout, &m->noptout) < 0 ||
	    load_column(s, "SELECT hash FROM erased ORDER BY hash", &m->erased, &m->nerased) < 0 ||
	    load_column(s, "SELECT 1 FROM redacted LIMIT 1", &redacted, &nred) < 0)
		rc = -1;
	free_list(redacted, nred);
	m->redactions = nred > 0;
	if (m->nerased)
		qsort(m->erased, m->nerased, sizeof *m->erased, cmp_str);
	const char *salt = store_get_setting(s, &a, "erasure_salt");
	m->salt = salt ? xstrdup(salt) : NULL;
	if (salt && m->nerased) {
		m->salted = EVP_MD_CTX_new();
		m->work = EVP_MD_CTX_new();
		if (!m->salted || !m->work || !EVP_DigestInit_ex(m->salted, EVP_sha256(), NULL) ||
		    !EVP_DigestUpdate(m->salted, salt, strlen(salt)))
			rc = store_sqlite_fail(s, "setting up SHA-256");
	}
	m->publish = split(store_get_setting(s, &a, "publish"));
	m->unpublish = split(store_get_setting(s, &a, "unpublish"));
	arena_free(&a);
	m->loaded = rc == 0;
	return rc;
}

static struct moderation *state(store_t *s)
{
	struct moderation **mp = store_sqlite_mod(s);
	if (!*mp)
		*mp = xcalloc(1, sizeof **mp);
	struct moderation *m = *mp;
	int64_t v = data_version(s, m);
	if (m->loaded && v == m->data_version)
		return m;
	if (load(s, m) < 0)
		return NULL;
	m->data_version = v;
	return m;
}

/* ---- recognising people ---------------------------------------------- */

/* The digest in c (salt and string taken in) as hex. */
static void digest_hex(EVP_MD_CTX *c, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	EVP_DigestFinal_ex(c, md, &len);
	for (unsigned i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = 0;
}

/* For the few an erasure records (moderation-actions-sqlite.c). */
void moderation_sqlite_hash(const char *salt, const char *s, size_t n, char out[65])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	EVP_DigestInit_ex(c, EVP_sha256(), NULL);
	EVP_DigestUpdate(c, salt, strlen(salt));
	EVP_DigestUpdate(c, s, n);
	digest_hex(c, out);
	EVP_MD_CTX_free(c);
}

/* The n bytes at s are one of an erased person's identifiers. Called for
 * every string an erasure's walk looks at: the salted context is copied,
 * not made again, and hex comes from a table (a new context per hash and
 * snprintf per byte cost 2.2 us a hash, this 0.1). */
static bool erased(const struct moderation *m, const char *s, size_t n)
{
	if (!m->nerased || !m->salted)
		return false;
	char h[65], *key = h;
	EVP_MD_CTX_copy_ex(m->work, m->salted);
	EVP_DigestUpdate(m->work, s, n);
	digest_hex(m->work, h);
	return bsearch(&key, m->erased, m->nerased, sizeof *m->erased, cmp_str) != NULL;
}

static bool opted_out(const struct moderation *m, const char *id, size_t n)
{
	for (size_t i = 0; i < m->noptout; i++)
		if (strlen(m->optout[i]) == n && memcmp(m->optout[i], id, n) == 0)
			return true;
	return false;
}

/* ID_OPTOUT, ID_ERASED or 0 for the n bytes of id. */
static int classify(const struct moderation *m, const char *id, size_t n)
{
	return opted_out(m, id, n) ? ID_OPTOUT : erased(m, id, n) ? ID_ERASED : 0;
}

static bool theirs(void *ud, const char *s, size_t n)
{
	return erased(ud, s, n);
}

static erase_ctx eraser(struct moderation *m)
{
	return (erase_ctx){theirs, m, &m->a};
}

/* Whether t names someone opted out. */
static bool names_optout(const struct moderation *m, const char *t, size_t len)
{
	size_t at = 0, n;
	for (; m->noptout && t && erase_next_id(t, len, &at, &n); at += n)
		if (opted_out(m, t + at, n))
			return true;
	return false;
}

/* t with every occurrence of from replaced by to. */
static const char *replace_all(arena_t *a, const char *t, size_t len, const char *from, const char *to, size_t *outlen)
{
	*outlen = len;
	if (!t)
		return NULL;
	buf_t b = BUF_INIT;
	size_t flen = strlen(from);
	const char *p = t, *end = t + len, *hit;
	while ((hit = memmem(p, (size_t)(end - p), from, flen)) != NULL) {
		buf_put(&b, p, (size_t)(hit - p));
		buf_puts(&b, to);
		p = hit + flen;
	}
	if (p == t) {
		buf_free(&b);
		return t;
	}
	buf_put(&b, p, (size_t)(end - p));
	*outlen = b.len;
	char *r = arena_strndup(a, buf_str(&b), b.len);
	buf_free(&b);
	return r;
}

/* The string at *t scrubbed of erased people (erase.c; names: the whole
 * string may be a name): true when it named one, and *t is then the copy. */
static bool erase_str(struct moderation *m, const char **t, bool names)
{
	size_t n;
	erase_ctx e = eraser(m);
	const char *r = *t && m->nerased ? erase_text(&e, *t, strlen(*t), names, &n) : NULL;
	if (r)
		*t = r;
	return r != NULL;
}

/* Reactions without erased people: a copy when any is left out. */
static bool rewrite_reactions(struct moderation *m, const st_message *in, st_message *out)
{
	if (!m->nerased || !in->nreactions)
		return false;
	bool changed = false;
	st_reaction *v = arena_alloc(&m->a, in->nreactions * sizeof *v);
	size_t nv = 0;
	for (size_t i = 0; i < in->nreactions; i++) {
		const st_reaction *r = &in->reactions[i];
		buf_t b = BUF_INIT;
		int count = r->count;
		for (const char *p = r->users ? r->users : ""; *p;) {
			size_t n = strcspn(p, ",");
			if (n && erased(m, p, n)) {
				count--;
				changed = true;
			} else if (n) {
				if (b.len)
					buf_putc(&b, ',');
				buf_put(&b, p, n);
			}
			p += n + (p[n] == ',');
		}
		if (count > 0)
			v[nv++] = (st_reaction){r->name, count, arena_strndup(&m->a, buf_str(&b), b.len)};
		buf_free(&b);
	}
	out->reactions = v;
	out->nreactions = nv;
	return changed;
}

/* ---- quotes of others' messages ----------------------------------------
 *
 * A message shared into another (attachments with is_share) or a link to
 * one unfurled (is_msg_unfurl) carries the quoted message's words, author
 * name and ID. When the quoted author is opted out, or the quoted message
 * is withheld, the quote becomes a neutral stand-in naming
 * ST_NEUTRAL_NAME on every read, so an undo brings it back. The quoted
 * author is the attachment's author_id, an ID in its author_link, or the
 * author of the message its channel_id and ts name. Quotes of erased
 * people are stand-ins in the stored JSON itself (erase.c). */

static const char STAND_IN[] = "{\"is_share\":true,\"author_name\":\"" ST_NEUTRAL_NAME "\",\"fallback\":\"\"}";

/* The quoted message is withheld (hidden = 2); -1 on error. */
static int quoted_withheld(store_t *s, struct moderation *m, const char *ch, const char *ts)
{
	if (!m->q_quoted &&
	    sqlite3_prepare_v2(store_sqlite_db(s), "SELECT hidden = 2 FROM messages WHERE channel_id = ?1 AND ts = ?2",
			       -1, &m->q_quoted, NULL) != SQLITE_OK)
		return store_sqlite_fail(s, "looking up a quoted message");
	sqlite3_bind_text(m->q_quoted, 1, ch, -1, SQLITE_STATIC);
	sqlite3_bind_text(m->q_quoted, 2, ts, -1, SQLITE_STATIC);
	int rc = sqlite3_step(m->q_quoted), v = rc == SQLITE_ROW && sqlite3_column_int(m->q_quoted, 0);
	sqlite3_reset(m->q_quoted);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? v : store_sqlite_fail(s, "looking up a quoted message");
}

/* Whether attachment a quotes someone opted out or a withheld message;
 * -1 on error. */
static int hides_quote(store_t *s, struct moderation *m, const jv *a)
{
	if (!json_is(a, JV_OBJ) || !(json_getbool(a, "is_share") || json_getbool(a, "is_msg_unfurl")))
		return 0;
	const char *id = json_getstr(a, "author_id");
	if (id && (strcmp(id, ST_ERASED_ID) == 0 || opted_out(m, id, strlen(id))))
		return 1;
	const char *link = json_getstr(a, "author_link");
	size_t at = 0, n;
	while (link && erase_next_id(link, strlen(link), &at, &n)) {
		if ((n == strlen(ST_ERASED_ID) && memcmp(link + at, ST_ERASED_ID, n) == 0) || opted_out(m, link + at, n))
			return 1;
		at += n;
	}
	const char *ch = json_getstr(a, "channel_id"), *ts = json_getscalar(a, "ts");
	if (ch && ts)
		return quoted_withheld(s, m, ch, ts);
	return 0;
}

/* raw with the quotes hidden replaced by the stand-in, in a; NULL when
 * none is (or on error: *err). */
static const char *scrub(store_t *s, struct moderation *m, arena_t *a, const char *raw, size_t len, size_t *outlen,
			 bool *err)
{
	*err = false;
	if (!raw || (!memmem(raw, len, "\"is_share\"", 10) && !memmem(raw, len, "\"is_msg_unfurl\"", 15)))
		return NULL;
	arena_t tree = {0};
	json_err jerr;
	const jv *root = json_parse(&tree, raw, len, &jerr, NULL);
	const jv *atts = json_arr(root, "attachments");
	int hide = 0;
	json_foreach(at, atts) {
		int h = hides_quote(s, m, at);
		if (h < 0)
			*err = true;
		hide |= h > 0;
	}
	const char *out = NULL;
	if (hide && !*err) {
		buf_t b = BUF_INIT;
		buf_putc(&b, '{');
		json_foreach(k, root) {
			if (b.len > 1)
				buf_putc(&b, ',');
			json_write_str(&b, k->key, strlen(k->key));
			buf_putc(&b, ':');
			if (k != atts) {
				json_write(&b, k);
				continue;
			}
			buf_putc(&b, '[');
			json_foreach(at, atts) {
				if (at != atts->first)
					buf_putc(&b, ',');
				if (hides_quote(s, m, at) > 0)
					buf_puts(&b, STAND_IN);
				else
					json_write(&b, at);
			}
			buf_putc(&b, ']');
		}
		buf_putc(&b, '}');
		out = arena_strndup(a, buf_str(&b), b.len);
		*outlen = b.len;
		buf_free(&b);
	}
	arena_free(&tree);
	return out;
}

int moderation_sqlite_scrub(store_t *s, arena_t *a, st_message *v, size_t n)
{
	struct moderation *m = state(s);
	if (!m)
		return -1;
	if (!m->noptout && !m->nerased && !m->redactions)
		return 0;
	for (size_t i = 0; i < n; i++) {
		bool err = false;
		size_t len = 0;
		const char *r = v[i].withheld ? NULL : scrub(s, m, a, v[i].raw, v[i].rawlen, &len, &err);
		if (err)
			return -1;
		if (r) {
			v[i].raw = r;
			v[i].rawlen = len;
		}
	}
	return 0;
}

/* ---- the upserts' checks ---------------------------------------------- */

static int is_redacted(store_t *s, struct moderation *m, const st_message *msg)
{
	if (!m->q_redacted &&
	    sqlite3_prepare_v2(store_sqlite_db(s),
			       "SELECT EXISTS (SELECT 1 FROM redacted WHERE channel_id = ?1 "
			       "AND (ts = ?2 OR (thread AND ts = ?3)))",
			       -1, &m->q_redacted, NULL) != SQLITE_OK)
		return store_sqlite_fail(s, "checking takedowns");
	sqlite3_stmt *q = m->q_redacted;
	sqlite3_bind_text(q, 1, msg->channel_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, msg->ts, -1, SQLITE_STATIC);
	if (msg->thread_ts)
		sqlite3_bind_text(q, 3, msg->thread_ts, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, 3);
	int rc = sqlite3_step(q), v = rc == SQLITE_ROW ? sqlite3_column_int(q, 0) : 0;
	sqlite3_reset(q);
	return rc == SQLITE_ROW ? v : store_sqlite_fail(s, "checking takedowns");
}

int moderation_sqlite_message(store_t *s, const st_message *m, const st_message **out, int *hidden)
{
	struct moderation *st = state(s);
	*out = m;
	if (!st)
		return ST_ERROR;
	if (!st->noptout && !st->nerased && !st->redactions)
		return 0;
	int author = m->user_id ? classify(st, m->user_id, strlen(m->user_id)) : 0;
	if (author == ID_ERASED)
		return ST_REFUSED;
	if (author == ID_OPTOUT)
		*hidden = 2;
	if (st->redactions) {
		int r = is_redacted(s, st, m);
		if (r < 0)
			return ST_ERROR;
		if (r)
			*hidden = 2;
	}
	if (!st->noptout && !st->nerased)
		return 0;
	arena_reset(&st->a);
	st->msg = *m;
	/* everything of erased people leaves the JSON and the text columns
	 * (erase.c); mentions of people opted out stay, to be shown with the
	 * neutral label */
	bool found = names_optout(st, m->raw, m->rawlen) || names_optout(st, m->text, m->text ? strlen(m->text) : 0);
	if (st->nerased) {
		erase_ctx e = eraser(st);
		size_t len;
		const char *r = erase_json(&e, m->raw, m->rawlen, true, &len);
		if (r) {
			st->msg.raw = r;
			st->msg.rawlen = len;
			found = true;
		}
		/* the record's own text and name: names count as in its JSON
		 * when no author is named by ID */
		found |= erase_str(st, &st->msg.text, !m->user_id);
		found |= erase_str(st, &st->msg.username, !m->user_id);
	}
	bool reactions = rewrite_reactions(st, m, &st->msg);
	/* a quote hidden on reads must not be indexed either */
	bool err = false;
	size_t len;
	if (!found && (st->noptout || st->redactions) && scrub(s, st, &st->a, st->msg.raw, st->msg.rawlen, &len, &err))
		found = true;
	if (err)
		return ST_ERROR;
	if (!found && !reactions)
		return 0;
	if (found) {
		/* its plain text may name them: rendered again by the caller
		 * with the neutral label (store_search_stale) */
		if (m->plain && m->channel_id && *m->channel_id)
			search_sqlite_stale(s, m->channel_id, m->ts);
		st->msg.plain = NULL;
		st->msg.plainlen = 0;
	}
	*out = &st->msg;
	return 0;
}

bool moderation_sqlite_refuse_user(store_t *s, const char *user_id)
{
	struct moderation *st = state(s);
	return st && user_id && erased(st, user_id, strlen(user_id));
}

int moderation_sqlite_setting(store_t *s, const char *key, const char **value)
{
	if (strncmp(key, "ev:", 3) != 0)
		return 0;
	struct moderation *st = state(s);
	if (!st)
		return -1;
	if (!st->nerased)
		return 0;
	size_t at = 0, n;
	for (; erase_next_id(key, strlen(key), &at, &n); at += n)
		if (erased(st, key + at, n))
			return 1;
	arena_reset(&st->a);
	erase_str(st, value, false);
	return 0;
}

int moderation_sqlite_user_in(store_t *s, const st_user **u)
{
	struct moderation *st = state(s);
	if (!st)
		return ST_ERROR;
	if (!st->nerased)
		return 0;
	if ((*u)->id && erased(st, (*u)->id, strlen((*u)->id)))
		return ST_REFUSED;
	/* a profile field may name them (Slack's fields of type user) */
	arena_reset(&st->a);
	erase_ctx e = eraser(st);
	size_t len;
	const char *raw = erase_json(&e, (*u)->raw, (*u)->rawlen, false, &len);
	if (raw) {
		st->user = **u;
		st->user.raw = raw;
		st->user.rawlen = len;
		*u = &st->user;
	}
	return 0;
}

static bool listed(char *const *l, const char *name)
{
	for (size_t i = 0; name && l && l[i]; i++)
		if (strcmp(l[i], name) == 0)
			return true;
	return false;
}

/* Public unless unpublished, private (or of unknown kind) only when named,
 * DMs never. */
static int policy(const struct moderation *m, const char *id, const char *name, channel_kind kind)
{
	switch (kind) {
	case CH_PUBLIC:
		return !listed(m->unpublish, name) && !listed(m->unpublish, id);
	case CH_PRIVATE:
	case CH_UNKNOWN:
		return listed(m->publish, name) || listed(m->publish, id);
	case CH_DM:
	case CH_MPIM:
		break;
	}
	return 0;
}

const st_channel *moderation_sqlite_channel(store_t *s, const st_channel *c, int *published)
{
	struct moderation *st = state(s);
	if (!st)
		return NULL;
	*published = policy(st, c->id, c->name ? c->name : c->id, c->kind);
	if (!st->nerased)
		return c;
	arena_reset(&st->a);
	st->ch = *c;
	erase_ctx e = eraser(st);
	size_t len;
	const char *raw = erase_json(&e, c->raw, c->rawlen, false, &len);
	bool found = raw != NULL;
	found |= erase_str(st, &st->ch.creator, false);
	found |= erase_str(st, &st->ch.topic, false);
	found |= erase_str(st, &st->ch.purpose, false);
	if (!found)
		return c;
	if (raw) {
		st->ch.raw = raw;
		st->ch.rawlen = len;
	}
	/* a conversation's name is made of its members' names */
	if ((c->kind == CH_DM || c->kind == CH_MPIM) && c->name && *c->name) {
		st->ch.raw = replace_all(&st->a, st->ch.raw, st->ch.rawlen, c->name, c->id, &st->ch.rawlen);
		st->ch.name = c->id;
	}
	return &st->ch;
}

/* ---- the read functions' filter --------------------------------------- */

static bool is_parent(const st_message *m)
{
	return !m->thread_ts || strcmp(m->thread_ts, m->ts) == 0;
}

static bool has_shown_reply(const st_message *v, size_t n, const st_message *p)
{
	for (size_t j = 0; j < n; j++)
		if (!v[j].withheld && !v[j].hidden && v[j].thread_ts && strcmp(v[j].thread_ts, p->ts) == 0 &&
		    strcmp(v[j].ts, p->ts) != 0)
			return true;
	return false;
}

static void blank(st_message *m, bool hidden)
{
	m->user_id = m->bot_id = m->username = m->subtype = m->text = m->edited_ts = NULL;
	m->raw = NULL;
	m->rawlen = 0;
	m->reactions = NULL;
	m->nreactions = 0;
	m->has_files = m->has_links = false;
	m->reply_count = 0;
	m->hidden = hidden;
	m->withheld = true;
}

void moderation_sqlite_filter(st_message *v, size_t *n, bool stand_ins, bool keep_all)
{
	bool *keep = NULL;
	size_t nmod = 0;
	for (size_t i = 0; i < *n; i++)
		nmod += v[i].withheld;
	if (!nmod)
		return;
	keep = xcalloc(*n, sizeof *keep);
	for (size_t i = 0; i < *n; i++)
		keep[i] = !v[i].withheld || keep_all ||
			  (stand_ins && is_parent(&v[i]) && has_shown_reply(v, *n, &v[i]));
	size_t w = 0;
	for (size_t i = 0; i < *n; i++) {
		if (!keep[i])
			continue;
		if (v[i].withheld)
			blank(&v[i], keep_all);
		if (w != i)
			v[w] = v[i];
		w++;
	}
	free(keep);
	*n = w;
}

const st_user *moderation_sqlite_user(store_t *s, arena_t *a, const st_user *u, const char *id)
{
	if (!id)
		return u;
	bool erased = strcmp(id, ST_ERASED_ID) == 0;
	if (!erased) {
		struct moderation *st = state(s);
		if (!u || !st || !opted_out(st, id, strlen(id)))
			return u;
	}
	st_user *n = arena_zalloc(a, sizeof *n);
	n->id = arena_strndup(a, id, strlen(id));
	n->shown = ST_NEUTRAL_NAME;
	return n;
}

bool store_is_opted_out(store_t *s, const char *user_id)
{
	struct moderation *st = state(s);
	return st && user_id && opted_out(st, user_id, strlen(user_id));
}

bool store_is_erased(store_t *s, const char *user_id)
{
	return moderation_sqlite_refuse_user(s, user_id);
}
