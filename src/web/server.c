/* server.c: libmicrohttpd glue. See server.h.
 *
 * One request is answered in one call of answer(): the method is checked,
 * the path decoded strictly, the page built by page_get() (or /healthz),
 * then the HTTP layer decides 304, gzip and headers. The page body is
 * handed to libmicrohttpd without a copy: a fresh one is given away, a
 * cached one lent until it is sent (cache.h). libmicrohttpd's own percent-
 * decoding is replaced by an identity function, so the path arrives as the
 * client sent it and url_decode_path() is the only decoder. */
#include "web/server.h"
#include "web/cache.h"
#include "web/events.h"
#include "web/fresh.h"
#include "web/http.h"
#include "web/url.h"
#include "cli.h"
#include <microhttpd.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

enum {
	MEMORY_LIMIT = 32 * 1024,   /* request line + headers must fit */
	TIMEOUT = 15,               /* seconds a connection may sit idle */
	MAX_CONNECTIONS = 4000,     /* open at once; more wait in the backlog */
	SPARE_FDS = 256,            /* the archive, the log, the listener */
	GZIP_MIN = 256,             /* smaller bodies are sent as they are */
};

struct server {
	struct MHD_Daemon *d;
	site_t *site;
	accesslog_t *log;
	pcache_t *cache;             /* NULL: cache_mb = 0 */
	fresh_t *fresh;              /* keeps it true to the archive */
	int cache_debug;             /* conf.h */
	evsink_t *events;            /* POST /slack/events, or NULL */
};

/* What the access log needs, kept across the callbacks of one request. */
typedef struct req {
	double start;
	int status;
	size_t bytes;
	bool answered;
	char method[16];
	char *path;
	bool events;                 /* a POST to the events endpoint */
	const char *cached;          /* cache_debug: "hit" or "miss" */
	bool too_big;
	buf_t body;
} req;

static size_t no_unescape(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return strlen(s);
}

/* Called with the raw request target before libmicrohttpd splits its
 * query into parameters. A query with hundreds of parameters can fill the
 * connection's memory pool while they are split, and libmicrohttpd 0.9.75
 * then neither answers nor closes: such a connection gets a one-second
 * timeout, and one that fits is refused by answer() (414). */
static void *uri_seen(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)cls;
	const char *q = strchr(uri, '?');
	if (q && url_check_query(q + 1) == URL_TOO_LONG)
		MHD_set_connection_option(c, MHD_CONNECTION_OPTION_TIMEOUT, 1u);
	return NULL;
}

static void security_headers(struct MHD_Response *r)
{
	MHD_add_response_header(r, "Content-Security-Policy", HTTP_CSP);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "strict-origin-when-cross-origin");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
}

static enum MHD_Result reply(struct MHD_Connection *c, req *rq, int status, struct MHD_Response *r, size_t bytes)
{
	security_headers(r);
	if (rq->cached)
		MHD_add_response_header(r, "X-Cache", rq->cached);
	enum MHD_Result ok = MHD_queue_response(c, (unsigned)status, r);
	MHD_destroy_response(r);
	rq->status = status;
	rq->bytes = bytes;
	rq->answered = true;
	return ok;
}

static enum MHD_Result send_text(struct MHD_Connection *c, req *rq, int status, const char *text,
				 cache_policy cache)
{
	size_t n = strlen(text);
	struct MHD_Response *r = MHD_create_response_from_buffer(n, (void *)text, MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, "Content-Type", "text/plain; charset=utf-8");
	MHD_add_response_header(r, "Cache-Control", http_cache_control(cache));
	if (status == 405)
		MHD_add_response_header(r, "Allow", "GET, HEAD");
	return reply(c, rq, status, r, n);
}

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	buf_t *b = cls;
	if (b->len)
		buf_putc(b, '&');
	buf_puts(b, key);
	if (value) {
		buf_putc(b, '=');
		buf_puts(b, value);
	}
	return MHD_YES;
}

static void validators(struct MHD_Response *r, const page_out *o, const char *etag)
{
	char date[40];
	if (*etag)
		MHD_add_response_header(r, "ETag", etag);
	if (o->last_modified > 0) {
		http_date(o->last_modified, date);
		MHD_add_response_header(r, "Last-Modified", date);
	}
	MHD_add_response_header(r, "Cache-Control", http_cache_control(o->cache));
}

static void release(void *ref)
{
	pcache_release(ref);
}

/* The page is built (gz: its gzip form, possibly empty); decide 304 or
 * 200, identity or gzip, and send it. ref: the cache lent o and gz (they
 * are sent as they are, and released when sent); else they are ours and
 * their buffers are handed over. */
