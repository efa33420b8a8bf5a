#!/bin/bash
# t7020-build-changes: an incremental build renders what the store's
# change log says changed, writes exactly the files whose content changed,
# and leaves a site equal to a clean build. The expected sets are derived
# by hand from tests/fixtures/build-changes (#general: 2016-02-01 with a
# thread of U2 mentioning U3 and U3's reply, 02-03, 02-05; #random: 02-01
# by U3, 02-04) and the rules in src/pages/publish.c.
#
# A new day, #general 2016-02-04 (two messages by U1;
# tests/fixtures/build-changes-day): its page, legacy stub and API
# document are new (3); #general's 02-03 and 02-05 pages and API
# documents change (their next and previous links), #random's 02-04 page
# (its sidebar now lists #general), #general's page and API document
# (calendar, totals), the home page and channels.json (totals), both
# feeds of #general and the workspace, the sitemap (a URL more, U1's
# lastmod), U1's page and API document (their count) (14). The sitemap
# index keeps its date (the newest message is still 02-05's).
#
# U3 renamed: the pages that show U3's name: #general 02-01 (the mention
# and the reply) with its API document and the thread's document,
# #random 02-01 (their message) with its API document, U3's page and API
# document, the workspace feed and both channels' feeds (10).
. tests/lib.sh
. tests/e2e/serve.sh
FX=$FIX/build-changes
BASE=https://a.example
M2=1454288400.000100

# every file with its inode and mtime: a rewritten file has a new inode
snap() { (cd "$1" && find . -type f -printf '%P %i %T@\n' | sort); }
# files new or rewritten between two snapshots, sorted
rewritten() { join -a1 -o 1.1,1.2,1.3,2.2,2.3 -e - "$1" "$2" | awk '$2 != $4 || $3 != $5 { print $1 }'; }
counts() { sed -n 's/.*: \([0-9]*\) written, \([0-9]*\) unchanged, \([0-9]*\) removed.*/\1 \2 \3/p'; }
rendered() { sed -n 's/.*, \([0-9]*\) rendered).*/\1/p'; }
build() { "$SLACKLOG" build --jobs 2 --db "$TMP/a.db" --base-url "$BASE" "$@"; }
clean() { rm -rf "$TMP/clean"; "$SLACKLOG" build -q --db "$TMP/a.db" --base-url "$BASE" "$TMP/clean" >/dev/null; }

check "import the fixture" import_fixture "$TMP/a.db" "$FX"
out=$TMP/site
build "$out" >"$TMP/b1.log"
total=$(find "$out" -type f | wc -l)
eq "first build writes every file" "$(counts <"$TMP/b1.log")" "$total 0 0"
check "the thread's API document is built" test -f "$out/api.v1/threads/C1/$M2.json"
eq "a build with nothing new renders nothing" "$(build "$out" | rendered)" 0

# ---- a new day
snap "$out" >"$TMP/s1"
check "import a new day of #general" import_fixture "$TMP/a.db" "$FIX/build-changes-day"
build "$out" >"$TMP/b2.log"
snap "$out" >"$TMP/s2"
cat >"$TMP/want-day" <<EOF
api.v1/channels.json
api.v1/channels/general.json
api.v1/channels/general/2016-02-03.json
api.v1/channels/general/2016-02-04.json
api.v1/channels/general/2016-02-05.json
api.v1/users/U1.json
feed.atom
general/2016-02-03/index.html
general/2016-02-04.html
general/2016-02-04/index.html
general/2016-02-05/index.html
general/feed.atom
general/index.html
index.html
random/2016-02-04/index.html
sitemap-1.xml
user.U1/index.html
EOF
rewritten "$TMP/s2" "$TMP/s1" >"$TMP/got-day"
check "after a new day exactly the 17 files that show it are written" diff "$TMP/want-day" "$TMP/got-day"
eq "the build says so" "$(counts <"$TMP/b2.log" | cut -d' ' -f1,3)" "17 0"
n=$(rendered <"$TMP/b2.log")
check "it rendered only what may have changed ($n of $((total + 3)) files)" test "$n" -lt 40
clean
check "the incremental site equals a clean build" diff -r "$out" "$TMP/clean"

# ---- a person renamed
mkdir -p "$TMP/renamed"
cp -r "$FX/." "$TMP/renamed/"
python3 - "$TMP/renamed/users.json" <<'PY'
import json, sys
u = json.load(open(sys.argv[1]))
for x in u:
    if x["id"] == "U3":
        x["profile"]["display_name"] = "Caroline K"
json.dump(u, open(sys.argv[1], "w"))
PY
check "import the export with U3 renamed" import_fixture "$TMP/a.db" "$TMP/renamed"
build "$out" >"$TMP/b3.log"
snap "$out" >"$TMP/s3"
cat >"$TMP/want-name" <<EOF
api.v1/channels/general/2016-02-01.json
api.v1/channels/random/2016-02-01.json
api.v1/threads/C1/$M2.json
api.v1/users/U3.json
feed.atom
general/2016-02-01/index.html
general/feed.atom
random/2016-02-01/index.html
random/feed.atom
user.U3/index.html
EOF
rewritten "$TMP/s3" "$TMP/s2" >"$TMP/got-name"
check "after a rename exactly the 10 files that show the name are written" diff "$TMP/want-name" "$TMP/got-name"
contains "the day page shows the new name" "$(cat "$out/general/2016-02-01/index.html")" "Caroline K"
clean
check "the incremental site equals a clean build" diff -r "$out" "$TMP/clean"

# ---- a reimport of the same export changes nothing
import_fixture "$TMP/a.db" "$TMP/renamed"
eq "importing the same export again leaves nothing to render" "$(build "$out" | rendered)" 0

