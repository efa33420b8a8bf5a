/* t-render-mrkdwn.c: mrkdwn to HTML and text, table-driven. Every expected
 * string was written by hand from the rules in docs/slack-format section 5
 * and the shapes documented in src/render/rd.h; emoji characters are
 * spelled from their Unicode code points, not from the generated table. */
#include "t-render.h"

#define CHIPMUNK "\xF0\x9F\x90\xBF\xEF\xB8\x8F"  /* U+1F43F U+FE0F */
#define FLAGUS "\xF0\x9F\x87\xBA\xF0\x9F\x87\xB8" /* U+1F1FA U+1F1F8 */

static const struct tcase basics[] = {
	{"", ""},
	{"hello", "hello"},
	{"a\nb", "a<br>b"},
	{"a\n\nb", "a<br><br>b"},
	{"&amp;", "&amp;"},
	{"&lt;b&gt;", "&lt;b&gt;"},
	{"&amp;lt;", "&amp;lt;"},
	{"&quot;", "&amp;quot;"},
	{"&amp;amp;", "&amp;amp;"},
	{"a & b", "a &amp; b"},
	{"&", "&amp;"},
	{"&am", "&amp;am"},
	{"\"q\" 'a'", "&quot;q&quot; &#39;a&#39;"},
	{"x &gt; y", "x &gt; y"},
	{"raw > and |", "raw &gt; and |"},
	{"|", "|"},
	{"a <b", "a &lt;b"},
	{"<>", "&lt;&gt;"},
	{"<a\nb>", "&lt;a<br>b&gt;"},
	{"caf\xC3\xA9 \xE2\x80\xA2 item", "caf\xC3\xA9 \xE2\x80\xA2 item"},
	{"1. not a list", "1. not a list"},
	{"# not a heading", "# not a heading"},
	{"[t](http://x.com)", "[t](http://x.com)"},
};

static const struct tcase emphasis[] = {
	{"*bold*", "<b>bold</b>"},
	{"_it_", "<i>it</i>"},
	{"~st~", "<s>st</s>"},
	{"*a*", "<b>a</b>"},
	{"* a *", "* a *"},
	{"*a *", "*a *"},
	{"* a*", "* a*"},
	{"foo*bar*baz", "foo*bar*baz"},
	{"snake_case_name", "snake_case_name"},
	{")*x*(", ")*x*("},
	{"(*x*)", "(<b>x</b>)"},
	{"*x*.", "<b>x</b>."},
	{"*x*,", "<b>x</b>,"},
	{"*x*!", "<b>x</b>!"},
	{"*x*?", "<b>x</b>?"},
	{"*x*&gt;", "*x*&gt;"},
	{"*x*@", "*x*@"},
	{"*x*(", "*x*("},
	{"*x*_", "*x*_"},
	{"*x*|", "*x*|"},
	{"*x*\\", "*x*\\"},
	{"*x*'s", "<b>x</b>&#39;s"},
	{"_x_'s", "_x_&#39;s"},
	{"*x*:", "<b>x</b>:"},
	{"*x*/", "<b>x</b>/"},
	{"*x*#", "<b>x</b>#"},
	{"*x*;", "<b>x</b>;"},
	{"*x*+", "<b>x</b>+"},
	{"_x_/", "_x_/"},
	{"_x_;", "_x_;"},
	{"_x_.", "<i>x</i>."},
	{"~x~.", "<s>x</s>."},
	{"~x~)", "<s>x</s>)"},
	{"**", "**"},
	{"****", "****"},
	{"__", "__"},
	{"*bold _bolditalic_*", "<b>bold <i>bolditalic</i></b>"},
	{"_it *both*_", "<i>it <b>both</b></i>"},
	{"*_~all~_*", "<b><i><s>all</s></i></b>"},
	{"~a _b_ c~", "<s>a <i>b</i> c</s>"},
	{"*a\nb*", "*a<br>b*"},
	{"*a*b*", "*a*b*"},
	{"*a* *b*", "<b>a</b> <b>b</b>"},
	{"-*x*-", "-<b>x</b>-"},
	{"=_x_=", "=<i>x</i>="},
	{"[*x*]", "[<b>x</b>]"},
	{"{_x_}", "{<i>x</i>}"},
	{"!~x~!", "!<s>x</s>!"},
	{"?*x*?", "?<b>x</b>?"},
	{"a.*x*", "a.<b>x</b>"},
	{"a,_x_", "a,<i>x</i>"},
	{"a:*x*", "a:*x*"},
	{"a/*x*", "a/*x*"},
	{"tab\t*x*", "tab\t<b>x</b>"},
	{"*x*\ty", "<b>x</b>\ty"},
	{"line\n*x*", "line<br><b>x</b>"},
	{"*bold", "*bold"},
	{"_it", "_it"},
	{"~s", "~s"},
	{"*<http://a.com|a*b>*", "<b>" LINK("http://a.com", "a*b") "</b>"},
	{"*x* and _y_ and ~z~", "<b>x</b> and <i>y</i> and <s>z</s>"},
	{"2*3*4", "2*3*4"},
	{"*&amp;*", "<b>&amp;</b>"},
	{"_:smile:_", "<i>" E("smile", SMILE) "</i>"},
};

