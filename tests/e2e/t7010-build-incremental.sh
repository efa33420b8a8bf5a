#!/bin/bash
# t7010-build-incremental: a second build writes only what changed. The
# counts are derived by hand from the difference between the exports:
#
# five-days without its last day, then the whole export: day 2016-01-05
# of #general (3 messages by U1) is new. New files: its page, its legacy
# stub, its API document (3). Changed: the previous day's page and API
# document (their "next" link), #general's page and API document, the
# home page and channels.json (totals, last day), both feeds, the sitemap
# index and its sitemap (a URL more, newer lastmod), U1's page and API
# document (their message count) (12). Nothing is removed.
#
# Then #random of web-threads is unpublished: its files go (channel page,
# feed, API document, two days with page, stub and API document each: 9).
#
# A build killed with SIGKILL and run again equals a clean build.
. tests/lib.sh
. tests/e2e/serve.sh

counts() { sed -n 's/.*: \([0-9]*\) written, \([0-9]*\) unchanged, \([0-9]*\) removed.*/\1 \2 \3/p'; }
nfiles() { find "$1" -type f | wc -l; }

mkdir -p "$TMP/old"
cp -r "$FIX/five-days/." "$TMP/old/"
rm "$TMP/old/general/2016-01-05.json"
check "import five-days without its last day" import_fixture "$TMP/a.db" "$TMP/old"
out=$TMP/site
first=$("$SLACKLOG" build --db "$TMP/a.db" --base-url https://a.example "$out")
n1=$(nfiles "$out")
eq "first build writes every file" "$(counts <<<"$first")" "$n1 0 0"
eq "a build with nothing new writes nothing" "$("$SLACKLOG" build --db "$TMP/a.db" --base-url https://a.example "$out" | counts)" "0 $n1 0"
check "import the whole export" import_fixture "$TMP/a.db" "$FIX/five-days"
n2=$((n1 + 3))
eq "after a new day: 3 new and 12 changed files written, the rest unchanged" \
	"$("$SLACKLOG" build --db "$TMP/a.db" --base-url https://a.example "$out" | counts)" "15 $((n2 - 15)) 0"
eq "the site has the new day's three files" "$(nfiles "$out")" "$n2"
check "the new day's page is there" test -f "$out/general/2016-01-05/index.html"
"$SLACKLOG" build -q --db "$TMP/a.db" --base-url https://a.example "$TMP/clean" >/dev/null
check "the incremental site equals a clean build" diff -r "$out" "$TMP/clean"
check "and so does its list of files" cmp "$out.slacklog-build" "$TMP/clean.slacklog-build"

# a finished build's list is trusted; --verify looks for each file
rm "$out/general/2016-01-04/index.html" "$out/api.v1/channels/general/2016-01-05.json"
eq "with nothing new, files removed by hand are not looked for" \
	"$("$SLACKLOG" build --db "$TMP/a.db" --base-url https://a.example "$out" | counts)" "0 $n2 0"
eq "--verify writes the two files removed by hand" \
	"$("$SLACKLOG" build --verify --db "$TMP/a.db" --base-url https://a.example "$out" | counts)" "2 $((n2 - 2)) 0"
check "and the site equals a clean build again" diff -r "$out" "$TMP/clean"
check "and so does its list" cmp "$out.slacklog-build" "$TMP/clean.slacklog-build"

# content no longer published is removed
check "import web-threads" import_fixture "$TMP/w.db" "$FIX/web-threads"
"$SLACKLOG" build -q --db "$TMP/w.db" "$TMP/w" >/dev/null
printf 'unpublish = random\n' >"$TMP/unpub.conf"
res=$("$SLACKLOG" build --db "$TMP/w.db" --config "$TMP/unpub.conf" "$TMP/w" | counts)
eq "unpublishing #random removes its 9 files" "$(cut -d' ' -f3 <<<"$res")" 9
check "no file of #random is left" test ! -e "$TMP/w/random"
check "nor its API documents" test ! -e "$TMP/w/api.v1/channels/random.json"
check "a page of another channel is still there" test -f "$TMP/w/general/index.html"

# a killed build, run again, completes the site
check "import houstondatavis-2016" import_fixture "$TMP/h.db" "$SHARED/fixtures/houstondatavis-2016"
"$SLACKLOG" build -q --db "$TMP/h.db" --jobs 1 "$TMP/clean-h" >/dev/null
"$SLACKLOG" build -q --db "$TMP/h.db" --jobs 1 "$TMP/killed" >/dev/null &
pid=$!
for i in $(seq 1 200); do
	[ "$(find "$TMP/killed" -type f 2>/dev/null | wc -l)" -gt 50 ] && break
	sleep 0.02
done
kill -KILL $pid 2>/dev/null && killed=yes || killed=no
wait $pid 2>/dev/null
echo "# killed mid-build: $killed ($(find "$TMP/killed" -type f | wc -l) files then)"
check "the build after a kill succeeds" "$SLACKLOG" build -q --db "$TMP/h.db" "$TMP/killed"
check "the site after a kill equals a clean build" diff -r "$TMP/killed" "$TMP/clean-h"
check "and so does its list" cmp "$TMP/killed.slacklog-build" "$TMP/clean-h.slacklog-build"
check "no temporary file is left" test -z "$(find "$TMP/killed" -name '*.slacklog-tmp')"

# the file list cannot be written (a directory where its temporary copy
# goes): the build says which file and why, fails, and leaves the last
# list as it was; once the way is clear, the next build completes
list=$TMP/h-list
"$SLACKLOG" build -q --db "$TMP/h.db" "$list" >/dev/null
cp "$list.slacklog-build" "$TMP/list-before"
mkdir "$list.slacklog-build.slacklog-tmp"
out_err=$("$SLACKLOG" build --db "$TMP/h.db" --base-url https://b.example "$list" 2>&1); rc=$?
eq "a list that cannot be written: exit status 2" "$rc" 2
contains "the error names the list" "$out_err" "$list.slacklog-build"
contains "and says why" "$out_err" "Is a directory"
contains "and what the file is" "$out_err" "the list of the files written, kept beside $list"
check "the last list is left as it was" cmp -s "$list.slacklog-build" "$TMP/list-before"
rmdir "$list.slacklog-build.slacklog-tmp"
check "once the way is clear the build succeeds" "$SLACKLOG" build -q --db "$TMP/h.db" --base-url https://b.example "$list"
"$SLACKLOG" build -q --db "$TMP/h.db" --base-url https://b.example "$TMP/clean-b" >/dev/null
check "and its site equals a clean build" diff -r "$list" "$TMP/clean-b"
check "and so does its list" cmp "$list.slacklog-build" "$TMP/clean-b.slacklog-build"
