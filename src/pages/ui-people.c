/* ui-people.c: people and bots, remembered across pages by each thread.
 *
 * A day page names a hundred or more people (authors, mentions, who
 * reacted): asking the store for each costs a query, a copy of the user's
 * whole JSON and a moderation check, a seventh of the page; whether they
 * have a page to link to, two more queries. The answers
 * only change when the archive does, so each thread keeps them in a hash
 * table until the data version (page.version) changes; then the table is
 * emptied and refills as pages ask. Only what pages show is kept (no raw
 * JSON), so a thread holds at most a few hundred bytes per person.
 *
 * Threads own their table (no locks); it is freed when the thread ends. */
#include "pages/ui.h"
#include "lib/arena.h"
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct slot {
	const char *key;             /* "u:ID", "p:ID" or "b:CHANNEL:ID" */
	const void *val;             /* st_user *, "" (has a page), bot name, or NULL (none) */
} slot;

typedef struct people {
	uint64_t version;
	arena_t a;
	slot *s;
	size_t n, cap;               /* cap: a power of two */
} people;

static pthread_key_t key;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void people_free(void *v)
{
	people *pp = v;
	if (!pp)
		return;
	arena_free(&pp->a);
	free(pp->s);
	free(pp);
}

static void make_key(void)
{
	pthread_key_create(&key, people_free);
}

static people *mine(page *p)
{
	pthread_once(&once, make_key);
	people *pp = pthread_getspecific(key);
	if (!pp) {
		pp = xcalloc(1, sizeof *pp);
		pp->version = p->version;
		pthread_setspecific(key, pp);
	}
	if (pp->version != p->version) {
		arena_reset(&pp->a);
		free(pp->s);
		pp->s = NULL;
		pp->n = pp->cap = 0;
		pp->version = p->version;
	}
	return pp;
}

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static slot *find(people *pp, const char *k)
{
	size_t i = (size_t)hash(k) & (pp->cap - 1);
	while (pp->s[i].key && strcmp(pp->s[i].key, k) != 0)
		i = (i + 1) & (pp->cap - 1);
	return &pp->s[i];
}

static void grow(people *pp)
{
	slot *old = pp->s;
	size_t ocap = pp->cap;
	pp->cap = ocap ? 2 * ocap : 256;
	pp->s = xcalloc(pp->cap, sizeof *pp->s);
	for (size_t i = 0; i < ocap; i++)
		if (old[i].key)
			*find(pp, old[i].key) = old[i];
	free(old);
}

/* The slot for k: filled (key set) or empty, with room to fill it. */
static slot *lookup(people *pp, const char *k, bool *hit)
{
	if (2 * (pp->n + 1) > pp->cap)
		grow(pp);
	slot *s = find(pp, k);
	*hit = s->key != NULL;
	return s;
}

/* Is an answer for k kept? If so, *val is it. */
static bool kept(people *pp, const char *k, const void **val)
{
	bool hit;
	slot *s = lookup(pp, k, &hit);
	if (hit)
		*val = s->val;
	return hit;
}

/* Keep val as the answer for k (looked up again: working it out may have
 * filled the table, as ui_bot_name's ui_person does). */
static void remember(people *pp, const char *k, const void *val)
{
	bool hit;
	slot *s = lookup(pp, k, &hit);
	s->key = arena_strndup(&pp->a, k, strlen(k));
	s->val = val;
	pp->n++;
}

static const char *keep(people *pp, const char *s)
{
	return s ? arena_strndup(&pp->a, s, strlen(s)) : NULL;
}

/* A copy of what pages show of a person; shown points into the copy. */
static const st_user *copy_user(people *pp, const st_user *u)
{
	st_user *c = arena_zalloc(&pp->a, sizeof *c);
	c->id = keep(pp, u->id);
	c->name = keep(pp, u->name);
	c->real_name = keep(pp, u->real_name);
	c->display_name = keep(pp, u->display_name);
	c->title = keep(pp, u->title);
	c->avatar = keep(pp, u->avatar);
	c->tz = keep(pp, u->tz);
	c->deleted = u->deleted;
	c->is_bot = u->is_bot;
	c->shown = u->shown == u->display_name   ? c->display_name
		   : u->shown == u->real_name    ? c->real_name
		   : u->shown == u->name         ? c->name
		   : u->shown == u->id           ? c->id
					         : keep(pp, u->shown);
	return c;
}

const st_user *ui_person(page *p, const char *id)
{
	if (!id)
		return NULL;
	people *pp = mine(p);
	buf_t k = BUF_INIT;
	buf_printf(&k, "u:%s", id);
	const void *v;
	if (!kept(pp, buf_str(&k), &v)) {
		arena_t tmp = {0};
		const st_user *u = store_user(p->st, &tmp, id);
		remember(pp, buf_str(&k), v = u ? copy_user(pp, u) : NULL);
		arena_free(&tmp);
	}
	buf_free(&k);
	return v;
}

/* Does the person have a page (/user.ID/)? Kept as "p:ID", a person
 * being named on a page many times. */
bool ui_has_page(page *p, const char *id)
{
	if (!id || ui_user_hidden(p, id))
		return false;
	people *pp = mine(p);
	buf_t k = BUF_INIT;
	buf_printf(&k, "p:%s", id);
	const void *v;
	if (!kept(pp, buf_str(&k), &v))
		remember(pp, buf_str(&k), v = site_is_author(p, id) > 0 ? "" : NULL);
	buf_free(&k);
	return v != NULL;
}

/* "<https://x.slack.com/services/B123|name>" in a bot_add message's text:
 * the label of the link to this bot's page, unescaped (&amp; &lt; &gt;). */
static const char *label_in(people *pp, const char *text, const char *bot_id)
{
	buf_t pat = BUF_INIT, out = BUF_INIT;
	buf_printf(&pat, "/services/%s|", bot_id);
	const char *s = text ? strstr(text, buf_str(&pat)) : NULL, *name = NULL;
	if (s) {
		s += pat.len;
		const char *e = strchr(s, '>');
		while (e && s < e) {
			if (!strncmp(s, "&amp;", 5))
				buf_putc(&out, '&'), s += 5;
			else if (!strncmp(s, "&lt;", 4))
				buf_putc(&out, '<'), s += 4;
			else if (!strncmp(s, "&gt;", 4))
				buf_putc(&out, '>'), s += 4;
			else
				buf_putc(&out, *s++);
		}
		if (out.len)
			name = keep(pp, buf_str(&out));
	}
	buf_free(&pat);
	buf_free(&out);
	return name;
}

const char *ui_bot_name(page *p, const char *channel_id, const char *bot_id)
{
	if (!bot_id || !*bot_id)
		return NULL;
	people *pp = mine(p);
	buf_t k = BUF_INIT;
	buf_printf(&k, "b:%s:%s", channel_id ? channel_id : "", bot_id);
	const void *v;
	if (!kept(pp, buf_str(&k), &v)) {
		arena_t tmp = {0};
		const char *user_id = NULL, *text = NULL, *name = NULL;
		if (store_bot(p->st, &tmp, channel_id, bot_id, &user_id, &text) == 0) {
			const st_user *u = user_id ? ui_person(p, user_id) : NULL;
			name = u && u->shown && *u->shown ? keep(pp, u->shown) : label_in(pp, text, bot_id);
		}
		remember(pp, buf_str(&k), v = name);
		arena_free(&tmp);
	}
	buf_free(&k);
	return v;
}