static const struct tcase code[] = {
	{"`code`", "<code>code</code>"},
	{"`*not bold*`", "<code>*not bold*</code>"},
	{"`:smile:`", "<code>:smile:</code>"},
	{"`a &lt; b`", "<code>a &lt; b</code>"},
	{"`<@U1>`", "<code>" ALICE "</code>"},
	{"``", "``"},
	{"`a\nb`", "`a<br>b`"},
	{"`x`y", "`x`y"},
	{"foo`x` bar", "foo<code>x</code> bar"},
	{"` x `", "<code> x </code>"},
	{"`a` `b`", "<code>a</code> <code>b</code>"},
	{"`c", "`c"},
	{"*`x`*", "<b><code>x</code></b>"},
	{"```pre```", "<pre>pre</pre>"},
	{"```\ncode\n```", "<pre>code</pre>"},
	{"```a\n\nb```", "<pre>a\n\nb</pre>"},
	{"```*x* _y_ :smile:```", "<pre>*x* _y_ :smile:</pre>"},
	{"```<http://a.com>```", "<pre>" LINK("http://a.com", "http://a.com") "</pre>"},
	{"```a &amp; b &lt;c&gt;```", "<pre>a &amp; b &lt;c&gt;</pre>"},
	{"foo```bar```baz", "foo```bar```baz"},
	{"``` ```", "``` ```"},
	{"```unclosed", "```unclosed"},
	{"a ```b``` c", "a <pre>b</pre> c"},
	{"```a```b", "<pre>a</pre>b"},
	{"````x````", "<pre>`x`</pre>"},
	{"*```x```*", "<b>```x```</b>"},
	{"```\n&gt; not a quote\n```", "<pre>&gt; not a quote</pre>"},
	{"```\n  indented\n\ttab\n```", "<pre>  indented\n\ttab</pre>"},
	{"(```x```)", "(<pre>x</pre>)"},
};

/* A code block ends its line: one newline right after it is dropped, so
 * "```x```\nNext" has no blank line and a blank line after it stays one
 * (the line before it ends with a <br>, which a block after it hides). */
static const struct tcase after_block[] = {
	{"```x```\nNext", "<pre>x</pre>Next"},
	{"```x```\n\nNext", "<pre>x</pre><br>Next"},
	{"Intro\n\n```x```\n\nNext", "Intro<br><br><pre>x</pre><br>Next"},
	{"```x```\n", "<pre>x</pre>"},
	{"```x``` and", "<pre>x</pre> and"},
	{"```a```\n```b```", "<pre>a</pre><pre>b</pre>"},
	{"&gt; q\nNext", "<blockquote>q</blockquote>Next"},
	{"&gt; q\n\nNext", "<blockquote>q</blockquote><br>Next"},
};

static const struct tcase after_block_text[] = {
	{"```x```\nNext", "x\nNext"},
	{"```x```\n\nNext", "x\n\nNext"},
	{"Intro\n\n```x```\n\nNext", "Intro\n\nx\n\nNext"},
};

