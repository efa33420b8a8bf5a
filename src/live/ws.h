/* ws.h: a WebSocket client (RFC 6455) for Slack's Socket Mode.
 *
 * Over TLS (OpenSSL's libssl: the system's CA store, the host name
 * checked, TLS 1.2 at least) for wss:// URLs; plain ws:// only to a
 * loopback address (the tests' fake server), so nothing leaves the
 * machine unencrypted. The URL's query (Slack puts a ticket there) is
 * never part of an error message.
 *
 * Received frames go through ws_parse, a pure function of the bytes, so
 * the rules are in one place and fuzzed (fuzz/fuzz-wsframe.c): no
 * extension bits, known opcodes only, unmasked (a server never masks),
 * control frames short and unfragmented, continuation frames only inside
 * a message, text messages valid UTF-8, and no message longer than the
 * limit given: a frame's header is checked before its payload is read, so
 * a hostile length allocates nothing. A violation is an error naming it,
 * with the close code to send (1002, 1007, 1009).
 *
 * One connection is one socket, non-blocking: the caller polls ws_fd()
 * (and first drains what ws_pending() says is buffered) and calls ws_read
 * until it returns WS_NEED. Frames sent are masked with random keys. */
#ifndef SLACKLOG_LIVE_WS_H
#define SLACKLOG_LIVE_WS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lib/buf.h"

enum { WS_CONT = 0, WS_TEXT = 1, WS_BINARY = 2, WS_CLOSE = 8, WS_PING = 9, WS_PONG = 10 };
/* ws_parse and ws_read: a message, nothing complete yet, a protocol
 * violation, the connection ended (ws_read only). */
enum { WS_MSG = 1, WS_NEED = 0, WS_BAD = -1, WS_EOF = -2 };

typedef struct ws_msg {
	int op;                      /* WS_TEXT, WS_BINARY, WS_CLOSE, WS_PING, WS_PONG */
	const char *data;            /* payload (a close frame's: after the code) */
	size_t len;
	int code;                    /* WS_CLOSE: the status code, 1005 when none */
} ws_msg;

typedef struct ws_parser {
	size_t max;                  /* longest message accepted */
	int op;                      /* the fragmented message in progress, 0: none */
	buf_t msg;                   /* its payload so far */
} ws_parser;

/* Take one frame from in[0..n). WS_NEED: the frame is incomplete (*used
 * is 0), or it was a fragment of a message not finished yet (*used > 0).
 * WS_MSG: *m is a message, valid until the next call. WS_BAD: *why says
 * what was wrong and *code is the close code to answer with. */
int ws_parse(ws_parser *p, const uint8_t *in, size_t n, size_t *used, ws_msg *m, const char **why, int *code);
void ws_parser_free(ws_parser *p);

/* A ws:// or wss:// URL: host, port, and what follows (path and query). */
typedef struct ws_url {
	bool tls;
	char host[256], port[8];
	const char *target;          /* into the string parsed; "/" when empty */
} ws_url;
/* 0, or -1 with *why. Only the syntax: loopback is checked on connecting. */
int ws_url_parse(const char *url, ws_url *u, const char **why);
/* The URL without its query and fragment, for logs ("wss://host/link/"). */
void ws_url_redact(const char *url, char *out, size_t len);

typedef struct ws ws_t;

/* Connect, then TLS and the upgrade, within timeout_ms each. NULL with
 * err filled ("what and where"). */
ws_t *ws_open(const char *url, size_t max_msg, int timeout_ms, char *err, size_t errlen);
int ws_fd(const ws_t *w);
/* Bytes received and not parsed yet, or held by TLS: read before polling. */
bool ws_pending(const ws_t *w);
/* The next message: WS_MSG, WS_NEED (nothing complete; poll), WS_BAD (a
 * protocol violation: answer with ws_close(w, code)), WS_EOF (the
 * connection ended or failed). err says why for the last two. */
int ws_read(ws_t *w, ws_msg *m, int *code, char *err, size_t errlen);
/* One frame, masked, written whole (within a few seconds). 0 or -1. */
int ws_send(ws_t *w, int op, const void *data, size_t len);
/* Send a close frame (once); the caller then reads until the answer. */
int ws_close(ws_t *w, int code, const char *reason);
bool ws_close_sent(const ws_t *w);
void ws_free(ws_t *w);
#endif
