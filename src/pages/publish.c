/* publish.c: the list of everything the archive publishes, in one order:
 * the home page, each visible channel with its day pages (days with
 * messages, and days with only replies to threads of other days), the
 * people who wrote in them; then feeds, legacy redirect stubs, API
 * documents (thread documents too) and the site's own files. The sitemap
 * lists the pages from here and `slacklog build` writes every URL from
 * here, so they cannot disagree.
 *
 * Paths are decoded and without base_url's prefix (what page_get takes);
 * `changed` is the unix time of the content's last change, 0 if unknown.
 *
 * For an incremental build each URL also says whether it is dirty: its
 * content may differ from what it was at the store's change sequence
 * `since`. The store's change log says what changed (store.h); which
 * pages show it is decided here, where the structure is known:
 *  - a channel-day whose messages changed (CHG_DAY): its page and API
 *    document and its threads' documents; the pages of the days around
 *    it in the channel (their previous/next links, to days with
 *    messages), every channel's page of the same date (their sidebars'
 *    counts); the channel's page, API document and feed; the people who
 *    wrote (CHG_COUNTS). A reply posted on a later day than its thread's
 *    records that day too: its page has the reply's line;
 *  - a profile (CHG_USER) or a message that moved or went (CHG_MESSAGE):
 *    the person's pages, and the day pages of messages that name them
 *    (store_days_naming: authors, mentions, reactions; store_days_linking:
 *    permalinks, in messages posted or edited after the message), and
 *    the pages of channels whose topic or purpose names the person;
 *  - a channel's topic (CHG_CHANNEL): its pages;
 *  - anything at all: the home page, channels.json, the workspace feed,
 *    the sitemaps. CHG_ALL: everything.
 * Legacy stubs, robots.txt and assets depend on names and settings only:
 * new ones are new files, and a change of settings renders everything.
 *
 * A narrow walk (URL_NARROW) lists the same dirty URLs without the clean
 * ones around them: every URL of the channels and people a change names,
 * the day pages of changed dates in other channels, and the site's own
 * files. At a million messages one new day is 5,100 URLs of 347,000. */
#include "pages/ui.h"
#include "web/assets.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- what changed ------------------------------------------------------ */

typedef struct chday {
	const char *ch, *day;
	bool structural;            /* counts or days changed, not only content */
} chday;

typedef struct changeset {
	bool all, any;
	chday *days;                /* by channel, day */
	size_t ndays, capdays;
	const char **dates, **chans, **topics, **users, **tokens, **links;
	size_t ndates, nchans, ntopics, nusers, ntokens, nlinks;
	const char *after;          /* the oldest message of links */
} changeset;

static int by_chday(const void *a, const void *b)
{
	const chday *x = a, *y = b;
	int c = strcmp(x->ch, y->ch);
	return c ? c : strcmp(x->day, y->day);
}

static void add_day(page *p, changeset *cs, const char *ch, const char *day, bool structural)
{
	if (cs->ndays == cs->capdays) {
		cs->capdays = cs->capdays ? cs->capdays * 2 : 64;
		chday *v = arena_alloc(&p->a, cs->capdays * sizeof *v);
		if (cs->ndays)
			memcpy(v, cs->days, cs->ndays * sizeof *v);
		cs->days = v;
	}
	cs->days[cs->ndays++] = (chday){ch, day, structural};
}

/* Append s to a list of at most max strings (arena). */
static void add_str(page *p, const char ***v, size_t *n, size_t max, const char *s)
{
	if (!*v)
		*v = arena_alloc(&p->a, (max + 1) * sizeof **v);
	(*v)[(*n)++] = s;
}

static int by_str(const void *a, const void *b);

static bool listed(const char *const *v, size_t n, const char *s)
{
	return n && bsearch(&s, v, n, sizeof *v, by_str);
}

static void sort_strs(const char **v, size_t *n)
{
	if (!*n)
		return;
	qsort(v, *n, sizeof *v, by_str);
	size_t k = 1;
	for (size_t i = 1; i < *n; i++)
		if (strcmp(v[i], v[k - 1]) != 0)
			v[k++] = v[i];
	*n = k;
}

/* A message's ts as its permalinks spell it: "p" and the 16 digits. */
static const char *permalink_token(page *p, const char *ts)
{
	char *t = arena_alloc(&p->a, strlen(ts) + 2), *o = t;
	*o++ = 'p';
	for (; *ts; ts++)
		if (*ts != '.')
			*o++ = *ts;
	*o = 0;
	return t;
}