static const struct tcase quotes[] = {
	{"&gt; quote", "<blockquote>quote</blockquote>"},
	{"&gt;quote", "<blockquote>quote</blockquote>"},
	{"&gt; a\n&gt; b", "<blockquote>a<br>b</blockquote>"},
	{"x\n&gt; a\ny", "x<blockquote>a</blockquote>y"},
	{"&gt; a\n\n&gt; b", "<blockquote>a</blockquote><blockquote>b</blockquote>"},
	{"foo&gt;bar", "foo&gt;bar"},
	{"&gt;&gt;&gt; all\nof\nthis", "<blockquote>all<br>of<br>this</blockquote>"},
	{"before\n&gt;&gt;&gt;\nrest", "before<blockquote>rest</blockquote>"},
	{"&gt; *bold* in quote", "<blockquote><b>bold</b> in quote</blockquote>"},
	{"&gt; a\n&gt;&gt;&gt; b\nc", "<blockquote>a</blockquote><blockquote>b<br>c</blockquote>"},
	{" &gt; not", " &gt; not"},
	{"&gt; `code`", "<blockquote><code>code</code></blockquote>"},
	{"&gt;", "<blockquote></blockquote>"},
	{"&gt; a\n&gt;\n&gt; b", "<blockquote>a<br><br>b</blockquote>"},
	{"&gt; <@U1> said", "<blockquote>" ALICE " said</blockquote>"},
	{"&gt;&gt;&gt; &gt; nested", "<blockquote>&gt; nested</blockquote>"},
	{"&gt; &gt; x", "<blockquote>&gt; x</blockquote>"},
	{"a\n&gt; q\n\nb", "a<blockquote>q</blockquote><br>b"},
};

static const struct tcase mentions[] = {
	{"<@U1>", ALICE},
	{"<@U1|oldname>", ALICE},
	{"hi <@U1>!", "hi " ALICE "!"},
	{"<@U9|carol>", "<span class=\"mention\">@carol</span>"},
	{"<@U9>", "<span class=\"mention\">@U9</span>"},
	{"<@W3>", "<a class=\"mention\" href=\"/user.W3/\">@walter</a>"},
	{"<@U2>", "<a class=\"mention\" href=\"/user.U2/\">@Bob &lt;b&gt;</a>"},
	{"<@U9|&lt;script&gt;>", "<span class=\"mention\">@&lt;script&gt;</span>"},
	{"<@U9|@carol>", "<span class=\"mention\">@carol</span>"},
	{"<@U1\"onmouseover=x>", "@U1&quot;onmouseover=x"},
	{"<#C1>", GENERAL},
	{"<#C1|old-name>", GENERAL},
	{"<#C2>", "<a class=\"channel\" href=\"/dev%20team/\">#dev team</a>"},
	{"<#C3>", "<a class=\"channel\" href=\"/%E6%97%A5%E6%9C%AC/\">#\xE6\x97\xA5\xE6\x9C\xAC</a>"},
	{"<#C9|secret>", "<span class=\"channel\">#secret</span>"},
	{"<#C9>", "<span class=\"channel\">#C9</span>"},
	{"<#C9|>", "<span class=\"channel\">#C9</span>"},
	{"<!here>", "<span class=\"mention broadcast\">@here</span>"},
	{"<!here|@here>", "<span class=\"mention broadcast\">@here</span>"},
	{"<!channel>", "<span class=\"mention broadcast\">@channel</span>"},
	{"<!everyone>", "<span class=\"mention broadcast\">@everyone</span>"},
	{"<!group>", "<span class=\"mention broadcast\">@channel</span>"},
	{"<!subteam^S1|@devs>", "<span class=\"mention usergroup\">@devs</span>"},
	{"<!subteam^S1>", "<span class=\"mention usergroup\">@S1</span>"},
	{"<!subteam^S>", "<span class=\"mention usergroup\">@S</span>"},
	{"<!subteam^>", "&lt;subteam^&gt;"},
	{"<!subteam^S1|devs>", "<span class=\"mention usergroup\">@devs</span>"},
	{"<!subteam^S1|&lt;b&gt;>", "<span class=\"mention usergroup\">@&lt;b&gt;</span>"},
	{"<!foo>", "&lt;foo&gt;"},
	{"<!foo|bar>", "&lt;bar&gt;"},
	{"<!foo|&lt;i&gt;>", "&lt;&lt;i&gt;&gt;"},
};

