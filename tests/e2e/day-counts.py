#!/usr/bin/env python3
"""day-counts.py DB: does the archive's day_counts table hold what a count
of the messages says? Recounts with Python's sqlite3 (messages with
hidden = 0, by channel and page_day, and the newest ts or edit among
them) and compares row by row, in both directions: a missing day, a
count off by one, a day left over with a count of 0, a last change that
an edit or a delete did not move. The same for user_counts (schema 10):
per person and channel; and for late_replies (schema 11): shown replies
whose own day is not the day of the page that shows them, per channel,
day, thread and page day, with how many and the first and last ts.
Exit 0 when equal; else the differences on stderr, exit 1."""
import sqlite3
import sys

db = sqlite3.connect('file:%s?mode=ro' % sys.argv[1], uri=True)
# per day page: its count and its last change, the newest ts or edit of
# the messages it counts (ts and edited_ts are fixed-width text, so text
# order is time order)
want, uwant, lwant = {}, {}, {}
for c, d, u, ts, edited, own, thread in db.execute(
        'SELECT channel_id, page_day, user_id, ts, edited_ts, day, thread_ts FROM messages WHERE hidden = 0'):
    n, last = want.get((c, d), (0, ''))
    want[(c, d)] = (n + 1, max(last, ts, edited or ''))
    if u is not None:
        n, last = uwant.get((u, c), (0, ''))
        uwant[(u, c)] = (n + 1, max(last, ts, edited or ''))
    # a reply shown on another day's page than the day it was posted
    if thread is not None and thread != ts and own != d:
        k = (c, own, thread, d)
        n, first, last = lwant.get(k, (0, ts, ts))
        lwant[k] = (n + 1, min(first, ts), max(last, ts))
bad = []
for table, wanted, key, cols in (
        ('day_counts', want, 'channel_id, page_day', 'n, changed'),
        ('user_counts', uwant, 'user_id, channel_id', 'n, changed'),
        ('late_replies', lwant, 'channel_id, day, thread_ts, page_day', 'n, first_ts, last_ts')):
    nkey = key.count(',') + 1
    have = {tuple(r[:nkey]): tuple(r[nkey:]) for r in db.execute('SELECT %s, %s FROM %s' % (key, cols, table))}
    diff = sorted(k for k in set(wanted) | set(have) if wanted.get(k) != have.get(k))
    for k in diff[:20]:
        print('%s: %s %s, messages %s' % (' '.join(k), table, have.get(k), wanted.get(k)), file=sys.stderr)
    bad += diff
if not want:
    print('no messages: nothing was checked', file=sys.stderr)
sys.exit(1 if bad or not want else 0)
