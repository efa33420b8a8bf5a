/* t-lib.c: buffers, UTF-8 repair, JSON trees and streaming, ts and days. */
#include "unit.h"
#include <stdint.h>
#include "lib/buf.h"
#include "lib/json.h"
#include "lib/ts.h"
#include "lib/utf8.h"

typedef struct { int n; buf_t raws; } collect_ctx;

static int collect(void *ctx, const jv *item, const char *raw, size_t rawlen)
{
	collect_ctx *c = ctx;
	(void)item;
	c->n++;
	buf_put(&c->raws, raw ? raw : "-", raw ? rawlen : 1);
	buf_putc(&c->raws, '|');
	return 0;
}

static void test_json(void)
{
	arena_t a = {0};
	json_err e = {0};
	json_stats st = {0};
	const char *src = "{\"ts\":\"1458969700.000002\",\"n\":\"42\",\"m\":7,\"x\":null,\"o\":{\"k\":\"v\"},\"a\":[1,2]}";
	jv *v = json_parse(&a, src, strlen(src), &e, &st);
	CHECK(v && v->type == JV_OBJ && v->n == 6, "object with six members");
	CHECK_STR(json_getstr(v, "ts"), "1458969700.000002", "string member");
	CHECK(json_getint(v, "n", -1) == 42 && json_getint(v, "m", -1) == 7, "numbers as strings and as numbers");
	CHECK(json_getstr(v, "x") == NULL && json_get(v, "x") && json_get(v, "x")->type == JV_NULL, "null member");
	CHECK_STR(json_str(json_path(v, "o.k")), "v", "dotted path");
	CHECK(json_arr(v, "a") && json_arr(v, "a")->n == 2, "array member");
	CHECK(json_arr(v, "x") == NULL, "null is not an array");

	buf_t out = BUF_INIT;
	json_write(&out, v);
	CHECK_STR(out.p, src, "write back compact JSON");

	/* repairs */
	const char *bad = "[\"a\\ud800b\", \"\\udc00\", \"ok\\ud83d\\ude00\", \"x\xff" "y\"]";
	arena_reset(&a);
	st.fixed_utf8 = 0;
	v = json_parse(&a, bad, strlen(bad), &e, &st);
	CHECK(v && v->n == 4, "array of four strings with bad text still parses");
	CHECK_STR(v ? v->first->s : NULL, "a\xEF\xBF\xBD" "b", "lone high surrogate becomes U+FFFD");
	CHECK_STR(v ? v->first->next->s : NULL, "\xEF\xBF\xBD", "lone low surrogate becomes U+FFFD");
	CHECK_STR(v ? v->first->next->next->s : NULL, "ok\xF0\x9F\x98\x80", "surrogate pair decodes to one emoji");
	CHECK_STR(v ? v->first->next->next->next->s : NULL, "x\xEF\xBF\xBDy", "invalid byte becomes U+FFFD");
	CHECK(st.fixed_utf8 == 3, "three repairs counted (%zu)", st.fixed_utf8);
	const char *nul = "[\"a\\u0000b\"]";
	arena_reset(&a);
	v = json_parse(&a, nul, strlen(nul), &e, &st);
	CHECK_STR(v ? v->first->s : NULL, "a\xEF\xBF\xBD" "b", "NUL escape becomes U+FFFD");

	/* streaming with byte spans; concatenated arrays */
	collect_ctx c = {0};
	const char *day = "[{\"a\":1}, {\"b\":[2]}] [{\"c\":3}]";
	CHECK(json_each(day, strlen(day), collect, &c, &e, &st) == JSON_OK, "stream concatenated arrays");
	CHECK(c.n == 3, "three items");
	CHECK_STR(c.raws.p, "{\"a\":1}|{\"b\":[2]}|{\"c\":3}|", "each item's original bytes");

	/* truncated input keeps the items before the error */
	buf_reset(&c.raws);
	c.n = 0;
	const char *trunc = "[{\"a\":1},\n {\"b\":";
	CHECK(json_each(trunc, strlen(trunc), collect, &c, &e, &st) == JSON_SYNTAX, "truncated file is a syntax error");
	CHECK(c.n == 1, "item before the truncation delivered");
	CHECK(e.line == 2, "error on line 2 (%zu:%zu %s)", e.line, e.col, e.msg);
	c.n = 0;
	const char *garbage = "[{\"a\":1},\n\n  {\"b\": tru }]";
	CHECK(json_each(garbage, strlen(garbage), collect, &c, &e, &st) == JSON_SYNTAX && c.n == 1,
	      "invalid literal: one good item kept");
	CHECK(e.line == 3, "error located on line 3 (%zu:%zu %s)", e.line, e.col, e.msg);
	c.n = 0;
	const char *obj = "{\"channel_id\":\"C1\",\"messages\":[]}";
	CHECK(json_each(obj, strlen(obj), collect, &c, &e, &st) == JSON_NOT_ARRAY && c.n == 0, "object at top is not an array");
	/* depth bomb */
	buf_t deep = BUF_INIT;
	for (int i = 0; i < 100000; i++)
		buf_putc(&deep, '[');
	arena_reset(&a);
	CHECK(json_parse(&a, deep.p, deep.len, &e, &st) == NULL && strstr(e.msg, "nesting"), "deep nesting refused (%s)", e.msg);
	buf_free(&deep);
	buf_free(&c.raws);
	buf_free(&out);
	arena_free(&a);
}

