#!/usr/bin/env python3
"""t91-inject-seen.py VECTORS FILE...: did the vectors reach the pages?

A test that finds no markup must also show the vectors were there to be
found. Collects every text node and attribute value of the HTML files (as
a browser decodes them) and prints how many vectors occur verbatim in
them, as "SEEN TOTAL", then the vectors not seen, one a line."""
import html.parser
import sys

vectors = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8")
           if l.strip() and not l.startswith("# ")]


class Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        self.parts += [v for _, v in attrs if v]

    def handle_data(self, data):
        self.parts.append(data)


t = Text()
for f in sys.argv[2:]:
    t.feed(open(f, encoding="utf-8", errors="replace").read())
    t.feed("\n")
corpus = "\n".join(t.parts)
missing = [v for v in vectors if v not in corpus]
print(len(vectors) - len(missing), len(vectors))
for v in missing:
    print(v)
