/* server.h: the HTTP server (libmicrohttpd) in front of the pages.
 *
 * It owns the network manners: method check (GET and HEAD), strict path
 * decoding (url.h), /healthz, conditional GET and 304, gzip, HEAD, cache
 * and security headers, size and time limits for slow or greedy clients,
 * and the access log. Everything else is page_get(). */
#ifndef SLACKLOG_SERVER_H
#define SLACKLOG_SERVER_H
#include <stddef.h>
#include "pages/pages.h"
#include "web/accesslog.h"
#include "web/conf.h"

typedef struct server server_t;

/* Listen on conf->listen ("HOST:PORT", "[::1]:PORT"; port 0 picks a free
 * one) with a pool of worker threads. */
server_t *server_start(site_t *site, accesslog_t *log, const conf_t *conf, char *err, size_t errlen);
unsigned server_port(server_t *srv);
/* Stop accepting, finish requests in flight, join the workers. */
void server_stop(server_t *srv);
#endif
