#!/usr/bin/env python3
"""export-days.py EXPORT: what the day pages should show, derived straight
from a Slack export (directory or zip) without slacklog, for the web tests.

Prints one line per public channel and UTC day that has messages:
    CHANNEL DAY COUNT PREV NEXT
COUNT follows the archive's rules: a message belongs to the UTC day of its
ts; joins and leaves are not shown; a thread reply is counted on its
parent's day when the parent is in the export; (channel, ts) duplicates
count once. PREV/NEXT are the neighbouring days with messages ('-' if none).
"""
import datetime, json, sys, zipfile, os
from collections import defaultdict

HIDDEN = {"channel_join", "channel_leave", "group_join", "group_leave"}

def files(path):
    if os.path.isdir(path):
        for root, _, names in os.walk(path):
            for n in names:
                full = os.path.join(root, n)
                yield os.path.relpath(full, path), lambda f=full: open(f, 'rb').read()
    else:
        z = zipfile.ZipFile(path)
        for info in z.infolist():
            yield info.filename, lambda i=info: z.read(i)

def day(ts):
    return datetime.datetime.fromtimestamp(int(float(ts)), datetime.timezone.utc).strftime('%Y-%m-%d')

def main(path):
    entries = dict(files(path))
    top = lambda name: next((k for k in entries if k.split('/')[-1] == name and k.count('/') <= 1), None)
    chans = json.loads(entries[top('channels.json')]())
    prefix = top('channels.json')[:-len('channels.json')]
    msgs = defaultdict(dict)          # channel -> ts -> message
    for c in chans:
        for k, read in entries.items():
            if k.startswith(prefix + c['name'] + '/') and k.endswith('.json'):
                try:
                    arr = json.loads(read())
                except ValueError:
                    continue
                for m in arr if isinstance(arr, list) else []:
                    if isinstance(m, dict) and m.get('ts'):
                        msgs[c['name']]["%017.6f" % float(m['ts'])] = m
    for name in sorted(msgs):
        counts = defaultdict(int)
        byts = msgs[name]
        for ts, m in byts.items():
            if m.get('subtype') in HIDDEN:
                continue
            d = day(ts)
            t = m.get('thread_ts')
            if t and "%017.6f" % float(t) != ts and "%017.6f" % float(t) in byts:
                d = day(t)
            counts[d] += 1
        days = sorted(counts)
        for i, d in enumerate(days):
            print(name, d, counts[d], days[i - 1] if i else '-', days[i + 1] if i + 1 < len(days) else '-')

if __name__ == '__main__':
    main(sys.argv[1])
