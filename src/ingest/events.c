/* events.c: Slack events applied to the store. See events.h.
 *
 * Each event is parsed into one arena that is reset before the next, so
 * memory follows the largest event. Names for the search text (mentions
 * of users and channels) are looked up in the store itself: the events
 * that renamed them have been applied before. */
#include "ingest/events.h"
#include "ingest/names.h"
#include "ingest/norm.h"
#include "ingest/order.h"
#include "render/render.h"
#include "cli.h"
#include "lib/ts.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct ev {
	store_t *s;
	const warner *w;
	arena_t a;                   /* the current event */
	arena_t look;                /* name lookups while rendering */
	render_ctx rctx;
	buf_t plain;
	names channels;              /* conversations known to exist */
	ev_counts n;
	const char *where;
	char time[TS_LEN + 1];       /* the current event's time */
};

static const char *user_name(void *ud, const char *id)
{
	ev *e = ud;
	const st_user *u = store_user(e->s, &e->look, id);
	return u ? u->shown : NULL;
}

/* A conversation known only by its ID has no name: the link's label
 * shows. */
static const char *channel_name(void *ud, const char *id)
{
	ev *e = ud;
	const st_channel *c = store_channel_by_id(e->s, &e->look, id);
	return c && strcmp(c->name, c->id) != 0 ? c->name : NULL;
}

store_t *ev_open_archive(const char *path)
{
	char err[512];
	store_t *s = store_open(path, STORE_CREATE | STORE_ALL, err, sizeof err);
	if (!s) {
		log_err("%s", err);
		return NULL;
	}
	arena_t a = {0};
	const char *z = store_get_setting(s, &a, "time_zone");
	int rc = 0;
	if (!ts_set_zone(z ? z : "UTC")) {
		log_err("the archive's time zone '%s' is unknown to this system", z);
		rc = -1;
	} else if (!z && store_set_setting(s, "time_zone", "UTC") != 0) {
		log_err("setting the time zone: %s", store_errmsg(s));
		rc = -1;
	}
	arena_free(&a);
	if (rc != 0) {
		store_close(s);
		return NULL;
	}
	return s;
}

ev *ev_new(store_t *s, const warner *w)
{
	ev *e = xcalloc(1, sizeof *e);
	e->s = s;
	e->w = w;
	e->rctx.ud = e;
	e->rctx.user_name = user_name;
	e->rctx.channel_name = channel_name;
	e->rctx.base = "";
	return e;
}

void ev_free(ev *e)
{
	if (!e)
		return;
	arena_free(&e->a);
	arena_free(&e->look);
	buf_free(&e->plain);
	names_free(&e->channels);
	free(e);
}

const ev_counts *ev_counts_of(const ev *e)
{
	return &e->n;
}

static int bad(ev *e, const char *what)
{
	e->n.bad++;
	warnf(e->w, "%s: %s; skipped", e->where, what);
	return EV_BAD;
}

static int failed(ev *e, const char *what)
{
	log_err("%s: %s: %s", e->where, what, store_errmsg(e->s));
	return EV_FAILED;
}

/* 1 newer (and kept), 0 older, -1 store error: see order.h. */
static int take(ev *e, const char *time, const char *state, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int take(ev *e, const char *time, const char *state, const char *fmt, ...)
{
	buf_t key = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&key, fmt, ap);
	va_end(ap);
	int rc = order_take(e->s, buf_str(&key), time, state);
	buf_free(&key);
	if (rc == 0)
		e->n.older++;
	return rc;
}

/* ---- texts rendered again -------------------------------------------------
 *
 * Messages whose index entry the store dropped (a person they name was
 * renamed, opted out or erased: store_search_stale) are rendered again
 * here, with the names the store gives now, before the caller commits. */
static int rerender(ev *e)
{
	arena_t a = {0};
	int rc = 0;
	for (;;) {
		st_message *v;
		size_t n;
		arena_reset(&a);
		if (store_search_stale(e->s, &a, 64, &v, &n) != 0) {
			rc = -1;
			break;
		}
		if (!n)
			break;
		for (size_t i = 0; i < n && rc == 0; i++) {
			json_err err;
			const jv *j = json_parse(&a, v[i].raw, v[i].rawlen, &err, NULL);
			buf_reset(&e->plain);
			if (j)
				render_message_text(&e->plain, &e->rctx, j);
			arena_reset(&e->look);
			rc = store_search_index(e->s, v[i].channel_id, v[i].ts, buf_str(&e->plain), e->plain.len);
		}
		if (rc != 0)
			break;
	}
	arena_free(&a);
	return rc;
}

