/* site.c: the state pages share across requests: settings, per-thread
 * store handles, visibility of channels, the data's modification time.
 *
 * Store handles are opened on first use in each thread and kept in
 * thread-specific storage: SQLite connections are cheap to keep and must
 * not be shared between threads without locking, and the server's worker
 * threads live as long as the server. */
#include "pages/ui.h"
#include "web/assets.h"
#include "lib/ts.h"
#include "cli.h"
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* What each thread keeps: its store handle, the channel list as of a
 * data version (page lookups by name and ID then cost no query), and,
 * once a page asks, every day page's count as of a data version: a day
 * page's sidebar and a channel's calendar read it instead of the store
 * (one grouped read of an index instead of a count per channel and day:
 * most of what a build cost). */
typedef struct chref {
	const char *id;
	size_t i;
} chref;

typedef struct daytable {
	arena_t a;
	bool with_changed;            /* changes[] too (for walks of every URL) */
	st_daycount *cdays;           /* by channel (index in ch), then day */
	st_daychange *changes;        /* the same days with their last change */
	st_daychange *users;          /* with_changed: each person's last change, by ID */
	size_t nusers;
	size_t *cfrom;                /* cdays of ch[i]: [cfrom[i], cfrom[i + 1]) */
	st_daycount *ddays;           /* by day, then channel order; .day = channel ID */
	const char **dday;            /* the day of each ddays entry */
	size_t n;
	uint64_t ver;
	bool loaded;
} daytable;

typedef struct tstate {
	store_t *st;
	arena_t ca;
	st_channel *ch;
	size_t nch;
	uint64_t ver;
	bool loaded;
	chref *ids;                   /* ch by ID */
	daytable days, walk;
} tstate;

struct site {
	pthread_rwlock_t lock;        /* guards conf */
	conf_t *conf;
	char *db;
	int flags;                    /* store_open flags */
	pthread_key_t key;            /* this thread's store_t; handles of
					 * finished threads are closed by
					 * site_free() from the list below */
	pthread_mutex_t hlock;        /* guards handles */
	tstate **handles;
	size_t nhandles;
	char *wal;                    /* db path + "-wal" */
	unsigned generation;          /* bumped by each reload */
};

void page_out_init(page_out *o)
{
	memset(o, 0, sizeof *o);
}

void page_out_reset(page_out *o)
{
	buf_reset(&o->body);
	buf_reset(&o->location);
	o->status = 0;
	o->type = NULL;
	o->etag[0] = 0;
	o->last_modified = 0;
	o->cache = CACHE_NONE;
}

void page_out_free(page_out *o)
{
	buf_free(&o->body);
	buf_free(&o->location);
}

void page_etag(const void *body, size_t n, char out[24])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_Digest(body, n, md, &mdlen, EVP_sha256(), NULL);
	static const char hex[] = "0123456789abcdef";
	out[0] = '"';
	for (int i = 0; i < 8; i++) {
		out[1 + 2 * i] = hex[md[i] >> 4];
		out[2 + 2 * i] = hex[md[i] & 15];
	}
	out[17] = '"';
	out[18] = 0;
}

static void forget_handle(site_t *s, tstate *t)
{
	pthread_mutex_lock(&s->hlock);
	for (size_t i = 0; i < s->nhandles; i++)
		if (s->handles[i] == t) {
			s->handles[i] = s->handles[--s->nhandles];
			break;
		}
	pthread_mutex_unlock(&s->hlock);
}

static void tstate_free(tstate *t)
{
	store_close(t->st);
	arena_free(&t->ca);
	arena_free(&t->days.a);
	arena_free(&t->walk.a);
	free(t);
}

static tstate *thread_state(site_t *s, char *err, size_t errlen)
{
	tstate *t = pthread_getspecific(s->key);
	if (t)
		return t;
	store_t *st = store_open(s->db, s->flags, err, errlen);
	if (!st)
		return NULL;
	t = xcalloc(1, sizeof *t);
	t->st = st;
	pthread_setspecific(s->key, t);
	pthread_mutex_lock(&s->hlock);
	s->handles = xrealloc(s->handles, (s->nhandles + 1) * sizeof *s->handles);
	s->handles[s->nhandles++] = t;
	pthread_mutex_unlock(&s->hlock);
	return t;
}

void site_thread_done(site_t *s)
{
	tstate *t = pthread_getspecific(s->key);
	if (!t)
		return;
	pthread_setspecific(s->key, NULL);
	forget_handle(s, t);
	tstate_free(t);
}

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h;
}

