#!/usr/bin/env python3
"""links.py OUTDIR [static URL]... [serve URL]: the internal links of a
static build, followed over HTTP.

  static URL   every same-site link in every file of the build in OUTDIR
               (href and src of pages, the HTML inside feeds and API
               documents, their "url" fields, sitemap <loc>s, a redirect
               stub's refresh) fetched from URL, a static server of
               OUTDIR: each must answer 200
  serve URL    `slacklog serve` at URL crawled from / and from the URL of
               every file of the build, following every same-site link:
               each URL linked must be a file of the build (as a static
               server maps it: /a/ -> a/index.html)

For each check, "# broken PATH <- FILE" lines for the first 20 broken
links, then "static URL: links=N broken=M" (or "serve URL: ..."). One
process for all: a python start is dear on a loaded machine. Redirects are
not followed: a 301 is broken.
"""
import html, json, os, re, sys, urllib.error, urllib.parse, urllib.request

ATTR = re.compile(r'''(?:href|src)\s*=\s*"([^"]*)"''')
REFRESH = re.compile(r'''http-equiv="refresh" content="\d+; url=([^"]*)"''')
LOC = re.compile(r'<loc>([^<]*)</loc>')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


opener = urllib.request.build_opener(NoRedirect)


def fetch(url):
    try:
        r = opener.open(url, timeout=30)
        return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def in_html(text):
    for rx in (ATTR, REFRESH):
        for v in rx.findall(text):
            yield html.unescape(v)


def in_json(v, key=None):
    """Links in an API document: its "url" fields (paths) and the HTML of
    its "html" fields; other strings are data (a message's "text" and
    "plain" may hold markup or a path someone typed, which is no link)."""
    if isinstance(v, dict):
        for k, x in v.items():
            yield from in_json(x, k)
    elif isinstance(v, list):
        for x in v:
            yield from in_json(x, key)
    elif isinstance(v, str):
        if key == 'url':
            yield v
        elif key == 'html':
            yield from in_html(v)


def links(name, body):
    """The links a file holds, as written (relative to its own URL)."""
    text = body.decode('utf-8', 'replace')
    if name.endswith('.json'):
        try:
            yield from in_json(json.loads(text))
        except ValueError:
            pass
    elif name.endswith('.xml'):
        yield from (html.unescape(v) for v in LOC.findall(text))
    elif name.endswith('.atom'):
        yield from in_html(text)                  # <link href>
        yield from in_html(html.unescape(text))   # the entries' HTML
    elif name.endswith('.html'):
        yield from in_html(text)


def same_site(page_url, link):
    """The path (and query) of a link to the site itself, else None."""
    u = urllib.parse.urlsplit(urllib.parse.urljoin(page_url, link))
    base = urllib.parse.urlsplit(page_url)
    if u.scheme not in ('http', 'https') or u.netloc != base.netloc:
        return None
    return u.path + ('?' + u.query if u.query else '')


def url_of(rel):
    """The URL a static server answers with the file rel."""
    if rel == 'index.html' or rel.endswith('/index.html'):
        rel = rel[:-len('index.html')]
    return '/' + urllib.parse.quote(rel)


def files(out):
    for root, _, names in os.walk(out):
        for n in names:
            full = os.path.join(root, n)
            yield os.path.relpath(full, out), full


def report(check, bad, n):
    for path, frm in sorted(bad.items())[:20]:
        print('# broken %s <- %s' % (path, frm))
    print('%s: links=%d broken=%d' % (check, n, len(bad)))


def static(base, out):
    base = base.rstrip('/')
    seen, bad = {}, {}
    for rel, full in sorted(files(out)):
        page = base + url_of(rel)
        for link in links(rel, open(full, 'rb').read()):
            p = same_site(page, link)
            if p is not None and p not in seen:
                seen[p] = rel
    for p, frm in seen.items():
        status, _ = fetch(base + p)
        if status != 200:
            bad[p] = '%s (%d)' % (frm, status)
    report('static ' + base, bad, len(seen))


def serve(base, out):
    base = base.rstrip('/')
    urls = sorted(url_of(rel) for rel, _ in files(out))
    have = {urllib.parse.unquote(u) for u in urls}
    todo = ['/'] + urls
    done, linked, bad = set(), {}, {}
    while todo:
        p = todo.pop()
        if p in done:
            continue
        done.add(p)
        status, body = fetch(base + p)
        if status != 200:
            continue
        path = urllib.parse.urlsplit(p).path
        name = path + 'index.html' if path.endswith('/') else path
        for link in links(name, body):
            q = same_site(base + p, link)
            if q is None:
                continue
            target = urllib.parse.unquote(urllib.parse.urlsplit(q).path)
            linked.setdefault(target, p)
            if target not in have:
                bad[target] = p
            todo.append(q)
    report('serve ' + base, bad, len(linked))


if __name__ == '__main__':
    args = sys.argv[2:]
    if len(sys.argv) < 4 or len(args) % 2 or any(a not in ('static', 'serve') for a in args[::2]):
        sys.exit(__doc__)
    for kind, url in zip(args[::2], args[1::2]):
        {'static': static, 'serve': serve}[kind](url, sys.argv[1])
