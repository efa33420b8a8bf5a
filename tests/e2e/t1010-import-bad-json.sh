#!/bin/bash
# t1010-import-bad-json: day files that are broken in the ways real exports
# are. Each case: the warning names the file, line and column, the exit
# status is 1, and every good record is kept (counts worked out by hand from
# the fixture files under tests/fixtures/).
. tests/lib.sh
sql() { python3 tests/e2e/t1-stats.py --sql "$@"; }

# run NAME: import tests/fixtures/NAME into a fresh archive; sets $out, $rc, $db
run() {
	db=$TMP/$1.db
	out=$("$SLACKLOG" import --db "$db" "$FIX/$1" 2>&1)
	rc=$?
}
days() { "$SLACKLOG" stats --db "$db" --json | jq -c '.channels[] | select(.name == "general") | .days'; }

# Line 5 is {"type":"message","user":"U1","text":"broken" "ts":...}: the
# unexpected "ts" key takes columns 47-50. Three messages come before it,
# two more are in the next day's file.
run invalid-json-midfile
eq "invalid JSON: exit status 1" "$rc" 1
col=$(printf '%s\n' "$out" | sed -n 's/.*general\/2016-01-01\.json:5:\([0-9]*\): invalid JSON.*/\1/p')
check "invalid JSON: warning at line 5, in the unexpected key (col $col)" test "${col:-0}" -ge 47 -a "${col:-0}" -le 50
contains "invalid JSON: warning says what was kept" "$out" "kept the items before it"
contains "invalid JSON: warning names the export" "$out" "warning: $FIX/invalid-json-midfile: general/2016-01-01.json:5:"
eq "invalid JSON: 3 messages before the error and 2 the next day" "$(days)" '{"2016-01-01":3,"2016-01-02":2}'
eq "invalid JSON: the message after the error is not there" "$(sql "$db" "SELECT count(*) FROM messages WHERE text IN ('broken','lost')")" 0

# A day file holding an object: line 1, column 1 is where it goes wrong.
run day-not-array
eq "not an array: exit status 1" "$rc" 1
contains "not an array: warning with position" "$out" "general/2016-01-01.json:1:1: not a JSON array; skipped"
eq "not an array: the other day file is kept" "$(days)" '{"2016-01-02":1}'

# Message 2 (line 3) has no ts, message 3 (line 4) has the ts "noon", and
# element 5 is the number 42.
run missing-ts
eq "missing ts: exit status 1" "$rc" 1
contains "missing ts: warned at line 3" "$out" "general/2016-01-01.json:3:1: message skipped: no ts"
contains "missing ts: unusable ts warned at line 4" "$out" "general/2016-01-01.json:4:1: message skipped: ts is not a Slack timestamp"
contains "missing ts: a number in the array is named by its place" "$out" "general/2016-01-01.json: item 5: message skipped: not an object"
eq "missing ts: the two good messages are kept" "$(sql "$db" "SELECT text FROM messages ORDER BY ts" | tr '\n' ,)" "kept,kept too,"

# One raw 0xFF byte, one lone high and one lone low surrogate: 3 strings
# repaired; the valid surrogate pair is not counted.
run invalid-utf8
eq "invalid UTF-8: exit status 1" "$rc" 1
contains "invalid UTF-8: one warning for the file, with the count" "$out" \
	"general/2016-01-01.json: 3 strings with invalid UTF-8 or lone surrogates repaired (U+FFFD)"
eq "invalid UTF-8: all 4 messages kept" "$(sql "$db" "SELECT count(*) FROM messages")" 4
eq "invalid UTF-8: bad byte replaced with U+FFFD" "$(sql "$db" "SELECT text FROM messages WHERE ts = '1451649600.000100'")" "caf� au lait"
eq "invalid UTF-8: lone surrogate replaced" "$(sql "$db" "SELECT text FROM messages WHERE ts = '1451649601.000100'")" "lone high � here"
eq "invalid UTF-8: surrogate pair decoded" "$(sql "$db" "SELECT text FROM messages WHERE ts = '1451649603.000100'")" "a real pair 😀 is fine"
check "invalid UTF-8: stored JSON is valid UTF-8" python3 -c "
import sqlite3, json, sys
for (raw,) in sqlite3.connect('$db').execute('SELECT raw FROM messages'): json.loads(raw)"

# Numbers as strings and back, nulls where objects and arrays belong,
# subtypes nobody has heard of: nothing to warn about, nothing lost.
run strings-and-nulls
eq "strings and nulls: exit status 0" "$rc" 0
lacks "strings and nulls: no warnings" "$out" "warning:"
eq "strings and nulls: 7 messages, the reply on its parent's day" "$(days)" '{"2016-01-01":7}'
eq "strings and nulls: ts given as a number" "$(sql "$db" "SELECT ts FROM messages WHERE text = 'ts as a number'")" "1451649600.000200"
eq "strings and nulls: reply's thread_ts given as a number" \
	"$(sql "$db" "SELECT thread_ts, page_day FROM messages WHERE text = 'reply'")" "1451649603.000100|2016-01-01"
