/* ui-memo.c: what a build would render twice.
 *
 * A channel-day's messages are shown by its day page and again by its API
 * document and the documents of its threads (body HTML, plain text,
 * author's name). A build takes them together in one thread (the walk
 * lists them in a row, cmd-build.c hands them out as a group), so what the
 * first renders of each message is kept for the others, per thread, for
 * as long as the pages are of the same channel-day and data version. Only
 * while the site is pinned (a build): a server is rarely asked for such
 * pairs, and keeping would cost every page a copy.
 *
 * A message is known by its ts and the length of its stored JSON (the
 * version names the archive's state; the length catches an edit written
 * while a build runs). What it keeps depends on nothing but the message and
 * the site's state: the renderer's output does not depend on the page. */
#include "pages/ui.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct memo_ent {
	const char *ts;               /* a free slot: NULL, or gen is not the memo's */
	unsigned gen;
	size_t rawlen;
	const char *part[2];          /* the body: HTML, plain text */
	size_t len[2];
	const char *author;
} memo_ent;

typedef struct ui_memo {
	arena_t a;
	uint64_t version;
	char *key;                    /* channel ID, NUL, day (arena) */
	memo_ent *slot;
	size_t cap, used;
	unsigned gen;                 /* of the slots in use: a new channel-day
				       * empties the table by counting on */
	st_message *day;              /* store_day_messages' list, when read */
	size_t nday;
	bool have_day;
} ui_memo;

void ui_memo_free(void *memo)
{
	ui_memo *m = memo;
	if (!m)
		return;
	arena_free(&m->a);
	free(m->slot);
	free(m);
}

static bool same_key(const ui_memo *m, const char *channel_id, const char *day)
{
	return m->key && strcmp(m->key, channel_id) == 0 && strcmp(m->key + strlen(m->key) + 1, day) == 0;
}

void ui_memo_open(page *p, const char *channel_id, const char *day)
{
	p->memo_day = NULL;
	void **slot = site_thread_memo(p);
	if (!slot)
		return;
	ui_memo *m = *slot;
	if (!m)
		m = *slot = xcalloc(1, sizeof *m);
	if (m->version != p->version || !same_key(m, channel_id, day)) {
		arena_reset(&m->a);
		if (++m->gen == 0) {          /* once in 2^32: the old ones could match */
			if (m->slot)
				memset(m->slot, 0, m->cap * sizeof *m->slot);
			m->gen = 1;
		}
		m->used = 0;
		m->day = NULL;
		m->nday = 0;
		m->have_day = false;
		m->version = p->version;
		size_t cn = strlen(channel_id), dn = strlen(day);
		m->key = arena_alloc(&m->a, cn + dn + 2);
		memcpy(m->key, channel_id, cn + 1);
		memcpy(m->key + cn + 1, day, dn + 1);
	}
	p->memo_day = m;
}

int ui_day_messages(page *p, const st_channel *c, const char *day, st_message **out, size_t *n)
{
	ui_memo_open(p, c->id, day);
	ui_memo *m = p->memo_day;
	if (!m)
		return store_day_messages(p->st, &p->a, c->id, day, false, out, n);
	if (!m->have_day) {
		if (store_day_messages(p->st, &m->a, c->id, day, false, &m->day, &m->nday) < 0)
			return -1;
		m->have_day = true;
	}
	/* the caller's own array (a page sorts it); the messages' strings
	 * stay in the memo's arena, as long as this page runs */
	*n = m->nday;
	*out = m->nday ? arena_alloc(&p->a, m->nday * sizeof **out) : NULL;
	if (m->nday)
		memcpy(*out, m->day, m->nday * sizeof **out);
	return 0;
}

/* A thread whose start the kept day list holds: its start, then its
 * replies in ts order, as store_thread gives them. Every reply is on its
 * start's page (page_day), so the list has them all; the hidden ones
 * (joins) it lacks are left out of every document anyway. */
static int by_ts_key(const void *key, const void *e)
{
	return strcmp(key, ((const st_message *)e)->ts);
}

static bool kept_thread(page *p, const ui_memo *m, const char *ts, st_message **out, size_t *n)
{
	size_t k = 0;
	const char *day = m->key + strlen(m->key) + 1;
	/* the list is in ts order (store_day_messages) */
	const st_message *start = m->nday ? bsearch(ts, m->day, m->nday, sizeof *m->day, by_ts_key) : NULL;
	if (!start || !start->page_day || strcmp(start->page_day, day) != 0 ||
	    (start->thread_ts && strcmp(start->thread_ts, ts) != 0))
		return false;
	st_message *v = arena_alloc(&p->a, (m->nday + 1) * sizeof *v);
	v[k++] = *start;
	for (size_t i = 0; i < m->nday; i++)
		if (&m->day[i] != start && m->day[i].thread_ts && strcmp(m->day[i].thread_ts, ts) == 0)
			v[k++] = m->day[i];
	*out = v;
	*n = k;
	return true;
}

