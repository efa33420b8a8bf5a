/* ui-render.c: the render context pages hand to render.h. It answers the
 * renderer's questions (a user's name, a channel's name, a custom emoji,
 * the archive's copy of a Slack permalink) from the store, through the
 * visibility rules: an unpublished channel is never named or linked.
 *
 * Answers are memoised per page in a small hash table in the page's arena:
 * a busy day page mentions the same few people hundreds of times. */
#include "pages/ui.h"
#include "lib/ts.h"
#include <stdint.h>
#include <string.h>

enum { MEMO_SLOTS = 512 };

typedef struct memo {
	const char *key[MEMO_SLOTS];   /* "u:ID", "c:ID", "e:name" */
	const void *val[MEMO_SLOTS];
	int used;
} memo;

static memo *memo_of(page *p)
{
	if (!p->memo)
		p->memo = arena_zalloc(&p->a, sizeof(memo));
	return p->memo;
}

static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* Look up kind:id; on a miss ask fn and remember the answer (NULL too). */
static const void *memoised(page *p, char kind, const char *id,
			    const void *(*fn)(page *, const char *))
{
	if (!id)
		return NULL;
	memo *m = memo_of(p);
	size_t n = strlen(id);
	char *key = arena_alloc(&p->a, n + 3);
	key[0] = kind;
	key[1] = ':';
	memcpy(key + 2, id, n + 1);
	uint32_t i = hash(key) % MEMO_SLOTS;
	for (int probe = 0; probe < 8; probe++, i = (i + 1) % MEMO_SLOTS) {
		if (!m->key[i])
			break;
		if (strcmp(m->key[i], key) == 0)
			return m->val[i];
	}
	const void *v = fn(p, id);
	if (!m->key[i] && m->used < MEMO_SLOTS / 2) {
		m->key[i] = key;
		m->val[i] = v;
		m->used++;
	}
	return v;
}

static const void *ask_user(page *p, const char *id)
{
	return ui_person(p, id);
}

static const void *ask_channel(page *p, const char *id)
{
	const st_channel *c = site_channel_by_id(p, id);
	return c ? c->name : NULL;
}

static const void *ask_emoji(page *p, const char *name)
{
	return store_emoji(p->st, &p->a, name);
}

const st_user *ui_user(page *p, const char *id)
{
	return memoised(p, 'u', id, ask_user);
}

bool ui_user_hidden(page *p, const char *id)
{
	return id && (strcmp(id, ST_ERASED_ID) == 0 || store_is_opted_out(p->st, id));
}

static bool cb_user_page(void *ud, const char *id)
{
	return ui_has_page(ud, id);
}

static const char *cb_user(void *ud, const char *id)
{
	const st_user *u = ui_user(ud, id);
	return u ? u->shown : NULL;
}

static const char *cb_channel(void *ud, const char *id)
{
	return memoised(ud, 'c', id, ask_channel);
}

static const char *cb_emoji(void *ud, const char *name)
{
	return memoised(ud, 'e', name, ask_emoji);
}

/* The archive's page for a message: its (parent's) day page, at its
 * anchor. Only for messages the archive has in a visible channel. */
bool ui_message_url(page *p, const char *channel_id, const char *ts, buf_t *out)
{
	char canon[TS_LEN + 1];
	if (!ts || !ts_canon(ts, canon) || !site_channel_by_id(p, channel_id))
		return false;
	return ui_message_url_of(p, store_message(p->st, &p->a, channel_id, canon), out);
}

bool ui_message_url_of(page *p, const st_message *m, buf_t *out)
{
	const st_channel *c = m ? site_channel_by_id(p, m->channel_id) : NULL;
	if (!c || m->hidden)
		return false;
	link_day(p, out, c->path, m->page_day ? m->page_day : m->day);
	buf_putc(out, '#');
	link_anchor(out, m->ts);
	return true;
}

static bool cb_permalink(void *ud, const char *channel_id, const char *ts, const char *thread_ts, buf_t *out)
{
	page *p = ud;
	if (ui_message_url(p, channel_id, ts, out))
		return true;
	/* a reply the archive lacks: its thread is the next best thing */
	return thread_ts && ui_message_url(p, channel_id, thread_ts, out);
}

void ui_render_ctx(page *p)
{
	p->rc.ud = p;
	p->rc.user_name = cb_user;
	p->rc.user_page = cb_user_page;
	p->rc.channel_name = cb_channel;
	p->rc.custom_emoji = cb_emoji;
	p->rc.permalink = cb_permalink;
	p->rc.base = p->prefix;
	p->rc.remote_images = p->conf->remote_avatars;
}
