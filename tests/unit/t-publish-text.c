/* t-publish-text.c: the text helpers of feeds, sitemaps and descriptions:
 * whitespace collapsed and cut on a UTF-8 boundary with an ellipsis,
 * bytes XML cannot carry dropped, RFC 3339 dates in UTC. Expected values
 * are written by hand from those rules. */
#include "unit.h"
#include "pages/ui.h"
#include <string.h>

static const char *trim(const char *in, size_t max, buf_t *b)
{
	buf_reset(b);
	buf_puts(b, in);
	ui_trim_text(b, max);
	return buf_str(b);
}

int main(void)
{
	buf_t b = BUF_INIT;
	CHECK_STR(trim("  a \n\t b  ", 100, &b), "a b", "case 1");
	CHECK_STR(trim("", 10, &b), "", "case 2");
	CHECK_STR(trim("hello world", 5, &b), "hello\xE2\x80\xA6", "case 3");
	CHECK_STR(trim("hello world", 6, &b), "hello\xE2\x80\xA6", "case 4");   /* no space before the ellipsis */
	/* "é" is two bytes: a cut inside it backs off to before it */
	CHECK_STR(trim("ab\xC3\xA9z", 3, &b), "ab\xE2\x80\xA6", "case 5");
	CHECK_STR(trim("ab\xC3\xA9z", 4, &b), "ab\xC3\xA9\xE2\x80\xA6", "case 6");
	CHECK_STR(trim("exactly", 7, &b), "exactly", "case 7");

	buf_reset(&b);
	xml_txt(&b, "a\x01" "b\x02<c>\t&\x1f\n");
	CHECK_STR(buf_str(&b), "ab&lt;c&gt;\t&amp;\n", "case 8");

	buf_reset(&b);
	xml_date(&b, 0);
	CHECK_STR(buf_str(&b), "1970-01-01T00:00:00Z", "case 9");
	buf_reset(&b);
	xml_date(&b, 1458468100);   /* 2016-03-20 10:01:40 UTC */
	CHECK_STR(buf_str(&b), "2016-03-20T10:01:40Z", "case 10");
	buf_free(&b);
	UNIT_DONE();
}