/* ---- envelopes ----------------------------------------------------------- */

const jv *ev_unwrap(const jv *root, const char **event_id, int64_t *event_time)
{
	*event_id = NULL;
	*event_time = 0;
	const char *type = json_getstr(root, "type");
	if (type && strcmp(type, "events_api") == 0 && json_is(json_get(root, "payload"), JV_OBJ)) {
		root = json_get(root, "payload");
		type = json_getstr(root, "type");
	}
	if (type && strcmp(type, "event_callback") == 0) {
		*event_id = json_getstr(root, "event_id");
		*event_time = json_getint(root, "event_time", 0);
		const jv *inner = json_get(root, "event");
		return json_is(inner, JV_OBJ) ? inner : NULL;
	}
	return root;
}

/* The time an event happened: its event_ts, the envelope's event_time,
 * its ts, else the epoch. */
static void event_time(ev *e, const jv *event, int64_t envelope_time)
{
	if (order_time(json_getscalar(event, "event_ts"), e->time))
		return;
	if (envelope_time > 0) {
		order_time_int(envelope_time, e->time);
		return;
	}
	if (!order_time(json_getscalar(event, "ts"), e->time))
		order_time_int(0, e->time);
}

/* ---- conversations -------------------------------------------------------
 *
 * A conversation the archive has a record of (a conversation object from
 * channels.json, conversations.list or channel_created) is as the record
 * and the ordered changes of its fields say. One that only events name
 * (a stub) is what the newest of them says:
 *  - its kind (ORDER_CHANNEL_KEY "kind"): a message event's channel_type
 *    ("channel" public, "group" private, "im" a DM, "mpim"), the
 *    channel_type "G" of member_joined_channel and member_left_channel
 *    (private: a G ID is a private channel or a group DM),
 *    channel_created and channel_rename (public, the channels Slack sends
 *    them for, unless their object says is_private, is_group or is_mpim),
 *    group_rename, group_archive, group_unarchive (private), the subtypes
 *    channel_convert_to_public and channel_convert_to_private. Nothing
 *    else: a channel_type "C" is only the ID's first letter, and private
 *    channels made since March 2021 have C IDs too. With none of these a
 *    D ID is a DM, a G ID private, any other of unknown kind, which is
 *    not published;
 *  - its name: the newest of its renames, channel_created and
 *    channel_name messages ("name") and of the labels of links to it in
 *    messages' text, <#C123|general>, as of the message's ts ("label");
 *    else its ID. */

static channel_kind kind_of_type(const char *channel_type, channel_kind dflt)
{
	if (!channel_type)
		return dflt;
	if (strcmp(channel_type, "channel") == 0)
		return CH_PUBLIC;
	if (strcmp(channel_type, "im") == 0)
		return CH_DM;
	if (strcmp(channel_type, "mpim") == 0)
		return CH_MPIM;
	return CH_PRIVATE;
}

/* What a conversation object says it is; dflt when it does not say. */
static channel_kind kind_of_object(const jv *o, channel_kind dflt)
{
	if (json_getbool(o, "is_im"))
		return CH_DM;
	if (json_getbool(o, "is_mpim"))
		return CH_MPIM;
	if (dflt == CH_PUBLIC && (json_getbool(o, "is_private") || json_getbool(o, "is_group")))
		return CH_PRIVATE;
	return dflt;
}

/* "TIME STATE" kept for one attribute of a conversation, or NULL. */
static const char *kept(ev *e, const char *id, const char *what)
{
	buf_t key = BUF_INIT;
	buf_printf(&key, ORDER_CHANNEL_KEY, id, what);
	const char *v = store_get_setting(e->s, &e->a, buf_str(&key));
	buf_free(&key);
	return v && strchr(v, ' ') ? v : NULL;
}

