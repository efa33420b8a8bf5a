/* t-ws.c: the WebSocket frame parser and URLs (src/live/ws.h). Frames are
 * written out byte by byte from RFC 6455's layout (section 5.2), not by
 * the code under test. */
#include "unit.h"
#include "live/ws.h"

typedef struct res {
	int rc, code;
	size_t used;
	ws_msg m;
	const char *why;
} res;

static res parse(ws_parser *p, const void *in, size_t n)
{
	res r = {0};
	r.rc = ws_parse(p, in, n, &r.used, &r.m, &r.why, &r.code);
	return r;
}

static bool is(const ws_msg *m, int op, const char *data)
{
	return m->op == op && m->len == strlen(data) && memcmp(m->data, data, m->len) == 0;
}

static void frames(void)
{
	ws_parser p = {.max = 1 << 20};
	res r = parse(&p, "\x81\x05hello", 7);
	CHECK(r.rc == WS_MSG && r.used == 7 && is(&r.m, WS_TEXT, "hello"), "a short text frame");
	r = parse(&p, "\x81\x05hel", 5);
	CHECK(r.rc == WS_NEED && r.used == 0, "an incomplete payload: more is needed, nothing used");
	r = parse(&p, "\x81", 1);
	CHECK(r.rc == WS_NEED && r.used == 0, "an incomplete header: more is needed");
	r = parse(&p, "\x81\x7e\x01", 3);
	CHECK(r.rc == WS_NEED && r.used == 0, "an incomplete 16-bit length: more is needed");

	char big[4 + 300];
	memcpy(big, "\x82\x7e\x01\x2c", 4);   /* 300 */
	memset(big + 4, 'b', 300);
	r = parse(&p, big, sizeof big);
	CHECK(r.rc == WS_MSG && r.used == 304 && r.m.op == WS_BINARY && r.m.len == 300, "a 16-bit length (300)");
	char big64[10 + 70000];
	memcpy(big64, "\x81\x7f\x00\x00\x00\x00\x00\x01\x11\x70", 10);   /* 70000 */
	memset(big64 + 10, 'x', 70000);
	r = parse(&p, big64, sizeof big64);
	CHECK(r.rc == WS_MSG && r.used == sizeof big64 && r.m.len == 70000, "a 64-bit length (70000)");

	/* a text message in three fragments, a ping between the first two */
	const char in[] = "\x01\x03" "abc" "\x89\x01" "p" "\x00\x02" "de" "\x80\x01" "f";
	size_t off = 0;
	r = parse(&p, in, sizeof in - 1);
	CHECK(r.rc == WS_NEED && r.used == 5, "first fragment: taken, the message is not done");
	off += r.used;
	r = parse(&p, in + off, sizeof in - 1 - off);
	CHECK(r.rc == WS_MSG && is(&r.m, WS_PING, "p"), "a ping between fragments is handed out at once");
	off += r.used;
	r = parse(&p, in + off, sizeof in - 1 - off);
	CHECK(r.rc == WS_NEED && r.used == 4, "second fragment: taken");
	off += r.used;
	r = parse(&p, in + off, sizeof in - 1 - off);
	CHECK(r.rc == WS_MSG && is(&r.m, WS_TEXT, "abcdef") && off + r.used == sizeof in - 1,
	      "the last fragment ends the message: all of it, in order");
	r = parse(&p, "\x81\x02ok", 4);
	CHECK(r.rc == WS_MSG && is(&r.m, WS_TEXT, "ok"), "the next message starts afresh");

	r = parse(&p, "\x88\x07\x03\xe9" "bye!x", 9);
	CHECK(r.rc == WS_MSG && r.m.op == WS_CLOSE && r.m.code == 1001 && is(&r.m, WS_CLOSE, "bye!x"),
	      "a close frame: its code (1001) and reason");
	r = parse(&p, "\x88\x00", 2);
	CHECK(r.rc == WS_MSG && r.m.code == 1005, "a close frame without a code: 1005");
	ws_parser_free(&p);
}