static const struct tcase bare_mentions[] = {
	{"<@U9|carol>", "<a class=\"mention\" href=\"/user.U9/\">@carol</a>"},
	{"<@U9>", "<a class=\"mention\" href=\"/user.U9/\">@U9</a>"},
	{"<#C9|random>", "<a class=\"channel\" href=\"/random/\">#random</a>"},
	{"<#C9|>", "<span class=\"channel\">#C9</span>"},
	{"<#C9>", "<span class=\"channel\">#C9</span>"},
	{"<#C9|a/../b>", "<a class=\"channel\" href=\"/a%2F..%2Fb/\">#a/../b</a>"},
	{"<#C9|x\"y>", "<a class=\"channel\" href=\"/x%22y/\">#x&quot;y</a>"},
	{":partyparrot:", ":partyparrot:"},
	{"<https://acme.slack.com/archives/C1/p1458969700000002|m>",
	 LINK("https://acme.slack.com/archives/C1/p1458969700000002", "m")},
};

static const struct tcase dates[] = {
	{"<!date^1392734382^{date_num} {time_secs}|fb>", TIME(T1, "2014-02-18 14:39:42")},
	{"<!date^1392734382^{date}|fb>", TIME(T1, "February 18th, 2014")},
	{"<!date^1392734382^{date_short}|fb>", TIME(T1, "Feb 18, 2014")},
	{"<!date^1392734382^{date_long}|fb>", TIME(T1, "Tuesday, February 18th, 2014")},
	{"<!date^1392734382^{date_long_full}|fb>", TIME(T1, "February 18, 2014")},
	{"<!date^1392734382^{date_slash}|fb>", TIME(T1, "18/02/2014")},
	{"<!date^1392734382^{date_pretty}|fb>", TIME(T1, "February 18th, 2014")},
	{"<!date^1392734382^{date_short_pretty}|fb>", TIME(T1, "Feb 18, 2014")},
	{"<!date^1392734382^{date_long_pretty}|fb>", TIME(T1, "Tuesday, February 18th, 2014")},
	{"<!date^1392734382^{day_divider_pretty}|fb>", TIME(T1, "Tuesday, February 18th, 2014")},
	{"<!date^1392734382^{time}|fb>", TIME(T1, "14:39")},
	{"<!date^1392734382^{ago}|fb>", TIME(T1, "Feb 18, 2014 14:39")},
	{"<!date^1392734382^Posted {date_num} at {time}|fb>", TIME(T1, "Posted 2014-02-18 at 14:39")},
	{"<!date^1392734382^{unknown}|fb>", TIME(T1, "{unknown}")},
	{"<!date^1392734382^{date_num}^https://x.com/a|fb>",
	 "<a href=\"https://x.com/a\" rel=\"nofollow\">" TIME(T1, "2014-02-18") "</a>"},
	{"<!date^1392734382^{date_num}^javascript:alert(1)|fb>", TIME(T1, "2014-02-18")},
	{"<!date^abc^{date}|fallback text>", "fallback text"},
	{"<!date^1392734382|fb>", "fb"},
	{"<!date^1392734382^{date_num}>", TIME(T1, "2014-02-18")},
	{"<!date^bad^{date}>", ""},
	{"<!date^>", "&lt;date^&gt;"},
	{"<!date^x^{date}|a &amp; b>", "a &amp; b"},
	{"<!date^99999999999999999999^{date}|big>", "big"},
	{"<!date^1388577600^{date}|f>", TIME("2014-01-01T12:00:00+00:00", "January 1st, 2014")},
	{"<!date^1388664000^{date}|f>", TIME("2014-01-02T12:00:00+00:00", "January 2nd, 2014")},
	{"<!date^1388750400^{date}|f>", TIME("2014-01-03T12:00:00+00:00", "January 3rd, 2014")},
	{"<!date^1389441600^{date}|f>", TIME("2014-01-11T12:00:00+00:00", "January 11th, 2014")},
	{"<!date^1389528000^{date}|f>", TIME("2014-01-12T12:00:00+00:00", "January 12th, 2014")},
	{"<!date^1389614400^{date}|f>", TIME("2014-01-13T12:00:00+00:00", "January 13th, 2014")},
	{"<!date^1390305600^{date}|f>", TIME("2014-01-21T12:00:00+00:00", "January 21st, 2014")},
	{"<!date^1390392000^{date}|f>", TIME("2014-01-22T12:00:00+00:00", "January 22nd, 2014")},
	{"<!date^1390478400^{date}|f>", TIME("2014-01-23T12:00:00+00:00", "January 23rd, 2014")},
	{"<!date^1391169600^{date_long}|f>", TIME("2014-01-31T12:00:00+00:00", "Friday, January 31st, 2014")},
};

