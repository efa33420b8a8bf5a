/* erase.c: the walk that takes an erased person out of a stored record
 * (a message's, a channel's or a user's JSON, a message's text): one rule
 * for every value, so a field Slack adds later is covered as the old ones
 * are. What is theirs is known only through salted hashes (the erased
 * table): the walk asks e->theirs() about each candidate string, which
 * are:
 *
 *  - user and file IDs: U, W or F and six or more of [A-Z0-9], as a whole
 *    value or as a token inside one (a mention, a URL);
 *  - their handle, display and real names and email, as a whole value
 *    (after one '@'), as a link's label, as a segment of a link's target
 *    (/team/HANDLE, mailto:EMAIL), or after an @ in text;
 *  - "CHANNEL/TS" of one of their messages, from an object's channel_id
 *    (or channel) and ts: a quote of a message erasure deleted.
 *
 * An object nested in the record (never the record itself) with a member
 * that is theirs becomes a stand-in: its type, subtype and ts and its
 * true/false members stay, their IDs become ST_ERASED_ID (files:
 * ST_ERASED_FILE), their names ST_NEUTRAL_NAME, everything else (titles,
 * previews, URLs, words, nested values) goes, and "erased": true is added.
 * That is their file in someone's share or comment, their comment, a
 * quote of them, a profile snapshot, a rich-text mention. Elsewhere each
 * string is rewritten: a whole value that is theirs as above (a URL
 * naming them becomes ""), a <...> link or mention naming them becomes
 * <@UERASED> (a link to their file: ST_NEUTRAL_FILE), a link labelled
 * with their name keeps its target under the neutral label, and their ID
 * tokens become the erased IDs, "@handle" the neutral name.
 *
 * Names count only where no one else is meant: not in an object one of
 * whose members is another person's ID (a message's own members when its
 * author is named, a quote of a namesake). A channel's or a user's own
 * record embeds nobody's words: there (names off) only IDs, links and
 * mentions are rewritten, and no object becomes a stand-in (a topic they
 * set stays the channel's, under the erased ID). The result is stable:
 * walking it again changes nothing, so imports and replays converge on
 * the same bytes. */
#include "store/sqlite-int.h"
#include "lib/json.h"
#include "lib/ts.h"
#include <stdio.h>
#include <string.h>

enum { NONE, THEIR_USER, THEIR_FILE, THEIR_NAME, THEIR_URL, OTHER_USER };
/* longer strings are words, not names: not hashed as a whole */
enum { NAME_LONGEST = 256 };

static bool theirs(const erase_ctx *e, const char *s, size_t n)
{
	return n && e->theirs(e->ud, s, n);
}

