/* ws.c: the WebSocket client. See ws.h.
 *
 * Three layers, each small: ws_parse (bytes -> messages, no I/O), the
 * transport (a non-blocking socket, with or without libssl on it: connect,
 * read some, write all), and the opening handshake (an HTTP/1.1 GET with
 * Upgrade, its answer checked against the key sent). Only the main thread
 * opens connections, so the one TLS context is made lazily without a lock. */
#include "live/ws.h"
#include "lib/utf8.h"
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { CHUNK = 16384, MAX_ANSWER_HEAD = 16384, SEND_TIMEOUT_MS = 5000 };
#define WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

/* ---- frames ---------------------------------------------------------------- */

static int bad(const char **why, int *code, const char *what, int c)
{
	*why = what;
	*code = c;
	return WS_BAD;
}

static uint64_t be(const uint8_t *p, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static bool known_op(int op)
{
	return op == WS_CONT || op == WS_TEXT || op == WS_BINARY || op == WS_CLOSE || op == WS_PING || op == WS_PONG;
}

/* A control frame (its header checked): close frames carry a code and a
 * UTF-8 reason. */
static int control(const uint8_t *pl, size_t len, int op, ws_msg *m, const char **why, int *code)
{
	m->op = op;
	m->data = (const char *)pl;
	m->len = len;
	m->code = 0;
	if (op != WS_CLOSE)
		return WS_MSG;
	if (len == 1)
		return bad(why, code, "a close frame with a one-byte payload", 1002);
	m->code = len ? (int)be(pl, 2) : 1005;
	if (len) {
		m->data += 2;
		m->len -= 2;
	}
	if (!utf8_valid(m->data, m->len))
		return bad(why, code, "a close frame whose reason is not UTF-8", 1007);
	return WS_MSG;
}

int ws_parse(ws_parser *p, const uint8_t *in, size_t n, size_t *used, ws_msg *m, const char **why, int *code)
{
	*used = 0;
	if (!p->op)
		buf_reset(&p->msg);   /* the last message assembled was handed out */
	if (n < 2)
		return WS_NEED;
	bool fin = in[0] & 0x80, masked = in[1] & 0x80;
	int op = in[0] & 0x0f;
	uint64_t len = in[1] & 0x7f;
	size_t hdr = 2;
	if (in[0] & 0x70)
		return bad(why, code, "a frame with reserved bits set (no extension was agreed)", 1002);
	if (!known_op(op))
		return bad(why, code, "a frame with an unknown opcode", 1002);
	if (masked)
		return bad(why, code, "a masked frame (a server must not mask)", 1002);
	if ((op & 8) && (!fin || len > 125))
		return bad(why, code, "a control frame fragmented or longer than 125 bytes", 1002);
	if (len >= 126) {
		hdr = len == 126 ? 4 : 10;
		if (n < hdr)
			return WS_NEED;
		len = be(in + 2, (int)hdr - 2);
	}
	if (op == WS_CONT && !p->op)
		return bad(why, code, "a continuation frame outside a message", 1002);
	if ((op == WS_TEXT || op == WS_BINARY) && p->op)
		return bad(why, code, "a new message before the fragmented one ended", 1002);
	size_t have = op == WS_CONT ? p->msg.len : 0;
	if (len > p->max || len > p->max - have)
		return bad(why, code, "a message longer than the limit", 1009);
	if (n - hdr < len)
		return WS_NEED;
	const uint8_t *pl = in + hdr;
	*used = hdr + (size_t)len;
	if (op & 8)
		return control(pl, (size_t)len, op, m, why, code);
	if (fin && op != WS_CONT) {
		m->op = op;
		m->data = (const char *)pl;
		m->len = (size_t)len;
	} else {
		buf_put(&p->msg, pl, (size_t)len);
		if (op != WS_CONT)
			p->op = op;
		if (!fin)
			return WS_NEED;
		m->op = p->op;
		m->data = buf_str(&p->msg);
		m->len = p->msg.len;
		p->op = 0;
	}
	m->code = 0;
	if (m->op == WS_TEXT && !utf8_valid(m->data, m->len))
		return bad(why, code, "a text message that is not valid UTF-8", 1007);
	return WS_MSG;
}

void ws_parser_free(ws_parser *p)
{
	buf_free(&p->msg);
}

/* ---- URLs ------------------------------------------------------------------ */

int ws_url_parse(const char *url, ws_url *u, const char **why)
{
	memset(u, 0, sizeof *u);
	const char *p;
	if (strncasecmp(url, "wss://", 6) == 0) {
		u->tls = true;
		p = url + 6;
	} else if (strncasecmp(url, "ws://", 5) == 0) {
		p = url + 5;
	} else {
		*why = "not a ws:// or wss:// URL";
		return -1;
	}
	for (const char *c = url; *c; c++)
		if ((unsigned char)*c <= 0x20 || *c == 0x7f) {
			*why = "a URL with spaces or control characters";
			return -1;
		}
	const char *end = p + strcspn(p, "/?#");
	if (memchr(p, '@', (size_t)(end - p))) {
		*why = "a URL with user information";
		return -1;
	}
	const char *hs = p, *he;
	if (*p == '[') {
		hs = p + 1;
		he = memchr(hs, ']', (size_t)(end - hs));
		if (!he) {
			*why = "a URL with an unclosed [ in its host";
			return -1;
		}
		p = he + 1;
	} else {
		he = p + strcspn(p, ":/?#");
		p = he;
	}
	if (he == hs || (size_t)(he - hs) >= sizeof u->host) {
		*why = "a URL without a host, or with a host too long";
		return -1;
	}
	memcpy(u->host, hs, (size_t)(he - hs));
	snprintf(u->port, sizeof u->port, "%s", u->tls ? "443" : "80");
	if (*p == ':') {
		size_t nd = strspn(p + 1, "0123456789");
		long port = nd >= 1 && nd <= 5 ? strtol(p + 1, NULL, 10) : 0;
		if (port < 1 || port > 65535 || p + 1 + nd != end) {
			*why = "a URL with a bad port";
			return -1;
		}
		snprintf(u->port, sizeof u->port, "%ld", port);
		p = end;
	}
	if (p != end) {
		*why = "a URL with a bad host";
		return -1;
	}
	if (strchr(p, '#')) {
		*why = "a URL with a fragment";
		return -1;
	}
	u->target = p;
	return 0;
}

void ws_url_redact(const char *url, char *out, size_t len)
{
	snprintf(out, len, "%.*s", (int)strcspn(url, "?#"), url);
}

/* ---- transport --------------------------------------------------------------- */

struct ws {
	int fd;
	SSL *ssl;
	ws_parser p;
	buf_t in;                    /* received; in.p[off..len) not parsed yet */
	size_t off;
	bool close_sent;
};

static SSL_CTX *tls_ctx;

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Wait until fd is ready for events, or the deadline: 0 or -1. */
static int wait_fd(int fd, short events, double deadline)
{
	for (;;) {
		int left = (int)(deadline - now_ms());
		if (left <= 0)
			return -1;
		struct pollfd pf = {fd, events, 0};
		int rc = poll(&pf, 1, left);
		if (rc > 0)
			return 0;
		if (rc < 0 && errno != EINTR)
			return -1;
	}
}

static bool loopback(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
	if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
		return IN6_IS_ADDR_LOOPBACK(a) || (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
	}
	return false;
}

static int dial(const ws_url *u, double deadline, char *err, size_t errlen)
{
	struct addrinfo hints = {0}, *ai;
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	int rc = getaddrinfo(u->host, u->port, &hints, &ai);
	if (rc != 0) {
		snprintf(err, errlen, "cannot resolve %s: %s", u->host, gai_strerror(rc));
		return -1;
	}
	int fd = -1, why = 0;
	bool remote = false;
	for (struct addrinfo *a = ai; a && fd < 0; a = a->ai_next) {
		if (!u->tls && !loopback(a->ai_addr)) {
			remote = true;
			continue;
		}
		fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
		if (fd < 0) {
			why = errno;
			continue;
		}
		int soerr = 0;
		socklen_t sl = sizeof soerr;
		if (connect(fd, a->ai_addr, a->ai_addrlen) != 0 &&
		    (errno != EINPROGRESS || wait_fd(fd, POLLOUT, deadline) != 0 ||
		     getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0 || (errno = soerr) != 0)) {
			why = errno ? errno : ETIMEDOUT;
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(ai);
	if (fd >= 0) {
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	} else if (remote && !why) {
		snprintf(err, errlen, "ws:// (without TLS) is allowed to a loopback address only, not to %s", u->host);
	} else {
		snprintf(err, errlen, "cannot connect to %s port %s: %s", u->host, u->port, strerror(why ? why : ETIMEDOUT));
	}
	return fd;
}

static void tls_error(const ws_t *w, const ws_url *u, char *err, size_t errlen)
{
	long v = SSL_get_verify_result(w->ssl);
	unsigned long e = ERR_get_error();
	char what[256];
	ERR_error_string_n(e, what, sizeof what);
	if (v != X509_V_OK)
		snprintf(err, errlen, "TLS with %s port %s failed: the certificate was refused (%s)", u->host, u->port,
			 X509_verify_cert_error_string(v));
	else
		snprintf(err, errlen, "TLS with %s port %s failed: %s", u->host, u->port, e ? what : "the connection ended");
	ERR_clear_error();
}

static int tls_start(ws_t *w, const ws_url *u, double deadline, char *err, size_t errlen)
{
	if (!tls_ctx) {
		tls_ctx = SSL_CTX_new(TLS_client_method());
		if (!tls_ctx) {
			snprintf(err, errlen, "cannot set up TLS");
			return -1;
		}
		SSL_CTX_set_min_proto_version(tls_ctx, TLS1_2_VERSION);
		SSL_CTX_set_default_verify_paths(tls_ctx);
		SSL_CTX_set_verify(tls_ctx, SSL_VERIFY_PEER, NULL);
		SSL_CTX_set_mode(tls_ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	}
	w->ssl = SSL_new(tls_ctx);
	if (!w->ssl || SSL_set_fd(w->ssl, w->fd) != 1) {
		snprintf(err, errlen, "cannot set up TLS");
		return -1;
	}
	unsigned char ip[16];
	bool literal = inet_pton(AF_INET, u->host, ip) == 1 || inet_pton(AF_INET6, u->host, ip) == 1;
	X509_VERIFY_PARAM *vp = SSL_get0_param(w->ssl);
	if (literal ? X509_VERIFY_PARAM_set1_ip_asc(vp, u->host) != 1
		    : SSL_set_tlsext_host_name(w->ssl, u->host) != 1 || SSL_set1_host(w->ssl, u->host) != 1) {
		snprintf(err, errlen, "cannot set up TLS for %s", u->host);
		return -1;
	}
	for (;;) {
		ERR_clear_error();
		int rc = SSL_connect(w->ssl);
		if (rc == 1)
			return 0;
		int e = SSL_get_error(w->ssl, rc);
		short ev = e == SSL_ERROR_WANT_READ ? POLLIN : e == SSL_ERROR_WANT_WRITE ? POLLOUT : 0;
		if (!ev) {
			tls_error(w, u, err, errlen);
			return -1;
		}
		if (wait_fd(w->fd, ev, deadline) != 0) {
			snprintf(err, errlen, "TLS with %s port %s timed out", u->host, u->port);
			return -1;
		}
	}
}

/* Read what there is: > 0 bytes, 0 at the end of the stream, -1 when
 * nothing is there yet, -2 on an error (errno, or TLS's). */
static ssize_t get_some(ws_t *w, void *p, size_t n)
{
	if (!w->ssl) {
		ssize_t got = recv(w->fd, p, n, 0);
		if (got >= 0)
			return got;
		return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? -1 : -2;
	}
	ERR_clear_error();
	int got = SSL_read(w->ssl, p, (int)n);
	if (got > 0)
		return got;
	switch (SSL_get_error(w->ssl, got)) {
	case SSL_ERROR_WANT_READ:
	case SSL_ERROR_WANT_WRITE:
		return -1;
	case SSL_ERROR_ZERO_RETURN:
		return 0;
	case SSL_ERROR_SYSCALL:
		return errno ? -2 : 0;
	default:
		/* OpenSSL 3 reports a connection cut without close_notify so */
		return ERR_GET_REASON(ERR_peek_error()) == SSL_R_UNEXPECTED_EOF_WHILE_READING ? 0 : -2;
	}
}

static int put_all(ws_t *w, const void *data, size_t n, double deadline)
{
	const char *p = data;
	while (n > 0) {
		ssize_t put;
		short ev = POLLOUT;
		if (w->ssl) {
			ERR_clear_error();
			int rc = SSL_write(w->ssl, p, (int)(n > INT32_MAX ? INT32_MAX : n));
			put = rc;
			if (rc <= 0) {
				int e = SSL_get_error(w->ssl, rc);
				if (e != SSL_ERROR_WANT_WRITE && e != SSL_ERROR_WANT_READ)
					return -1;
				ev = e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
			}
		} else {
			put = send(w->fd, p, n, MSG_NOSIGNAL);
			if (put < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				return -1;
		}
		if (put > 0) {
			p += put;
			n -= (size_t)put;
		} else if (wait_fd(w->fd, ev, deadline) != 0) {
			return -1;
		}
	}
	return 0;
}

/* ---- the opening handshake --------------------------------------------------- */

static void accept_of(const char *key, char out[29])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	char both[64];
	int n = snprintf(both, sizeof both, "%s%s", key, WS_GUID);
	EVP_Digest(both, (size_t)n, md, &mdlen, EVP_sha1(), NULL);
	EVP_EncodeBlock((unsigned char *)out, md, (int)mdlen);
}

/* The value of header name in the answer's head, or NULL; *len its length. */
static const char *header(const char *head, const char *name, size_t *len)
{
	size_t nl = strlen(name);
	for (const char *l = strstr(head, "\r\n"); l && l[2] && !(l[2] == '\r' && l[3] == '\n'); l = strstr(l + 2, "\r\n")) {
		const char *f = l + 2;
		if (strncasecmp(f, name, nl) != 0 || f[nl] != ':')
			continue;
		const char *v = f + nl + 1;
		v += strspn(v, " \t");
		const char *e = strstr(v, "\r\n");
		while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		*len = (size_t)(e - v);
		return v;
	}
	return NULL;
}

static bool header_is(const char *head, const char *name, const char *want, bool token)
{
	size_t len;
	const char *v = header(head, name, &len);
	if (!v)
		return false;
	if (!token)
		return len == strlen(want) && strncasecmp(v, want, len) == 0;
	for (size_t i = 0; i + strlen(want) <= len; i++)
		if (strncasecmp(v + i, want, strlen(want)) == 0)
			return true;
	return false;
}

/* Read the answer's head into w->in; the bytes after it stay there. */
static int read_head(ws_t *w, double deadline, size_t *headlen, char *err, size_t errlen)
{
	for (;;) {
		buf_putc(&w->in, 0);
		w->in.len--;
		const char *end = strstr(w->in.p, "\r\n\r\n");
		if (end) {
			*headlen = (size_t)(end - w->in.p) + 4;
			return 0;
		}
		if (w->in.len >= MAX_ANSWER_HEAD || memchr(w->in.p, 0, w->in.len)) {
			snprintf(err, errlen, "the server's answer to the upgrade is not an HTTP head");
			return -1;
		}
		buf_grow(&w->in, 1024);
		ssize_t got = get_some(w, w->in.p + w->in.len, 1024);
		if (got > 0) {
			w->in.len += (size_t)got;
		} else if (got != -1 || wait_fd(w->fd, POLLIN, deadline) != 0) {
			snprintf(err, errlen, got == -1 ? "no answer to the upgrade in time" : "the connection ended during the upgrade");
			return -1;
		}
	}
}

static int upgrade(ws_t *w, const ws_url *u, double deadline, char *err, size_t errlen)
{
	unsigned char nonce[16];
	char key[32], want[32];
	if (RAND_bytes(nonce, sizeof nonce) != 1) {
		snprintf(err, errlen, "no random bytes for the WebSocket key");
		return -1;
	}
	EVP_EncodeBlock((unsigned char *)key, nonce, sizeof nonce);
	accept_of(key, want);
	bool dflt = strcmp(u->port, u->tls ? "443" : "80") == 0, v6 = strchr(u->host, ':') != NULL;
	buf_t req = BUF_INIT;
	buf_printf(&req, "GET %s%s HTTP/1.1\r\nHost: %s%s%s%s%s\r\n", u->target[0] == '/' ? "" : "/", u->target,
		   v6 ? "[" : "", u->host, v6 ? "]" : "", dflt ? "" : ":", dflt ? "" : u->port);
	buf_printf(&req, "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
			 "Sec-WebSocket-Version: 13\r\nUser-Agent: slacklog\r\n\r\n", key);
	int rc = put_all(w, req.p, req.len, deadline);
	buf_free(&req);
	size_t headlen;
	if (rc != 0) {
		snprintf(err, errlen, "cannot send the upgrade request to %s", u->host);
		return -1;
	}
	if (read_head(w, deadline, &headlen, err, errlen) != 0)
		return -1;
	const char *head = w->in.p;
	if (strncmp(head, "HTTP/1.1 101", 12) != 0 || (head[12] != ' ' && head[12] != '\r')) {
		int n = (int)strcspn(head, "\r\n");
		char line[81];
		snprintf(line, sizeof line, "%.*s", n > 80 ? 80 : n, head);
		for (char *c = line; *c; c++)
			if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
				*c = '?';
		snprintf(err, errlen, "%s answered \"%s\", not a switch to WebSocket", u->host, line);
		return -1;
	}
	const char *why = NULL;
	size_t len;
	if (!header_is(head, "Upgrade", "websocket", false) || !header_is(head, "Connection", "upgrade", true))
		why = "without Upgrade: websocket and Connection: Upgrade";
	else if (!header_is(head, "Sec-WebSocket-Accept", want, false))
		why = "with a wrong Sec-WebSocket-Accept";
	else if (header(head, "Sec-WebSocket-Extensions", &len) || header(head, "Sec-WebSocket-Protocol", &len))
		why = "with an extension or subprotocol that was not asked for";
	if (why) {
		snprintf(err, errlen, "%s answered the upgrade %s", u->host, why);
		return -1;
	}
	w->off = headlen;
	return 0;
}

/* ---- the connection ------------------------------------------------------------ */

ws_t *ws_open(const char *url, size_t max_msg, int timeout_ms, char *err, size_t errlen)
{
	ws_url u;
	const char *why;
	if (ws_url_parse(url, &u, &why) != 0) {
		snprintf(err, errlen, "%s", why);
		return NULL;
	}
	int fd = dial(&u, now_ms() + timeout_ms, err, errlen);
	if (fd < 0)
		return NULL;
	ws_t *w = xcalloc(1, sizeof *w);
	w->fd = fd;
	w->p.max = max_msg;
	if ((u.tls && tls_start(w, &u, now_ms() + timeout_ms, err, errlen) != 0) ||
	    upgrade(w, &u, now_ms() + timeout_ms, err, errlen) != 0) {
		ws_free(w);
		return NULL;
	}
	return w;
}

int ws_fd(const ws_t *w)
{
	return w->fd;
}

bool ws_pending(const ws_t *w)
{
	return w->off < w->in.len || (w->ssl && SSL_pending(w->ssl) > 0);
}

int ws_read(ws_t *w, ws_msg *m, int *code, char *err, size_t errlen)
{
	for (;;) {
		size_t used;
		const char *why;
		int rc = ws_parse(&w->p, (const uint8_t *)w->in.p + w->off, w->in.len - w->off, &used, m, &why, code);
		w->off += used;
		if (rc == WS_BAD)
			snprintf(err, errlen, "%s", why);
		if (rc == WS_NEED && used > 0)
			continue;        /* a fragment of a longer message */
		if (rc != WS_NEED)
			return rc;
		/* more bytes are needed: the frame so far moves to the front */
		memmove(w->in.p, w->in.p + w->off, w->in.len - w->off);
		w->in.len -= w->off;
		w->off = 0;
		buf_grow(&w->in, CHUNK);
		ssize_t got = get_some(w, w->in.p + w->in.len, CHUNK);
		if (got == -1)
			return WS_NEED;
		if (got <= 0) {
			if (got == 0)
				snprintf(err, errlen, "the server closed the connection%s",
					 w->in.len ? " in the middle of a frame" : "");
			else
				snprintf(err, errlen, "reading from the server failed: %s", strerror(errno ? errno : EIO));
			return WS_EOF;
		}
		w->in.len += (size_t)got;
	}
}

int ws_send(ws_t *w, int op, const void *data, size_t len)
{
	if (w->close_sent)
		return -1;
	uint8_t hdr[14];
	size_t h = 0;
	hdr[h++] = (uint8_t)(0x80 | op);
	if (len < 126) {
		hdr[h++] = (uint8_t)(0x80 | len);
	} else {
		int n = len <= 0xffff ? 2 : 8;
		hdr[h++] = (uint8_t)(0x80 | (n == 2 ? 126 : 127));
		for (int i = n - 1; i >= 0; i--)
			hdr[h++] = (uint8_t)((uint64_t)len >> (8 * i));
	}
	uint8_t key[4];
	if (RAND_bytes(key, sizeof key) != 1)
		return -1;
	memcpy(hdr + h, key, 4);
	h += 4;
	buf_t f = BUF_INIT;
	buf_put(&f, hdr, h);
	buf_grow(&f, len);
	const uint8_t *d = data;
	for (size_t i = 0; i < len; i++)
		f.p[h + i] = (char)(d[i] ^ key[i & 3]);
	f.len += len;
	int rc = put_all(w, f.p, f.len, now_ms() + SEND_TIMEOUT_MS);
	buf_free(&f);
	return rc;
}

int ws_close(ws_t *w, int code, const char *reason)
{
	if (w->close_sent)
		return 0;
	uint8_t pl[125] = {(uint8_t)(code >> 8), (uint8_t)code};
	size_t n = reason ? strlen(reason) : 0;
	if (n > sizeof pl - 2)
		n = sizeof pl - 2;
	memcpy(pl + 2, reason ? reason : "", n);
	int rc = ws_send(w, WS_CLOSE, pl, n + 2);
	w->close_sent = true;
	return rc;
}

bool ws_close_sent(const ws_t *w)
{
	return w->close_sent;
}

void ws_free(ws_t *w)
{
	if (!w)
		return;
	if (w->ssl) {
		SSL_shutdown(w->ssl);
		SSL_free(w->ssl);
	}
	close(w->fd);
	ws_parser_free(&w->p);
	buf_free(&w->in);
	free(w);
}
