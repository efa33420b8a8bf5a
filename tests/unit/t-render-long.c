/* t-render-long.c: very long and pathological input finishes, in linear
 * time, with well-formed output.
 *
 * Each pattern is repeated to 1 MB and to 4 MB; the 4 MB run must take
 * less than 10 times as long as the 1 MB run, plus 50 ms for a busy
 * machine (linear: 4x; quadratic: 16x, and seconds, not milliseconds).
 * Timings are the best of five, so a busy machine does not fail the test. */
#include "t-render.h"
#include "../../fuzz/html-check.h"
#include <time.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void make(buf_t *b, const char *head, const char *unit, size_t size)
{
	buf_reset(b);
	buf_puts(b, head);
	size_t ul = strlen(unit);
	while (b->len + ul <= size)
		buf_put(b, unit, ul);
}

static double best(const buf_t *in, buf_t *out)
{
	double t = 1e9;
	for (int k = 0; k < 5; k++) {
		buf_reset(out);
		double t0 = now();
		render_mrkdwn_html(out, &CTX, in->p, in->len);
		double d = now() - t0;
		if (d < t)
			t = d;
	}
	return t;
}

int main(void)
{
	static const char *const pats[][2] = {
		{"", "*a _b ~c `d "},
		{"", "<a "},
		{"", ":abc "},
		{"", "&gt; quoted line\n"},
		{"", "```x\n"},
		{"", "*"},
		{"", "_a"},
		{"``` ", "a"},
		{"*x ", "<"},
		{"*", "<a>"},
		{"", "`a`b"},
		{"", "``` "},
		{"", "&gt;&gt;&gt; "},
		{"", ":+1::skin-tone-3: "},
		{"", "<@U1> <#C1> <http://a.com|x> "},
		{"", "*_~x~_* "},
		{"", "\xff\xfe"},
		{"", "&amp;lt;"},
	};
	buf_t in = BUF_INIT, out = BUF_INIT;
	for (size_t i = 0; i < sizeof pats / sizeof *pats; i++) {
		make(&in, pats[i][0], pats[i][1], 1 << 20);
		double t1 = best(&in, &out);
		size_t at;
		const char *err = html_check(out.p, out.len, &at);
		CHECK(err == NULL && out.len > 0, "1 MB of '%s%s...' renders well-formed (%s)", pats[i][0], pats[i][1], err ? err : "ok");
		make(&in, pats[i][0], pats[i][1], 4 << 20);
		double t4 = best(&in, &out);
		CHECK(t4 < 10 * t1 + 0.05, "'%s%s...' scales linearly: 1 MB %.4fs, 4 MB %.4fs", pats[i][0], pats[i][1], t1, t4);
	}
	buf_free(&in);
	buf_free(&out);
	UNIT_DONE();
}