static const struct tcase links[] = {
	{"<http://a.com>", LINK("http://a.com", "http://a.com")},
	{"<https://a.com/x?y=1&amp;z=2>", LINK("https://a.com/x?y=1&amp;z=2", "https://a.com/x?y=1&amp;z=2")},
	{"<http://a.com|label>", LINK("http://a.com", "label")},
	{"<mailto:a@b.com|a@b.com>", LINK("mailto:a@b.com", "a@b.com")},
	{"<mailto:a@b.com>", LINK("mailto:a@b.com", "a@b.com")},
	{"<http://a.com|*bold* label>", LINK("http://a.com", "<b>bold</b> label")},
	{"<http://a.com|a|b>", LINK("http://a.com", "a|b")},
	{"<http://a.com|>", LINK("http://a.com", "http://a.com")},
	{"<http://a.com|:smile:>", LINK("http://a.com", E("smile", SMILE))},
	{"<http://a.com|a &amp; b>", LINK("http://a.com", "a &amp; b")},
	{"<HTTPS://A.COM>", LINK("HTTPS://A.COM", "HTTPS://A.COM")},
	{"<http://a.com/'>", LINK("http://a.com/&#39;", "http://a.com/&#39;")},
	{"<<http://a.com>", "&lt;" LINK("http://a.com", "http://a.com")},
	{"<http://a.com|<b>>", "&lt;http://a.com|b&gt;"},
	{"<ftp://a.com|f>", "f"},
	{"</relative|r>", "r"},
	{"<//evil.com|e>", "e"},
	{"<|>", ""},
	{"<\x01http://a.com|x>", "x"},
	{"<http:\x01?www.a.com>", "http:\x01?www.a.com"},
	{"<http://a.com/\x7f|y>", "y"},
	{"see <http://a.com> now", "see " LINK("http://a.com", "http://a.com") " now"},
	{"<https://acme.slack.com/archives/C1/p1458969700000002>",
	 "<a href=\"/general/p/1458969700.000002\">https://acme.slack.com/archives/C1/p1458969700000002</a>"},
	{"<https://acme.slack.com/archives/C1/p1458969700000002?thread_ts=1458969600.000001&amp;cid=C1|see>",
	 "<a href=\"/general/p/1458969700.000002?t=1458969600.000001\">see</a>"},
	{"<https://acme.enterprise.slack.com/archives/C1/p1458969700000002|x>",
	 "<a href=\"/general/p/1458969700.000002\">x</a>"},
	{"<https://acme.slack.com/archives/C9/p1458969700000002|x>",
	 LINK("https://acme.slack.com/archives/C9/p1458969700000002", "x")},
	{"<https://evil.com/archives/C1/p1458969700000002|x>", LINK("https://evil.com/archives/C1/p1458969700000002", "x")},
	{"<https://acme.slack.com.evil.com/archives/C1/p1458969700000002|x>",
	 LINK("https://acme.slack.com.evil.com/archives/C1/p1458969700000002", "x")},
	{"<https://acme.slack.com/archives/C1/p12|x>", LINK("https://acme.slack.com/archives/C1/p12", "x")},
	{"<https://acme.slack.com/archives/C1/p1458969700000002x|x>",
	 LINK("https://acme.slack.com/archives/C1/p1458969700000002x", "x")},
};

