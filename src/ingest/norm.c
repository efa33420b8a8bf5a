/* norm.c: Slack JSON objects -> store records. See norm.h.
 *
 * Every string kept is copied into the caller's arena; empty strings in
 * optional fields become NULL so that "not set" has one spelling. */
#include "ingest/norm.h"
#include "lib/ts.h"
#include "lib/utf8.h"
#include <string.h>

static const char *cp(arena_t *a, const char *s)
{
	return s && *s ? arena_strndup(a, s, strlen(s)) : NULL;
}

static const char *canon(arena_t *a, const char *s)
{
	char c[TS_LEN + 1];
	return ts_canon(s, c) ? arena_strndup(a, c, TS_LEN) : NULL;
}

/* Copy JSON text without the whitespace between tokens: every string and
 * number stays byte for byte, only indentation and newlines go. Exports
 * are pretty-printed, and that whitespace was 40% of what the archive
 * stored per message. */
static const char *compact(arena_t *a, const char *raw, size_t rawlen, size_t *outlen)
{
	char *out = arena_alloc(a, rawlen + 1), *o = out;
	const char *p = raw, *end = raw + rawlen;
	while (p < end) {
		char c = *p++;
		if (c == ' ' || c == '\n' || c == '\t' || c == '\r')
			continue;
		*o++ = c;
		if (c != '"')
			continue;
		/* a string: copy up to the quote that no backslash escapes */
		const char *q = p;
		for (;;) {
			q = memchr(q, '"', (size_t)(end - q));
			if (!q) {
				q = end;
				break;
			}
			const char *b = q;
			while (b > p && b[-1] == '\\')
				b--;
			if ((q - b) % 2 == 0)
				break;
			q++;
		}
		size_t n = (size_t)(q - p) + (q < end);
		memcpy(o, p, n);
		o += n;
		p += n;
	}
	*o = 0;
	*outlen = (size_t)(o - out);
	return out;
}

const char *norm_raw(arena_t *a, const jv *o, const char *raw, size_t rawlen, size_t *outlen)
{
	if (raw) {
		/* outside strings the parser allowed only ASCII: checking the
		 * compact copy checks every string byte, in fewer bytes */
		const char *r = compact(a, raw, rawlen, outlen);
		if (utf8_valid(r, *outlen))
			return r;
	}
	buf_t b = BUF_INIT;
	json_write(&b, o);
	*outlen = b.len;
	const char *r = arena_strndup(a, buf_str(&b), b.len);
	buf_free(&b);
	return r;
}

static int clamp_int(int64_t v)
{
	return v < 0 ? 0 : v > 1000000000 ? 1000000000 : (int)v;
}

/* Links: a <http…>/<mailto:…> token in the text, or an unfurled link. */
static bool has_links(const char *text, const jv *o)
{
	if (text && (strstr(text, "<http://") || strstr(text, "<https://") || strstr(text, "<mailto:")))
		return true;
	json_foreach(att, json_arr(o, "attachments"))
		if (json_getstr(att, "from_url") || json_getstr(att, "title_link") || json_getstr(att, "original_url"))
			return true;
	return false;
}

static bool has_files(const jv *o)
{
	const jv *files = json_arr(o, "files");
	return json_is(json_get(o, "file"), JV_OBJ) || (files && files->n > 0);
}

static void reactions(arena_t *a, const jv *o, st_message *m)
{
	const jv *arr = json_arr(o, "reactions");
	m->reactions = NULL;
	m->nreactions = 0;
	if (!arr || !arr->n)
		return;
	m->reactions = arena_alloc(a, arr->n * sizeof *m->reactions);
	buf_t users = BUF_INIT;
	json_foreach(r, arr) {
		const char *name = json_getstr(r, "name");
		if (!name || !*name)
			continue;
		buf_reset(&users);
		int nusers = 0;
		json_foreach(u, json_arr(r, "users")) {
			const char *id = json_str(u);
			if (!id || !*id)
				continue;
			if (nusers++)
				buf_putc(&users, ',');
			buf_puts(&users, id);
		}
		st_reaction *x = &m->reactions[m->nreactions++];
		x->name = cp(a, name);
		x->count = clamp_int(json_getint(r, "count", nusers));
		x->users = arena_strndup(a, buf_str(&users), users.len);
	}
	buf_free(&users);
}

