#!/usr/bin/env python3
"""t91-html-check.py FILE...: no markup but the product's own.

Parses each HTML file (html.parser, which splits tags and attributes as a
browser's tokenizer does) and prints "BAD FILE: why" for anything outside
what slacklog's page and render code emit (the tag and attribute names
found in src/pages and src/render, listed here by hand):
  - an element not in TAGS (script, iframe, svg, math, object, style,
    base, textarea, noscript, template...), or an attribute not in ATTRS
    (every on* handler, srcdoc, formaction, xlink:href...);
  - a <script> other than JSON-LD data (type application/ld+json whose
    content parses as JSON) or one with src;
  - a URL attribute (href, src, action) whose scheme, as a browser reads
    it (leading control characters and spaces stripped, tabs and newlines
    removed), is not http, https or mailto; a relative URL is fine;
  - a style attribute with anything but a colour declaration;
  - <meta http-equiv> other than the redirect stubs' refresh to a path
    of the site ("0; url=/..."), a <link> other than stylesheet, icon,
    alternate, canonical.
Prints "checked N files, N elements" last. Exit status 1 if anything BAD.
"""
import html.parser
import json
import re
import sys

TAGS = set("""html head body title meta link script main nav header footer section div span p a b i
s code pre blockquote br hr ul ol li img input form label button h1 h2 h3 time details summary
table caption thead tbody tr td th mark q""".split())
ATTRS = set("""abbr action alt aria-current aria-hidden aria-label aria-labelledby charset class content
datetime for height href id lang loading method name placeholder rel role scope src start style
title type value width property open http-equiv""".split())
URL_ATTRS = {"href", "src", "action"}
LINK_RELS = {"stylesheet", "icon", "alternate", "canonical"}
STYLE_OK = re.compile(r"^\s*(background|border-left-color)\s*:\s*#[0-9a-fA-F]{3,8}\s*;?\s*$")


def scheme(url):
    u = url.lstrip("".join(chr(c) for c in range(0x21)))
    u = re.sub(r"[\t\n\r]", "", u)
    m = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", u)
    return m.group(1).lower() if m else None


class Check(html.parser.HTMLParser):
    def __init__(self, name):
        super().__init__(convert_charrefs=True)
        self.name, self.bad, self.elements = name, [], 0
        self.in_script, self.script_text = None, ""

    def flag(self, why):
        self.bad.append(why)

    def handle_starttag(self, tag, attrs):
        self.elements += 1
        a = dict(attrs)
        if tag not in TAGS:
            self.flag("element <%s>" % tag)
        for k, v in attrs:
            if k not in ATTRS:
                self.flag("attribute %s on <%s>" % (k, tag))
            if k in URL_ATTRS and v is not None and scheme(v) not in (None, "http", "https", "mailto"):
                self.flag("%s=%r on <%s>" % (k, v, tag))
            if k == "style" and v is not None and not STYLE_OK.match(v):
                self.flag("style=%r on <%s>" % (v, tag))
        if tag == "script":
            if "src" in a or a.get("type") != "application/ld+json":
                self.flag("script %r" % attrs)
            self.in_script, self.script_text = tag, ""
        if tag == "meta" and "http-equiv" in a:
            m = re.match(r"^0; url=(/[^\s]*)$", a.get("content") or "")
            if (a["http-equiv"] or "").lower() != "refresh" or not m or m.group(1).startswith("//"):
                self.flag("meta http-equiv %r" % a.get("content"))
        if tag == "link" and not set((a.get("rel") or "").split()) <= LINK_RELS:
            self.flag("link rel=%r" % a.get("rel"))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_data(self, data):
        if self.in_script:
            self.script_text += data

    def handle_endtag(self, tag):
        if tag == "script" and self.in_script:
            try:
                json.loads(self.script_text)
            except ValueError:
                self.flag("JSON-LD that is not JSON: %r" % self.script_text[:80])
            self.in_script = None


bad = elements = 0
for f in sys.argv[1:]:
    c = Check(f)
    c.feed(open(f, encoding="utf-8", errors="replace").read())
    c.close()
    elements += c.elements
    for why in c.bad[:5]:
        print("BAD %s: %s" % (f, why))
    bad += len(c.bad)
print("checked %d files, %d elements, %d problems" % (len(sys.argv) - 1, elements, bad))
sys.exit(1 if bad else 0)
