#!/usr/bin/env python3
"""check-days.py URL EXPORT [PREFIX]: fetch every day page the export should
produce from a running `slacklog serve` and compare what the page shows with
numbers derived from the export JSON alone (export-days.py): the "Channels"
sidebar (names and counts), the number of messages with anchors, and the
previous/next day links. Prints TAP-like ok / not ok lines."""
import html, re, subprocess, sys, os, urllib.request, urllib.parse
from collections import defaultdict

url, export = sys.argv[1], sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))
rows = subprocess.run([sys.executable, os.path.join(here, 'export-days.py'), export],
                      capture_output=True, text=True, check=True).stdout.split('\n')
want = {}                       # (channel, day) -> (count, prev, next)
byday = defaultdict(list)       # day -> [(channel, count)]
for r in rows:
    if r.strip():
        ch, day, n, prev, nxt = r.split()
        want[(ch, day)] = (int(n), prev, nxt)
        byday[day].append((ch, int(n)))

side_re = re.compile(r'<li><a href="/([^/"]+)/(\d{4}-\d\d-\d\d)/"( aria-current="page")?>'
                     r'<span class="hash" aria-hidden="true">#</span>([^<]*) <span class="count">\((\d+)\)</span></a></li>')
bad = defaultdict(list)
for (ch, day), (n, prev, nxt) in sorted(want.items()):
    page = urllib.request.urlopen(url + '/' + urllib.parse.quote(ch) + '/' + day + '/').read().decode()
    side = side_re.findall(page)
    got = sorted((html.unescape(name), int(c)) for _, _, _, name, c in side)
    if got != sorted(byday[day]):
        bad['sidebar'].append('%s %s: %s != %s' % (ch, day, got, sorted(byday[day])))
    cur = [s for s in side if s[2]]
    if len(cur) != 1 or urllib.parse.unquote(cur[0][0]) != ch:
        bad['current'].append('%s %s' % (ch, day))
    main = page[page.find('<main'):]
    anchors = len(re.findall(r'<li class="msg[^"]*" id="p\d{16}">', main))
    if anchors != n:
        bad['anchors'].append('%s %s: %d anchored messages, %d expected' % (ch, day, anchors, n))
    p = re.search(r'rel="prev" href="/[^/]+/(\d{4}-\d\d-\d\d)/"', page)
    x = re.search(r'rel="next" href="/[^/]+/(\d{4}-\d\d-\d\d)/"', page)
    if (p.group(1) if p else '-') != prev:
        bad['prev'].append('%s %s: %s != %s' % (ch, day, p and p.group(1), prev))
    if (x.group(1) if x else '-') != nxt:
        bad['next'].append('%s %s: %s != %s' % (ch, day, x and x.group(1), nxt))

name = os.path.basename(export.rstrip('/'))
checks = [('sidebar', 'the Channels sidebar lists that day\'s channels with their counts'),
          ('current', 'the sidebar marks the page\'s own channel'),
          ('anchors', 'the page shows as many messages as its count'),
          ('prev', 'the previous-day link goes to the previous day with messages'),
          ('next', 'the next-day link goes to the next day with messages')]
for key, what in checks:
    if bad[key]:
        print('not ok - %s: %s (%d of %d pages wrong, e.g. %s)' % (name, what, len(bad[key]), len(want), bad[key][:3]))
    else:
        print('ok - %s: %s (%d day pages)' % (name, what, len(want)))
if not want:
    print('not ok - %s: the export yields no day pages' % name)