static channel_kind stub_kind(ev *e, const char *id)
{
	const char *v = kept(e, id, "kind");
	for (channel_kind k = CH_PUBLIC; v && k <= CH_UNKNOWN; k++)
		if (strcmp(strchr(v, ' ') + 1, channel_kind_name(k)) == 0)
			return k;
	return id[0] == 'D' ? CH_DM : id[0] == 'G' ? CH_PRIVATE : CH_UNKNOWN;
}

static const char *stub_name(ev *e, const char *id)
{
	const char *n = kept(e, id, "name"), *l = kept(e, id, "label");
	const char *v = !n ? l : !l ? n : strcmp(l, n) > 0 ? l : n;
	v = v ? strchr(v, ' ') + 1 : "";
	return *v ? v : id;
}

/* The stored record of a conversation, or a stub. *stub: known only from
 * events (no conversation object seen): its kind and name are the newest
 * the events told. */
static st_channel channel_record(ev *e, const char *id, bool *stub)
{
	const st_channel *have = store_channel_by_id(e->s, &e->a, id);
	st_channel c = {.id = id};
	if (have)
		c = *have;
	*stub = !have || !have->raw;
	if (*stub) {
		c.kind = stub_kind(e, id);
		c.name = stub_name(e, id);
	}
	return c;
}

/* The name a stub becoming a record (a conversation object seen) starts
 * with: its renames' when events renamed it, else the object's own (the
 * object's time then decides against the renames: channel_change). Labels
 * of links no longer count. */
static const char *record_name(ev *e, const char *id, const char *own)
{
	const char *v = kept(e, id, "name");
	v = v ? strchr(v, ' ') + 1 : "";
	return *v ? v : own;
}

/* A stub written as the events now tell it (made when create), or a
 * record remembered. -1 on a store error. */
static int stub_write(ev *e, const char *id, bool create)
{
	bool stub;
	if (!create && !store_channel_by_id(e->s, &e->a, id))
		return 0;
	st_channel c = channel_record(e, id, &stub);
	if (!stub) {
		names_put(&e->channels, id, NULL);
		return 0;
	}
	return store_upsert_channel(e->s, &c) == ST_ERROR ? -1 : 0;
}

/* What an event says a conversation is, as a change like the others (the
 * newest told is kept, whatever the order the events are read in; it
 * applies to stubs). 1 when kind is now the one to keep, 0 when a later
 * event told another, -1 on a store error. */
static int told_kind(ev *e, const char *id, channel_kind kind, const char *time)
{
	return take(e, time, channel_kind_name(kind), ORDER_CHANNEL_KEY, id, "kind");
}

/* The same, and the stub written. */
static int channel_told(ev *e, const char *id, channel_kind kind, const char *time, bool create)
{
	int told = told_kind(e, id, kind, time);
	if (told > 0 && stub_write(e, id, create) < 0)
		told = -1;
	return told < 0 ? failed(e, "storing a conversation") : EV_APPLIED;
}

/* A message's conversation exists (made a stub if unknown). Ones with a
 * full record are remembered; stubs are looked up again, so that a later
 * event can tell what they are. */
static int channel_exists(ev *e, const char *id, const char *channel_type)
{
	if (names_has(&e->channels, id))
		return 0;
	if (channel_type)
		return channel_told(e, id, kind_of_type(channel_type, CH_PRIVATE), e->time, true);
	return stub_write(e, id, true) < 0 ? failed(e, "storing a conversation") : 0;
}

enum { F_NAME, F_TOPIC, F_PURPOSE, F_ARCHIVED };
static const char *const field_names[] = {"name", "topic", "purpose", "archived"};

/* One attribute of a conversation changed at time; kind >= 0: what the
 * event says the conversation is (for stubs, see above). */
static int channel_change(ev *e, const char *id, int kind, int field, const char *value, const char *time)
{
	int told = kind >= 0 ? told_kind(e, id, (channel_kind)kind, time) : 0;
	int r = told < 0 ? -1 : take(e, time, value ? value : "", ORDER_CHANNEL_KEY, id, field_names[field]);
	if (r < 0)
		return failed(e, "recording a change");
	bool stub;
	st_channel c = channel_record(e, id, &stub);
	if (!stub)
		names_put(&e->channels, id, NULL);
	if (r == 0 && !(stub && told > 0))
		return EV_APPLIED;
	switch (r ? field : -1) {
	case F_NAME: c.name = stub ? c.name : value && *value ? value : id; break;
	case F_TOPIC: c.topic = value && *value ? value : NULL; break;
	case F_PURPOSE: c.purpose = value && *value ? value : NULL; break;
	case F_ARCHIVED: c.archived = value && value[0] == '1'; break;
	}
	if (store_upsert_channel(e->s, &c) == ST_ERROR)
		return failed(e, "storing a conversation");
	e->n.channels++;
	return EV_APPLIED;
}

