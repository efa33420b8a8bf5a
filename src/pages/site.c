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

/* What each thread keeps: its store handle and the snapshot of the data
 * version its pages read. A snapshot is shared by every thread that sees
 * that version: the channel list (page lookups by name and ID then cost
 * no query), and, once a page asks, every day page's count and last
 * change: a day page's sidebar and a channel's calendar read it instead
 * of the store (one grouped walk of an index instead of a count per
 * channel and day: most of what a build cost), and so do sitemaps; for
 * walks of every URL also each person's last change and the people who
 * wrote. One thread loads each, not every thread: a build's sitemaps and
 * pages, rendered by different jobs, read the same tables. A snapshot
 * lives while a thread or the site (as its current one) holds it. */
typedef struct chref {
	const char *id;
	size_t i;
} chref;

typedef struct daytable {
	arena_t a;
	bool people;                  /* this one holds users[] only */
	st_daycount *cdays;           /* by channel (index in ch), then day */
	st_daychange *changes;        /* the same days with their last change */
	st_daychange *users;          /* people: each person's last change, by ID */
	size_t nusers;
	size_t *cfrom;                /* cdays of ch[i]: [cfrom[i], cfrom[i + 1]) */
	st_daycount *ddays;           /* by day, then channel order; .day = channel ID */
	const char **dday;            /* the day of each ddays entry */
	size_t n;
	bool loaded;                  /* set once, under the snapshot's lock */
} daytable;

typedef struct snap {
	uint64_t ver;
	int refs;                     /* guarded by the site's slock */
	arena_t a;
	st_channel *ch;
	size_t nch;
	chref *ids;                   /* ch by ID */
	pthread_mutex_t lock;         /* guards loading the tables */
	daytable days, people;        /* people: for walks of every URL */
	arena_t aa;                   /* authors, once a walk asks */
	const char **authors;
	size_t nauthors;
	bool authors_loaded;
	size_t npages;                /* ui_page_count's, once counted */
	bool npages_known;
} snap;