/* The version and the data's modification time from one pair of stats. */
static uint64_t version_mtime(site_t *s, int64_t *mtime)
{
	struct stat a;
	uint64_t v = mix(0, __atomic_load_n(&s->generation, __ATOMIC_RELAXED));
	int64_t t = 0;
	if (stat(s->db, &a) == 0) {
		v = mix(mix(mix(v, (uint64_t)a.st_mtim.tv_sec), (uint64_t)a.st_mtim.tv_nsec), (uint64_t)a.st_size);
		t = a.st_mtime;
	}
	if (stat(s->wal, &a) == 0) {
		v = mix(mix(mix(v, (uint64_t)a.st_mtim.tv_sec), (uint64_t)a.st_mtim.tv_nsec), (uint64_t)a.st_size);
		if (a.st_mtime > t)
			t = a.st_mtime;
	}
	if (mtime)
		*mtime = t;
	return v;
}

uint64_t site_version(site_t *s)
{
	return version_mtime(s, NULL);
}

static int by_id(const void *x, const void *y)
{
	return strcmp(((const chref *)x)->id, ((const chref *)y)->id);
}

/* The thread's channel list, reloaded when the data changed. */
static void load_channels(tstate *t, uint64_t ver)
{
	if (t->loaded && t->ver == ver)
		return;
	arena_reset(&t->ca);
	if (store_channels(t->st, &t->ca, &t->ch, &t->nch) < 0) {
		t->ch = NULL;
		t->nch = 0;
		t->loaded = false;
		return;
	}
	t->ids = arena_alloc(&t->ca, (t->nch + 1) * sizeof *t->ids);
	for (size_t i = 0; i < t->nch; i++)
		t->ids[i] = (chref){t->ch[i].id, i};
	qsort(t->ids, t->nch, sizeof *t->ids, by_id);
	t->ver = ver;
	t->loaded = true;
}

/* The index in t->ch of a channel ID, or t->nch. */
static size_t channel_index(const tstate *t, const char *id)
{
	chref key = {id, 0}, *r = t->nch ? bsearch(&key, t->ids, t->nch, sizeof *t->ids, by_id) : NULL;
	return r ? r->i : t->nch;
}

static int set_zone(site_t *s, store_t *st, char *err, size_t errlen)
{
	arena_t a = {0};
	const char *zone = s->conf->time_zone;
	if (!zone || !*zone)
		zone = store_get_setting(st, &a, "time_zone");
	if (!zone || !*zone)
		zone = "UTC";
	int rc = 0;
	if (!ts_set_zone(zone)) {
		snprintf(err, errlen, "unknown time zone '%s'", zone);
		rc = -1;
	}
	arena_free(&a);
	return rc;
}

site_t *site_new(conf_t *conf, char *err, size_t errlen)
{
	site_t *s = xcalloc(1, sizeof *s);
	pthread_rwlock_init(&s->lock, NULL);
	pthread_mutex_init(&s->hlock, NULL);
	pthread_key_create(&s->key, NULL);
	s->conf = conf;
	s->db = xstrdup(conf->db ? conf->db : cli_db_path(NULL));
	size_t n = strlen(s->db);
	s->wal = xmalloc(n + 5);
	memcpy(s->wal, s->db, n);
	memcpy(s->wal + n, "-wal", 5);
	/* the publish policy is in the store's published column (serve
	 * applies the settings' lists: moderation_publish) */
	s->flags = STORE_READONLY | (conf->no_mmap ? STORE_NOMAP : 0);
	tstate *t = thread_state(s, err, errlen);
	if (!t || set_zone(s, t->st, err, errlen) < 0) {
		site_free(s);
		return NULL;
	}
	return s;
}

void site_reconf(site_t *s, conf_t *conf)
{
	pthread_rwlock_wrlock(&s->lock);
	conf_t *old = s->conf;
	s->conf = conf;
	__atomic_add_fetch(&s->generation, 1, __ATOMIC_RELAXED);
	pthread_rwlock_unlock(&s->lock);
	conf_free(old);
}

void site_free(site_t *s)
{
	if (!s)
		return;
	site_thread_done(s);
	for (size_t i = 0; i < s->nhandles; i++)
		tstate_free(s->handles[i]);
	free(s->handles);
	pthread_key_delete(s->key);
	pthread_rwlock_destroy(&s->lock);
	pthread_mutex_destroy(&s->hlock);
	conf_free(s->conf);
	free(s->db);
	free(s->wal);
	free(s);
}

