#!/usr/bin/env python3
"""prefix-crawl.py BASE [EXTRA-PATH...]: crawl a site served under BASE (an
absolute URL ending in '/', e.g. http://127.0.0.1:8080/archive/) from BASE
and the extra paths (relative to BASE, e.g. "?q=hello"), following every
href, src and form action of HTML pages and every href and <loc> of XML.

Every link must either leave the site (another host), be a fragment, or
lead under BASE: an absolute path must start with BASE's path, an absolute
URL with BASE, and a relative one resolves against its page. Every link
followed must answer 200 (a 301 counts when its Location is under BASE).
Prints one line per problem, then "N urls, M links checked" as the last
line; exits 1 when there was a problem."""
import html, re, sys, urllib.error, urllib.parse, urllib.request

base = sys.argv[1]
prefix = urllib.parse.urlsplit(base).path
origin = base[: len(base) - len(prefix)]

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None

opener = urllib.request.build_opener(NoRedirect)
todo = [base] + [urllib.parse.urljoin(base, p) for p in sys.argv[2:]]
seen, problems, links = set(todo), [], 0

def fetch(url):
    try:
        r = opener.open(url)
        return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()

while todo and len(seen) < 5000:
    url = todo.pop(0)
    status, headers, body = fetch(url)
    if status == 301:
        loc = urllib.parse.urljoin(url, headers.get('Location', ''))
        if not loc.startswith(base):
            problems.append('%s redirects outside %s: %s' % (url, base, loc))
        continue
    if status != 200:
        problems.append('%s answers %d' % (url, status))
        continue
    ctype = headers.get('Content-Type', '')
    if 'html' in ctype:
        found = re.findall(rb'(?:href|src|action)="([^"]*)"', body)
    elif 'xml' in ctype:
        found = re.findall(rb'href="([^"]*)"', body) + re.findall(rb'<loc>([^<]*)</loc>', body)
    else:
        continue
    for raw in found:
        link = html.unescape(raw.decode())
        links += 1
        parts = urllib.parse.urlsplit(link)
        if link.startswith('#'):
            continue
        if parts.scheme or parts.netloc:
            if parts.scheme not in ('http', 'https') or not (parts.scheme + '://' + parts.netloc).startswith(origin):
                continue                    # another site (Slack, the workspace)
            if not link.startswith(base) and link + '/' != base:
                problems.append('%s links outside %s: %s' % (url, base, link))
                continue
        elif link.startswith('/') and not link.startswith(prefix) and link + '/' != prefix:
            problems.append('%s has a path without the prefix: %s' % (url, link))
            continue
        target = urllib.parse.urldefrag(urllib.parse.urljoin(url, link))[0]
        if target not in seen:
            seen.add(target)
            todo.append(target)

for p in problems:
    print(p)
print('%d urls, %d links checked' % (len(seen), links))
sys.exit(1 if problems else 0)
