/* fresh.h: keeps the server's cache of answers true to the archive.
 *
 * A kept answer stays until a committed change touches it, whoever made
 * the change: the Events API in this process, `ingest --follow`, `listen`
 * or a moderation command in another. One thread looks at the store's
 * change sequence every FRESH_LOOK_MS (site_change_seq: no query while
 * nothing was committed) and at the settings' generation. When the
 * sequence moved, it asks publish.c which URLs the changes since its last
 * look touch (site_urls_since, narrowed: the one place that says so, for
 * builds as for the cache) and drops those answers, at most once per
 * FRESH_GAP_MS: a busy archive's commits are dropped for together. A
 * reload, a change of everything ('g') or a sequence that went back
 * drops every answer; so do answers other than 200 (not-found pages,
 * redirects), whose truth the list of published URLs does not hold, and
 * the site's own files (sitemaps, robots.txt), which the walk leaves out:
 * a sitemap changes with any change, robots.txt costs nothing to build.
 * Assets asked for by their content's hash stay.
 * A change is so out of the cache within FRESH_LOOK_MS + FRESH_GAP_MS and
 * the time of one walk (a few tens of milliseconds on 100,000 messages):
 * well under a second. */
#ifndef SLACKLOG_FRESH_H
#define SLACKLOG_FRESH_H
#include "pages/pages.h"
#include "web/cache.h"

enum { FRESH_LOOK_MS = 100, FRESH_GAP_MS = 250 };

typedef struct fresh fresh_t;

/* Start watching for cache (its first look drops what is in it: it may
 * be older than the sequence it sees). NULL if the thread cannot start. */
fresh_t *fresh_start(site_t *site, pcache_t *cache);
void fresh_stop(fresh_t *f);
#endif