static int load_changes(page *p, int64_t since, changeset *cs)
{
	st_change *c;
	size_t n;
	memset(cs, 0, sizeof *cs);
	if (store_changes(p->st, &p->a, since, &c, &n) < 0)
		return -1;
	cs->any = n > 0;
	const st_channel *ch;
	size_t nch;
	site_channels(p, &ch, &nch);
	size_t max = n + nch;     /* what a list below may hold */
	for (size_t i = 0; i < n && !cs->all; i++) {
		switch (c[i].kind) {
		case CHG_DAY:
			add_day(p, cs, c[i].key, c[i].day, true);
			add_str(p, &cs->dates, &cs->ndates, max, c[i].day);
			add_str(p, &cs->chans, &cs->nchans, max, c[i].key);
			break;
		case CHG_CHANNEL:
			add_str(p, &cs->chans, &cs->nchans, max, c[i].key);
			add_str(p, &cs->topics, &cs->ntopics, max, c[i].key);
			break;
		case CHG_USER:
			add_str(p, &cs->tokens, &cs->ntokens, max, c[i].key);
			/* fall through */
		case CHG_COUNTS:
			add_str(p, &cs->users, &cs->nusers, max, c[i].key);
			break;
		case CHG_MESSAGE:
			add_str(p, &cs->links, &cs->nlinks, max, permalink_token(p, c[i].day));
			if (!cs->after || strcmp(c[i].day, cs->after) < 0)
				cs->after = c[i].day;
			break;
		default:
			cs->all = true;
		}
	}
	if (cs->all)
		return 0;
	/* a person named in a topic or purpose: the channel's pages */
	for (size_t k = 0; k < nch; k++)
		for (size_t i = 0; i < n; i++)
			if (c[i].kind == CHG_USER && ((ch[k].topic && strstr(ch[k].topic, c[i].key)) ||
						      (ch[k].purpose && strstr(ch[k].purpose, c[i].key)))) {
				add_str(p, &cs->chans, &cs->nchans, max, ch[k].id);
				add_str(p, &cs->topics, &cs->ntopics, max, ch[k].id);
				break;   /* once per channel: the lists hold at most max */
			}
	st_chanday *named;
	size_t nn;
	if (store_days_naming(p->st, &p->a, cs->tokens, cs->ntokens, &named, &nn) < 0)
		return -1;
	for (size_t i = 0; i < nn; i++)
		add_day(p, cs, named[i].channel_id, named[i].day, false);
	if (store_days_linking(p->st, &p->a, cs->links, cs->nlinks, cs->after, &named, &nn) < 0)
		return -1;
	for (size_t i = 0; i < nn; i++)
		add_day(p, cs, named[i].channel_id, named[i].day, false);
	if (cs->ndays)
		qsort(cs->days, cs->ndays, sizeof *cs->days, by_chday);
	sort_strs(cs->dates, &cs->ndates);
	sort_strs(cs->chans, &cs->nchans);
	sort_strs(cs->topics, &cs->ntopics);
	sort_strs(cs->users, &cs->nusers);
	return 0;
}

/* The first change of channel ch on a day >= lo (lo NULL: the first). */
static const chday *first_from(const changeset *cs, const char *ch, const char *lo)
{
	size_t a = 0, b = cs->ndays;
	while (a < b) {
		size_t mid = (a + b) / 2;
		int c = strcmp(cs->days[mid].ch, ch);
		if (!c && lo)
			c = strcmp(cs->days[mid].day, lo);
		if (c < 0)
			a = mid + 1;
		else
			b = mid;
	}
	return a < cs->ndays && strcmp(cs->days[a].ch, ch) == 0 ? &cs->days[a] : NULL;
}

/* Did channel ch change on a day in [lo, hi] (NULL: open)? structural:
 * only changes of counts and days count. */
