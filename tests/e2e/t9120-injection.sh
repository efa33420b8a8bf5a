#!/bin/bash
# t9120-injection: every script-injection vector of
# tests/fixtures/injection/vectors.txt in every field of an export that
# reaches a page (tests/e2e/t91-inject-gen.py), imported, served (remote
# avatars on, so avatar URLs reach pages too) and built:
#   (a) the HTML of every page (crawled from /, plus a search for each
#       vector and for words the vectors share) and of every page of the
#       static site holds no element or attribute slacklog does not emit
#       (tests/e2e/t91-html-check.py), and the vectors are there as text;
#   (b) Debian's chromium loads every served page (the searches eight
#       vectors at a time), as served and with the CSP bypassed, and no
#       vector runs (tests/browser/injection.mjs);
#   (c) every page kind is served with a CSP that forbids inline script.
. tests/lib.sh
. tests/e2e/serve.sh
PY=python3; [ -x /usr/bin/python3 ] && PY=/usr/bin/python3
VEC=tests/fixtures/injection/vectors.txt

read -r nvec nfields < <($PY tests/e2e/t91-inject-gen.py "$VEC" "$TMP/export")
check "at least 50 vectors ($nvec)" test "${nvec:-0}" -ge 50
echo "# $nvec vectors x $nfields messages each (every text, block, attachment, file, reaction and emoji field), plus user, channel and search fields"
check "import the export" import_fixture "$TMP/a.db" "$TMP/export"
eq "every message stored (vectors x messages)" \
	"$($PY tests/e2e/t1-stats.py --sql "$TMP/a.db" 'SELECT count(*) FROM messages')" "$((nvec * nfields))"
SLACKLOG_REMOTE_AVATARS=1 check "serve it (remote avatars on)" start_server "$TMP/a.db" -q

# (a) the served HTML
$PY tests/e2e/crawl.py "$URL" "$TMP/crawl" 5000 >"$TMP/crawl.txt"
awk '$2 !~ /\.(atom|css|txt|xml|json|svg)(\?|$)/ && $2 !~ /\?v=/' "$TMP/crawl.txt" >"$TMP/pages.txt"
eq "every crawled page answers 200" "$(awk '$1 != 200' "$TMP/crawl.txt" | head -3)" ""
npages=$(wc -l <"$TMP/pages.txt")
nusers=$(grep -c ' /user\.' "$TMP/pages.txt")
eq "the crawl reaches every vector's user page" "$nusers" "$nvec"
check "and the channel and day pages ($npages pages)" test "$npages" -ge $((nvec + 25))
# searches: each vector alone, eight vectors at once (what the browser
# loads), and words the vectors share
$PY - "$URL" "$VEC" "$TMP/search" >"$TMP/search.txt" <<'PY'
import os, sys, urllib.error, urllib.parse, urllib.request
url, vec, out = sys.argv[1:4]
os.makedirs(out, exist_ok=True)
v = [l.rstrip("\n") for l in open(vec, encoding="utf-8") if l.strip() and not l.startswith("# ")]
qs = [("one", x) for x in v] + [("group", " ".join(v[i:i + 8])) for i in range(0, len(v), 8)]
qs += [("word", w) for w in "alert script onerror javascript img svg iframe href".split()]
for i, (kind, q) in enumerate(qs):
    path = "/?q=" + urllib.parse.quote(q, safe="")
    try:
        r = urllib.request.urlopen(url + path)
        status, body = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, body = e.code, e.read()
    f = os.path.join(out, "%d.html" % i)
    open(f, "wb").write(body)
    print(status, path, f, kind)
PY
eq "every search answers 200" "$(awk '$1 != 200' "$TMP/search.txt" | head -3)" ""
check "a search for 'alert' finds messages" grep -q 'class="snippet\|<mark>' "$(awk '$2 == "/?q=alert" { print $3 }' "$TMP/search.txt")"
cut -d' ' -f3 "$TMP/pages.txt" "$TMP/search.txt" >"$TMP/files"

printf '<p>x</p><img src=x onerror=alert(1)><a href=" java\tscript:x">y</a><svg></svg><div style="background:url(x)">' >"$TMP/bad.html"
bad=$($PY tests/e2e/t91-html-check.py "$TMP/bad.html")
check "the checker itself flags a handler, a script URL, svg and a style URL" \
	test "$(grep -c '^BAD' <<<"$bad")" = 4
seen=$($PY tests/e2e/t91-inject-seen.py "$VEC" $(cat "$TMP/files"))
eq "every vector reached the served pages, as text" "$(head -1 <<<"$seen")" "$nvec $nvec"
out=$($PY tests/e2e/t91-html-check.py $(cat "$TMP/files"))
check "served pages: no markup but slacklog's own ($(tail -1 <<<"$out"))" test $? = 0
grep '^BAD' <<<"$out" | head -10 | sed 's/^/#   /'

# the static site
check "build the static site" "$SLACKLOG" build -q --db "$TMP/a.db" "$TMP/site"
find "$TMP/site" -name '*.html' | sort >"$TMP/built"
check "the site has the channel, day and user pages" test "$(wc -l <"$TMP/built")" -ge $((nvec + 25))
out=$($PY tests/e2e/t91-html-check.py $(cat "$TMP/built"))
check "built pages: no markup but slacklog's own ($(tail -1 <<<"$out"))" test $? = 0
grep '^BAD' <<<"$out" | head -10 | sed 's/^/#   /'

# (c) the CSP of every page kind
first() { awk -v re="$1" '$2 ~ re { print $2; exit }' "$TMP/pages.txt"; }
for p in / "$(first '^/inject-[0-9]+/$')" "$(first '^/inject-[0-9]+/2016-03-01/$')" "$(first '^/user\.')" \
	'/?q=alert' /no-such-channel/ /inject-00/2016-03-02/ /style.css /robots.txt /feed.atom; do
	csp=$(curl -s -D - -o /dev/null "$URL$p" | tr -d '\r' | sed -n 's/^Content-Security-Policy: //Ip')
	case "$csp" in
	*"script-src 'self'"*"unsafe-"*|*"unsafe-"*"script-src 'self'"*) nok "CSP of $p allows unsafe script: $csp" ;;
	*"default-src 'none'"*"script-src 'self'"*) ok "CSP of $p forbids inline script" ;;
	*) nok "CSP of $p: [$csp]" ;;
	esac
done

# (b) chromium
if [ "${SLACKLOG_SANITIZED:-0}" = 1 ]; then
	ok "browser pass (the pages are the plain build's: skipped under the sanitizers)"
elif [ ! -x /usr/bin/chromium ] || [ ! -d tests/browser/node_modules/playwright-core ]; then
	nok "chromium and playwright-core are installed (scripts/deps test; npm install in tests/browser)"
else
	{ cut -d' ' -f2 "$TMP/pages.txt"; awk '$4 != "one" { print $2 }' "$TMP/search.txt"; } >"$TMP/urls"
	node tests/browser/injection.mjs "$URL" "$TMP/urls"
fi
stop_server
