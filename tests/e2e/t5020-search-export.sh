#!/bin/bash
# t5020-search-export: search a real export (houstondatavis-2016) after
# `slacklog import`. Expected hits come from python reading the export's
# JSON: every message whose text has the word (whole word, any case) must
# be found, per channel and per author; every hit must show the word in
# its snippet; private content is never returned; ts/day/url agree.
. tests/lib.sh
EXPORT=$SHARED/fixtures/houstondatavis-2016
DB=$TMP/a.db
if ! "$SLACKLOG" import --help >/dev/null 2>&1; then
	ok "# SKIP slacklog import is not built in this tree"
	exit 0
fi
"$SLACKLOG" import -q --db "$DB" "$EXPORT" >/dev/null 2>&1; rc=$?
check "import the export (exit $rc)" test "$rc" -le 1

# expect WORD [CHANNEL] [USER]: "ts ts ..." of messages whose text has WORD
expect() {
	python3 - "$EXPORT" "$@" <<'PY'
import json, os, re, sys
exp, word = sys.argv[1], sys.argv[2]
chan = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] else None
user = sys.argv[4] if len(sys.argv) > 4 else None
pat = re.compile(r"(?<![A-Za-z0-9])" + re.escape(word) + r"(?![A-Za-z0-9])", re.I)
out = set()
for c in json.load(open(os.path.join(exp, "channels.json"))):
    if chan and c["name"] != chan:
        continue
    d = os.path.join(exp, c["name"])
    for f in sorted(os.listdir(d)):
        for m in json.load(open(os.path.join(d, f))):
            if m.get("subtype") in ("channel_join", "channel_leave"):
                continue
            if user and m.get("user") != user:
                continue
            if pat.search(m.get("text") or ""):
                s, _, fr = m["ts"].partition(".")
                out.add("%010d.%s" % (int(s), (fr + "000000")[:6]))
print(" ".join(sorted(out)))
PY
}

# found QUERY: every ts the search returns (all pages)
found() {
	local off=0 all="" page
	while :; do
		page=$("$SLACKLOG" search --db "$DB" --json --limit 100 --offset $off -- "$1" |
			python3 -c 'import json,sys; print(" ".join(r["ts"] for r in json.load(sys.stdin)["results"]))')
		[ -z "$page" ] && break
		all="$all $page"; off=$((off + 100))
	done
	echo $all | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//'
}

# covers NAME EXPECTED FOUND: every expected ts is found
covers() {
	local missing
	missing=$(comm -23 <(echo "$2" | tr ' ' '\n' | sort) <(echo "$3" | tr ' ' '\n' | sort) | head -3)
	if [ -n "$2" ] && [ -z "$missing" ]; then ok "$1"; else nok "$1: missing [$missing] (expected ${#2} bytes of ts)"; fi
}

for w in meetup data d3 python; do
	e=$(expect "$w"); f=$(found "$w")
	covers "every message with '$w' is found" "$e" "$f"
done
e=$(expect data general); f=$(found "data in:#general")
covers "'data in:#general' finds the channel's messages" "$e" "$f"
lacks "'data in:#general' returns only #general" "$("$SLACKLOG" search --db "$DB" --json --limit 100 'data in:#general' |
	python3 -c 'import json,sys; print(" ".join(sorted({r["channel"] for r in json.load(sys.stdin)["results"]})))')" "datajam"
# the author of the most messages with "data" in #general
U=$(python3 -c '
import json, os, re, sys, collections
d = os.path.join(sys.argv[1], "general")
c = collections.Counter(m.get("user") for f in os.listdir(d) for m in json.load(open(os.path.join(d, f)))
                        if re.search(r"(?<![A-Za-z0-9])data(?![A-Za-z0-9])", m.get("text") or "", re.I) and m.get("user"))
print(c.most_common(1)[0][0])' "$EXPORT")
e=$(expect data "" "$U"); f=$(found "data from:$U")
covers "'data from:$U' finds that author's messages" "$e" "$f"

# the JSON object's shape and agreement with the archive's rules
j=$("$SLACKLOG" search --db "$DB" --json meetup)
check "JSON: one object with total and results" python3 -c '
import json, sys, re
o = json.loads(sys.argv[1])
assert set(o) == {"total", "results"} and o["total"] >= len(o["results"]) > 0
for r in o["results"]:
    assert set(r) == {"channel", "ts", "day", "user", "snippet", "url"}
    assert re.fullmatch(r"\d{10}\.\d{6}", r["ts"]) and re.fullmatch(r"\d{4}-\d\d-\d\d", r["day"])
    assert re.fullmatch(r"/[^/]+/\d{4}-\d\d-\d\d/#p\d{16}", r["url"]) and r["url"].endswith(r["ts"].replace(".", ""))
    assert "<mark>" in r["snippet"].lower() and "meetup" in r["snippet"].lower()
' "$j"
out=$("$SLACKLOG" search --db "$DB" meetup sort:new)
contains "human output names the channel" "$out" "#"
contains "human output ends with the count" "$out" "Results 1-20 of"
status "no hits is exit 0" 0 "$SLACKLOG" search --db "$DB" xyzzyplugh
contains "no hits says so" "$("$SLACKLOG" search --db "$DB" xyzzyplugh)" "No results."
status "unknown channel is exit 2" 2 "$SLACKLOG" search --db "$DB" "data in:#nonesuch"
