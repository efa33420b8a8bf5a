#!/usr/bin/env python3
"""build-check.py: checks of a static build, independent of slacklog's code.

  expect EXPORT            the page paths a build must publish, derived from
                           the export's JSON: "/", each public channel, its
                           days (export-days.py's rules) and the days it got
                           replies to threads of other days, the people who
                           wrote
  newest EXPORT [CHANNEL]  "CHANNEL_ID/ts" of the 50 newest shown messages
  sitemap OUTDIR BASE      the paths the sitemap index and its sitemaps list
                           (checks: XML parses, <= 50000 URLs each, lastmod)
  atom FILE                RFC 4287 essentials; prints the entry ids' tails
  compare STATIC SERVE OUTDIR
                           every file of the build against `slacklog serve`'s
                           answer for its URL: same bytes (a legacy .html
                           stub: refresh to the 301's target); the first
                           files of each kind also through a static server
"""
import datetime, json, os, re, sys, urllib.parse, zipfile
import xml.etree.ElementTree as ET
from collections import defaultdict

HIDDEN = {"channel_join", "channel_leave", "group_join", "group_leave"}
RFC3339 = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$')
A = '{http://www.w3.org/2005/Atom}'
SM = '{http://www.sitemaps.org/schemas/sitemap/0.9}'

def entries(path):
    out = {}
    if os.path.isdir(path):
        for root, _, names in os.walk(path):
            for n in names:
                full = os.path.join(root, n)
                out[os.path.relpath(full, path)] = lambda f=full: open(f, 'rb').read()
    else:
        z = zipfile.ZipFile(path)
        for i in z.infolist():
            out[i.filename] = lambda i=i: z.read(i)
    return out

def load(path):
    e = entries(path)
    top = lambda name: next((k for k in e if k.split('/')[-1] == name and k.count('/') <= 1), None)
    chans = json.loads(e[top('channels.json')]())
    users = json.loads(e[top('users.json')]()) if top('users.json') else []
    prefix = top('channels.json')[:-len('channels.json')]
    msgs = defaultdict(dict)
    for c in chans:
        for k, read in e.items():
            if k.startswith(prefix + c['name'] + '/') and k.endswith('.json'):
                try:
                    arr = json.loads(read())
                except ValueError:
                    continue
                for m in arr if isinstance(arr, list) else []:
                    if isinstance(m, dict) and m.get('ts'):
                        msgs[c['name']]["%017.6f" % float(m['ts'])] = m
    return chans, {u['id'] for u in users}, msgs

def day(ts):
    return datetime.datetime.fromtimestamp(int(float(ts)), datetime.timezone.utc).strftime('%Y-%m-%d')

def expect(path):
    chans, users, msgs = load(path)
    pages, authors = ['/'], set()
    for c in sorted(chans, key=lambda c: c['name']):
        pages.append('/%s/' % c['name'])
        byts, days = msgs[c['name']], set()
        for ts, m in byts.items():
            if m.get('subtype') in HIDDEN:
                continue
            t = m.get('thread_ts')
            t = "%017.6f" % float(t) if t else None
            days.add(day(t) if t and t != ts and t in byts else day(ts))
            days.add(day(ts))     # a reply's own day has a page too
            if m.get('user'):
                authors.add(m['user'])
        pages += ['/%s/%s/' % (c['name'], d) for d in sorted(days)]
    pages += ['/user.%s/' % u for u in sorted(authors & users)]
    print('\n'.join(pages))

def newest(path, only=None):
    chans, _, msgs = load(path)
    ids = {c['name']: c['id'] for c in chans}
    all = [(ts, ids[n]) for n in msgs if only in (None, n) for ts, m in msgs[n].items()
           if m.get('subtype') not in HIDDEN]
    all.sort(key=lambda x: (x[0], x[1]), reverse=True)
    for ts, cid in all[:50]:
        print('%s/%s' % (cid, ts))

