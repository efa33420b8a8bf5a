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

static const char *channel_name(void *ud, const char *id)
{
	ev *e = ud;
	const st_channel *c = store_channel_by_id(e->s, &e->look, id);
	return c ? c->name : NULL;
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

/* ---- conversations ------------------------------------------------------- */

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

/* The stored record of a conversation, or a new one named after its ID.
 * *stub: known only from events (no conversation object seen). */
static st_channel channel_record(ev *e, const char *id, channel_kind kind, bool *stub)
{
	const st_channel *have = store_channel_by_id(e->s, &e->a, id);
	st_channel c = {.id = id, .name = id, .kind = kind};
	if (have)
		c = *have;
	*stub = !have || !have->raw;
	return c;
}

/* What an event says a conversation known only from events is (its
 * channel_type, or the kind of its channel_* / group_* event) is a change
 * like the others: the kind told by the latest event is kept, whatever the
 * order the events are read in. 1 when kind is now the one to keep, 0
 * when a later event told another, -1 on a store error. */
static int told_kind(ev *e, const char *id, channel_kind kind, const char *time)
{
	return take(e, time, channel_kind_name(kind), ORDER_CHANNEL_KEY, id, "kind");
}

/* A message's conversation exists (unknown ones are made private and
 * unpublished unless the event says what they are). Ones with a full
 * record are remembered; the others are looked up again, so a later event
 * that tells the kind can still set it. */
static int channel_exists(ev *e, const char *id, const char *channel_type)
{
	if (names_has(&e->channels, id))
		return 0;
	const st_channel *have = store_channel_by_id(e->s, &e->a, id);
	channel_kind kind = kind_of_type(channel_type, id[0] == 'D' ? CH_DM : CH_PRIVATE);
	int told = channel_type && !(have && have->raw) ? told_kind(e, id, kind, e->time) : 0;
	if (told < 0)
		return failed(e, "recording a change");
	int rc = ST_UNCHANGED;
	if (!have) {
		st_channel c = {.id = id, .name = id, .kind = kind};
		rc = store_upsert_channel(e->s, &c);
	} else if (!have->raw && told > 0 && have->kind != kind) {
		st_channel c = *have;
		c.kind = kind;
		rc = store_upsert_channel(e->s, &c);
	}
	if (rc == ST_ERROR)
		return failed(e, "storing a conversation");
	if (have && have->raw)
		names_put(&e->channels, id, NULL);
	return 0;
}

enum { F_NAME, F_TOPIC, F_PURPOSE, F_ARCHIVED };
static const char *const field_names[] = {"name", "topic", "purpose", "archived"};

/* One attribute of a conversation changed at time. kind < 0 keeps the
 * stored kind; otherwise it is what the event says the conversation is
 * (applied to conversations known only from events). */
static int channel_change(ev *e, const char *id, int kind, int field, const char *value, const char *time)
{
	int r = take(e, time, value ? value : "", ORDER_CHANNEL_KEY, id, field_names[field]);
	if (r <= 0)
		return r < 0 ? failed(e, "recording a change") : EV_APPLIED;
	bool stub;
	st_channel c = channel_record(e, id, kind < 0 ? CH_PRIVATE : (channel_kind)kind, &stub);
	if (stub && kind >= 0) {
		int told = told_kind(e, id, (channel_kind)kind, time);
		if (told < 0)
			return failed(e, "recording a change");
		if (told > 0)
			c.kind = (channel_kind)kind;
	}
	switch (field) {
	case F_NAME: c.name = value && *value ? value : id; break;
	case F_TOPIC: c.topic = value && *value ? value : NULL; break;
	case F_PURPOSE: c.purpose = value && *value ? value : NULL; break;
	case F_ARCHIVED: c.archived = value && value[0] == '1'; break;
	}
	if (store_upsert_channel(e->s, &c) == ST_ERROR)
		return failed(e, "storing a conversation");
	if (!stub)
		names_put(&e->channels, id, NULL);
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
	if (strcmp(what, "archive") == 0 || strcmp(what, "unarchive") == 0)
		return channel_change(e, id, -1, F_ARCHIVED, what[0] == 'a' ? "1" : "0", e->time);
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
		st_channel c = channel_record(e, id, kind, &stub);
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
	return EV_APPLIED;
}

int ev_channel(ev *e, const jv *o, channel_kind kind, const char *where)
{
	e->where = where;
	if (json_getbool(o, "is_im"))
		kind = CH_DM;
	else if (json_getbool(o, "is_mpim"))
		kind = CH_MPIM;
	else if (kind == CH_PUBLIC && (json_getbool(o, "is_private") || json_getbool(o, "is_group")))
		kind = CH_PRIVATE;
	st_channel c;
	if (norm_channel(&e->a, o, NULL, 0, kind, &c) != 0)
		return bad(e, "conversation without an id");
	if (!c.name)
		c.name = kind == CH_DM ? json_getstr(o, "user") : c.id;
	bool stub;
	st_channel have = channel_record(e, c.id, kind, &stub);
	if (stub) {
		/* the first full record; fields that events changed stay */
		if (have.name && strcmp(have.name, have.id) != 0)
			c.name = have.name;
		if (store_upsert_channel(e->s, &c) == ST_ERROR)
			return failed(e, "storing a conversation");
		e->n.channels++;
	}
	names_put(&e->channels, c.id, NULL);
	char t[TS_LEN + 1];
	if (!order_time(json_getscalar(o, "updated"), t))
		order_time_int(c.created, t);
	int rc = channel_change(e, c.id, -1, F_NAME, c.name, t);
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

/* Upsert one message object; edited: an edit time to use when the object
 * has none (a tombstone replacing its message). */
static int upsert(ev *e, const jv *o, const char *channel_id, const char *edited)
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
	if (!json_get(o, "reactions")) {
		const st_message *have = store_message(e->s, &e->a, channel_id, m.ts);
		if (have) {
			m.reactions = have->reactions;
			m.nreactions = have->nreactions;
		}
	}
	if (store_author(e, &prof) != 0)
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
	int rc = upsert(e, o, channel_id, NULL);
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
	int rc = upsert(e, o, channel, edited);
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
	int r = take(e, e->time, add ? "+" : "-", "ev:re:%s:%s:%s:%s", ch, ts, name, user);
	if (r <= 0)
		return r < 0 ? failed(e, "recording a reaction") : EV_APPLIED;
	buf_t key = BUF_INIT;
	buf_printf(&key, "ev:del:%s:%s", ch, ts);
	bool deleted = store_get_setting(e->s, &e->a, buf_str(&key)) != NULL;
	buf_free(&key);
	if (deleted)
		return EV_APPLIED;
	int rc = add ? store_reaction_add(e->s, ch, ts, name, user) : store_reaction_remove(e->s, ch, ts, name, user);
	if (rc != 0)
		return failed(e, "storing a reaction");
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
	return EV_APPLIED;
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