static enum MHD_Result send_page(struct MHD_Connection *c, req *rq, page_out *o, buf_t *gz, void *ref)
{
	const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
	const char *ims = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-Modified-Since");
	const char *ae = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding");
	bool vary = o->type && http_compressible(o->type);
	bool use_gz = gz->len && http_accepts_gzip(ae);
	char etag[32];
	if (use_gz)
		http_etag_gz(o->etag, etag);
	else
		snprintf(etag, sizeof etag, "%s", o->etag);

	if (o->status == 200 && http_not_modified(inm, ims, o->etag, o->last_modified)) {
		struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
		validators(r, o, etag);
		if (vary)
			MHD_add_response_header(r, "Vary", "Accept-Encoding");
		if (ref)
			pcache_release(ref);
		return reply(c, rq, 304, r, 0);
	}
	buf_t *body = use_gz ? gz : &o->body;
	size_t n = body->len;
	struct MHD_Response *r;
	if (ref)
		r = MHD_create_response_from_buffer_with_free_callback_cls(n, n ? body->p : "", release, ref);
	else
		r = MHD_create_response_from_buffer(n, buf_detach(body), MHD_RESPMEM_MUST_FREE);
	if (o->type)
		MHD_add_response_header(r, "Content-Type", o->type);
	validators(r, o, etag);
	if (vary)
		MHD_add_response_header(r, "Vary", "Accept-Encoding");
	if (use_gz)
		MHD_add_response_header(r, "Content-Encoding", "gzip");
	if (o->location.len)
		MHD_add_response_header(r, "Location", buf_str(&o->location));
	return reply(c, rq, o->status, r, n);
}

/* Lent from the cache, or built, compressed once and kept. Without a
 * cache (cache_mb = 0), compressed only for a client that takes gzip. A
 * hit asks nothing of the archive: the cache's watcher (fresh.h) drops
 * what a change touches; the epoch, taken before building, keeps an
 * answer built from the archive before such a drop out of the cache. */
