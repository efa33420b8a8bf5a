#!/bin/bash
# t7000-build: `slacklog build` writes what `slacklog serve` sends. The
# fixtures are built, the directory served by a plain static server, and
# every file of the build fetched from both and compared byte for byte;
# the sitemap must list exactly the pages derived from the export's JSON,
# feeds must be valid Atom with the newest messages; the search box is
# left out unless --search-url is given. The late-replies fixture's days
# with only replies to other days' threads are pages too.
. tests/lib.sh
. tests/e2e/serve.sh
BC=tests/e2e/build-check.py
BASE=https://archive.example.org

# build_and_compare NAME EXPORT
build_and_compare() {
	local name=$1 export=$2 db=$TMP/$1.db out=$TMP/$1.site
	check "$name: import" import_fixture "$db" "$export"
	check "$name: build" "$SLACKLOG" build -q --db "$db" --base-url "$BASE" "$out"
	check "$name: static server" start_static "$out"
	check "$name: slacklog serve" start_server "$db" -q --base-url "$BASE" --search-url off
	local res
	res=$(python3 "$BC" compare "$STATIC" "$URL" "$out")
	printf '%s\n' "$res" | grep '^#' | head -5
	contains "$name: every file equals the server's answer ($(tail -1 <<<"$res"))" "$res" "differ=0"
	contains "$name: day pages were compared" "$res" "html="
	contains "$name: legacy redirects were compared" "$res" "redirect="
	contains "$name: API documents were compared" "$res" "json="
	eq "$name: 404 for a missing page from the server" "$(code /no-such-channel/)" 404
	stop_server
	stop_static

	python3 "$BC" expect "$export" | sort >"$TMP/$name.want"
	python3 "$BC" sitemap "$out" "$BASE" | sort >"$TMP/$name.got"
	check "$name: sitemap lists exactly the published pages" diff "$TMP/$name.want" "$TMP/$name.got"
	check "$name: every sitemap page is a file" bash -c "
		while read -r p; do f=\"$out\$p\"; [ -f \"\$f\" ] || [ -f \"\${f}index.html\" ] || { echo \"# missing \$p\"; exit 1; }; done <'$TMP/$name.got'"
	check "$name: workspace feed is valid Atom" python3 "$BC" atom "$out/feed.atom"
	eq "$name: workspace feed holds the 50 newest messages" \
		"$(python3 "$BC" atom "$out/feed.atom")" "$(python3 "$BC" newest "$export")"
	local ch bad=0
	for ch in $(grep -E '^/[^/.]+/$' "$TMP/$name.want" | tr -d /); do
		[ "$(python3 "$BC" atom "$out/$ch/feed.atom" 2>&1)" = "$(python3 "$BC" newest "$export" "$ch")" ] ||
			{ bad=$((bad + 1)); echo "# feed of #$ch differs"; }
	done
	eq "$name: every channel feed is valid and holds its newest messages" "$bad" 0
}

build_and_compare threads "$FIX/web-threads"
build_and_compare late "$FIX/late-replies"
build_and_compare houston "$SHARED/fixtures/houstondatavis-2016"
build_and_compare viewer "$SHARED/fixtures/slack-export-viewer-testarchive.zip"

out=$TMP/threads.site
home=$(cat "$out/index.html")
lacks "no search box without --search-url" "$home" 'role="search"'
robots=$(cat "$out/robots.txt")
contains "robots.txt points at the sitemap" "$robots" "Sitemap: $BASE/sitemap.xml"
stub=$(cat "$out/general/2016-03-14.html")
contains "legacy stub refreshes to the day page" "$stub" '<meta http-equiv="refresh" content="0; url=/general/2016-03-14/">'
contains "legacy stub names the canonical address" "$stub" "<link rel=\"canonical\" href=\"$BASE/general/2016-03-14/\">"
day=$(cat "$out/general/2016-03-14/index.html")
contains "day page links its channel's feed" "$day" '<link rel="alternate" type="application/atom+xml" title="#general" href="/general/feed.atom">'
contains "day page has a description from its first message" "$day" '<meta name="description" content="Hello world &lt;script&gt;alert(1)&lt;/script&gt; Who is coming'
contains "day page has OpenGraph tags" "$day" "<meta property=\"og:url\" content=\"$BASE/general/2016-03-14/\">"
ld=$(sed -n 's|.*<script type="application/ld+json">\(.*\)</script>.*|\1|p' <<<"$day")
check "JSON-LD parses as JSON" python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["@type"]=="DiscussionForumPosting" and len(d["comment"])==d["commentCount"]==4' "$ld"
lacks "JSON-LD cannot close its script element" "$ld" "<"
contains "JSON-LD keeps a message's markup as text" "$ld" 'Hello world \u003cscript\u003e'

# --search-url: the box points there; serve with the same setting agrees
SEARCH=https://search.example.org/
check "build with --search-url" "$SLACKLOG" build -q --db "$TMP/threads.db" --base-url "$BASE" --search-url "$SEARCH" "$TMP/s2"
contains "the search box points at --search-url" "$(cat "$TMP/s2/general/index.html")" "action=\"$SEARCH\""
check "serve with the same search_url" start_server "$TMP/threads.db" -q --base-url "$BASE" --search-url "$SEARCH"
check "serve gives the same bytes with the same search_url" cmp -s <(get /general/) "$TMP/s2/general/index.html"
stop_server
status "build without an output directory fails" 2 "$SLACKLOG" build --db "$TMP/threads.db"
status "build of a missing archive fails" 2 "$SLACKLOG" build --db "$TMP/nope.db" "$TMP/x"

# days with only replies to threads of other days are pages of the site
out=$TMP/late.site
check "a day of late replies is built, with its stub and API document" \
	test -f "$out/general/2021-08-29/index.html" -a -f "$out/general/2021-08-29.html" -a -f "$out/api.v1/channels/general/2021-08-29.json"
contains "its page holds the lines" "$(cat "$out/general/2021-08-29/index.html")" '2 replies to a thread from'
contains "its sitemap date is its newest reply's" "$(cat "$out/sitemap-1.xml")" \
	"<loc>$BASE/general/2021-08-29/</loc><lastmod>2021-08-29T12:00:00Z</lastmod>"
check "a private channel's day of late replies is not" test ! -e "$out/hush"

# the jobs share the list in parts and take over each other's: any number
# of them writes the same site (more jobs than a part has items too)
for j in 1 3 64; do
	check "build with --jobs $j" "$SLACKLOG" build -q --jobs "$j" --db "$TMP/houston.db" --base-url "$BASE" "$TMP/j$j"
done
check "--jobs 3 writes what --jobs 1 writes" diff -r "$TMP/j1" "$TMP/j3"
check "--jobs 64 writes what --jobs 1 writes" diff -r "$TMP/j1" "$TMP/j64"
check "--jobs 3 writes what the default writes" diff -r "$TMP/j3" "$TMP/houston.site"
