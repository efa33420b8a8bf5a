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

/* What each thread keeps: its store handle, and the channel list as of a
 * data version (page lookups by name and ID then cost no query). */
typedef struct tstate {
	store_t *st;
	arena_t ca;
	st_channel *ch;
	size_t nch;
	uint64_t ver;
	bool loaded;
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

uint64_t site_version(site_t *s)
{
	struct stat a;
	uint64_t v = mix(0, __atomic_load_n(&s->generation, __ATOMIC_RELAXED));
	if (stat(s->db, &a) == 0)
		v = mix(mix(mix(v, (uint64_t)a.st_mtim.tv_sec), (uint64_t)a.st_mtim.tv_nsec), (uint64_t)a.st_size);
	if (stat(s->wal, &a) == 0)
		v = mix(mix(mix(v, (uint64_t)a.st_mtim.tv_sec), (uint64_t)a.st_mtim.tv_nsec), (uint64_t)a.st_size);
	return v;
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
	t->ver = ver;
	t->loaded = true;
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
	struct stat a, b;
	int64_t t = 0;
	if (stat(s->db, &a) == 0)
		t = a.st_mtime;
	if (stat(s->wal, &b) == 0 && b.st_mtime > t)
		t = b.st_mtime;
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
	for (size_t i = 0; t && i < t->nch; i++)
		if (strcmp(t->ch[i].name, name) == 0 && site_channel_visible(p, &t->ch[i]))
			return &t->ch[i];
	return NULL;
}

const st_channel *site_channel_by_id(page *p, const char *id)
{
	tstate *t = p->ts;
	for (size_t i = 0; t && id && i < t->nch; i++)
		if (strcmp(t->ch[i].id, id) == 0)
			return site_channel_visible(p, &t->ch[i]) ? &t->ch[i] : NULL;
	return NULL;
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
		p->version = site_version(s);
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
