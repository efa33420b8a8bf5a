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

struct site {
	pthread_rwlock_t lock;        /* guards conf */
	conf_t *conf;
	char *db;
	int flags;                    /* store_open flags */
	pthread_key_t key;            /* this thread's store_t; handles of
					 * finished threads are closed by
					 * site_free() from the list below */
	pthread_mutex_t hlock;        /* guards handles */
	store_t **handles;
	size_t nhandles;
	char *wal;                    /* db path + "-wal" */
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

static void forget_handle(site_t *s, store_t *st)
{
	pthread_mutex_lock(&s->hlock);
	for (size_t i = 0; i < s->nhandles; i++)
		if (s->handles[i] == st) {
			s->handles[i] = s->handles[--s->nhandles];
			break;
		}
	pthread_mutex_unlock(&s->hlock);
}

static store_t *thread_store(site_t *s, char *err, size_t errlen)
{
	store_t *st = pthread_getspecific(s->key);
	if (st)
		return st;
	st = store_open(s->db, s->flags, err, errlen);
	if (!st)
		return NULL;
	pthread_setspecific(s->key, st);
	pthread_mutex_lock(&s->hlock);
	s->handles = xrealloc(s->handles, (s->nhandles + 1) * sizeof *s->handles);
	s->handles[s->nhandles++] = st;
	pthread_mutex_unlock(&s->hlock);
	return st;
}

void site_thread_done(site_t *s)
{
	store_t *st = pthread_getspecific(s->key);
	if (!st)
		return;
	pthread_setspecific(s->key, NULL);
	forget_handle(s, st);
	store_close(st);
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
	s->flags = STORE_READONLY | (conf->publish && conf->publish[0] ? STORE_ALL : 0);
	store_t *st = thread_store(s, err, errlen);
	if (!st || set_zone(s, st, err, errlen) < 0) {
		site_free(s);
		return NULL;
	}
	return s;
}

void site_reconf(site_t *s, conf_t *conf)
{
	pthread_rwlock_wrlock(&s->lock);
	conf_t *old = s->conf;
	bool all_before = s->flags & STORE_ALL;
	bool all_now = conf->publish && conf->publish[0];
	if (all_now && !all_before)
		log_warn("the publish list grew from empty: restart the server to apply it");
	s->conf = conf;
	pthread_rwlock_unlock(&s->lock);
	conf_free(old);
}

void site_free(site_t *s)
{
	if (!s)
		return;
	site_thread_done(s);
	for (size_t i = 0; i < s->nhandles; i++)
		store_close(s->handles[i]);
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
	if (conf_listed(p->conf->unpublish, c->name) || conf_listed(p->conf->unpublish, c->id))
		return false;
	if (conf_listed(p->conf->publish, c->name) || conf_listed(p->conf->publish, c->id))
		return true;
	return c->published;
}

const st_channel *site_channel_by_name(page *p, const char *name)
{
	const st_channel *c = store_channel_by_name(p->st, &p->a, name);
	return site_channel_visible(p, c) ? c : NULL;
}

const st_channel *site_channel_by_id(page *p, const char *id)
{
	const st_channel *c = store_channel_by_id(p->st, &p->a, id);
	return site_channel_visible(p, c) ? c : NULL;
}

const char *site_css_href(const page *p)
{
	(void)p;
	return assets_versioned_path("/style.css");
}

int site_check(site_t *s, char *err, size_t errlen)
{
	store_t *st = thread_store(s, err, errlen);
	if (!st)
		return -1;
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

int page_get(site_t *s, const char *path, const char *query, page_out *out)
{
	page p = {0};
	page_out_reset(out);
	pthread_rwlock_rdlock(&s->lock);
	p.site = s;
	p.conf = s->conf;
	p.out = out;
	p.b = &out->body;
	p.query = query ? query : "";
	p.prefix = prefix_of(p.conf);
	char err[256];
	p.st = thread_store(s, err, sizeof err);
	if (!p.st) {
		log_err("store: %s", err);
		ui_text(&p, 500, "text/plain; charset=utf-8", "The archive is not available.\n", CACHE_NONE);
	} else {
		ui_render_ctx(&p);
		route(&p, path);
	}
	arena_free(&p.a);
	pthread_rwlock_unlock(&s->lock);
	return out->status >= 500 ? -1 : 0;
}
