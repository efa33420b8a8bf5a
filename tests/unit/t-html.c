/* t-html.c: the escaping writers and the URL filter. Expected strings are
 * the HTML escapes themselves; the URL cases are the classic filter
 * evasions (case, whitespace and control characters inside the scheme,
 * protocol-relative and backslash URLs). */
#include "unit.h"
#include "render/html.h"

static void txt(const char *in, size_t n, const char *want)
{
	buf_t b = BUF_INIT;
	html_txtn(&b, in, n);
	CHECK_STR(buf_str(&b), want, "html_txtn %s", want);
	buf_reset(&b);
	html_attrn(&b, in, n);
	CHECK_STR(buf_str(&b), want, "html_attrn %s", want);
	buf_free(&b);
}

static const char *const good[] = {
	"http://a.com", "https://a.com/x?y=1", "HTTP://A.COM", "HtTpS://a", "mailto:x@y.z", "MailTo:x@y",
	"/general/", "/user.U1/", "#frag", "?q=1", " http://a.com", "\thttps://a.com", "ht\ttp://a.com",
};

static const char *const bad[] = {
	"javascript:alert(1)", "JAVASCRIPT:alert(1)", "JaVaScRiPt:x", "java\tscript:x", "java\nscript:x",
	"java\rscript:x", " javascript:x", "\x01javascript:x", "\x1f javascript:x", "data:text/html,<script>",
	"DATA:x", "vbscript:msgbox", "file:///etc/passwd", "ftp://a.com", "//evil.com", "/\\evil.com",
	"\\\\evil.com", "", "x", "javascript&#58;x", "jav&#x61;script:x", "/\t/evil.com", "/\n/evil.com",
	"https", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:x", "about:blank", "blob:https://a", "http//a", ":x",
	"\xE2\x80\x8Bjavascript:x",
};

int main(void)
{
	txt("a&b<c>d\"e'f", 11, "a&amp;b&lt;c&gt;d&quot;e&#39;f");
	txt("", 0, "");
	txt("plain", 5, "plain");
	txt("a\0b", 3, "a\xEF\xBF\xBD" "b");
	txt("&amp;", 5, "&amp;amp;");
	txt("\xE6\x97\xA5", 3, "\xE6\x97\xA5");

	buf_t b = BUF_INIT;
	html_txt(&b, NULL);
	CHECK_STR(buf_str(&b), "", "html_txt(NULL) writes nothing");

	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		CHECK(html_url_ok(good[i], strlen(good[i])), "allowed: %s", good[i]);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		CHECK(!html_url_ok(bad[i], strlen(bad[i])), "refused: %s", bad[i]);
	CHECK(!html_url_ok("\0javascript:x", 13), "refused: NUL then javascript:");
	CHECK(html_url_ok("http://a\0", 9), "a NUL after the scheme does not matter to the scheme check");

	buf_reset(&b);
	html_href(&b, "javascript:alert(1)");
	CHECK_STR(buf_str(&b), "#", "html_href replaces a refused URL by #");
	buf_reset(&b);
	html_href(&b, NULL);
	CHECK_STR(buf_str(&b), "#", "html_href(NULL) is #");
	buf_reset(&b);
	html_href(&b, "http://a?x=1&y=\"2\"'");
	CHECK_STR(buf_str(&b), "http://a?x=1&amp;y=&quot;2&quot;&#39;", "html_href escapes the URL");

	static const char *const seg[][2] = {
		{"general", "general"}, {"dev team", "dev%20team"}, {"a/b", "a%2Fb"},
		{"\xE6\x97\xA5\xE6\x9C\xAC", "%E6%97%A5%E6%9C%AC"}, {"a-b_c.d~e", "a-b_c.d~e"}, {"%", "%25"},
		{"..", "%2E%2E"}, {".", "%2E"}, {"a..b", "a..b"}, {"?#&\"<", "%3F%23%26%22%3C"}, {"", ""},
	};
	for (size_t i = 0; i < sizeof seg / sizeof *seg; i++) {
		buf_reset(&b);
		url_segment(&b, seg[i][0]);
		CHECK_STR(buf_str(&b), seg[i][1], "url_segment case %zu", i);
	}
	buf_free(&b);
	UNIT_DONE();
}
