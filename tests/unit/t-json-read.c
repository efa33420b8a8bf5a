/* t-json-read.c: json_each_read, which streams a file read in pieces,
 * against json_each, which holds it whole: for every input and piece size,
 * the same items (original bytes and parsed values), the same result, the
 * same error position and message, the same repairs, and each item's
 * line and column found through the reader's window as in the whole text.
 * Pieces of 1 to 13 bytes cut escapes, surrogate pairs, UTF-8 sequences
 * and items everywhere; a long input checks that the window stays the
 * size of an item, not of the input. */
#include "lib/json.h"
#include "unit.h"
#include <stdlib.h>

typedef struct seen {
	buf_t out;                   /* "raw => compact rewrite" lines */
	buf_t pos;                   /* "line:col" of each item (streamed) */
	json_reader *rd;             /* json_each_read: its window; NULL: json_each */
	size_t window_max;           /* bytes from the window's start to an item's end */
} seen;

/* Line and column of p, counting from base at line, col (characters). */
static void where(const char *base, const char *p, size_t line, size_t col, size_t *l, size_t *c)
{
	for (const char *q = base; q < p; q++) {
		if (*q == '\n') {
			line++;
			col = 1;
		} else if (((unsigned char)*q & 0xC0) != 0x80) {
			col++;
		}
	}
	*l = line;
	*c = col;
}

static int record(void *ctx, const jv *item, const char *raw, size_t rawlen)
{
	seen *s = ctx;
	size_t line = 0, col = 0;
	if (raw && s->rd) {
		where(s->rd->base, raw, s->rd->line, s->rd->col, &line, &col);
		size_t end = (size_t)(raw - s->rd->base) + rawlen;
		if (end > s->window_max)
			s->window_max = end;
	}
	buf_put(&s->out, raw ? raw : "", rawlen);
	buf_puts(&s->out, " => ");
	json_write(&s->out, item);
	buf_putc(&s->out, '\n');
	buf_printf(&s->pos, "%zu:%zu\n", line, col);
	return 0;
}

typedef struct pieces {
	const char *data;
	size_t len, pos, step;
} pieces;

static long read_pieces(void *ctx, char *p, size_t cap)
{
	pieces *src = ctx;
	size_t n = src->len - src->pos;
	if (n > src->step)
		n = src->step;
	if (n > cap)
		n = cap;
	memcpy(p, src->data + src->pos, n);
	src->pos += n;
	return (long)n;
}

static bool blank(const char *s)
{
	return s[strspn(s, " \t\r\n")] == 0;
}

static void same_as_whole(const char *name, const char *in)
{
	size_t len = strlen(in);
	seen w = {.out = BUF_INIT, .pos = BUF_INIT};
	json_err we = {0};
	json_stats wst = {0};
	int wrc = blank(in) ? JSON_EMPTY : json_each(in, len, record, &w, &we, &wst);
	/* the last piece size reads these inputs at once: the window is the
	 * whole text, whose positions the others must find too */
	static const size_t steps[] = {65536, 1, 2, 3, 5, 7, 13};
	buf_t whole_pos = BUF_INIT;
	int bad = 0;
	for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
		pieces src = {in, len, 0, steps[i]};
		json_reader rd = {.read = read_pieces, .ctx = &src};
		seen r = {.out = BUF_INIT, .pos = BUF_INIT, .rd = &rd};
		json_err re = {0};
		json_stats rst = {0};
		int rrc = json_each_read(&rd, record, &r, &re, &rst);
		bool same = rrc == wrc && strcmp(buf_str(&r.out), buf_str(&w.out)) == 0 &&
			    rst.fixed_utf8 == wst.fixed_utf8 && (i == 0 || strcmp(buf_str(&r.pos), buf_str(&whole_pos)) == 0);
		if (same && (wrc == JSON_SYNTAX || wrc == JSON_NOT_ARRAY))
			same = re.line == we.line && re.col == we.col && strcmp(re.msg, we.msg) == 0;
		if (!same) {
			bad++;
			printf("# %s, pieces of %zu: rc %d/%d, error %zu:%zu '%s' / %zu:%zu '%s', repairs %zu/%zu\n"
			       "# streamed:\n%s# whole:\n%s", name, steps[i], rrc, wrc, re.line, re.col, re.msg,
			       we.line, we.col, we.msg, rst.fixed_utf8, wst.fixed_utf8, buf_str(&r.out), buf_str(&w.out));
			printf("# positions:\n%s# of the whole text:\n%s", buf_str(&r.pos), buf_str(&whole_pos));
		}
		if (i == 0)
			buf_put(&whole_pos, r.pos.p ? r.pos.p : "", r.pos.len);
		buf_free(&r.out);
		buf_free(&r.pos);
	}
	CHECK(bad == 0, "%s: streamed in pieces of 1 to 64k bytes, as parsed whole (rc %d)", name, wrc);
	buf_free(&w.out);
	buf_free(&w.pos);
	buf_free(&whole_pos);
}

