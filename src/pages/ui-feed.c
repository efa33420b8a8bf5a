/* ui-feed.c: Atom feeds (RFC 4287): "/feed.atom", the workspace's newest
 * messages, and "/{channel}/feed.atom", a channel's.
 *
 * An entry is one message: its id is a tag: URI made of the channel ID and
 * the ts, which never change (a rename or a new base_url does not make
 * readers see old messages again); its link is the message on its day
 * page; its content is the page's HTML for the body, escaped, so a reader
 * shows what the archive shows. "updated" is the edit time when edited. */
#include "pages/ui.h"
#include "render/html.h"
#include "lib/ts.h"
#include <stdlib.h>
#include <string.h>

enum { FEED_ENTRIES = 50, TITLE_MAX = 80 };

typedef struct entry {
	const st_channel *c;
	const char *ts;
} entry;

static int newest_first(const void *a, const void *b)
{
	const entry *x = a, *y = b;
	int c = strcmp(y->ts, x->ts);
	return c ? c : strcmp(x->c->id, y->c->id);
}

static int64_t updated(const st_message *m)
{
	int64_t t = ts_seconds(m->ts);
	if (m->edited_ts && ts_seconds(m->edited_ts) > t)
		t = ts_seconds(m->edited_ts);
	return t;
}

/* "tag:HOST,2005:" + what: the host of base_url, else "localhost". */
static void tag_id(page *p, buf_t *b, const char *what)
{
	const char *base = p->conf->base_url, *h = base ? strstr(base, "://") : NULL;
	buf_puts(b, "tag:");
	if (h) {
		h += 3;
		size_t n = strcspn(h, "/:");
		buf_t host = BUF_INIT;
		buf_put(&host, h, n);
		xml_txt(b, buf_str(&host));
		buf_free(&host);
	} else {
		buf_puts(b, "localhost");
	}
	buf_puts(b, ",2005:slacklog/");
	xml_txt(b, what);
}

static void write_entry(page *p, const st_channel *c, const st_message *m)
{
	buf_t *b = p->b, t = BUF_INIT;
	const char *author = ui_author_name(p, m);
	buf_puts(b, "<entry>\n<id>");
	buf_printf(&t, "%s/%s", c->id, m->ts);
	tag_id(p, b, buf_str(&t));
	buf_puts(b, "</id>\n<title type=\"text\">");
	buf_reset(&t);
	buf_printf(&t, "%s in #%s: ", author, c->name);
	ui_message_plain(p, m, &t);
	ui_trim_text(&t, TITLE_MAX);
	xml_txt(b, buf_str(&t));
	buf_puts(b, "</title>\n<published>");
	xml_date(b, ts_seconds(m->ts));
	buf_puts(b, "</published>\n<updated>");
	xml_date(b, updated(m));
	buf_puts(b, "</updated>\n<author><name>");
	xml_txt(b, author);
	buf_puts(b, "</name></author>\n");
	buf_reset(&t);
	if (ui_message_url(p, c->id, m->ts, &t)) {
		buf_puts(b, "<link rel=\"alternate\" type=\"text/html\" href=\"");
		buf_t abs = BUF_INIT;
		if (!ui_absolute(p, &abs, buf_str(&t)))
			buf_puts(&abs, buf_str(&t));
		xml_txt(b, buf_str(&abs));
		buf_free(&abs);
		buf_puts(b, "\"/>\n");
	}
	buf_reset(&t);
	ui_message_html(p, m, &t);
	buf_puts(b, "<content type=\"html\">");
	xml_txt(b, buf_str(&t));
	buf_puts(b, "</content>\n</entry>\n");
	buf_free(&t);
}

static int latest_first(const void *a, const void *b)
{
	const char *x = (*(const st_channel *const *)a)->last_day, *y = (*(const st_channel *const *)b)->last_day;
	return strcmp(y ? y : "", x ? x : "");
}