static void profile_user(arena_t *a, const jv *o, const char *user_id, st_user *u)
{
	memset(u, 0, sizeof *u);
	const jv *p = json_get(o, "user_profile");
	if (!user_id || !json_is(p, JV_OBJ))
		return;
	u->id = user_id;
	u->name = cp(a, json_getstr(p, "name"));
	u->real_name = cp(a, json_getstr(p, "real_name"));
	u->display_name = cp(a, json_getstr(p, "display_name"));
	u->avatar = cp(a, json_getstr(p, "image_72"));
	u->is_bot = json_getbool(p, "is_bot");
	u->raw = norm_raw(a, p, NULL, 0, &u->rawlen);
}

static const char *author(const jv *o)
{
	const char *u = json_getstr(o, "user");
	if (u && *u)
		return u;
	return json_str(json_path(o, "comment.user"));
}

int norm_message(arena_t *a, const jv *o, const char *raw, size_t rawlen, const char *channel_id,
		 st_message *m, st_user *profile, const char **why)
{
	memset(m, 0, sizeof *m);
	memset(profile, 0, sizeof *profile);
	if (!json_is(o, JV_OBJ)) {
		*why = "not an object";
		return -1;
	}
	const char *t = json_getscalar(o, "ts");
	if (!t) {
		*why = "no ts";
		return -1;
	}
	char ts[TS_LEN + 1], day[11];
	if (!ts_canon(t, ts)) {
		*why = "ts is not a Slack timestamp";
		return -1;
	}
	ts_day(ts_seconds(ts), day);
	m->channel_id = cp(a, channel_id);
	m->ts = arena_strndup(a, ts, TS_LEN);
	m->day = arena_strndup(a, day, 10);
	m->thread_ts = canon(a, json_getscalar(o, "thread_ts"));
	m->user_id = cp(a, author(o));
	m->bot_id = cp(a, json_getstr(o, "bot_id"));
	m->username = cp(a, json_getstr(o, "username"));
	m->subtype = cp(a, json_getstr(o, "subtype"));
	const char *text = json_getstr(o, "text");
	m->text = text ? arena_strndup(a, text, strlen(text)) : "";
	m->edited_ts = canon(a, json_getscalar(json_get(o, "edited"), "ts"));
	const jv *replies = json_arr(o, "replies");
	m->reply_count = clamp_int(json_getint(o, "reply_count", replies ? replies->n : 0));
	m->has_files = has_files(o);
	m->has_links = has_links(text, o);
	reactions(a, o, m);
	m->raw = norm_raw(a, o, raw, rawlen, &m->rawlen);
	profile_user(a, o, m->user_id, profile);
	return 0;
}

const char *norm_shown_name(const st_user *u)
{
	return u->display_name ? u->display_name : u->real_name ? u->real_name : u->name ? u->name : u->id;
}

int norm_user(arena_t *a, const jv *o, const char *raw, size_t rawlen, st_user *u)
{
	memset(u, 0, sizeof *u);
	const char *id = json_getstr(o, "id");
	if (!id || !*id)
		return -1;
	const jv *p = json_get(o, "profile");
	u->id = cp(a, id);
	u->name = cp(a, json_getstr(o, "name"));
	u->real_name = cp(a, json_getstr(o, "real_name"));
	if (!u->real_name)
		u->real_name = cp(a, json_getstr(p, "real_name"));
	u->display_name = cp(a, json_getstr(p, "display_name"));
	u->title = cp(a, json_getstr(p, "title"));
	u->avatar = cp(a, json_getstr(p, "image_72"));
	u->tz = cp(a, json_getstr(o, "tz"));
	u->deleted = json_getbool(o, "deleted");
	u->is_bot = json_getbool(o, "is_bot");
	u->raw = norm_raw(a, o, raw, rawlen, &u->rawlen);
	return 0;
}

int norm_channel(arena_t *a, const jv *o, const char *raw, size_t rawlen, channel_kind kind, st_channel *c)
{
	memset(c, 0, sizeof *c);
	const char *id = json_getstr(o, "id");
	if (!id || !*id)
		return -1;
	c->id = cp(a, id);
	c->kind = kind;
	if (kind != CH_DM)
		c->name = cp(a, json_getstr(o, "name"));
	c->topic = cp(a, json_getstr(json_get(o, "topic"), "value"));
	c->purpose = cp(a, json_getstr(json_get(o, "purpose"), "value"));
	c->created = json_getint(o, "created", 0);
	c->archived = json_getbool(o, "is_archived");
	c->creator = cp(a, json_getstr(o, "creator"));
	c->raw = norm_raw(a, o, raw, rawlen, &c->rawlen);
	return 0;
}