static const struct tcase emoji[] = {
	{":smile:", E("smile", SMILE)},
	{":+1:", E("+1", THUMB)},
	{":thumbsup:", E("thumbsup", THUMB)},
	{":+1::skin-tone-3:", ET("+1", "medium-light skin tone", THUMB TONE3)},
	{":+1::skin-tone-6:", ET("+1", "dark skin tone", THUMB TONE6)},
	{":+1::skin-tone-2:", ET("+1", "light skin tone", THUMB TONE2)},
	{":+1::skin-tone-4:", ET("+1", "medium skin tone", THUMB "\xF0\x9F\x8F\xBD")},
	{":+1::skin-tone-5:", ET("+1", "medium-dark skin tone", THUMB "\xF0\x9F\x8F\xBE")},
	{":thumbsup::skin-tone-2:", ET("thumbsup", "light skin tone", THUMB TONE2)},
	{":smile::skin-tone-2:", E("smile", SMILE)},
	{":handshake::skin-tone-2-3:",
	 ET("handshake", "light skin tone, medium-light skin tone",
	    "\xF0\x9F\xAB\xB1" TONE2 "\xE2\x80\x8D\xF0\x9F\xAB\xB2" TONE3)},
	{":+1::skin-tone-9:", E("+1", THUMB) ":skin-tone-9:"},
	{":notanemoji:", ":notanemoji:"},
	{":smile::smile:", E("smile", SMILE) E("smile", SMILE)},
	{":zz::smile:", ":zz:" E("smile", SMILE)},
	{"(11/3 - 4:30pm): ok", "(11/3 - 4:30pm): ok"},
	{":simple_smile:", E("simple_smile", SLIGHT)},
	{":partyparrot:", ":partyparrot:"},
	{":thumbs:", E("thumbs", THUMB)},
	{":shipit:", E("shipit", CHIPMUNK)},
	{":cyc1:", ":cyc1:"},
	{":badalias:", ":badalias:"},
	{":smile", ":smile"},
	{"::", "::"},
	{":smile:text", E("smile", SMILE) "text"},
	{"a:smile:b", "a" E("smile", SMILE) "b"},
	{":flag-us:", E("flag-us", FLAGUS)},
	{":us:", E("us", FLAGUS)},
	{":<script>:", ":script:"},
	{":a\"b:", ":a&quot;b:"},
	{"*:smile:*", "<b>" E("smile", SMILE) "</b>"},
	{":smile: :smile:", E("smile", SMILE) " " E("smile", SMILE)},
};

static const struct tcase remote[] = {
	{":partyparrot:", "<img class=\"emoji\" src=\"https://emoji.example/pp.gif\" alt=\":partyparrot:\" title=\":partyparrot:\">"},
	{":evil:", ":evil:"},
	{":quote:", "<img class=\"emoji\" src=\"https://e.example/a&quot;onerror=&quot;x.png\" alt=\":quote:\" title=\":quote:\">"},
	{":thumbs:", E("thumbs", THUMB)},
	{":smile:", E("smile", SMILE)},
};

static const struct tcase text[] = {
	{"Hello *bold* _it_ ~s~", "Hello bold it s"},
	{"<@U1> and <#C1>", "@alice and #general"},
	{"<@U9|carol>", "@carol"},
	{"<@U2>", "@Bob <b>"},
	{"&lt;tag&gt; &amp;amp;", "<tag> &amp;"},
	{":+1: :smile:", THUMB " " SMILE},
	{":+1::skin-tone-2:", THUMB TONE2},
	{"<http://a.com|label>", "label (http://a.com)"},
	{"<http://a.com>", "http://a.com"},
	{"<http://a.com|a.com>", "a.com"},
	{"<https://a.com/x|a.com/x>", "a.com/x"},
	{"<mailto:a@b.c|a@b.c>", "a@b.c"},
	{"<mailto:a@b.c>", "a@b.c"},
	{"<!here> <!subteam^S1|@devs>", "@here @devs"},
	{"&gt; quote\nafter", "quote\nafter"},
	{"&gt; a\n&gt; b\nc", "a\nb\nc"},
	{"a\nb", "a\nb"},
	{"```x```", "x"},
	{"`a &amp; b`", "a & b"},
	{":partyparrot:", ":partyparrot:"},
	{":thumbs:", THUMB},
	{"<!date^1392734382^{date_num}|fb>", "2014-02-18"},
	{"<javascript:alert(1)|click>", "click"},
	{"\"quotes\" stay", "\"quotes\" stay"},
	{"<http://a.com|*b* c>", "b c (http://a.com)"},
};