static bool idchar(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool wordchar(char c)
{
	return idchar(c) || (c >= 'a' && c <= 'z') || c == '_';
}

bool erase_next_id(const char *t, size_t len, size_t *at, size_t *n)
{
	for (size_t i = *at; i < len; i++) {
		if ((t[i] != 'U' && t[i] != 'W' && t[i] != 'F') || (i > 0 && wordchar(t[i - 1])))
			continue;
		size_t j = i + 1;
		while (j < len && idchar(t[j]))
			j++;
		if (j - i >= 7 && (j == len || !wordchar(t[j]))) {
			*at = i;
			*n = j - i;
			return true;
		}
		i = j - 1;
	}
	return false;
}

static bool is_token(const char *s, size_t n)
{
	size_t at = 0, tn;
	return erase_next_id(s, n, &at, &tn) && at == 0 && tn == n;
}

static bool same(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

/* One of their ID tokens in s: THEIR_USER, THEIR_FILE or NONE. */
static int id_in(const erase_ctx *e, const char *s, size_t n)
{
	size_t at = 0, tn;
	int found = NONE;
	while (found != THEIR_FILE && erase_next_id(s, n, &at, &tn)) {
		if (theirs(e, s + at, tn))
			found = s[at] == 'F' ? THEIR_FILE : THEIR_USER;
		at += tn;
	}
	return found;
}

static bool is_url(const char *s, size_t n)
{
	return (n > 7 && memcmp(s, "http://", 7) == 0) || (n > 8 && memcmp(s, "https://", 8) == 0) ||
	       (n > 7 && memcmp(s, "mailto:", 7) == 0);
}

/* A link target naming them: one of their ID tokens, or a segment (between
 * / : ? # & =) that is theirs. THEIR_FILE, THEIR_USER or NONE. */
static int target_names(const erase_ctx *e, const char *s, size_t n)
{
	int k = id_in(e, s, n);
	if (k)
		return k;
	for (size_t i = 0, j = 0; i < n; i = ++j) {
		while (j < n && !strchr("/:?#&=", s[j]))
			j++;
		if (j - i <= NAME_LONGEST && theirs(e, s + i, j - i))
			return THEIR_USER;
	}
	return NONE;
}

/* What a whole string value is: theirs (an ID, a name when names count, a
 * URL naming them), another person's ID, or NONE. */
static int whole(const erase_ctx *e, const char *s, size_t n, bool names)
{
	if (is_token(s, n)) {
		if (same(s, n, ST_ERASED_ID) || same(s, n, ST_ERASED_FILE))
			return NONE;
		if (theirs(e, s, n))
			return s[0] == 'F' ? THEIR_FILE : THEIR_USER;
		return s[0] == 'F' ? NONE : OTHER_USER;
	}
	if (is_url(s, n))
		return target_names(e, s, n) ? THEIR_URL : NONE;
	if (names && n && s[0] == '@')
		s++, n--;
	return names && n <= NAME_LONGEST && theirs(e, s, n) ? THEIR_NAME : NONE;
}

static const char *neutral(int kind)
{
	switch (kind) {
	case THEIR_USER: return ST_ERASED_ID;
	case THEIR_FILE: return ST_ERASED_FILE;
	case THEIR_NAME: return ST_NEUTRAL_NAME;
	}
	return "";
}

/* Members that say what an object is, never who: kept, never matched. */
static bool structural(const char *key)
{
	return !strcmp(key, "type") || !strcmp(key, "subtype") || !strcmp(key, "ts");
}

/* ---- text ---------------------------------------------------------------- */

/* Their ID tokens in t replaced, appended to b. */
static void put_ids(const erase_ctx *e, buf_t *b, const char *t, size_t len)
{
	size_t at = 0, from = 0, n;
	while (erase_next_id(t, len, &at, &n)) {
		if (theirs(e, t + at, n)) {
			buf_put(b, t + from, at - from);
			buf_puts(b, t[at] == 'F' ? ST_ERASED_FILE : ST_ERASED_ID);
			from = at + n;
		}
		at += n;
	}
	buf_put(b, t + from, len - from);
}

static bool handlechar(char c)
{
	return wordchar(c) || c == '.' || c == '-';
}

/* Plain text: their ID tokens, and "@handle" typed as text (Slack writes
 * a group DM's purpose so: "Group messaging with: @a @b"). */
static void put_plain(const erase_ctx *e, buf_t *b, const char *t, size_t len)
{
	size_t from = 0;
	for (size_t i = 0; i < len; i++) {
		if (t[i] != '@' || (i > 0 && handlechar(t[i - 1])))
			continue;
		size_t j = i + 1;
		while (j < len && handlechar(t[j]))
			j++;
		size_t end = j;
		while (end > i + 1 && (t[end - 1] == '.' || t[end - 1] == '-'))
			end--;
		size_t n = end - i - 1;
		if (n <= NAME_LONGEST && !is_token(t + i + 1, n) && theirs(e, t + i + 1, n)) {
			put_ids(e, b, t + from, i - from);
			buf_puts(b, "@" ST_NEUTRAL_NAME);
			from = end;
		}
		i = j - 1;
	}
	put_ids(e, b, t + from, len - from);
}

/* A <target|label> token (body between the brackets), rewritten into b. */
static void put_link(const erase_ctx *e, buf_t *b, const char *body, size_t n)
{
	const char *bar = memchr(body, '|', n);
	size_t tn = bar ? (size_t)(bar - body) : n;
	int k = target_names(e, body, tn);
	if (k) {
		buf_puts(b, k == THEIR_FILE ? ST_NEUTRAL_FILE : "<@" ST_ERASED_ID ">");
		return;
	}
	buf_putc(b, '<');
	if (bar && whole(e, bar + 1, n - tn - 1, true) == THEIR_NAME) {
		put_ids(e, b, body, tn + 1);
		buf_puts(b, ST_NEUTRAL_NAME);
	} else {
		put_ids(e, b, body, n);
	}
	buf_putc(b, '>');
}

/* t with links, mentions and IDs naming them rewritten, appended to b. */
static void put_text(const erase_ctx *e, buf_t *b, const char *t, size_t len)
{
	size_t from = 0;
	for (size_t i = 0; i < len; i++) {
		if (t[i] != '<')
			continue;
		size_t j = i + 1;
		while (j < len && t[j] != '<' && t[j] != '>' && t[j] != '\n')
			j++;
		if (j >= len || t[j] != '>' || j == i + 1)
			continue;
		put_plain(e, b, t + from, i - from);
		put_link(e, b, t + i + 1, j - i - 1);
		from = i = j + 1;
		i--;
	}
	put_plain(e, b, t + from, len - from);
}

const char *erase_text(const erase_ctx *e, const char *t, size_t len, bool names, size_t *outlen)
{
	if (!t)
		return NULL;
	buf_t b = BUF_INIT;
	int k = whole(e, t, len, names);
	if (k != NONE && k != OTHER_USER)
		buf_puts(&b, neutral(k));
	else
		put_text(e, &b, t, len);
	const char *r = NULL;
	if (b.len != len || memcmp(b.p, t, len) != 0) {
		r = arena_strndup(e->a, buf_str(&b), b.len);
		*outlen = b.len;
	}
	buf_free(&b);
	return r;
}

/* ---- JSON ---------------------------------------------------------------- */

struct walk {
	const erase_ctx *e;
	bool names;                  /* names count, objects of theirs become stand-ins */
	bool changed;
};

static void put_value(struct walk *w, buf_t *b, const jv *v, bool here);

static void put_changed(struct walk *w, buf_t *b, const buf_t *t, const char *s, size_t n)
{
	if (t->len != n || memcmp(buf_str(t), s, n) != 0)
		w->changed = true;
	json_write_str(b, buf_str(t), t->len);
}

/* A string whose whole value may be theirs (the record's own members,
 * array elements): here says whether names count. */
static void put_str(struct walk *w, buf_t *b, const char *s, size_t n, bool here)
{
	int k = whole(w->e, s, n, here);
	buf_t t = BUF_INIT;
	if (k != NONE && k != OTHER_USER)
		buf_puts(&t, neutral(k));
	else if (is_token(s, n) || is_url(s, n))
		buf_put(&t, s, n);
	else
		put_text(w->e, &t, s, n);
	put_changed(w, b, &t, s, n);
	buf_free(&t);
}

/* A member of an object owned() found not theirs: only what it carries
 * inside (IDs and URLs were looked at as wholes already). */
static void put_inner(struct walk *w, buf_t *b, const char *s, size_t n)
{
	if (is_token(s, n) || is_url(s, n)) {
		json_write_str(b, s, n);
		return;
	}
	buf_t t = BUF_INIT;
	put_text(w->e, &t, s, n);
	put_changed(w, b, &t, s, n);
	buf_free(&t);
}

/* o quotes one of their messages: its channel and ts. */
static bool their_message(const erase_ctx *e, const jv *o)
{
	const char *ch = json_getstr(o, "channel_id"), *t = json_getscalar(o, "ts");
	if (!ch)
		ch = json_getstr(o, "channel");
	char ts[TS_LEN + 1], key[TS_LEN + 80];
	if (!ch || !t || strlen(ch) > 64 || !ts_canon(t, ts))
		return false;
	int n = snprintf(key, sizeof key, "%s/%s", ch, ts);
	return theirs(e, key, (size_t)n);
}

/* Whether names count among o's members: the record's own, and no one
 * else is named by ID there. */
static bool names_here(const struct walk *w, const jv *o)
{
	if (!w->names)
		return false;
	json_foreach(m, o)
		if (m->type == JV_STR && !structural(m->key) && is_token(m->s, m->n) &&
		    whole(w->e, m->s, m->n, false) == OTHER_USER)
			return false;
	return true;
}

/* Whether object o (not the record) is theirs. */
static bool owned(const struct walk *w, const jv *o, bool here)
{
	json_foreach(m, o) {
		if (m->type != JV_STR || structural(m->key))
			continue;
		int k = whole(w->e, m->s, m->n, here);
		if (k != NONE && k != OTHER_USER)
			return true;
	}
	return their_message(w->e, o);
}

static void put_stand_in(struct walk *w, buf_t *b, const jv *o, bool here)
{
	buf_putc(b, '{');
	size_t empty = b->len;
	json_foreach(m, o) {
		bool keep = (structural(m->key) && (m->type == JV_STR || m->type == JV_NUM)) ||
			    ((m->type == JV_TRUE || m->type == JV_FALSE) && strcmp(m->key, "erased") != 0);
		int k = !keep && m->type == JV_STR ? whole(w->e, m->s, m->n, here) : NONE;
		if (!keep && (k == NONE || k == OTHER_USER || k == THEIR_URL))
			continue;
		if (b->len > empty)
			buf_putc(b, ',');
		json_write_str(b, m->key, strlen(m->key));
		buf_putc(b, ':');
		if (keep)
			json_write(b, m);
		else
			json_write_str(b, neutral(k), strlen(neutral(k)));
	}
	buf_puts(b, b->len > empty ? ",\"erased\":true}" : "\"erased\":true}");
	w->changed = true;
}

static void put_key(struct walk *w, buf_t *b, const char *key)
{
	size_t n = strlen(key);
	if (!id_in(w->e, key, n)) {
		json_write_str(b, key, n);
		return;
	}
	buf_t k = BUF_INIT;
	put_ids(w->e, &k, key, n);
	json_write_str(b, buf_str(&k), k.len);
	buf_free(&k);
	w->changed = true;
}

/* An object: the record itself (root: never a stand-in), or one nested
 * in it. */
static void put_object(struct walk *w, buf_t *b, const jv *o, bool root)
{
	bool here = names_here(w, o);
	if (!root && w->names && owned(w, o, here)) {
		put_stand_in(w, b, o, here);
		return;
	}
	buf_putc(b, '{');
	json_foreach(m, o) {
		if (m != o->first)
			buf_putc(b, ',');
		put_key(w, b, m->key);
		buf_putc(b, ':');
		if (m->type == JV_STR && structural(m->key))
			json_write(b, m);
		else if (m->type == JV_STR && !root && w->names)
			put_inner(w, b, m->s, m->n);    /* owned() looked at it whole */
		else
			put_value(w, b, m, here);
	}
	buf_putc(b, '}');
}

static void put_value(struct walk *w, buf_t *b, const jv *v, bool here)
{
	switch (v->type) {
	case JV_STR:
		put_str(w, b, v->s, v->n, here);
		break;
	case JV_OBJ:
		put_object(w, b, v, false);
		break;
	case JV_ARR:
		buf_putc(b, '[');
		json_foreach(x, v) {
			if (x != v->first)
				buf_putc(b, ',');
			put_value(w, b, x, here);
		}
		buf_putc(b, ']');
		break;
	default:
		json_write(b, v);
	}
}

const char *erase_json(const erase_ctx *e, const char *raw, size_t len, bool names, size_t *outlen)
{
	if (!raw)
		return NULL;
	arena_t tree = {0};
	json_err jerr;
	const jv *root = json_parse(&tree, raw, len, &jerr, NULL);
	const char *r = NULL;
	struct walk w = {e, names, false};
	buf_t b = BUF_INIT;
	if (json_is(root, JV_OBJ))
		put_object(&w, &b, root, true);
	else if (root)
		put_value(&w, &b, root, false);
	else
		r = erase_text(e, raw, len, false, outlen);    /* not JSON: its IDs at least */
	if (w.changed) {
		r = arena_strndup(e->a, buf_str(&b), b.len);
		*outlen = b.len;
	}
	buf_free(&b);
	arena_free(&tree);
	return r;
}
