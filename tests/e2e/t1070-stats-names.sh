#!/bin/bash
# t1070-stats-names: `slacklog stats` lines its columns up by the width a
# terminal gives each name, not by its bytes: the fixture wide-names has
# channels named café, 日本語 (two columns a character), party-🎉 (an
# emoji, two columns) and noël with a combining diaeresis (no column of
# its own), and DMs named after josé, 田中 and unicorn🦄. Widths are worked
# out here with python's unicodedata, whatever the caller's locale.
. tests/lib.sh
check "import the wide-names fixture" "$SLACKLOG" import -q --db "$TMP/w.db" "$FIX/wide-names"
LC_ALL=C "$SLACKLOG" stats --db "$TMP/w.db" >"$TMP/stats.txt"
eq "stats: exit status 0" "$?" 0
python3 - "$TMP/stats.txt" <<'PY'
import re, sys, unicodedata

def width(s):
    w = 0
    for c in s:
        if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Me", "Cf"):
            continue
        w += 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1
    return w

lines = [l for l in open(sys.argv[1], encoding="utf-8").read().splitlines() if l.startswith("  ")]
names = {"general", "café", "日本語", "party-🎉", "noe\u0308l", "josé--unicorn🦄", "alice--田中"}
found = {re.match(r"^  (.*?) +(public|dm) ", l).group(1) for l in lines if re.match(r"^  (.*?) +(public|dm) ", l)}
print(("ok" if found == names else "not ok") + " - every channel has its line, its name whole: %s" % sorted(found))
for label, col in (("kind", "public|dm"), ("stored", "stored"), ("shown", "shown"), ("days", "days")):
    at = {width(l[:re.search(r" (%s)\b" % col, l).start(1)]) for l in lines}
    print(("ok" if len(at) == 1 else "not ok") + " - the %s column starts at one place on every line: %s" % (label, sorted(at)))
PY