typedef struct tstate {
	store_t *st;
	snap *sn;                     /* NULL: the channel list could not be read */
	void *memo;                   /* site_thread_memo() */
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
	pthread_mutex_t slock;        /* guards cur and every snapshot's refs */
	snap *cur;                    /* the newest version's */
	char *wal;                    /* db path + "-wal" */
	unsigned generation;          /* bumped by each reload */
	int64_t seq;                  /* site_change_seq's last answer */
	bool pinned;                  /* site_pin(): version and mtime below */
	uint64_t pin_version;
	int64_t pin_mtime;
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

static void snap_release(site_t *s, snap *n)
{
	if (!n)
		return;
	pthread_mutex_lock(&s->slock);
	bool last = --n->refs == 0;
	pthread_mutex_unlock(&s->slock);
	if (!last)
		return;
	arena_free(&n->a);
	arena_free(&n->days.a);
	arena_free(&n->people.a);
	arena_free(&n->aa);
	pthread_mutex_destroy(&n->lock);
	free(n);
}

static void tstate_free(site_t *s, tstate *t)
{
	snap_release(s, t->sn);
	store_close(t->st);
	ui_memo_free(t->memo);
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

bool site_read_hold(site_t *s)
{
	char err[256];
	tstate *t = thread_state(s, err, sizeof err);
	return t && store_read_begin(t->st) == 0;
}

void site_read_release(site_t *s)
{
	tstate *t = pthread_getspecific(s->key);
	if (t)
		store_read_end(t->st);
}

void site_thread_done(site_t *s)
{
	tstate *t = pthread_getspecific(s->key);
	if (!t)
		return;
	pthread_setspecific(s->key, NULL);
	forget_handle(s, t);
	tstate_free(s, t);
}

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h;
}

/* The version and the data's modification time from one pair of stats,
 * with the change sequence a watcher last saw (site_change_seq). */
static uint64_t version_mtime(site_t *s, int64_t *mtime)
{
	struct stat a;
	uint64_t v = mix(mix(0, __atomic_load_n(&s->generation, __ATOMIC_RELAXED)),
			 (uint64_t)__atomic_load_n(&s->seq, __ATOMIC_ACQUIRE));
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

void site_pin(site_t *s)
{
	s->pin_version = version_mtime(s, &s->pin_mtime);
	s->pinned = true;
}

void **site_thread_memo(page *p)
{
	tstate *t = p->ts;
	return t && p->site->pinned ? &t->memo : NULL;
}

int64_t site_change_seq(site_t *s)
{
	char err[256];
	tstate *t = thread_state(s, err, sizeof err);
	if (!t) {
		log_err("store: %s", err);
		return -1;
	}
	int64_t seq = store_change_seq_poll(t->st);
	if (seq < 0)
		log_err("store: %s", store_errmsg(t->st));
	else
		__atomic_store_n(&s->seq, seq, __ATOMIC_RELEASE);
	return seq;
}

unsigned site_generation(site_t *s)
{
	return __atomic_load_n(&s->generation, __ATOMIC_ACQUIRE);
}

static int by_id(const void *x, const void *y)
{
	return strcmp(((const chref *)x)->id, ((const chref *)y)->id);
}

static void index_ids(snap *n)
{
	n->ids = arena_alloc(&n->a, (n->nch + 1) * sizeof *n->ids);
	for (size_t i = 0; i < n->nch; i++)
		n->ids[i] = (chref){n->ch[i].id, i};
	qsort(n->ids, n->nch, sizeof *n->ids, by_id);
}

/* A snapshot of version ver with its channel list (the site's ref). */
static snap *snap_new(store_t *st, uint64_t ver)
{
	snap *n = xcalloc(1, sizeof *n);
	/* each channel's total and span from day_counts: a few rows a channel;
	 * the day table is loaded when a page or a walk asks (load_days) */
	if (store_channels(st, &n->a, &n->ch, &n->nch) < 0)
		goto fail;
	index_ids(n);
	n->ver = ver;
	n->refs = 1;
	n->people.people = true;
	pthread_mutex_init(&n->lock, NULL);
	return n;
fail:
	arena_free(&n->a);
	free(n);
	return NULL;
}

/* The thread's snapshot: of version ver, the site's if it has that one. */
static void load_channels(site_t *s, tstate *t, uint64_t ver)
{
	if (t->sn && t->sn->ver == ver)
		return;
	pthread_mutex_lock(&s->slock);
	snap *n = s->cur, *old = NULL;
	if (!n || n->ver != ver) {
		n = snap_new(t->st, ver);
		if (n) {
			old = s->cur;
			s->cur = n;
		}
	}
	if (n)
		n->refs++;
	pthread_mutex_unlock(&s->slock);
	snap_release(s, old);
	snap_release(s, t->sn);
	t->sn = n;
}

static snap *snap_of(const page *p)
{
	const tstate *t = p->ts;
	return t ? t->sn : NULL;
}

/* The index in n->ch of a channel ID, or n->nch. */
static size_t channel_index(const snap *n, const char *id)
{
	chref key = {id, 0}, *r = n->nch ? bsearch(&key, n->ids, n->nch, sizeof *n->ids, by_id) : NULL;
	return r ? r->i : n->nch;
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
	pthread_mutex_init(&s->slock, NULL);
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
		tstate_free(s, s->handles[i]);
	free(s->handles);
	snap_release(s, s->cur);
	pthread_mutex_destroy(&s->slock);
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
 * channel the store opened this way can see). A name belongs to the
 * channel whose path it is; one that shares it is found by its ID. */
const st_channel *site_channel_by_name(page *p, const char *name)
{
	const snap *t = snap_of(p);
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
		if (strcmp(t->ch[lo].path, name) == 0 && site_channel_visible(p, &t->ch[lo]))
			return &t->ch[lo];
	return NULL;
}

/* The channel at /{seg}/: by name, or by ID when that is its path. */
const st_channel *site_channel_by_path(page *p, const char *seg)
{
	const st_channel *c = site_channel_by_name(p, seg);
	if (!c && (c = site_channel_by_id(p, seg)) && strcmp(c->path, c->id) != 0)
		c = NULL;
	return c;
}

const st_channel *site_channel_by_id(page *p, const char *id)
{
	const snap *t = snap_of(p);
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

/* Read table d of snapshot t through store handle st (its lock held). */
static bool fill_days(store_t *st, snap *t, daytable *d)
{
	arena_reset(&d->a);
	if (d->people) {
		if (store_user_changes(st, &d->a, &d->users, &d->nusers) < 0)
			return false;
		__atomic_store_n(&d->loaded, true, __ATOMIC_RELEASE);
		return true;
	}
	/* with each page's last change: from the same index walk (schema 7),
	 * for sitemaps and builds */
	st_chanday *v;
	size_t n;
	if (store_day_counts(st, &d->a, true, &v, &n) < 0)
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
	/* by day: for sidebars */
	qsort(rows, nr, sizeof *rows, by_day_then_channel);
	d->ddays = arena_alloc(&d->a, (nr + 1) * sizeof *d->ddays);
	d->dday = arena_alloc(&d->a, (nr + 1) * sizeof *d->dday);
	for (size_t i = 0; i < nr; i++) {
		const st_channel *c = &t->ch[rows[i].ch];
		d->ddays[i] = (st_daycount){c->id, c->name, rows[i].count};
		d->dday[i] = rows[i].day;
	}
	free(rows);
	d->n = nr;
	__atomic_store_n(&d->loaded, true, __ATOMIC_RELEASE);
	return true;
}

/* Table d of the page's snapshot (people's or the day pages'), loaded by
 * the first thread that asks; NULL if it cannot be read. */
static daytable *load_days(page *p, bool people)
{
	snap *t = snap_of(p);
	if (!t)
		return NULL;
	daytable *d = people ? &t->people : &t->days;
	if (__atomic_load_n(&d->loaded, __ATOMIC_ACQUIRE))
		return d;
	pthread_mutex_lock(&t->lock);
	bool ok = d->loaded || fill_days(p->st, t, d);
	pthread_mutex_unlock(&t->lock);
	return ok ? d : NULL;
}

/* The day table costs a walk of the messages_page index, every message of
 * the archive (500-600 ms at a million messages), and a sort; a page's
 * sidebar or calendar from the store is one range of day_counts' index
 * (tens of microseconds), and a page built from the table is not
 * measurably faster (2.3-2.4 ms either way on that archive). So a walk of
 * every URL (a build, a sitemap) loads it (site_days_load,
 * site_days_changed), and pages use it only once a walk has: no reader
 * waits for the table. */
bool site_days_load(page *p)
{
	return load_days(p, false) != NULL;
}

/* The page's day table if a walk loaded it, else NULL. */
static const daytable *loaded_days(const page *p)
{
	const snap *t = snap_of(p);
	return t && __atomic_load_n(&t->days.loaded, __ATOMIC_ACQUIRE) ? &t->days : NULL;
}

/* Channel c's run of d's per-channel arrays: [*from, *from + *n); false
 * if c is not in the snapshot's list. */
static bool channel_run(const page *p, const daytable *d, const st_channel *c, size_t *from, size_t *n)
{
	const snap *t = snap_of(p);
	size_t i = c >= t->ch && c < t->ch + t->nch ? (size_t)(c - t->ch) : channel_index(t, c->id);
	if (i == t->nch)
		return false;
	*from = d->cfrom[i];
	*n = d->cfrom[i + 1] - d->cfrom[i];
	return true;
}

bool site_channel_days(page *p, const st_channel *c, const st_daycount **out, size_t *n)
{
	const daytable *d = loaded_days(p);
	size_t from;
	if (!d)
		return false;
	*out = channel_run(p, d, c, &from, n) ? d->cdays + from : (*n = 0, NULL);
	return true;
}

const char *site_adjacent_day(page *p, const st_channel *c, const char *day, int dir)
{
	const st_daycount *d;
	size_t n;
	if (!site_channel_days(p, c, &d, &n))
		return store_adjacent_day(p->st, &p->a, c->id, day, dir);
	/* the first day after `day` (or `day` itself, when it has a page) */
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(d[mid].day, day) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (dir < 0)
		return lo ? d[lo - 1].day : NULL;
	if (lo < n && strcmp(d[lo].day, day) == 0)
		lo++;
	return lo < n ? d[lo].day : NULL;
}

bool site_days_changed(page *p, const st_channel *c, const st_daychange **out, size_t *n)
{
	const daytable *d = load_days(p, false);
	size_t from;
	if (!d)
		return false;
	*out = channel_run(p, d, c, &from, n) ? d->changes + from : (*n = 0, NULL);
	return true;
}

/* A channel's days with messages (from the table when a walk loaded it,
 * else the store) and its days with only replies to threads of other
 * days (the store: one range of late_replies), as one list. */
int site_day_pages(page *p, const st_channel *c, bool dated, site_dayp **out, size_t *n)
{
	const st_daycount *dc = NULL;
	const st_daychange *dd = NULL;
	st_daycount *sc;
	st_daychange *sd;
	st_chanday *l;
	size_t nd = 0, nl;
	int rc = 0;
	if (dated && !site_days_changed(p, c, &dd, &nd))
		rc = store_channel_days_changed(p->st, &p->a, c->id, &sd, &nd), dd = sd;
	else if (!dated && !site_channel_days(p, c, &dc, &nd))
		rc = store_channel_days(p->st, &p->a, c->id, &sc, &nd), dc = sc;
	if (rc < 0 || store_late_days(p->st, &p->a, c->id, &l, &nl) < 0)
		return -1;
	site_dayp *v = arena_alloc(&p->a, (nd + nl + 1) * sizeof *v);
	size_t k = 0;
	for (size_t i = 0, j = 0; i < nd || j < nl; k++) {
		const char *day = i == nd ? NULL : dated ? dd[i].day : dc[i].day;
		int cmp = !day ? 1 : j == nl ? -1 : strcmp(day, l[j].day);
		if (cmp > 0) {
			v[k] = (site_dayp){l[j].day, 0, dated ? l[j].changed : 0, true};
			j++;
			continue;
		}
		v[k] = (site_dayp){day, dated ? 0 : dc[i].count, dated ? dd[i].changed : 0, false};
		if (cmp == 0 && dated && l[j].changed > v[k].changed)
			v[k].changed = l[j].changed;   /* a line of its replies came later */
		i++;
		j += cmp == 0;
	}
	*out = v;
	*n = k;
	return 0;
}

static int by_change_key(const void *k, const void *e)
{
	return strcmp(k, ((const st_daychange *)e)->day);
}

int64_t site_user_changed(page *p, const char *user_id)
{
	const daytable *d = load_days(p, true);
	if (!d || !d->nusers)
		return 0;
	const st_daychange *e = bsearch(user_id, d->users, d->nusers, sizeof *e, by_change_key);
	return e ? e->changed : 0;
}

bool site_day_channels(page *p, const char *day, const st_daycount **out, size_t *n)
{
	const daytable *d = loaded_days(p);
	if (!d)
		return false;
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

/* The people with a profile who wrote in a visible channel. */
static bool fill_authors(page *p, snap *t)
{
	arena_reset(&t->aa);
	st_author *v;
	size_t n;
	if (store_authors(p->st, &t->aa, &v, &n) < 0)
		return false;
	const char **ids = arena_alloc(&t->aa, (n + 1) * sizeof *ids);
	size_t k = 0;
	arena_t tmp = {0};
	for (size_t i = 0, end; i < n; i = end) {
		const char *id = v[i].user_id;   /* rows of one person share it */
		bool visible = false;
		for (end = i; end < n && v[end].user_id == id; end++)
			visible = visible || site_channel_by_id(p, v[end].channel_id);
		if (visible && store_user(p->st, &tmp, id))   /* no profile: a 404 */
			ids[k++] = id;
		arena_reset(&tmp);
	}
	arena_free(&tmp);
	t->authors = ids;
	t->nauthors = k;
	__atomic_store_n(&t->authors_loaded, true, __ATOMIC_RELEASE);
	return true;
}

bool site_authors(page *p, const char *const **ids, size_t *n)
{
	snap *t = snap_of(p);
	if (!t)
		return false;
	if (!__atomic_load_n(&t->authors_loaded, __ATOMIC_ACQUIRE)) {
		pthread_mutex_lock(&t->lock);
		bool ok = t->authors_loaded || fill_authors(p, t);
		pthread_mutex_unlock(&t->lock);
		if (!ok)
			return false;
	}
	*ids = t->authors;
	*n = t->nauthors;
	return true;
}

static int by_author(const void *k, const void *e)
{
	return strcmp(k, *(const char *const *)e);
}

int site_is_author(page *p, const char *user_id)
{
	snap *t = snap_of(p);
	if (t && __atomic_load_n(&t->authors_loaded, __ATOMIC_ACQUIRE))
		return t->nauthors && bsearch(user_id, t->authors, t->nauthors, sizeof *t->authors, by_author);
	/* one person's rows of user_counts, not everyone's; their profile
	 * as the thread keeps it (the pages that ask name them) */
	const char **ids;
	size_t n;
	if (store_user_channel_ids(p->st, &p->a, user_id, &ids, &n) < 0)
		return -1;
	bool visible = false;
	for (size_t i = 0; i < n && !visible; i++)
		visible = site_channel_by_id(p, ids[i]) != NULL;
	return visible && ui_person(p, user_id) != NULL;
}

bool site_page_count(page *p, size_t *n)
{
	snap *t = snap_of(p);
	if (!t || !__atomic_load_n(&t->npages_known, __ATOMIC_ACQUIRE))
		return false;
	*n = t->npages;
	return true;
}

void site_page_count_set(page *p, size_t n)
{
	snap *t = snap_of(p);
	if (!t)
		return;
	pthread_mutex_lock(&t->lock);   /* two threads may count: same number */
	t->npages = n;
	__atomic_store_n(&t->npages_known, true, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&t->lock);
}

void site_channels(page *p, const st_channel **out, size_t *n)
{
	const snap *t = snap_of(p);
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
		if (s->pinned) {
			p->version = s->pin_version;
			p->mtime = s->pin_mtime;
		} else {
			p->version = version_mtime(s, &p->mtime);
		}
		load_channels(s, t, p->version);
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
