#!/bin/bash
# t5010-search-bad-query: every class of query the parser cannot read gives
# exit status 2 and one clear line on stderr naming the problem, before
# the archive is even opened; hostile text that is readable (FTS5 syntax,
# SQL) is not refused. No crash in any case (the sanitizer pass runs this
# too).
. tests/lib.sh
NODB=$TMP/missing.db

# bad QUERY NEEDLE: exit 2 and NEEDLE in the message
bad() {
	local q=$1 needle=$2 out rc
	out=$("$SLACKLOG" search --db "$NODB" -- "$q" 2>&1); rc=$?
	eq "bad query [$q]: exit status" "$rc" 2
	contains "bad query [$q]: message" "$out" "$needle"
	lacks "bad query [$q]: not an archive error" "$out" "cannot open archive"
}

bad '"unbalanced phrase' 'unbalanced quote'
bad 'OR' 'OR must stand between two words'
bad 'deploy OR' 'OR must stand between two words'
bad 'a OR OR b' 'OR must stand between two words'
bad '-' "'-' must be followed by a word"
bad '*' "'*' must follow a word"
bad 'foo:bar' "unknown filter 'foo:'"
bad '' 'the query is empty'
bad '   ' 'the query is empty'
bad '^ {} :' 'nothing to search for'
bad 'has:cake' 'has:link, has:file or has:reaction'
bad 'before:tomorrow' 'YYYY, YYYY-MM or YYYY-MM-DD'
bad 'on:2016-02-30' 'YYYY, YYYY-MM or YYYY-MM-DD'
bad 'sort:random x' 'sort:relevance, sort:new or sort:old'
bad "$(printf 'caf\xc3')" 'not valid UTF-8'
bad "$(printf '\xff\xfe deploy')" 'not valid UTF-8'
bad "$(head -c 1001 /dev/zero | tr '\0' a)" 'too long'
bad "$(seq -f 'w%g' 1 33 | tr '\n' ' ')" 'more than 32 terms'

# no query at all
out=$("$SLACKLOG" search --db "$NODB" 2>&1); rc=$?
eq "no query: exit status" "$rc" 2
contains "no query: message" "$out" "empty"

# readable hostile text passes the parser and reaches the archive (which is missing here)
for q in 'NEAR(deploy failed)' 'col:"x"' "'; DROP TABLE messages; --" 'a^b {c}' 'http://example.com/x?y=1'; do
	out=$("$SLACKLOG" search --db "$NODB" -- "$q" 2>&1); rc=$?
	case "$q" in
	col:*) contains "[$q] is an unknown filter" "$out" "unknown filter 'col:'" ;;
	*) contains "[$q] is accepted as text" "$out" "cannot open archive" ;;
	esac
	eq "[$q]: exit status" "$rc" 2
done

# options
status "--help" 0 "$SLACKLOG" search --help
contains "--help lists the filters" "$("$SLACKLOG" search --help)" "from:@name"
# --limit's bounds, said the same way by the help, the error and the API
for n in 0 101 abc; do
	out=$("$SLACKLOG" search --limit $n x 2>&1); rc=$?
	eq "--limit $n: exit status" "$rc" 2
	contains "--limit $n: message" "$out" "--limit must be a number from 1 to 100"
done
contains "--help says --limit's bounds the same way" "$("$SLACKLOG" search --help)" "--limit N     results to show, from 1 to 100 (default 20)"
check "the man page says them the same way" grep -q 'from 1 to 100 (default 20)' docs/slacklog.1
check "docs/API.md says them the same way" grep -q 'from 1 to 100 (default 20' docs/API.md
out=$("$SLACKLOG" search --offset -3 x 2>&1)
contains "--offset -3: message" "$out" "--offset must be a number from 0 to 100000"
out=$("$SLACKLOG" search --frobnicate x 2>&1); rc=$?
eq "unknown option: exit status" "$rc" 2
contains "unknown option: message" "$out" "unknown option '--frobnicate'"
out=$("$SLACKLOG" search --db "$NODB" deploy 2>&1); rc=$?
eq "missing archive: exit status" "$rc" 2
contains "missing archive: message names it" "$out" "$NODB"
contains "search is in the command list" "$("$SLACKLOG" help)" "search"