static bool changed_between(const changeset *cs, const char *ch, const char *lo, const char *hi, bool structural)
{
	for (const chday *d = first_from(cs, ch, lo); d && d < cs->days + cs->ndays && strcmp(d->ch, ch) == 0; d++) {
		if (hi && strcmp(d->day, hi) > 0)
			return false;
		if (d->structural || !structural)
			return true;
	}
	return false;
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

typedef struct walk {
	page *p;
	unsigned kinds;
	site_url_dirty_fn fn;
	void *ud;
	const changeset *cs;        /* NULL: everything is dirty */
	buf_t path;
	int64_t newest;
} walk;

static int emit(walk *w, unsigned kind, int64_t changed, bool dirty)
{
	if (!(w->kinds & kind))
		return 0;
	return w->fn(w->ud, kind, buf_str(&w->path), changed, dirty || !w->cs || w->cs->all);
}

static int emitf(walk *w, unsigned kind, int64_t changed, bool dirty, const char *fmt, const char *a, const char *b)
{
	buf_reset(&w->path);
	buf_printf(&w->path, fmt, a, b);
	return emit(w, kind, changed, dirty);
}

/* A channel's thread documents: dirty when a day their messages are on
 * changed. */
typedef struct threadlist {
	st_threadspan *t;
	size_t n, next;
} threadlist;

static int threads_load(walk *w, const st_channel *c, threadlist *tl)
{
	*tl = (threadlist){0};
	if (!(w->kinds & URL_API))
		return 0;
	return store_thread_spans(w->p->st, &w->p->a, c->id, &tl->t, &tl->n);
}

/* The next ones, up to those whose first message is on day (NULL: all). */
static int threads(walk *w, const st_channel *c, threadlist *tl, const char *day)
{
	int rc = 0;
	for (; tl->next < tl->n && !rc && (!day || strcmp(tl->t[tl->next].first_day, day) <= 0); tl->next++) {
		const st_threadspan *t = &tl->t[tl->next];
		rc = emitf(w, URL_API, 0, w->cs && changed_between(w->cs, c->id, t->first_day, t->last_day, false),
			   "/api.v1/threads/%s/%s.json", c->id, t->ts);
	}
	return rc;
}

/* A channel's day pages (its days with messages, and with only replies to
 * threads of other days), with their last change unless the walk is
 * undated. */
static int channel_days(walk *w, const st_channel *c, site_dayp **d, size_t *n)
{
	return site_day_pages(w->p, c, !(w->kinds & URL_UNDATED), d, n);
}

static int channel(walk *w, const st_channel *c)
{
	site_dayp *d;
	size_t n;
	if (channel_days(w, c, &d, &n) < 0)
		return -1;
	int64_t newest = 0;
	for (size_t i = 0; i < n; i++)
		if (d[i].changed > newest)
			newest = d[i].changed;
	if (newest > w->newest)
		w->newest = newest;
	const changeset *cs = w->cs;
	bool own = cs && listed(cs->chans, cs->nchans, c->id);
	bool topic = cs && listed(cs->topics, cs->ntopics, c->id);
	int rc = emitf(w, URL_PAGE, newest, own, "/%s/", c->path, "");
	threadlist tl;
	if (!rc)
		rc = threads_load(w, c, &tl);
	/* a day page shows the previous and next days with messages (not
	 * those with only replies to other days' threads): changes from the
	 * one before to the one after move them. Each day's page, redirect
	 * stub, API document and the documents of the threads that start that
	 * day in a row: they show the same messages, and a build renders them
	 * together (ui-memo.c). */
	const char *lo = NULL;
	for (size_t i = 0, next = 0; i < n && !rc; i++) {
		while (next < n && (next <= i || d[next].late))
			next++;
		const char *hi = next < n ? d[next].day : NULL;
		bool near = cs && changed_between(cs, c->id, lo, hi, true);
		bool self = cs && changed_between(cs, c->id, d[i].day, d[i].day, false);
		bool date = cs && listed(cs->dates, cs->ndates, d[i].day);
		rc = emitf(w, URL_PAGE, d[i].changed, near || self || date || topic, "/%s/%s/", c->path, d[i].day);
		if (!rc)
			rc = emitf(w, URL_LEGACY, d[i].changed, false, "/%s/%s.html", c->path, d[i].day);
		if (!rc)
			rc = emitf(w, URL_API, d[i].changed, near || self, "/api.v1/channels/%s/%s.json", c->path,
				   d[i].day);
		if (!rc)
			rc = threads(w, c, &tl, d[i].day);
		if (!d[i].late)
			lo = d[i].day;
	}
	if (!rc)
		rc = emitf(w, URL_FEED, newest, own || (cs && changed_between(cs, c->id, NULL, NULL, false)),
			   "/%s/feed.atom", c->path, "");
	if (!rc)
		rc = emitf(w, URL_API, newest, own, "/api.v1/channels/%s.json", c->path, "");
	if (!rc)
		rc = threads(w, c, &tl, NULL);
	return rc;
}

static int user(walk *w, const char *id)
{
	bool dirty = w->cs && listed(w->cs->users, w->cs->nusers, id);
	int64_t changed = (w->kinds & URL_PAGE) && !(w->kinds & URL_UNDATED) ? site_user_changed(w->p, id) : 0;
	int rc = emitf(w, URL_PAGE, changed, dirty, "/user.%s/", id, "");
	return rc ? rc : emitf(w, URL_API, changed, dirty, "/api.v1/users/%s.json", id, "");
}

/* The people who wrote in visible channels, each once, by ID. */
static int users(walk *w)
{
	const char *const *ids;
	size_t n;
	if (!site_authors(w->p, &ids, &n))
		return -1;
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++)
		rc = user(w, ids[i]);
	return rc;
}