# ---- messages deleted: a build that looks only at what changed removes
# the files of what is gone. #random's 02-04 (U2's only message there) and
# 02-01 (U3's only other message) go, and so does U3's reply in #general's
# thread: #random keeps no day, U3 writes nowhere, the thread has no
# reply. Gone: both days' pages, stubs and API documents (6), U3's page and
# API document (2), and the thread's document (1).
del() { printf '{"type":"message","subtype":"message_deleted","hidden":true,"channel":"%s","ts":"1454700000.%06d","deleted_ts":"%s","event_ts":"1454700000.%06d"}\n' "$1" "$2" "$3" "$2"; }
{ del C2 1 1454544060.000100; del C2 2 1454284920.000100; del C1 3 1454292000.000100; } >"$TMP/deletes.jsonl"
check "ingest three deletions" "$SLACKLOG" ingest -q --db "$TMP/a.db" "$TMP/deletes.jsonl"
snap "$out" >"$TMP/s4"
build "$out" >"$TMP/b4.log" 2>"$TMP/b4.err"
contains "it looks only at what changed" "$(cat "$TMP/b4.err")" "what changed since the last build"
eq "9 files are removed" "$(counts <"$TMP/b4.log" | cut -d' ' -f3)" 9
for f in random/2016-02-04/index.html random/2016-02-04.html api.v1/channels/random/2016-02-04.json \
	random/2016-02-01/index.html random/2016-02-01.html api.v1/channels/random/2016-02-01.json \
	user.U3/index.html api.v1/users/U3.json "api.v1/threads/C1/$M2.json"; do
	check "$f is gone" test ! -e "$out/$f"
done
clean
check "the incremental site equals a clean build" diff -r "$out" "$TMP/clean"
check "and its file list is a clean build's, line for line" \
	diff <(tail -n +2 "$out.slacklog-build" 2>&1) <(tail -n +2 "$TMP/clean.slacklog-build" 2>&1)
check "the list is sorted: the site's own files, then the rest, by name" sh -c \
	"test -s '$out.slacklog-build' && tail -n +2 '$out.slacklog-build' | cut -c18- | awk '{ print (index(\$0, \"/\") ? 1 : 0), \$0 }' | LC_ALL=C sort -c"

# ---- a list cut short: every listed file is checked, and the list is
# whole again (a build that trusted it would lose track of the files
# it no longer names)
head -n -5 "$out.slacklog-build" >"$TMP/list" && cat "$TMP/list" >"$out.slacklog-build"
build "$out" >"$TMP/b5.log" 2>"$TMP/b5.err"
check "the build does not narrow" sh -c "! grep -q 'what changed since the last build' '$TMP/b5.err'"
check "the list names every file again" \
	diff <(tail -n +2 "$out.slacklog-build" 2>&1) <(tail -n +2 "$TMP/clean.slacklog-build" 2>&1)
check "and the site is still a clean build" diff -r "$out" "$TMP/clean"

# ---- a late reply: U1 answers M2's thread (02-01) on 2016-02-06, after
# the channel's last day. The thread's page, its API document and the
# thread's document (new: the thread has a shown reply again) show it;
# 02-06 gets a page, a stub and an API document (new: a line to the
# thread, no message); #general's page and API document (02-01's count,
# the calendar's mark, reply_days, last day), the home page and
# channels.json (total, last day), both feeds, the sitemap (a URL more,
# lastmods) and its index (the newest change), U1's page and API document
# (their count) (16). 02-05's page is not written: its next link is to
# the next day with messages, and there is none.
printf '{"type":"message","channel":"C1","user":"U1","text":"late word","ts":"1454752800.000100","thread_ts":"%s"}\n' \
	"$M2" >"$TMP/late.jsonl"
check "ingest a late reply" "$SLACKLOG" ingest -q --db "$TMP/a.db" "$TMP/late.jsonl"
snap "$out" >"$TMP/s5"
build "$out" >"$TMP/b6.log"
snap "$out" >"$TMP/s6"
cat >"$TMP/want-late" <<EOF
api.v1/channels.json
api.v1/channels/general.json
api.v1/channels/general/2016-02-01.json
api.v1/channels/general/2016-02-06.json
api.v1/threads/C1/$M2.json
api.v1/users/U1.json
feed.atom
general/2016-02-01/index.html
general/2016-02-06.html
general/2016-02-06/index.html
general/feed.atom
general/index.html
index.html
sitemap-1.xml
sitemap.xml
user.U1/index.html
EOF
rewritten "$TMP/s6" "$TMP/s5" >"$TMP/got-late"
check "after a late reply exactly the 16 files that show it are written" diff "$TMP/want-late" "$TMP/got-late"
contains "the reply's day says its thread was active" "$(cat "$out/general/2016-02-06/index.html")" \
	'<a href="/general/2016-02-01/#p1454752800000100">1 reply to a thread from'
clean
check "the incremental site equals a clean build" diff -r -x .slacklog-build "$out" "$TMP/clean"
del C1 4 1454752800.000100 >"$TMP/late-gone.jsonl"
check "the reply deleted" "$SLACKLOG" ingest -q --db "$TMP/a.db" "$TMP/late-gone.jsonl"
build "$out" >"$TMP/b7.log"
eq "its day's page, stub and API document, and the thread's document are removed" \
	"$(counts <"$TMP/b7.log" | cut -d' ' -f3)" 4
check "the day's page is gone" test ! -e "$out/general/2016-02-06/index.html"
clean
check "the incremental site equals a clean build" diff -r -x .slacklog-build "$out" "$TMP/clean"

# ---- other settings render everything
n=$("$SLACKLOG" build --jobs 2 --db "$TMP/a.db" --base-url https://b.example "$out" | rendered)
eq "a build with another base URL renders every file" "$n" "$(find "$out" -type f | wc -l)"
