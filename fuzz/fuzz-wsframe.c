/* fuzz-wsframe.c: libFuzzer target for the WebSocket frame parser
 * (src/live/ws.h, ws_parse): the input is what a server sent. The first
 * byte sets the message limit (16-271 bytes, so limits are met often),
 * the rest is parsed as the listener parses a connection's bytes.
 *
 * Invariants, beyond "no crash":
 *   - a parse never takes more bytes than it was given, and "more is
 *     needed" with nothing taken leaves the rest for later;
 *   - messages respect the rules: no message over the limit, text valid
 *     UTF-8, control messages at most 125 bytes (a close's reason 123);
 *   - bytes arriving one at a time give the same messages, and the same
 *     end (an error or a wait), as all of them at once: the parser keeps
 *     no state that depends on how the stream was cut. */
#include "fuzz.h"
#include "lib/utf8.h"
#include "live/ws.h"

/* Parse in[0..n) as a connection would, given avail bytes at a time
 * (0: all at once); every message goes into out. Returns how it ended. */
static int run(size_t max, const uint8_t *in, size_t n, size_t step, buf_t *out)
{
	ws_parser p = {.max = max};
	size_t off = 0, have = step ? 0 : n;
	int rc = WS_NEED;
	for (;;) {
		size_t used;
		ws_msg m;
		const char *why;
		int code;
		rc = ws_parse(&p, in + off, have - off, &used, &m, &why, &code);
		FUZZ_CHECK(used <= have - off, "took %zu of %zu bytes", used, have - off);
		off += used;
		if (rc == WS_BAD) {
			FUZZ_CHECK(why && *why && (code == 1002 || code == 1007 || code == 1009), "a refusal without a reason");
			buf_printf(out, "bad %d %s\n", code, why);
			break;
		}
		if (rc == WS_MSG) {
			FUZZ_CHECK(m.len <= max, "a message of %zu bytes over the limit %zu", m.len, max);
			FUZZ_CHECK(m.op != WS_TEXT || utf8_valid(m.data, m.len), "a text message that is not UTF-8");
			FUZZ_CHECK(!(m.op & 8) || m.len <= (m.op == WS_CLOSE && m.code != 1005 ? 123u : 125u),
				   "a control message of %zu bytes", m.len);
			buf_printf(out, "msg %d %d %zu:", m.op, m.code, m.len);
			buf_put(out, m.data, m.len);
			buf_putc(out, '\n');
			continue;
		}
		if (used > 0)
			continue;
		if (have == n)
			break;
		have += step;
		if (have > n)
			have = n;
	}
	ws_parser_free(&p);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t max = 16 + data[0];
	buf_t whole = BUF_INIT, drip = BUF_INIT;
	int a = run(max, data + 1, size - 1, 0, &whole);
	int b = run(max, data + 1, size - 1, 1, &drip);
	FUZZ_CHECK(a == b && whole.len == drip.len && memcmp(buf_str(&whole), buf_str(&drip), whole.len) == 0,
		   "all at once (%d):\n%s---\none byte at a time (%d):\n%s", a, buf_str(&whole), b, buf_str(&drip));
	buf_free(&whole);
	buf_free(&drip);
	return 0;
}
