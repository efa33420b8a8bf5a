#!/usr/bin/env python3
"""crawl.py URL OUTDIR [MAX]: follow every same-site link from URL/ (href
and src, fragments dropped), save each answer as OUTDIR/NNNN.html and print
"STATUS PATH FILE" lines. Redirects are not followed (they are listed)."""
import os, re, sys, urllib.request, urllib.error, urllib.parse, html

base, out = sys.argv[1].rstrip('/'), sys.argv[2]
limit = int(sys.argv[3]) if len(sys.argv) > 3 else 5000
os.makedirs(out, exist_ok=True)

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None

opener = urllib.request.build_opener(NoRedirect)
seen, todo, n = set(), ['/'], 0
while todo and n < limit:
    path = todo.pop(0)
    if path in seen:
        continue
    seen.add(path)
    try:
        r = opener.open(base + path)
        status, body = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, body = e.code, e.read()
    n += 1
    f = os.path.join(out, '%04d.html' % n)
    with open(f, 'wb') as fh:
        fh.write(body)
    print(status, path, f)
    if status != 200:
        continue
    for link in re.findall(rb'(?:href|src)="([^"]*)"', body):
        link = html.unescape(link.decode())
        u = urllib.parse.urlsplit(link)
        if u.scheme or u.netloc or not u.path.startswith('/'):
            continue
        p = u.path + ('?' + u.query if u.query else '')
        if p not in seen:
            todo.append(p)