int ui_thread_messages(page *p, const st_channel *c, const char *ts, st_message **out, size_t *n)
{
	void **slot = site_thread_memo(p);
	ui_memo *m = slot ? *slot : NULL;
	if (m && m->version == p->version && m->have_day && strcmp(m->key, c->id) == 0 &&
	    kept_thread(p, m, ts, out, n)) {
		p->memo_day = m;
		return 0;
	}
	if (store_thread(p->st, &p->a, c->id, ts, out, n) < 0)
		return -1;
	if (*n && (*out)[0].page_day)
		ui_memo_open(p, c->id, (*out)[0].page_day);   /* its day page's messages */
	return 0;
}

static size_t hash_ts(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return (size_t)(h ^ (h >> 29));
}

static bool in_use(const ui_memo *m, const memo_ent *e)
{
	return e->ts && e->gen == m->gen;
}

static void grow(ui_memo *m)
{
	size_t cap = m->cap ? m->cap * 2 : 512;
	memo_ent *v = xcalloc(cap, sizeof *v);
	for (size_t i = 0; i < m->cap; i++) {
		if (!in_use(m, &m->slot[i]))
			continue;
		size_t k = hash_ts(m->slot[i].ts) & (cap - 1);
		while (v[k].ts)
			k = (k + 1) & (cap - 1);
		v[k] = m->slot[i];
	}
	free(m->slot);
	m->slot = v;
	m->cap = cap;
}

/* The entry of a message (made if missing), or NULL: no memo on this
 * page, or a message it does not keep (withheld, or without JSON). */
static memo_ent *entry(page *p, const st_message *m)
{
	ui_memo *mm = p->memo_day;
	if (!mm || m->withheld || !m->raw || !m->ts)
		return NULL;
	if ((mm->used + 1) * 2 > mm->cap)
		grow(mm);
	size_t k = hash_ts(m->ts) & (mm->cap - 1);
	while (in_use(mm, &mm->slot[k]) && strcmp(mm->slot[k].ts, m->ts) != 0)
		k = (k + 1) & (mm->cap - 1);
	memo_ent *e = &mm->slot[k];
	bool used = in_use(mm, e);
	if (used && e->rawlen == m->rawlen)
		return e;
	if (!used)
		mm->used++;
	*e = (memo_ent){.ts = arena_strndup(&mm->a, m->ts, strlen(m->ts)), .gen = mm->gen, .rawlen = m->rawlen};
	return e;
}

static const char *keep(page *p, const char *s, size_t n)
{
	return n ? arena_strndup(&((ui_memo *)p->memo_day)->a, s, n) : "";
}

/* The body as HTML (text false) or plain text, appended to out. */
static void rendered(page *p, const st_message *m, buf_t *out, bool text)
{
	memo_ent *e = entry(p, m);
	if (e && e->part[text]) {
		buf_put(out, e->part[text], e->len[text]);
		return;
	}
	size_t at = out->len;
	const jv *j = ui_message_json(p, m);
	if (j)
		(text ? render_message_text : render_message_html)(out, &p->rc, j);
	else if (m->text)
		(text ? render_mrkdwn_text : render_mrkdwn_html)(out, &p->rc, m->text, strlen(m->text));
	if (e) {
		e->len[text] = out->len - at;   /* out->p is NULL when nothing was ever written */
		e->part[text] = keep(p, e->len[text] ? out->p + at : NULL, e->len[text]);
	}
}

void ui_message_html(page *p, const st_message *m, buf_t *out)
{
	rendered(p, m, out, false);
}

void ui_message_plain(page *p, const st_message *m, buf_t *out)
{
	rendered(p, m, out, true);
}

const char *ui_author_name(page *p, const st_message *m)
{
	memo_ent *e = entry(p, m);
	if (e && e->author)
		return e->author;
	const char *name = ui_message_author(p, m);
	if (e)
		e->author = keep(p, name, strlen(name));
	return name;
}

void ui_memo_fill(page *p, const st_message *m, const char *author)
{
	memo_ent *e = entry(p, m);
	if (!e)
		return;
	if (!e->part[1]) {
		buf_t t = BUF_INIT;
		ui_message_plain(p, m, &t);
		buf_free(&t);
	}
	if (!e->author)
		e->author = keep(p, author, strlen(author));
}