/* Many items: the window holds about one of them (and a read block). */
static void window_bounded(void)
{
	buf_t in = BUF_INIT;
	buf_puts(&in, "[\n");
	for (int i = 0; i < 20000; i++)
		buf_printf(&in, "%s  {\"ts\": \"%d.000100\", \"text\": \"message %d \\u00e9\"}\n", i ? "," : "", i, i);
	buf_puts(&in, "]\n");
	pieces src = {in.p, in.len, 0, 4096};
	json_reader rd = {.read = read_pieces, .ctx = &src};
	seen r = {.out = BUF_INIT, .pos = BUF_INIT, .rd = &rd};
	json_err e;
	json_stats st = {0};
	CHECK(json_each_read(&rd, record, &r, &e, &st) == JSON_OK, "20,000 items streamed");
	CHECK(r.window_max <= 2 * JSON_READ_BLOCK + 4096, "window %zu bytes for an input of %zu", r.window_max, in.len);
	const char *last = r.pos.len > 1 ? memrchr(r.pos.p, '\n', r.pos.len - 1) : NULL;
	/* line 1 is "[", item i is on line i + 2 after ",  " */
	CHECK_STR(last, "\n20001:4\n", "the last item located on line 20001, column 4");
	buf_free(&r.out);
	buf_free(&r.pos);
	buf_free(&in);
}

int main(void)
{
	same_as_whole("one array", "[{\"a\":1}, {\"b\":[2, {\"c\": null}]}, 3, \"s\", true]");
	same_as_whole("concatenated arrays", "[{\"a\":1}]\n[{\"b\":2}] [] [{\"c\":\"\xC3\xA9t\xC3\xA9\"}]");
	same_as_whole("multi-line, non-ASCII columns", "[\n  {\"t\": \"h\xC3\xA9llo \xF0\x9F\x98\x80\"},\n\t{\"t\": \"\xE2\x82\xAC\"}\n]\n");
	same_as_whole("escapes and surrogates", "[{\"a\":\"x\\ud800y\"}, {\"b\":\"\\udc00\"}, {\"c\":\"ok\\ud83d\\ude00\"},"
		      " {\"d\":\"\\\\ud800\"}, {\"e\":\"\\\\\\ud800\"}, {\"f\":\"\\ud83d\"}, {\"g\":\"\\u00e9\\n\\\"\"}]");
	same_as_whole("surrogate at the very end", "[\"\\ud800\"]");
	same_as_whole("truncated", "[{\"a\":1},\n {\"b\":");
	same_as_whole("truncated after a backslash", "[{\"a\":1},\n {\"b\":\"\\");
	same_as_whole("bad literal on line 3", "[{\"a\":1},\n\n  {\"b\": tru }]");
	same_as_whole("object at the top", "{\"channel_id\":\"C1\",\"messages\":[]}");
	same_as_whole("an object after the array", "[{\"a\":1}]\n{\"b\":2}");
	same_as_whole("invalid UTF-8", "[\"x\xff" "y\", {\"k\xfe\": \"\xC3\"}]");
	same_as_whole("empty array", "[]");
	same_as_whole("white space only", " \n\t ");
	same_as_whole("nothing", "");
	window_bounded();
	UNIT_DONE();
}