/* channel_created, *_rename, *_archive, *_unarchive. */
static int on_channel(ev *e, const jv *ev_obj, const char *type, channel_kind kind)
{
	const jv *ch = json_get(ev_obj, "channel");
	const char *id = json_is(ch, JV_OBJ) ? json_getstr(ch, "id") : json_str(ch);
	if (!id || !*id)
		return bad(e, "channel event without a channel id");
	const char *what = strchr(type, '_') + 1;
	kind = json_is(ch, JV_OBJ) ? kind_of_object(ch, kind) : kind;
	if (strcmp(what, "archive") == 0 || strcmp(what, "unarchive") == 0)
		return channel_change(e, id, kind == CH_PRIVATE ? CH_PRIVATE : -1, F_ARCHIVED, what[0] == 'a' ? "1" : "0",
				      e->time);
	const char *name = json_getstr(ch, "name");
	if (!name || !*name)
		return bad(e, "channel event without a name");
	if (strcmp(what, "created") == 0) {
		char t[TS_LEN + 1];
		int64_t created = json_getint(ch, "created", 0);
		order_time_int(created, t);
		int rc = channel_change(e, id, kind, F_NAME, name, created ? t : e->time);
		if (rc != EV_APPLIED)
			return rc;
		/* the object is the conversation's record: kept with its
		 * creation time and creator (a change of raw updates those) */
		bool stub;
		st_channel c = channel_record(e, id, &stub);
		if (stub)
			c.name = record_name(e, id, name);
		c.kind = kind;           /* the record's kind, as a snapshot's would be */
		c.created = created;
		c.creator = json_getstr(ch, "creator");
		c.raw = norm_raw(&e->a, ch, NULL, 0, &c.rawlen);
		return store_upsert_channel(e->s, &c) == ST_ERROR ? failed(e, "storing a conversation") : EV_APPLIED;
	}
	return channel_change(e, id, kind, F_NAME, name, e->time);
}

/* Topic, purpose, name and archiving told by a message's subtype. */
static int channel_subtype(ev *e, const char *id, const char *subtype, const jv *msg, const char *ts)
{
	const char *u = strchr(subtype, '_');
	if (!u || (strncmp(subtype, "channel_", 8) != 0 && strncmp(subtype, "group_", 6) != 0))
		return EV_APPLIED;
	u++;
	if (strcmp(u, "topic") == 0)
		return channel_change(e, id, -1, F_TOPIC, json_getstr(msg, "topic"), ts);
	if (strcmp(u, "purpose") == 0)
		return channel_change(e, id, -1, F_PURPOSE, json_getstr(msg, "purpose"), ts);
	if (strcmp(u, "name") == 0 && json_getstr(msg, "name"))
		return channel_change(e, id, -1, F_NAME, json_getstr(msg, "name"), ts);
	if (strcmp(u, "archive") == 0 || strcmp(u, "unarchive") == 0)
		return channel_change(e, id, -1, F_ARCHIVED, u[0] == 'a' ? "1" : "0", ts);
	if (strcmp(u, "convert_to_public") == 0 || strcmp(u, "convert_to_private") == 0)
		return channel_told(e, id, strcmp(u, "convert_to_public") == 0 ? CH_PUBLIC : CH_PRIVATE, ts, true);
	return EV_APPLIED;
}