/* ---- a narrow walk ------------------------------------------------------
 * What the changes may have touched, and nothing else: the URLs a full
 * walk would call dirty, each with every URL that shares a scope (a path
 * prefix ending in '/', or one URL) with them, the scopes first, so that
 * the caller can tell a URL no longer published (listed before under a
 * scope, not now) from one the walk did not look at. The site's own
 * files, which have no '/' after the first, are all listed. */
static int scope(walk *w, const char *fmt, const char *a)
{
	buf_reset(&w->path);
	buf_printf(&w->path, fmt, a);
	return w->fn(w->ud, URL_SCOPE, buf_str(&w->path), 0, false);
}

/* A channel a change names (its messages, topic, or a day that names
 * someone): every URL of it. */
static bool touched(const changeset *cs, const st_channel *c)
{
	return listed(cs->chans, cs->nchans, c->id) || first_from(cs, c->id, NULL);
}

/* A scope or URL as a prefix of a name: [s, s + n). */
typedef struct span {
	const char *s;
	size_t n;
} span;

static int by_span(const void *k, const void *e)
{
	const span *a = k;
	const char *b = *(char *const *)e;
	int c = strncmp(a->s, b, a->n);
	return c ? c : -(b[a->n] != 0);
}

bool site_url_scoped(char *const *scopes, size_t n, const char *name)
{
	const char *slash = strchr(name, '/');
	if (!slash || !n)
		return !slash;
	span whole = {name, strlen(name)};
	if (bsearch(&whole, scopes, n, sizeof *scopes, by_span))
		return true;
	for (; slash; slash = strchr(slash + 1, '/')) {
		span dir = {name, (size_t)(slash + 1 - name)};
		if (bsearch(&dir, scopes, n, sizeof *scopes, by_span))
			return true;
	}
	return false;
}

static int by_day_page(const void *k, const void *e)
{
	return strcmp(k, ((const site_dayp *)e)->day);
}

static int narrow_channel(walk *w, const st_channel *c)
{
	const changeset *cs = w->cs;
	if (touched(cs, c)) {
		int rc = scope(w, "/%s/", c->path);
		if (!rc)
			rc = scope(w, "/api.v1/channels/%s.json", c->path);
		if (!rc)
			rc = scope(w, "/api.v1/channels/%s/", c->path);
		if (!rc)
			rc = scope(w, "/api.v1/threads/%s/", c->id);
		return rc ? rc : channel(w, c);
	}
	/* else only its pages of the dates that changed (their sidebars) */
	site_dayp *d;
	size_t n;
	if (!cs->ndates)
		return 0;
	if (channel_days(w, c, &d, &n) < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < cs->ndates && !rc; i++) {
		const site_dayp *e = n ? bsearch(cs->dates[i], d, n, sizeof *d, by_day_page) : NULL;
		if (e)
			rc = emitf(w, URL_PAGE, e->changed, true, "/%s/%s/", c->path, e->day);
	}
	return rc;
}

/* The people whose counts or profiles changed: their URLs if they still
 * have a page. */
static int narrow_users(walk *w)
{
	int rc = 0;
	for (size_t i = 0; i < w->cs->nusers && !rc; i++) {
		const char *id = w->cs->users[i];
		rc = scope(w, "/user.%s/", id);
		if (!rc)
			rc = scope(w, "/api.v1/users/%s.json", id);
		int author = rc ? 0 : site_is_author(w->p, id);
		if (author < 0)
			return -1;
		if (author)
			rc = user(w, id);
	}
	return rc;
}

static int site_files(walk *w, size_t npages)
{
	bool any = w->cs && w->cs->any;
	int rc = emitf(w, URL_META, 0, false, "/robots.txt", "", "");
	if (!rc && ui_search_off(w->p))
		rc = emitf(w, URL_META, 0, false, "/search.html", "", "");
	if (!rc)
		rc = emitf(w, URL_META, w->newest, any, "/sitemap.xml", "", "");
	for (size_t i = 1; !rc && i <= (npages + SITEMAP_MAX - 1) / SITEMAP_MAX; i++) {
		buf_reset(&w->path);
		buf_printf(&w->path, "/sitemap-%zu.xml", i);
		rc = emit(w, URL_META, w->newest, any);
	}
	for (size_t i = 0; !rc && i < assets_count; i++)
		rc = emitf(w, URL_META, 0, false, "%s", assets_table[i].path, "");
	return rc;
}