static enum MHD_Result serve_page(server_t *srv, struct MHD_Connection *c, req *rq, const char *path,
				  const char *query)
{
	uint64_t epoch = 0;
	if (srv->cache) {
		pcache_hit h;
		bool hit = pcache_hold(srv->cache, path, query, &h);
		if (srv->cache_debug >= 0)
			rq->cached = hit ? "hit" : "miss";
		if (hit)
			return send_page(c, rq, (page_out *)h.o, (buf_t *)h.gz, h.ref);
		epoch = pcache_epoch(srv->cache);
	}
	page_out o;
	page_out_init(&o);
	buf_t gz = BUF_INIT;
	page_get(srv->site, path, query, &o);
	bool want_gz = srv->cache || http_accepts_gzip(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding"));
	if (want_gz && o.type && http_compressible(o.type) && o.body.len >= GZIP_MIN &&
	    http_gzip(o.body.p, o.body.len, &gz) < 0)
		buf_reset(&gz);
	if (srv->cache) {
		if (srv->cache_debug > 0)
			usleep((useconds_t)srv->cache_debug * 1000);
		pcache_put(srv->cache, path, query, epoch, &o, &gz);
	}
	enum MHD_Result ok = send_page(c, rq, &o, &gz, NULL);
	page_out_free(&o);
	buf_free(&gz);
	return ok;
}

/* ---- POST /slack/events (web/events.h) ------------------------------------ */

static bool is_events_path(server_t *srv, const char *url)
{
	const char *prefix = site_prefix(srv->site);
	size_t pn = strlen(prefix);
	if (pn && strncmp(url, prefix, pn) == 0)
		url += pn;
	return strcmp(url, EVENTS_PATH) == 0;
}

/* Count the framing headers and look at every field name (evreq). */
static enum MHD_Result scan_field(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	(void)value;
	evreq *r = cls;
	if (strcasecmp(key, "Content-Length") == 0)
		r->n_content_length++;
	else if (strcasecmp(key, "Transfer-Encoding") == 0)
		r->n_transfer_encoding++;
	if (!*key || key[strcspn(key, " \t\r\n\v\f:")])
		r->bad_field_name = true;
	return MHD_YES;
}

static void events_req(struct MHD_Connection *c, evreq *r)
{
	memset(r, 0, sizeof *r);
	MHD_get_connection_values(c, MHD_HEADER_KIND, scan_field, r);
	r->content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	r->content_length = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
	r->transfer_encoding = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Transfer-Encoding");
	r->timestamp = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Slack-Request-Timestamp");
	r->signature = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Slack-Signature");
}

static enum MHD_Result send_events(struct MHD_Connection *c, req *rq, int status, const char *type, buf_t *out)
{
	size_t n = out->len;
	struct MHD_Response *r = MHD_create_response_from_buffer(n, buf_detach(out), MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "Cache-Control", http_cache_control(CACHE_NONE));
	return reply(c, rq, status, r, n);
}

/* First call: refuse what the headers alone rule out, before any body. */
static enum MHD_Result events_begin(server_t *srv, struct MHD_Connection *c, req *rq)
{
	rq->events = true;
	if (!srv->events)
		return send_text(c, rq, 404, "Not found.\n", CACHE_ERROR);
	evreq r;
	const char *why;
	events_req(c, &r);
	int st = evsink_precheck(&r, &why);
	return st ? send_text(c, rq, st, why, CACHE_NONE) : MHD_YES;
}

/* Later calls: collect the body (1 MB at most), then answer. */
static enum MHD_Result events_more(server_t *srv, struct MHD_Connection *c, req *rq, const char *upload,
				   size_t *upload_size)
{
	if (*upload_size) {
		if (rq->body.len + *upload_size > EVENTS_MAX_BODY)
			rq->too_big = true;
		else if (!rq->answered)
			buf_put(&rq->body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	if (rq->answered)
		return MHD_YES;
	if (rq->too_big)
		return send_text(c, rq, 413, "Request body too large (1 MB at most).\n", CACHE_NONE);
	evreq r;
	events_req(c, &r);
	r.body = buf_str(&rq->body);
	r.len = rq->body.len;
	const char *type;
	buf_t out = BUF_INIT;
	int st = evsink_handle(srv->events, &r, &type, &out);
	enum MHD_Result ok = send_events(c, rq, st, type, &out);
	buf_free(&out);
	return ok;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url, const char *method,
			      const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	(void)version;
	(void)upload;
	server_t *srv = cls;
	req *rq = *con_cls;
	if (!rq) {
		rq = xcalloc(1, sizeof *rq);
		rq->start = now_seconds();
		snprintf(rq->method, sizeof rq->method, "%s", method);
		rq->path = xstrndup(url, strnlen(url, URL_MAX_PATH + 16));
		*con_cls = rq;
		if (strcmp(method, "POST") == 0 && is_events_path(srv, rq->path))
			return events_begin(srv, c, rq);
		evreq fr;
		events_req(c, &fr);
		const char *why = http_framing_error(&(http_framing){fr.content_length, fr.transfer_encoding,
			fr.n_content_length, fr.n_transfer_encoding, fr.bad_field_name});
		if (why)
			return send_text(c, rq, 400, why, CACHE_NONE);
		/* Other methods are refused at once, before any body is read
		 * (the connection is then closed). GET and HEAD are answered on
		 * the next call, once the request is complete: answering
		 * earlier would cost the connection its keep-alive. */
		if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
			return send_text(c, rq, 405, "Only GET and HEAD are supported here.\n", CACHE_NONE);
		return MHD_YES;
	}
	if (rq->events)
		return events_more(srv, c, rq, upload, upload_size);
	if (rq->answered || *upload_size) {
		*upload_size = 0;    /* a body we did not ask for: dropped */
		return MHD_YES;
	}

	buf_t path = BUF_INIT;
	url_status us = url_decode_path(url, &path);
	if (us != URL_OK) {
		buf_free(&path);
		return us == URL_TOO_LONG ? send_text(c, rq, 414, "URL too long.\n", CACHE_NONE)
					  : send_text(c, rq, 400, "Bad request: malformed path.\n", CACHE_NONE);
	}
	const char *p = buf_str(&path), *prefix = site_prefix(srv->site);
	size_t pn = strlen(prefix);
	if (pn && strncmp(p, prefix, pn) == 0 && (p[pn] == '/' || p[pn] == 0))
		p = p[pn] ? p + pn : "/";
	if (strcmp(p, "/healthz") == 0) {
		char err[256];
		buf_free(&path);
		if (site_check(srv->site, err, sizeof err) < 0)
			return send_text(c, rq, 503, "unavailable\n", CACHE_NONE);
		return send_text(c, rq, 200, "ok\n", CACHE_NONE);
	}
	buf_t query = BUF_INIT;
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_arg, &query);
	url_status qs = url_check_query(buf_str(&query));
	if (qs != URL_OK) {
		buf_free(&query);
		buf_free(&path);
		return qs == URL_TOO_LONG ? send_text(c, rq, 414, "Query string too long.\n", CACHE_NONE)
					  : send_text(c, rq, 400, "Bad request: malformed query.\n", CACHE_NONE);
	}
	enum MHD_Result ok = serve_page(srv, c, rq, p, buf_str(&query));
	buf_free(&query);
	buf_free(&path);
	return ok;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)toe;
	server_t *srv = cls;
	req *rq = *con_cls;
	if (!rq)
		return;
	char host[NI_MAXHOST] = "-";
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci && ci->client_addr) {
		socklen_t len = ci->client_addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
								      : sizeof(struct sockaddr_in);
		getnameinfo(ci->client_addr, len, host, sizeof host, NULL, 0, NI_NUMERICHOST);
	}
	accesslog_write(srv->log, host, rq->method, rq->path, rq->status, rq->bytes, now_seconds() - rq->start);
	free(rq->path);
	buf_free(&rq->body);
	free(rq);
	*con_cls = NULL;
}