int ev_channel(ev *e, const jv *o, channel_kind kind, const char *where)
{
	e->where = where;
	kind = kind_of_object(o, kind);
	st_channel c;
	if (norm_channel(&e->a, o, NULL, 0, kind, &c) != 0)
		return bad(e, "conversation without an id");
	if (!c.name)
		c.name = kind == CH_DM ? json_getstr(o, "user") : c.id;
	const char *own = c.name;
	const st_channel *have = store_channel_by_id(e->s, &e->a, c.id);
	if (!have || !have->raw) {
		/* the first full record; fields that events changed stay */
		c.name = record_name(e, c.id, own);
		if (store_upsert_channel(e->s, &c) == ST_ERROR)
			return failed(e, "storing a conversation");
		e->n.channels++;
	}
	names_put(&e->channels, c.id, NULL);
	char t[TS_LEN + 1];
	if (!order_time(json_getscalar(o, "updated"), t))
		order_time_int(c.created, t);
	int rc = channel_change(e, c.id, -1, F_NAME, own, t);
	const jv *topic = json_get(o, "topic"), *purpose = json_get(o, "purpose");
	char tt[TS_LEN + 1];
	if (rc == EV_APPLIED && json_is(topic, JV_OBJ)) {
		if (!order_time(json_getscalar(topic, "last_set"), tt) || strcmp(tt, "0000000000.000000") == 0)
			memcpy(tt, t, sizeof tt);
		rc = channel_change(e, c.id, -1, F_TOPIC, c.topic, tt);
	}
	if (rc == EV_APPLIED && json_is(purpose, JV_OBJ)) {
		if (!order_time(json_getscalar(purpose, "last_set"), tt) || strcmp(tt, "0000000000.000000") == 0)
			memcpy(tt, t, sizeof tt);
		rc = channel_change(e, c.id, -1, F_PURPOSE, c.purpose, tt);
	}
	if (rc == EV_APPLIED)
		rc = channel_change(e, c.id, -1, F_ARCHIVED, c.archived ? "1" : "0", t);
	return rc;
}

/* ---- messages ------------------------------------------------------------ */

/* An event's message without the keys only events have, so that it is
 * stored as the history API and exports give it. */
static const jv *strip(ev *e, const jv *o)
{
	static const char *const drop[] = {"channel", "event_ts", "channel_type", "hidden"};
	jv *copy = arena_alloc(&e->a, sizeof *copy);
	*copy = *o;
	copy->first = NULL;
	copy->n = 0;
	jv **tail = &copy->first;
	json_foreach(it, o) {
		bool skip = false;
		for (size_t i = 0; i < sizeof drop / sizeof *drop; i++)
			skip = skip || strcmp(it->key, drop[i]) == 0;
		if (skip)
			continue;
		jv *c = arena_alloc(&e->a, sizeof *c);
		*c = *it;
		c->next = NULL;
		*tail = c;
		tail = &c->next;
		copy->n++;
	}
	return copy;
}

static int store_author(ev *e, const st_user *p)
{
	if (!p->id || store_user(e->s, &e->look, p->id))
		return 0;
	return store_upsert_user(e->s, p) == ST_ERROR ? -1 : 0;
}

enum { UPSERT_BAD = 100 };

/* &amp; &lt; &gt; decoded: the only entities mrkdwn has. */
static const char *decoded(ev *e, const char *s, size_t n)
{
	buf_t b = BUF_INIT;
	static const char *const ent[][2] = {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}};
	for (size_t i = 0; i < n;) {
		size_t k = 0;
		while (k < 3 && (n - i < strlen(ent[k][0]) || memcmp(s + i, ent[k][0], strlen(ent[k][0])) != 0))
			k++;
		if (k < 3) {
			buf_puts(&b, ent[k][1]);
			i += strlen(ent[k][0]);
		} else {
			buf_putc(&b, s[i++]);
		}
	}
	const char *r = arena_strndup(&e->a, buf_str(&b), b.len);
	buf_free(&b);
	return r;
}

/* The labels of links to conversations in a message's text (<#C123|name>,
 * written by Slack with the name as of the message) name stubs. */