static void test_ts(void)
{
	char t[TS_LEN + 1], d[11];
	CHECK(ts_canon("1458969700.000002", t) && strcmp(t, "1458969700.000002") == 0, "canonical ts unchanged");
	CHECK(ts_canon("1458969700.5", t) && strcmp(t, "1458969700.500000") == 0, "short fraction padded");
	CHECK(ts_canon("1458969700", t) && strcmp(t, "1458969700.000000") == 0, "integer ts");
	CHECK(ts_canon("99.000001", t) && strcmp(t, "0000000099.000001") == 0, "small ts zero-padded so text order is numeric");
	CHECK(!ts_canon("abc", t) && !ts_canon("", t) && !ts_canon(NULL, t) && !ts_canon("1.2.3", t), "junk rejected");
	CHECK(ts_set_zone("America/Los_Angeles"), "LA zone");
	ts_day(1458969700, d); /* 2016-03-26 05:21:40 UTC = 2016-03-25 22:21 PDT */
	CHECK_STR(d, "2016-03-25", "day in Los Angeles");
	CHECK(ts_set_zone("UTC"), "UTC zone");
	ts_day(1458969700, d);
	CHECK_STR(d, "2016-03-26", "day in UTC");
	CHECK(!ts_set_zone("Mars/Olympus") && !ts_set_zone("../../etc/passwd"), "unknown or hostile zone rejected");
	CHECK(ts_set_zone("Asia/Kolkata"), "half-hour zone");
	ts_day(1458948600, d); /* 2016-03-25 23:30 UTC = 2016-03-26 05:00 IST */
	CHECK_STR(d, "2016-03-26", "half-hour offset crosses midnight");
	char clk[6];
	ts_clock(1458948600 + 60 * 45, clk); /* 00:15 UTC next day -> 05:45 IST */
	CHECK_STR(clk, "05:45", "clock in half-hour zone");
	char iso[32];
	ts_iso(1458948600 + 60 * 45 + 7, iso); /* 00:15:07 UTC -> 05:45:07 IST */
	CHECK_STR(iso, "2016-03-26T05:45:07+05:30", "RFC 3339 time in a half-hour zone");
	CHECK(ts_set_zone("America/Los_Angeles"), "LA zone again");
	ts_iso(1458969700, iso); /* 2016-03-26 05:21:40 UTC = 22:21:40 PDT */
	CHECK_STR(iso, "2016-03-25T22:21:40-07:00", "RFC 3339 time west of Greenwich");
	ts_iso(0, iso);
	CHECK_STR(iso, "1969-12-31T16:00:00-08:00", "RFC 3339 time of ts 0 in Los Angeles");
	ts_set_zone("UTC");
	ts_iso(1458969700, iso);
	CHECK_STR(iso, "2016-03-26T05:21:40+00:00", "RFC 3339 time in UTC");
	CHECK(day_valid("2016-02-29") && !day_valid("2015-02-29") && !day_valid("2016-13-01") && !day_valid("2016-1-01"),
	      "calendar validation");
	day_add("2016-02-28", 2, d);
	CHECK_STR(d, "2016-03-01", "day arithmetic across February");
}

static void test_utf8(void)
{
	buf_t b = BUF_INIT;
	CHECK(utf8_repair(&b, "ok \xC3\xA9", 5) == 0 && strcmp(b.p, "ok \xC3\xA9") == 0, "valid text untouched");
	buf_reset(&b);
	CHECK(utf8_repair(&b, "\xC0\xAF", 2) == 1, "overlong slash repaired once");
	buf_reset(&b);
	CHECK(utf8_repair(&b, "\xED\xA0\x80", 3) == 1 && strcmp(b.p, "\xEF\xBF\xBD") == 0, "encoded surrogate repaired");
	/* terminal columns, in any locale of the caller's */
	CHECK(utf8_width("general") == 7, "ASCII: a column a byte");
	CHECK(utf8_width("caf\xC3\xA9") == 4, "é: one column, two bytes");
	CHECK(utf8_width("noe\xCC\x88l") == 4, "a combining diaeresis takes no column");
	CHECK(utf8_width("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E") == 6, "日本語: two columns a character");
	CHECK(utf8_width("party-\xF0\x9F\x8E\x89") == 8, "an emoji takes two columns");
	CHECK(utf8_width("a\tb") == 3, "a control character counts one");
	buf_free(&b);
}

static void test_buf(void)
{
	buf_t b = BUF_INIT;
	const int64_t v[] = {0, 7, -7, 1234567890123, INT64_MAX, INT64_MIN};
	const char *want = "0 7 -7 1234567890123 9223372036854775807 -9223372036854775808 ";
	for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
		buf_putint(&b, v[i]);
		buf_putc(&b, ' ');
	}
	CHECK_STR(b.p, want, "buf_putint writes decimal integers, the extremes too");
	buf_free(&b);
}

int main(void)
{
	test_buf();
	test_json();
	test_ts();
	test_utf8();
	UNIT_DONE();
}
