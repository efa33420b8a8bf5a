/* search.h (pages): the search results page and the search API.
 *
 *   /?q=QUERY[&offset=N]              every public channel
 *   /{channel}/?q=QUERY[&offset=N]    one channel
 *   /api.v1/search?q=&limit=&offset=  the same as JSON (channel names never
 *                                     contain a dot, so no channel collides)
 *
 * Parameters arrive URL-decoded, as the HTTP layer got them (NULL when
 * absent). The page is always 200: a query that cannot be read is shown
 * with its message above the form that still holds it. The API answers
 * 400 with {"error": "..."} for the same queries and bad numbers. */
#ifndef SLACKLOG_PAGES_SEARCH_H
#define SLACKLOG_PAGES_SEARCH_H
#include "lib/arena.h"
#include "lib/buf.h"
#include "store/store.h"

/* The page's main content (form, total, results, pagination) for the
 * site's layout to wrap. prefix: the site's path prefix ("" or "/archive",
 * NULL: none), put before every link. channel: the scope, or NULL. Returns
 * the HTTP status: 200, or 500 when the archive fails. */
int page_search_html(buf_t *out, store_t *s, arena_t *a, const char *prefix, const char *q, const char *channel,
		     const char *offset);
/* The page's <title> text: "QUERY - search" (not escaped: the layout
 * escapes it). */
void page_search_title(buf_t *out, const char *q);
/* The API's body; returns 200, 400 or 500. */
int page_search_api(buf_t *out, store_t *s, arena_t *a, const char *prefix, const char *q, const char *limit,
		    const char *offset);
#endif