static int count_page(void *ud, unsigned kind, const char *path, int64_t changed, bool dirty)
{
	(void)kind, (void)path, (void)changed, (void)dirty;
	++*(size_t *)ud;
	return 0;
}

size_t ui_page_count(page *p)
{
	size_t n = 0;
	if (site_page_count(p, &n))
		return n;
	if (ui_urls_since(p, URL_PAGE | URL_UNDATED, -1, count_page, &n) == 0)
		site_page_count_set(p, n);
	return n;
}

int ui_urls_since(page *p, unsigned kinds, int64_t since, site_url_dirty_fn fn, void *ud)
{
	changeset changes;
	if (since >= 0 && load_changes(p, since, &changes) < 0)
		return ui_error(p, "reading the change log"), -1;
	walk w = {.p = p, .kinds = kinds, .fn = fn, .ud = ud, .path = BUF_INIT, .cs = since >= 0 ? &changes : NULL};
	site_days_load(p);   /* the table channel() reads (it fails without) */
	bool any = w.cs && w.cs->any;
	bool narrow = (kinds & URL_NARROW) && w.cs && !w.cs->all;
	if ((kinds & URL_NARROW) && fn(ud, URL_SCOPE, narrow ? "/" : "*", 0, false))
		return 1;
	const st_channel *cs;
	size_t n;
	site_channels(p, &cs, &n);
	/* the home page's date is its newest channel's: walk channels first */
	walk probe = w;
	probe.kinds = kinds & URL_UNDATED;
	for (size_t i = 0; i < n && !(kinds & URL_UNDATED); i++)
		if (site_channel_visible(p, &cs[i]) && channel(&probe, &cs[i]) < 0)
			return ui_error(p, "listing days"), -1;
	w.newest = probe.newest;
	buf_free(&probe.path);
	int rc = emitf(&w, URL_PAGE, w.newest, any, "/", "", "");
	if (!rc)
		rc = emitf(&w, URL_FEED, w.newest, any, "/feed.atom", "", "");
	if (!rc)
		rc = emitf(&w, URL_API, w.newest, any, "/api.v1/channels.json", "", "");
	for (size_t i = 0; i < n && !rc; i++)
		if (site_channel_visible(p, &cs[i]))
			rc = narrow ? narrow_channel(&w, &cs[i]) : channel(&w, &cs[i]);
	if (!rc && (kinds & (URL_PAGE | URL_API)))
		rc = narrow ? narrow_users(&w) : users(&w);
	if (!rc && (kinds & URL_META))
		rc = site_files(&w, ui_page_count(p));
	buf_free(&w.path);
	return rc;
}

/* site_urls' callbacks through ui_urls_since's */
typedef struct plain {
	site_url_fn fn;
	void *ud;
} plain;

static int plain_url(void *ud, unsigned kind, const char *path, int64_t changed, bool dirty)
{
	(void)dirty;
	plain *x = ud;
	return x->fn(x->ud, kind, path, changed);
}

int ui_urls(page *p, unsigned kinds, site_url_fn fn, void *ud)
{
	plain x = {fn, ud};
	return ui_urls_since(p, kinds, -1, plain_url, &x);
}

int site_urls_since(site_t *s, unsigned kinds, int64_t since, site_url_dirty_fn fn, void *ud)
{
	page p;
	page_out out;
	page_out_init(&out);
	int rc = -1;
	if (page_begin(s, &p, NULL, &out)) {
		bool snap = store_read_begin(p.st) == 0;   /* one lock for the walk's queries */
		rc = ui_urls_since(&p, kinds, since, fn, ud);
		if (snap)
			store_read_end(p.st);
	}
	page_end(&p);
	page_out_free(&out);
	return rc;
}

int site_urls(site_t *s, unsigned kinds, site_url_fn fn, void *ud)
{
	plain x = {fn, ud};
	return site_urls_since(s, kinds, -1, plain_url, &x);
}

int site_mark(site_t *s, int64_t *seq, char *id, size_t idlen)
{
	page p;
	page_out out;
	page_out_init(&out);
	int rc = -1;
	if (page_begin(s, &p, NULL, &out)) {
		*seq = store_change_seq(p.st);
		const char *a = store_archive_id(p.st, &p.a);
		snprintf(id, idlen, "%s", a ? a : "");
		rc = *seq < 0 ? -1 : 0;
	}
	page_end(&p);
	page_out_free(&out);
	return rc;
}
