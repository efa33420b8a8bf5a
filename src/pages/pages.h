/* pages.h: every page of the web archive, behind one function.
 *
 * page_get() maps a decoded URL path (and the raw query string) to a
 * complete response: status, content type, body, validators, redirect
 * target and cache policy. The body depends on the URL and the archive
 * only, never on request headers: gzip, 304 and HEAD are the HTTP layer's
 * business (src/web/), and `slacklog build` writes the same bodies as files,
 * so a static copy is byte for byte what the server sends.
 *
 * A site_t holds what pages share: the settings (swapped whole on reload),
 * one read-only store handle per thread (SQLite connections are not shared
 * across threads), and the embedded assets' version hashes. */
#ifndef SLACKLOG_PAGES_H
#define SLACKLOG_PAGES_H
#include <stdbool.h>
#include <stdint.h>
#include "lib/buf.h"
#include "web/conf.h"

typedef struct site site_t;

typedef enum {
	CACHE_NONE,        /* no-store: health checks, search results */
	CACHE_PAGE,        /* archive pages: may change after an import */
	CACHE_ERROR,       /* 4xx answers: cached briefly */
	CACHE_REDIRECT,    /* 301s: stable URLs, cached for a day */
	CACHE_IMMUTABLE,   /* assets addressed by content hash */
} cache_policy;

typedef struct page_out {
	int status;                /* 200, 301, 404, ... */
	const char *type;          /* Content-Type, charset included (static) */
	buf_t body;
	char etag[24];             /* strong: "\"" 16 hex digits "\"", or "" */
	int64_t last_modified;     /* unix time, 0 when unknown */
	buf_t location;            /* absolute path (with fragment) for 3xx */
	cache_policy cache;
} page_out;

void page_out_init(page_out *o);
void page_out_reset(page_out *o);
void page_out_free(page_out *o);

/* conf is owned by the site from here on. The store is opened lazily, per
 * thread, read-only; site_new() opens it once to check it is readable. */
site_t *site_new(conf_t *conf, char *err, size_t errlen);
/* Swap in new settings (SIGHUP). Requests in flight finish with the old
 * ones. The database path and time zone are kept: they need a restart. */
void site_reconf(site_t *s, conf_t *conf);
void site_free(site_t *s);
/* Close the calling thread's store handle (worker threads do this on exit
 * by themselves). */
void site_thread_done(site_t *s);
/* Keep the calling thread's store in one read snapshot until
 * site_read_release: its pages read that snapshot instead of taking the
 * database's read lock each (a build's job: its pages are of one moment
 * anyway). False when it could not: pages then take their own. */
bool site_read_hold(site_t *s);
void site_read_release(site_t *s);

/* Health: can this thread read the store? 0, or -1 with a message. */
int site_check(site_t *s, char *err, size_t errlen);
/* What a cache of answers watches (src/web/fresh.c): the store's change
 * sequence, looked at cheaply (store_change_seq_poll) through the calling
 * thread's handle, or -1; and the settings' generation, which a reload
 * moves. Pages begun after a look that saw the sequence move read a new
 * snapshot, whatever the database files' times say. */
int64_t site_change_seq(site_t *s);
unsigned site_generation(site_t *s);
/* From now on pages take the version of this moment, without the two
 * stat() calls per page that notice a change: for a build, whose walk of
 * URLs is of one moment anyway (each page still reads the archive as it
 * is; a change is the next build's). */
void site_pin(site_t *s);
/* The path prefix of base_url ("" or "/archive"): pages link under it. */
const char *site_prefix(site_t *s);

/* Fill out for a decoded path ("/general/2016-03-14/") and the raw query
 * (after '?', may be NULL). Returns 0; on an internal error (store failure)
 * out is a 500 page and -1 is returned. */
int page_get(site_t *s, const char *path, const char *query, page_out *out);

/* Everything the archive publishes (src/pages/publish.c), in a stable
 * order, as decoded paths without the base_url prefix: pages (listed in
 * the sitemap), Atom feeds, legacy redirect stubs ("/{channel}/{day}.html"),
 * JSON API documents, and the site's own files (robots.txt, sitemaps,
 * assets). changed: unix time of the content's last change, or 0. fn
 * returns non-zero to stop; site_urls returns that, or -1 on a store error. */
enum { URL_PAGE = 1, URL_FEED = 2, URL_LEGACY = 4, URL_API = 8, URL_META = 16, URL_ALL = 31 };
/* With the kinds: changed is not needed (0 is passed), which spares
 * reading every message for the pages' dates. */
enum { URL_UNDATED = 64 };
enum { SITEMAP_MAX = 50000 };   /* URLs per sitemap file (the protocol's limit) */
typedef int (*site_url_fn)(void *ud, unsigned kind, const char *path, int64_t changed);
int site_urls(site_t *s, unsigned kinds, site_url_fn fn, void *ud);

/* Incremental builds. site_mark: the store's change sequence (the newest
 * committed change) and the archive's identity (sequences of two archives
 * do not compare). site_urls_since: site_urls, telling for each URL
 * whether its content may differ from what it was at sequence since
 * (dirty); since < 0: every URL is. publish.c maps each change to the
 * pages that show it. The same settings and program are assumed: a build
 * that changes either renders everything. */
int site_mark(site_t *s, int64_t *seq, char *id, size_t idlen);
typedef int (*site_url_dirty_fn)(void *ud, unsigned kind, const char *path, int64_t changed, bool dirty);
int site_urls_since(site_t *s, unsigned kinds, int64_t since, site_url_dirty_fn fn, void *ud);
/* With URL_NARROW among the kinds, site_urls_since first calls fn with
 * kind URL_SCOPE and path "/" when it can list only what the changes
 * since `since` may have touched, "*" when it lists every URL (no since,
 * or a change of everything). Narrowed, it lists every URL a full walk
 * would call dirty, and every URL of each scope it names (kind URL_SCOPE,
 * before the scope's URLs): a path that ends in '/' covers what is under
 * it, another covers itself; the site's own files (no '/' after the
 * first) are all listed. A URL published before under a named scope and
 * not listed now is no longer published; one under no named scope is as
 * it was. */
enum { URL_SCOPE = 32, URL_NARROW = 128 };
/* Is a URL (its path or file name without the leading '/') under one of
 * the scopes a narrow walk named (sorted, without their leading '/')?
 * The site's own files always are. */
bool site_url_scoped(char *const *scopes, size_t n, const char *name);

/* The strong ETag of a body: first 64 bits of its SHA-256, quoted. */
void page_etag(const void *body, size_t n, char out[24]);
#endif