eq "strings and nulls: reply_count given as a string" "$(sql "$db" "SELECT reply_count FROM messages WHERE text = 'parent'")" 1
eq "strings and nulls: reaction count given as a string" "$(sql "$db" "SELECT name, count, users FROM reactions")" "+1|2|"
eq "strings and nulls: unknown subtypes kept" \
	"$(sql "$db" "SELECT subtype FROM messages WHERE subtype IS NOT NULL ORDER BY ts" | tr '\n' ,)" "huddle_thread,some_brand_new_subtype,"
eq "strings and nulls: created given as a string" "$(sql "$db" "SELECT created, archived FROM channels")" "1451606400|0"
eq "strings and nulls: sparse deleted user" "$(sql "$db" "SELECT name, deleted FROM users WHERE id = 'U3'")" "gone|1"

# An empty groups.json and an empty day file are skipped with a warning;
# a day file holding two arrays one after the other ("extra data", seen in
# real exports) gives both messages.
run empty-and-concatenated
eq "empty files: exit status 1" "$rc" 1
contains "empty files: empty metadata file named" "$out" "empty-and-concatenated: groups.json: empty file; skipped"
contains "empty files: empty day file named" "$out" "empty-and-concatenated: general/2016-01-01.json: empty file; skipped"
eq "concatenated arrays: both messages kept" "$(sql "$db" "SELECT text FROM messages ORDER BY ts" | tr '\n' ,)" "first array,second array,"

# --- a JSON file given alone must be an emoji list; anything else fails
# (exit 2), says what was expected, and leaves no archive behind
alone() {   # alone NAME FILE: import FILE alone into a new archive
	db=$TMP/alone-$1.db
	out=$("$SLACKLOG" import --db "$db" "$2" 2>&1)
	rc=$?
}
printf '{"a": 1}\n' >"$TMP/a.json"
alone object "$TMP/a.json"
eq "{\"a\": 1}: exit status 2" "$rc" 2
contains "{\"a\": 1}: says what was expected" "$out" "error: $TMP/a.json: not an emoji list: expected {\"emoji\": {name: url}}"
check "{\"a\": 1}: no archive is left behind" test ! -e "$db"
printf '{"emoji": {"party": "https://example.org/party.png", "yay": "alias:party"}}\n' >"$TMP/emoji.json"
head -c 40 "$TMP/emoji.json" >"$TMP/cut.json"
alone truncated "$TMP/cut.json"
eq "a truncated JSON file: exit status 2" "$rc" 2
contains "a truncated JSON file: says where and that nothing was read" "$out" \
	"error: $TMP/cut.json:1:41: invalid JSON: unexpected end of input (truncated?); nothing could be read from it"
lacks "a truncated JSON file: no warning for what failed" "$out" "warning:"
check "a truncated JSON file: no archive is left behind" test ! -e "$db"
alone emoji "$TMP/emoji.json"
eq "the whole emoji list: exit status 0" "$rc" 0
contains "the whole emoji list: both emoji" "$out" ", 2 emoji,"
H=$SHARED/fixtures/houstondatavis-2016
alone day "$H/general/2016-07-27.json"
eq "a day file alone: exit status 2" "$rc" 2
contains "a day file alone: says what it is and what to import" "$out" \
	"error: $H/general/2016-07-27.json: a day file of the Slack export $(realpath "$H"), not something to import alone: use 'slacklog import $(realpath "$H")'"
check "a day file alone: no archive is left behind" test ! -e "$db"
cp "$H/general/2016-07-27.json" "$TMP/2016-07-27.json"
alone lone-day "$TMP/2016-07-27.json"
eq "a day file away from its export: exit status 2" "$rc" 2
contains "a day file away from its export: says what it is" "$out" \
	"2016-07-27.json: a day file of a Slack export, not something to import alone: import the whole export (its .zip or unpacked directory)"
alone users "$H/users.json"
contains "users.json alone: a metadata file of the export" "$out" "users.json: a metadata file of the Slack export $(realpath "$H")"

# --- a store failure is an error, never a warning (a trigger stands in
# for a full disk)
"$SLACKLOG" import -q --db "$TMP/refuse.db" "$FIX/five-days" >/dev/null 2>&1
refuse_writes "$TMP/refuse.db" users
out=$("$SLACKLOG" import --db "$TMP/refuse.db" "$FIX/user-profile" 2>&1)
eq "a store failure: exit status 2" "$?" 2
contains "a store failure: an error naming the file and the cause" "$out" "error: $FIX/user-profile: users.json: storing user"
lacks "a store failure: not labelled a warning" "$out" "warning:"