/* The newest messages of the given channels, newest first. The channels
 * with the latest days go first: once FEED_ENTRIES are in hand, the others
 * are asked only for messages not older than the last of them (at a
 * million messages in 300 channels, a few rows instead of 15,000). */
static size_t collect(page *p, const st_channel *const *cs, size_t nc, entry **out)
{
	size_t n = 0, cap = 0;
	entry *v = NULL;
	const st_channel **order = arena_alloc(&p->a, (nc + 1) * sizeof *order);
	if (nc)
		memcpy(order, cs, nc * sizeof *cs);
	qsort(order, nc, sizeof *order, latest_first);
	cs = order;
	for (size_t i = 0; i < nc; i++) {
		const char **ts;
		size_t k;
		if (n >= FEED_ENTRIES) {
			qsort(v, n, sizeof *v, newest_first);
			n = FEED_ENTRIES;
		}
		if (store_channel_recent(p->st, &p->a, cs[i]->id, FEED_ENTRIES, n >= FEED_ENTRIES ? v[n - 1].ts : NULL,
					 &ts, &k) < 0)
			continue;
		if (n + k > cap) {
			cap = (n + k) * 2;
			entry *nv = arena_alloc(&p->a, cap * sizeof *nv);
			if (n)
				memcpy(nv, v, n * sizeof *v);
			v = nv;
		}
		for (size_t j = 0; j < k; j++)
			v[n++] = (entry){cs[i], ts[j]};
	}
	if (n)
		qsort(v, n, sizeof *v, newest_first);
	*out = v;
	return n < FEED_ENTRIES ? n : FEED_ENTRIES;
}

static void feed(page *p, const st_channel *only)
{
	const st_channel *all, **cs;
	size_t nall, nc = 0;
	site_channels(p, &all, &nall);
	cs = arena_alloc(&p->a, (nall + 1) * sizeof *cs);
	if (only)
		cs[nc++] = only;
	else
		for (size_t i = 0; i < nall; i++)
			if (site_channel_visible(p, &all[i]))
				cs[nc++] = &all[i];
	entry *e = NULL;
	size_t n = collect(p, cs, nc, &e);
	st_message *m = arena_alloc(&p->a, (n + 1) * sizeof *m);
	int64_t newest = 0;
	size_t got = 0;
	for (size_t i = 0; i < n; i++) {
		const st_message *x = store_message(p->st, &p->a, e[i].c->id, e[i].ts);
		if (!x)
			continue;
		m[got] = *x;
		if (updated(x) > newest)
			newest = updated(x);
		e[got++] = e[i];
	}
	buf_t *b = p->b, t = BUF_INIT;
	buf_puts(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<id>");
	if (only)
		buf_printf(&t, "%s", only->id);
	else
		buf_puts(&t, "workspace");
	tag_id(p, b, buf_str(&t));
	buf_puts(b, "</id>\n<title type=\"text\">");
	buf_reset(&t);
	if (only)
		buf_printf(&t, "#%s \xC2\xB7 %s", only->name, p->conf->site_title);
	else
		buf_puts(&t, p->conf->site_title);
	xml_txt(b, buf_str(&t));
	buf_puts(b, "</title>\n<updated>");
	xml_date(b, newest);
	buf_puts(b, "</updated>\n<generator>slacklog</generator>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"");
	buf_reset(&t);
	if (only)
		buf_printf(&t, "/%s/feed.atom", only->path);
	else
		buf_puts(&t, "/feed.atom");
	xml_url(p, b, buf_str(&t));
	buf_puts(b, "\"/>\n");
	buf_free(&t);
	for (size_t i = 0; i < got; i++)
		write_entry(p, e[i].c, &m[i]);
	buf_puts(b, "</feed>\n");
	ui_finish(p, 200, CACHE_PAGE);
	p->out->type = "application/atom+xml; charset=utf-8";
}

void page_feed(page *p, const st_channel *c)
{
	feed(p, c);
}