/* "HOST:PORT", "[v6]:PORT" or ":PORT" into a socket address. */
static int resolve(const char *listen, struct sockaddr_storage *ss, socklen_t *len, char *err, size_t errlen)
{
	char host[256];
	const char *colon = strrchr(listen, ':');
	if (!colon || !colon[1]) {
		snprintf(err, errlen, "listen address '%s' is not HOST:PORT", listen);
		return -1;
	}
	size_t hn = (size_t)(colon - listen);
	if (hn >= sizeof host)
		hn = sizeof host - 1;
	memcpy(host, listen, hn);
	host[hn] = 0;
	char *h = host;
	if (h[0] == '[' && hn >= 2 && h[hn - 1] == ']') {
		h[hn - 1] = 0;
		h++;
	}
	struct addrinfo hints = {0}, *ai;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	int rc = getaddrinfo(*h ? h : NULL, colon + 1, &hints, &ai);
	if (rc != 0) {
		snprintf(err, errlen, "listen address '%s': %s", listen, gai_strerror(rc));
		return -1;
	}
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
}

/* Each connection is a file descriptor: raise the soft limit (often 1024)
 * towards the hard one so that MAX_CONNECTIONS can really be open, and
 * accept no more connections than the descriptors allow. */
static unsigned connection_limit(void)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)MAX_CONNECTIONS + SPARE_FDS;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return MAX_CONNECTIONS;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= want)
		return MAX_CONNECTIONS;
	unsigned n = rl.rlim_cur > 2 * SPARE_FDS ? (unsigned)(rl.rlim_cur - SPARE_FDS) : (unsigned)rl.rlim_cur / 2;
	log_warn("at most %u connections at once: the file descriptor limit is %llu (ulimit -n)", n,
		 (unsigned long long)rl.rlim_cur);
	return n;
}

server_t *server_start(site_t *site, accesslog_t *log, const conf_t *conf, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	if (resolve(conf->listen, &ss, &sslen, err, errlen) < 0)
		return NULL;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned threads = conf->threads > 0 ? (unsigned)conf->threads : cores > 0 ? (unsigned)cores : 2;
	server_t *srv = xcalloc(1, sizeof *srv);
	srv->site = site;
	srv->log = log;
	srv->cache = conf->cache_mb > 0 ? pcache_new((size_t)conf->cache_mb << 20) : NULL;
	srv->cache_debug = conf->cache_debug;
	if (conf->signing_secret && *conf->signing_secret) {
		srv->events = evsink_new(conf->db, conf->signing_secret, err, errlen);
		if (!srv->events) {
			pcache_free(srv->cache);
			free(srv);
			return NULL;
		}
	}
	unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	srv->d = MHD_start_daemon(flags, 0, NULL, NULL, answer, srv,
				  MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
				  MHD_OPTION_THREAD_POOL_SIZE, threads,
				  MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)TIMEOUT,
				  MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)MEMORY_LIMIT,
				  MHD_OPTION_CONNECTION_LIMIT, connection_limit(),
				  MHD_OPTION_LISTENING_ADDRESS_REUSE, 1,
				  MHD_OPTION_STRICT_FOR_CLIENT, (int)1,
				  MHD_OPTION_UNESCAPE_CALLBACK, no_unescape, NULL,
				  MHD_OPTION_URI_LOG_CALLBACK, uri_seen, NULL,
				  MHD_OPTION_NOTIFY_COMPLETED, completed, srv,
				  MHD_OPTION_END);
	if (!srv->d) {
		snprintf(err, errlen, "cannot listen on %s (address in use, or not allowed?)", conf->listen);
		evsink_free(srv->events);
		pcache_free(srv->cache);
		free(srv);
		return NULL;
	}
	if (srv->cache && !(srv->fresh = fresh_start(site, srv->cache))) {
		snprintf(err, errlen, "cannot start the thread that keeps the page cache true");
		server_stop(srv);
		return NULL;
	}
	return srv;
}

unsigned server_port(server_t *srv)
{
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv->d, MHD_DAEMON_INFO_BIND_PORT);
	return di ? di->port : 0;
}

void server_stop(server_t *srv)
{
	if (!srv)
		return;
	/* graceful: stop accepting, let open requests finish (a few seconds
	 * at most: keep-alive connections would otherwise hold us forever) */
	MHD_quiesce_daemon(srv->d);
	for (int i = 0; i < 50; i++) {
		const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv->d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
		if (!di || di->num_connections == 0)
			break;
		usleep(100 * 1000);
	}
	MHD_stop_daemon(srv->d);
	fresh_stop(srv->fresh);
	evsink_free(srv->events);
	pcache_free(srv->cache);
	free(srv);
}