def sitemap(out, base):
    idx = ET.parse(os.path.join(out, 'sitemap.xml')).getroot()
    assert idx.tag == SM + 'sitemapindex', idx.tag
    for s in idx.findall(SM + 'sitemap'):
        loc = s.find(SM + 'loc').text
        assert loc.startswith(base + '/sitemap-'), loc
        lm = s.find(SM + 'lastmod')
        assert lm is None or RFC3339.match(lm.text), lm.text
        part = ET.parse(os.path.join(out, loc[len(base) + 1:])).getroot()
        assert part.tag == SM + 'urlset'
        urls = part.findall(SM + 'url')
        assert 0 < len(urls) <= 50000
        for u in urls:
            loc = u.find(SM + 'loc').text
            assert loc.startswith(base + '/'), loc
            lm = u.find(SM + 'lastmod')
            assert lm is None or RFC3339.match(lm.text), lm.text
            print(urllib.parse.unquote(loc[len(base):]))

def atom(path):
    f = ET.parse(path).getroot()
    assert f.tag == A + 'feed', f.tag
    for k in ('id', 'title', 'updated'):
        assert f.find(A + k) is not None and f.find(A + k).text, 'feed lacks ' + k
    assert RFC3339.match(f.find(A + 'updated').text)
    assert any(l.get('rel') == 'self' for l in f.findall(A + 'link')), 'no self link'
    ids = []
    for e in f.findall(A + 'entry'):
        for k in ('id', 'title', 'updated'):
            assert e.find(A + k) is not None and e.find(A + k).text, 'entry lacks ' + k
        assert RFC3339.match(e.find(A + 'updated').text)
        assert RFC3339.match(e.find(A + 'published').text)
        assert e.find(A + 'author') is not None or f.find(A + 'author') is not None, 'no author'
        assert e.find(A + 'author/' + A + 'name').text
        c = e.find(A + 'content')
        assert c is not None and c.get('type') in ('html', 'text')
        ids.append(e.find(A + 'id').text)
    assert len(ids) == len(set(ids)), 'duplicate entry ids'
    assert len(ids) <= 50
    for i in ids:
        print(i.split(':slacklog/', 1)[1])

def getter(base):
    """GET on one kept-alive connection (no redirects followed)."""
    import http.client
    u = urllib.parse.urlsplit(base)
    conn = [None]
    def get(path):
        for attempt in (0, 1):
            try:
                if conn[0] is None:
                    conn[0] = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
                conn[0].request('GET', path)
                r = conn[0].getresponse()
                body = r.read()
                if r.getheader('Connection', '').lower() == 'close' or r.version == 10:
                    conn[0].close(); conn[0] = None
                return r.status, body, r.getheader('Location')
            except (http.client.HTTPException, OSError):
                conn[0] = None
                if attempt:
                    raise
    return get

def compare(static, serve, out):
    """Every file against serve's answer; the first files of each kind are
    also fetched through the static server (the URL -> file mapping)."""
    files = [l.split(' ', 1)[1].rstrip('\n') for l in open(out.rstrip('/') + '.slacklog-build')
             if not l.startswith('#')]
    kinds, bad = defaultdict(int), 0
    sget, vget = getter(static), getter(serve)
    for f in files:
        path = '/' + (f[:-len('index.html')] if f.endswith('index.html') else f)
        legacy = re.match(r'^/[^/]+/\d{4}-\d\d-\d\d\.html$', path)
        kind = 'redirect' if legacy else '404' if f == '404.html' else f.rsplit('.', 1)[-1]
        q = urllib.parse.quote(path)
        b1 = open(os.path.join(out, f), 'rb').read()
        s1 = 200
        if kinds[kind] < 3:
            s1, b0, _ = sget(q)
            s1 = s1 if b0 == b1 else -1
        s2, b2, loc = vget(q)
        if legacy:
            m = re.search(rb'http-equiv="refresh" content="0; url=([^"]*)"', b1)
            good = s1 == 200 and s2 == 301 and m and m.group(1).decode() == loc
        elif f == '404.html':
            good = s2 == 404 and b1 == b2
        else:
            good = s1 == 200 and s2 == 200 and b1 == b2
        kinds[kind] += 1
        if not good:
            bad += 1
            print('# differs: %s (static %d, serve %d)' % (path, s1, s2))
    print(' '.join('%s=%d' % kv for kv in sorted(kinds.items())), 'differ=%d' % bad)

if __name__ == '__main__':
    cmd, args = sys.argv[1], sys.argv[2:]
    {'expect': expect, 'newest': newest, 'sitemap': sitemap, 'atom': atom, 'compare': compare}[cmd](*args)