int64_t site_data_mtime(site_t *s)
{
	int64_t t;
	version_mtime(s, &t);
	return t;
}

bool site_channel_visible(const page *p, const st_channel *c)
{
	if (!c)
		return false;
	/* the store's published column follows the lists; the unpublish list
	 * is checked again in case the archive could not be written */
	if (conf_listed(p->conf->unpublish, c->name) || conf_listed(p->conf->unpublish, c->id))
		return false;
	return c->published;
}

/* Lookups go through the thread's channel list (store_channels: every
 * channel the store opened this way can see). Names are unique among
 * visible channels in practice; the first visible one wins, as in the
 * store's own by-name lookup. */
const st_channel *site_channel_by_name(page *p, const char *name)
{
	tstate *t = p->ts;
	if (!t)
		return NULL;
	/* the list is in name order: the first of the name, then its peers */
	size_t lo = 0, hi = t->nch;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(t->ch[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < t->nch && strcmp(t->ch[lo].name, name) == 0; lo++)
		if (site_channel_visible(p, &t->ch[lo]))
			return &t->ch[lo];
	return NULL;
}

const st_channel *site_channel_by_id(page *p, const char *id)
{
	tstate *t = p->ts;
	if (!t || !id)
		return NULL;
	size_t i = channel_index(t, id);
	return i < t->nch && site_channel_visible(p, &t->ch[i]) ? &t->ch[i] : NULL;
}

/* ---- the day table ------------------------------------------------------ */

typedef struct dayrow {
	const char *day;
	size_t ch;
	int64_t count, changed;
} dayrow;

static int by_day_then_channel(const void *x, const void *y)
{
	const dayrow *a = x, *b = y;
	int c = strcmp(a->day, b->day);
	return c ? c : (a->ch > b->ch) - (a->ch < b->ch);
}

static bool load_days(tstate *t, daytable *d, uint64_t ver)
{
	if (d->loaded && d->ver == ver)
		return true;
	d->loaded = false;
	arena_reset(&d->a);
	st_chanday *v;
	size_t n;
	if (!t->loaded || store_day_counts(t->st, &d->a, d->with_changed, &v, &n) < 0)
		return false;
	d->nusers = 0;
	if (d->with_changed && store_user_changes(t->st, &d->a, &d->users, &d->nusers) < 0)
		return false;
	dayrow *rows = xmalloc((n + 1) * sizeof *rows);
	size_t nr = 0;
	d->cfrom = arena_zalloc(&d->a, (t->nch + 2) * sizeof *d->cfrom);
	for (size_t i = 0, ci = t->nch; i < n; i++) {
		if (!i || v[i].channel_id != v[i - 1].channel_id)
			ci = channel_index(t, v[i].channel_id);
		if (ci == t->nch)
			continue;     /* not in this version's channel list */
		rows[nr++] = (dayrow){v[i].day, ci, v[i].count, v[i].changed};
		d->cfrom[ci + 1]++;
	}
	for (size_t i = 0; i < t->nch; i++)
		d->cfrom[i + 1] += d->cfrom[i];
	/* by channel: rows come by channel ID, then day; place each run */
	size_t *at = arena_alloc(&d->a, (t->nch + 1) * sizeof *at);
	memcpy(at, d->cfrom, t->nch * sizeof *at);
	d->cdays = arena_alloc(&d->a, (nr + 1) * sizeof *d->cdays);
	d->changes = arena_alloc(&d->a, (nr + 1) * sizeof *d->changes);
	for (size_t i = 0; i < nr; i++) {
		size_t k = at[rows[i].ch]++;
		d->cdays[k] = (st_daycount){rows[i].day, NULL, rows[i].count};
		d->changes[k] = (st_daychange){rows[i].day, rows[i].changed};
	}
	/* by day: for sidebars, which walks do not draw */
	if (!d->with_changed)
		qsort(rows, nr, sizeof *rows, by_day_then_channel);
	d->ddays = arena_alloc(&d->a, (nr + 1) * sizeof *d->ddays);
	d->dday = arena_alloc(&d->a, (nr + 1) * sizeof *d->dday);
	for (size_t i = 0; i < nr && !d->with_changed; i++) {
		const st_channel *c = &t->ch[rows[i].ch];
		d->ddays[i] = (st_daycount){c->id, c->name, rows[i].count};
		d->dday[i] = rows[i].day;
	}
	free(rows);
	d->n = nr;
	d->ver = ver;
	d->loaded = true;
	return true;
}

/* The index of c in the thread's channel list, or nch. */
static size_t index_of(const tstate *t, const st_channel *c)
{
	if (c >= t->ch && c < t->ch + t->nch)
		return (size_t)(c - t->ch);
	return channel_index(t, c->id);
}

bool site_channel_days(page *p, const st_channel *c, const st_daycount **out, size_t *n)
{
	tstate *t = p->ts;
	if (!t || !load_days(t, &t->days, p->version))
		return false;
	size_t i = index_of(t, c);
	*out = i < t->nch ? t->days.cdays + t->days.cfrom[i] : NULL;
	*n = i < t->nch ? t->days.cfrom[i + 1] - t->days.cfrom[i] : 0;
	return true;
}

bool site_days_changed(page *p, const st_channel *c, const st_daychange **out, size_t *n)
{
	tstate *t = p->ts;
	if (!t)
		return false;
	t->walk.with_changed = true;
	if (!load_days(t, &t->walk, p->version))
		return false;
	size_t i = index_of(t, c);
	*out = i < t->nch ? t->walk.changes + t->walk.cfrom[i] : NULL;
	*n = i < t->nch ? t->walk.cfrom[i + 1] - t->walk.cfrom[i] : 0;
	return true;
}

static int by_change_key(const void *k, const void *e)
{
	return strcmp(k, ((const st_daychange *)e)->day);
}

int64_t site_user_changed(page *p, const char *user_id)
{
	tstate *t = p->ts;
	if (!t)
		return 0;
	t->walk.with_changed = true;
	if (!load_days(t, &t->walk, p->version) || !t->walk.nusers)
		return 0;
	const st_daychange *e = bsearch(user_id, t->walk.users, t->walk.nusers, sizeof *e, by_change_key);
	return e ? e->changed : 0;
}

bool site_day_channels(page *p, const char *day, const st_daycount **out, size_t *n)
{
	tstate *t = p->ts;
	if (!t || !load_days(t, &t->days, p->version))
		return false;
	const daytable *d = &t->days;
	size_t lo = 0, hi = d->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(d->dday[mid], day) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t end = lo;
	while (end < d->n && strcmp(d->dday[end], day) == 0)
		end++;
	*out = d->ddays + lo;
	*n = end - lo;
	return true;
}

void site_channels(page *p, const st_channel **out, size_t *n)
{
	tstate *t = p->ts;
	*out = t ? t->ch : NULL;
	*n = t ? t->nch : 0;
}

const char *site_css_href(const page *p)
{
	(void)p;
	return assets_versioned_path("/style.css");
}

int site_check(site_t *s, char *err, size_t errlen)
{
	tstate *t = thread_state(s, err, errlen);
	if (!t)
		return -1;
	store_t *st = t->st;
	/* one indexed read: cheap enough for a load balancer's probe */
	arena_t a = {0};
	store_get_setting(st, &a, "time_zone");
	arena_free(&a);
	return 0;
}

static const char *prefix_of(const conf_t *c)
{
	const char *base = c->base_url, *scheme = base ? strstr(base, "://") : NULL;
	const char *slash = scheme ? strchr(scheme + 3, '/') : NULL;
	return slash ? slash : "";
}

const char *site_prefix(site_t *s)
{
	return prefix_of(s->conf);
}

/* ---- the entry point -------------------------------------------------- */

void route(page *p, const char *path);

bool page_begin(site_t *s, page *p, const char *query, page_out *out)
{
	memset(p, 0, sizeof *p);
	page_out_reset(out);
	pthread_rwlock_rdlock(&s->lock);
	p->site = s;
	p->conf = s->conf;
	p->out = out;
	p->b = &out->body;
	p->query = query ? query : "";
	p->prefix = prefix_of(p->conf);
	char err[256];
	tstate *t = thread_state(s, err, sizeof err);
	p->ts = t;
	p->st = t ? t->st : NULL;
	if (t) {
		p->version = version_mtime(s, &p->mtime);
		load_channels(t, p->version);
	}
	if (!p->st) {
		log_err("store: %s", err);
		ui_text(p, 500, "text/plain; charset=utf-8", "The archive is not available.\n", CACHE_NONE);
		return false;
	}
	ui_render_ctx(p);
	return true;
}

void page_end(page *p)
{
	arena_free(&p->a);
	pthread_rwlock_unlock(&p->site->lock);
}

int page_get(site_t *s, const char *path, const char *query, page_out *out)
{
	page p;
	if (page_begin(s, &p, query, out))
		route(&p, path);
	page_end(&p);
	return out->status >= 500 ? -1 : 0;
}