static int channel_labels(ev *e, const char *text, const char *ts)
{
	for (const char *p = text ? strstr(text, "<#") : NULL; p; p = strstr(p + 2, "<#")) {
		size_t idlen = strspn(p + 2, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
		if (!idlen || p[2 + idlen] != '|')
			continue;
		const char *label = p + 2 + idlen + 1;
		size_t n = strcspn(label, "<>\n");
		if (!n || label[n] != '>')
			continue;
		const char *id = arena_strndup(&e->a, p + 2, idlen);
		buf_t key = BUF_INIT;
		buf_printf(&key, ORDER_CHANNEL_KEY, id, "label");
		int r = order_take(e->s, buf_str(&key), ts, decoded(e, label, n));
		buf_free(&key);
		if (r < 0 || (r > 0 && stub_write(e, id, false) < 0))
			return -1;
	}
	return 0;
}

/* Upsert one message object, a copy as of seen; listed: its reactions
 * are all it has (a Web API read), not unknown (an event's message,
 * unless it has them). edited: an edit time to use when the object has
 * none (a tombstone replacing its message). */
static int upsert(ev *e, const jv *o, const char *channel_id, const char *edited, const char *seen, bool listed)
{
	st_message m;
	st_user prof;
	const char *why;
	o = strip(e, o);
	if (norm_message(&e->a, o, NULL, 0, channel_id, &m, &prof, &why) != 0) {
		bad(e, why);
		return UPSERT_BAD;
	}
	if (!m.edited_ts && edited)
		m.edited_ts = edited;
	m.seen = seen;
	m.keep_reactions = !listed && !json_get(o, "reactions");
	if (store_author(e, &prof) != 0 || channel_labels(e, json_getstr(o, "text"), m.ts) != 0)
		return ST_ERROR;
	buf_reset(&e->plain);
	render_message_text(&e->plain, &e->rctx, o);
	arena_reset(&e->look);
	m.plain = buf_str(&e->plain);
	m.plainlen = e->plain.len;
	int rc = store_upsert_message(e->s, &m);
	if (rc == ST_INSERTED || rc == ST_UPDATED)
		e->n.messages++;
	return rc;
}

int ev_message(ev *e, const jv *o, const char *channel_id, const char *where)
{
	e->where = where;
	arena_reset(&e->a);
	if (channel_exists(e, channel_id, NULL) != 0)
		return ST_ERROR;
	/* what the Web API says is the message as of now */
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	char seen[32];
	snprintf(seen, sizeof seen, "%010lld.%06ld", (long long)now.tv_sec, now.tv_nsec / 1000);
	int rc = upsert(e, o, channel_id, NULL, seen, true);
	if (rc != ST_ERROR && rerender(e) != 0)
		rc = ST_ERROR;
	if (rc == ST_ERROR)
		failed(e, "storing a message");
	return rc == UPSERT_BAD ? ST_REFUSED : rc;
}

static int on_deleted(ev *e, const char *channel, const jv *event)
{
	const char *d = json_getscalar(event, "deleted_ts");
	if (!d)
		d = json_getscalar(json_get(event, "previous_message"), "ts");
	char ts[TS_LEN + 1];
	if (!d || !ts_canon(d, ts))
		return bad(e, "message_deleted without deleted_ts");
	buf_t key = BUF_INIT;
	buf_printf(&key, "ev:del:%s:%s", channel, ts);
	int rc = store_set_setting(e->s, buf_str(&key), e->time);
	buf_free(&key);
	if (rc != 0 || store_delete_message(e->s, channel, ts) != 0)
		return failed(e, "deleting a message");
	e->n.deleted++;
	return EV_APPLIED;
}

static int on_message(ev *e, const jv *event)
{
	const char *channel = json_getstr(event, "channel");
	const char *subtype = json_getstr(event, "subtype");
	if (!channel || !*channel)
		return bad(e, "message event without a channel");
	if (channel_exists(e, channel, json_getstr(event, "channel_type")) != 0)
		return EV_FAILED;
	const jv *o = event;
	const char *edited = NULL;
	if (subtype && strcmp(subtype, "message_deleted") == 0)
		return on_deleted(e, channel, event);
	if (subtype && (strcmp(subtype, "message_changed") == 0 || strcmp(subtype, "message_replied") == 0)) {
		o = json_get(event, "message");
		if (!json_is(o, JV_OBJ))
			return bad(e, "message_changed without a message");
		const char *inner = json_getstr(o, "subtype");
		if (inner && strcmp(inner, "tombstone") == 0)
			edited = e->time;
		subtype = inner;
	} else if (json_getbool(event, "hidden")) {
		e->n.skipped++;
		return EV_SKIPPED;
	}
	int rc = upsert(e, o, channel, edited, e->time, false);
	if (rc == ST_ERROR)
		return failed(e, "storing a message");
	if (rc == UPSERT_BAD)
		return EV_BAD;
	char ts[TS_LEN + 1];
	if (subtype && ts_canon(json_getscalar(o, "ts"), ts))
		return channel_subtype(e, channel, subtype, o, ts);
	return EV_APPLIED;
}

/* ---- reactions, users, emoji, members ------------------------------------ */

static int on_reaction(ev *e, const jv *event, bool add)
{
	const jv *item = json_get(event, "item");
	const char *itype = json_getstr(item, "type");
	if (itype && strcmp(itype, "message") != 0) {
		e->n.skipped++;
		return EV_SKIPPED;
	}
	const char *ch = json_getstr(item, "channel"), *name = json_getstr(event, "reaction");
	const char *user = json_getstr(event, "user");
	char ts[TS_LEN + 1];
	if (!ch || !*ch || !name || !*name || !user || !*user || !ts_canon(json_getscalar(item, "ts"), ts))
		return bad(e, "reaction event without item.channel, item.ts, reaction or user");
	buf_t key = BUF_INIT;
	buf_printf(&key, "ev:del:%s:%s", ch, ts);
	bool deleted = store_get_setting(e->s, &e->a, buf_str(&key)) != NULL;
	buf_free(&key);
	if (deleted)
		return EV_APPLIED;
	/* ordered by the store: see store_reaction_event */
	int rc = store_reaction_event(e->s, ch, ts, name, user, add, e->time);
	if (rc < 0)
		return failed(e, "storing a reaction");
	if (rc > 0)
		e->n.older++;
	else
		e->n.reactions++;
	return EV_APPLIED;
}

int ev_user(ev *e, const jv *o, const char *where)
{
	e->where = where;
	st_user u;
	if (norm_user(&e->a, o, NULL, 0, &u) != 0)
		return bad(e, "user without an id");
	char t[TS_LEN + 1];
	if (!order_time(json_getscalar(o, "updated"), t))
		memcpy(t, e->time, sizeof t);
	int r = take(e, t, "", "ev:user:%s", u.id);
	if (r <= 0)
		return r < 0 ? failed(e, "recording a change") : EV_APPLIED;
	if (store_upsert_user(e->s, &u) == ST_ERROR || rerender(e) != 0)
		return failed(e, "storing a user");
	e->n.users++;
	return EV_APPLIED;
}

static int emoji_set(ev *e, const char *name, const char *value)
{
	if (!name || !*name)
		return EV_APPLIED;
	int r = take(e, e->time, value ? "+" : "-", "ev:emoji:%s", name);
	if (r <= 0)
		return r < 0 ? failed(e, "recording a change") : EV_APPLIED;
	int rc = value ? store_upsert_emoji(e->s, name, value) : store_delete_emoji(e->s, name);
	if (rc == ST_ERROR)
		return failed(e, "storing an emoji");
	e->n.emoji++;
	return EV_APPLIED;
}

static int on_emoji(ev *e, const jv *event)
{
	const char *sub = json_getstr(event, "subtype");
	if (sub && strcmp(sub, "add") == 0 && json_getstr(event, "value"))
		return emoji_set(e, json_getstr(event, "name"), json_getstr(event, "value"));
	if (sub && strcmp(sub, "remove") == 0) {
		int rc = EV_APPLIED;
		json_foreach(n, json_arr(event, "names"))
			if (rc == EV_APPLIED)
				rc = emoji_set(e, json_str(n), NULL);
		return rc;
	}
	if (sub && strcmp(sub, "rename") == 0 && json_getstr(event, "value")) {
		int rc = emoji_set(e, json_getstr(event, "old_name"), NULL);
		return rc == EV_APPLIED ? emoji_set(e, json_getstr(event, "new_name"), json_getstr(event, "value")) : rc;
	}
	return bad(e, "emoji_changed without a known subtype and its fields");
}

static int on_member(ev *e, const jv *event, bool joined)
{
	const char *ch = json_getstr(event, "channel"), *user = json_getstr(event, "user");
	if (!ch || !*ch || !user || !*user)
		return bad(e, "membership event without channel or user");
	int r = take(e, e->time, joined ? "joined" : "left", "ev:member:%s:%s", ch, user);
	if (r < 0)
		return failed(e, "recording a membership");
	e->n.members += r;
	/* "G": a private channel (or group DM); "C" tells nothing */
	const char *type = json_getstr(event, "channel_type");
	return type && strcmp(type, "G") == 0 ? channel_told(e, ch, CH_PRIVATE, e->time, false) : EV_APPLIED;
}

/* ---- dispatch ------------------------------------------------------------ */

static bool is(const char *type, const char *a, const char *b)
{
	return strcmp(type, a) == 0 || (b && strcmp(type, b) == 0);
}

static int dispatch(ev *e, const jv *event, const char *type)
{
	if (strcmp(type, "message") == 0)
		return on_message(e, event);
	if (is(type, "reaction_added", "reaction_removed"))
		return on_reaction(e, event, type[9] == 'a');
	if (is(type, "channel_created", "channel_rename") || is(type, "channel_archive", "channel_unarchive"))
		return on_channel(e, event, type, CH_PUBLIC);
	if (is(type, "group_rename", NULL) || is(type, "group_archive", "group_unarchive"))
		return on_channel(e, event, type, CH_PRIVATE);
	if (is(type, "member_joined_channel", "member_left_channel"))
		return on_member(e, event, type[7] == 'j');
	if (is(type, "user_change", "team_join")) {
		const jv *u = json_get(event, "user");
		return json_is(u, JV_OBJ) ? ev_user(e, u, e->where) : bad(e, "user event without a user object");
	}
	if (strcmp(type, "emoji_changed") == 0)
		return on_emoji(e, event);
	e->n.skipped++;
	return EV_SKIPPED;
}

static int apply_root(ev *e, const jv *root, const char *where)
{
	e->where = where;
	e->n.events++;
	if (!json_is(root, JV_OBJ))
		return bad(e, "not a JSON object");
	const char *id;
	int64_t etime;
	const jv *event = ev_unwrap(root, &id, &etime);
	if (!event)
		return bad(e, "envelope without an event");
	const char *type = json_getstr(event, "type");
	if (!type || !*type)
		return bad(e, "event without a type");
	event_time(e, event, etime);
	int rc = dispatch(e, event, type);
	if (rc != EV_FAILED && rerender(e) != 0)
		rc = failed(e, "indexing messages again");
	return rc;
}

int ev_apply_text(ev *e, const char *text, size_t len, const char *where)
{
	json_err err;
	json_stats st = {0};
	arena_reset(&e->a);
	const jv *root = json_parse(&e->a, text, len, &err, &st);
	if (!root) {
		e->where = where;
		e->n.events++;
		char what[200];
		snprintf(what, sizeof what, "invalid JSON at column %zu: %s", err.col, err.msg);
		return bad(e, what);
	}
	return apply_root(e, root, where);
}

int ev_apply(ev *e, const jv *root, const char *where)
{
	arena_reset(&e->a);
	return apply_root(e, root, where);
}

/* users.json / channels.json beside event logs. */
int ev_snapshot(ev *e, const char *data, size_t len, int which, const char *where)
{
	json_err err;
	json_stats st = {0};
	arena_t tree = {0};
	e->where = where;
	const jv *root = json_parse(&tree, data, len, &err, &st);
	if (!root) {
		char what[200];
		snprintf(what, sizeof what, "invalid JSON at %zu:%zu: %s", err.line, err.col, err.msg);
		arena_free(&tree);
		return bad(e, what);
	}
	const jv *arr = root;
	if (json_is(root, JV_OBJ))
		arr = json_arr(root, which == EV_SNAP_USERS ? "members" : "channels");
	if (!json_is(arr, JV_ARR)) {
		arena_free(&tree);
		return bad(e, which == EV_SNAP_USERS ? "not a users list (an array, or {\"members\": [...]})"
						     : "not a conversations list (an array, or {\"channels\": [...]})");
	}
	int rc = EV_APPLIED;
	order_time_int(0, e->time);
	json_foreach(it, arr) {
		arena_reset(&e->a);
		int r = which == EV_SNAP_USERS ? ev_user(e, it, where) : ev_channel(e, it, CH_PUBLIC, where);
		if (r == EV_FAILED) {
			rc = EV_FAILED;
			break;
		}
	}
	arena_free(&tree);
	return rc;
}