static const struct tcase broken[] = {
	{"a\xff b", "a\xEF\xBF\xBD b"},
	{"\xc3", "\xEF\xBF\xBD"},
	{"\xed\xa0\x80x", "\xEF\xBF\xBDx"},
	{"<http://a.com", "&lt;http://a.com"},
	{"<@U1", "&lt;@U1"},
	{"<!here", "&lt;!here"},
	{"*_unclosed both", "*_unclosed both"},
	{"```\nnever closed\n", "```<br>never closed<br>"},
	{"&gt;&gt;&gt;", "<blockquote></blockquote>"},
	{"<<<>>>", "&lt;&lt;&lt;&gt;&gt;&gt;"},
	{"<@>", "@"},
	{"<#>", "#"},
	{"<!>", "&lt;&gt;"},
	{":::::", ":::::"},
	{"*\n*", "*<br>*"},
	{"_ _", "_ _"},
	{"~~~", "~~~"},
};

static void run(const char *what, const render_ctx *c, int textmode, const struct tcase *t, size_t n)
{
	printf("# %s\n", what);
	for (size_t i = 0; i < n; i++)
		t_mrkdwn(c, textmode, t[i].in, t[i].want);
}

#define RUN(c, m, t) run(#t, c, m, t, sizeof t / sizeof *t)

static void nul_byte(void)
{
	buf_t b = BUF_INIT;
	render_mrkdwn_html(&b, &CTX, "a\0b", 3);
	CHECK_STR(buf_str(&b), "a\xEF\xBF\xBD" "b", "NUL byte becomes U+FFFD in HTML");
	buf_reset(&b);
	render_mrkdwn_text(&b, &CTX, "a\0b", 3);
	CHECK_STR(buf_str(&b), "a\xEF\xBF\xBD" "b", "NUL byte becomes U+FFFD in text");
	buf_free(&b);
}

static void base_prefix(void)
{
	render_ctx c = CTX;
	c.base = "/arch";
	t_mrkdwn(&c, 0, "<@U1> <#C1>", "<a class=\"mention\" href=\"/arch/user.U1/\">@alice</a> "
				  "<a class=\"channel\" href=\"/arch/general/\">#general</a>");
	c.base = "/\"x";
	t_mrkdwn(&c, 0, "<@U1>", "<a class=\"mention\" href=\"/&quot;x/user.U1/\">@alice</a>");
}

int main(void)
{
	ts_set_zone("UTC");
	RUN(&CTX, 0, basics);
	RUN(&CTX, 0, emphasis);
	RUN(&CTX, 0, code);
	RUN(&CTX, 0, after_block);
	RUN(&CTX, 1, after_block_text);
	RUN(&CTX, 0, quotes);
	RUN(&CTX, 0, mentions);
	RUN(&BARE, 0, bare_mentions);
	RUN(&CTX, 0, dates);
	RUN(&CTX, 0, links);
	RUN(&CTX, 0, emoji);
	RUN(&CTXIMG, 0, remote);
	RUN(&CTX, 1, text);
	RUN(&CTX, 0, broken);
	ts_set_zone("America/Chicago");
	t_mrkdwn(&CTX, 0, "<!date^1392734382^{date_num} {time_secs}|fb>",
		 TIME("2014-02-18T08:39:42-06:00", "2014-02-18 08:39:42"));
	t_mrkdwn(&CTX, 0, "<!date^1392692400^{date_num} {time}|fb>",
		 TIME("2014-02-17T21:00:00-06:00", "2014-02-17 21:00"));
	t_mrkdwn(&CTX, 1, "<!date^1392692400^{date_long}|fb>", "Monday, February 17th, 2014");
	ts_set_zone("UTC");
	nul_byte();
	base_prefix();
	UNIT_DONE();
}