static void refused(void)
{
	static const struct {
		const char *in;
		size_t n;
		int code;
		const char *what;
	} bad[] = {
		{"\xc1\x00", 2, 1002, "reserved bit RSV1"},
		{"\x83\x00", 2, 1002, "opcode 3"},
		{"\x8b\x00", 2, 1002, "opcode 11"},
		{"\x81\x82\x01\x02\x03\x04hi", 8, 1002, "a masked frame"},
		{"\x09\x00", 2, 1002, "a fragmented ping"},
		{"\x89\x7e\x00\x7e", 4, 1002, "a ping of 126 bytes"},
		{"\x80\x00", 2, 1002, "a continuation outside a message"},
		{"\x81\x02\xc3\x28", 4, 1007, "invalid UTF-8 in a text message"},
		{"\x81\x02\xed\xa0", 4, 1007, "a UTF-8 surrogate"},
		{"\x88\x01\x03", 3, 1002, "a close frame of one byte"},
		{"\x88\x03\x03\xe8\xff", 5, 1007, "a close reason that is not UTF-8"},
		{"\x81\x7f\x80\x00\x00\x00\x00\x00\x00\x00", 10, 1009, "a length with the top bit set"},
		{"\x81\x7f\x00\x00\x01\x00\x00\x00\x00\x00", 10, 1009, "a length of 2^40"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		ws_parser p = {.max = 1 << 20};
		res r = parse(&p, bad[i].in, bad[i].n);
		CHECK(r.rc == WS_BAD && r.code == bad[i].code && r.why && *r.why, "refused: %s (%d)", bad[i].what,
		      bad[i].code);
		ws_parser_free(&p);
	}
	ws_parser p = {.max = 10};
	res r = parse(&p, "\x81\x0a" "0123456789", 12);
	CHECK(r.rc == WS_MSG && r.m.len == 10, "a message exactly at the limit is taken");
	r = parse(&p, "\x81\x0b", 2);
	CHECK(r.rc == WS_BAD && r.code == 1009, "one byte over the limit: refused from the header alone");
	ws_parser_free(&p);
	ws_parser q = {.max = 10};
	r = parse(&q, "\x01\x06" "012345", 8);
	CHECK(r.rc == WS_NEED && r.used == 8, "a first fragment of 6 under a limit of 10");
	r = parse(&q, "\x80\x05", 2);
	CHECK(r.rc == WS_BAD && r.code == 1009, "fragments adding up past the limit: refused");
	ws_parser_free(&q);
	ws_parser f = {.max = 100};
	r = parse(&f, "\x01\x01" "a", 3);
	r = parse(&f, "\x81\x01" "b", 3);
	CHECK(r.rc == WS_BAD && r.code == 1002, "a new message inside a fragmented one: refused");
	ws_parser_free(&f);
}

static void urls(void)
{
	ws_url u;
	const char *why;
	const char *s = "wss://wss-primary.slack.com/link/?ticket=abc&app_id=A1";
	CHECK(ws_url_parse(s, &u, &why) == 0 && u.tls && strcmp(u.host, "wss-primary.slack.com") == 0 &&
		      strcmp(u.port, "443") == 0 && strcmp(u.target, "/link/?ticket=abc&app_id=A1") == 0,
	      "Slack's URL: TLS, host, port 443, path and query");
	CHECK(ws_url_parse("ws://127.0.0.1:8080", &u, &why) == 0 && !u.tls && strcmp(u.port, "8080") == 0 &&
		      strcmp(u.target, "") == 0,
	      "ws:// with a port and no path");
	CHECK(ws_url_parse("ws://[::1]:9/x", &u, &why) == 0 && strcmp(u.host, "::1") == 0 && strcmp(u.port, "9") == 0,
	      "an IPv6 host");
	static const char *const bad[] = {"http://example.org/", "ws://user:pw@example.org/", "ws://example.org:0/",
					  "ws://example.org:99999/", "ws://exa mple.org/", "ws://example.org/a\r\nX: y",
					  "ws:///path", "ws://[::1/", "ws://example.org:80x/", "wss://example.org/#frag"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		CHECK(ws_url_parse(bad[i], &u, &why) == -1 && why, "refused URL %zu: %s", i, why);
	char out[128];
	ws_url_redact(s, out, sizeof out);
	CHECK_STR(out, "wss://wss-primary.slack.com/link/", "a URL for the logs has no query");
	char err[256];
	ws_t *w = ws_open("ws://192.0.2.1:9/link/?ticket=SECRET", 1024, 1000, err, sizeof err);
	CHECK(!w && strstr(err, "loopback") && !strstr(err, "SECRET"), "ws:// to another host: refused (%s)", err);
}

int main(void)
{
	frames();
	refused();
	urls();
	UNIT_DONE();
}
