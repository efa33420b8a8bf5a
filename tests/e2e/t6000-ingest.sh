#!/bin/bash
# t6000-ingest: event logs into an archive. The fixture events-basic holds
# every kind of event in the three envelope shapes, with the orderings that
# matter (an edit before its message, a delete before a replayed create, a
# reaction on a deleted message and one before its message, a reply whose
# parent is older than the logs, a rename then an older rename and an older
# topic change, a tombstone) and three bad lines. Expected counts come from
# t6-replay.py, which replays the JSON with the documented rules; the
# other expected values are read off the fixture by hand.
. tests/lib.sh
FX=$FIX/events-basic
sql() { python3 tests/e2e/t1-stats.py --sql "$@"; }
stats() { "$SLACKLOG" stats --db "$1" --json | jq -cS .; }
hits() { "$SLACKLOG" search --db "$1" --json "$2" | jq -r '[.results[].ts] | sort | join(" ")'; }

db=$TMP/a.db
out=$("$SLACKLOG" ingest --db "$db" "$FX" 2>&1)
eq "exit status 1: bad lines were skipped" "$?" 1
contains "invalid JSON named with file and line" "$out" "$FX/2016-03-01.jsonl:19: invalid JSON"
contains "a message without ts named with file and line" "$out" "$FX/2016-03-01.jsonl:20: no ts; skipped"
contains "a reaction without item named with file and line" "$out" "$FX/2016-03-03.txt:7: reaction event without item"
contains "summary counts bad and skipped lines" "$out" "4 skipped, 3 bad"
eq "stats equal the replay of the logs" "$(stats "$db")" "$(python3 tests/e2e/t6-replay.py "$FX" | jq -cS .)"
eq "reactions equal the replay of the logs" \
	"$(sql "$db" "SELECT channel_id || ' ' || ts || ' ' || name || ' ' || count FROM reactions ORDER BY 1")" \
	"$(python3 tests/e2e/t6-replay.py --reactions "$FX")"

# by hand from the fixture
eq "an edit read before its message wins" "$(sql "$db" "SELECT text FROM messages WHERE ts = '1456790600.000200'")" "edited second"
eq "a deleted message is not recreated by a later copy" "$(sql "$db" "SELECT count(*) FROM messages WHERE ts = '1456790800.000400'")" 0
eq "no reaction on the deleted message" "$(sql "$db" "SELECT count(*) FROM reactions WHERE ts = '1456790800.000400'")" 0
eq "a reaction read before its message shows on it" \
	"$(sql "$db" "SELECT name, count, users FROM reactions WHERE ts = '1456790900.000500'")" "tada|1|U2"
eq "added twice, removed once: one smile, by U2, kept through an edit" \
	"$(sql "$db" "SELECT m.text, r.count, r.users FROM messages m JOIN reactions r USING (channel_id, ts) WHERE r.name = 'smile'")" \
	"hello world edited|1|U2"
eq "a reply whose parent is older than the logs stays on its own day" \
	"$(sql "$db" "SELECT day, page_day FROM messages WHERE ts = '1456791000.000600'")" "2016-03-01|2016-03-01"
eq "the deleted thread parent is a tombstone that keeps its replies" \
	"$(sql "$db" "SELECT subtype, (SELECT count(*) FROM messages WHERE thread_ts = '1456791100.000700' AND ts <> thread_ts) FROM messages WHERE ts = '1456791100.000700'")" "tombstone|2"
eq "the newer rename wins over an older one read later" "$(sql "$db" "SELECT name FROM channels WHERE id = 'C2'")" chatter
eq "a topic change older than the rename still applies" "$(sql "$db" "SELECT topic, purpose FROM channels WHERE id = 'C2'")" "Anything goes|Off topic"
eq "channel_created, then archived and unarchived" "$(sql "$db" "SELECT name, kind, archived, creator FROM channels WHERE id = 'C3'")" "new-stuff|0|0|U1"
eq "conversations known from messages only keep their kind, unpublished" \
	"$(sql "$db" "SELECT group_concat(id || ':' || kind || ':' || published, ' ') FROM (SELECT * FROM channels WHERE id IN ('G1', 'D1') ORDER BY id)")" "D1:2:0 G1:1:0"
eq "membership kept as a setting" "$(sql "$db" "SELECT substr(value, 19) FROM settings WHERE key = 'ev:member:C3:U2'")" joined
eq "user_change updates the name shown" "$(sql "$db" "SELECT display_name FROM users WHERE id = 'U2'")" bobby
eq "team_join adds a user" "$(sql "$db" "SELECT name FROM users WHERE id = 'U4'")" dave
eq "emoji added, renamed and removed" "$(sql "$db" "SELECT group_concat(name) FROM emoji")" parrot
eq "search: the edited text is found" "$(hits "$db" "edited second")" "1456790600.000200"
eq "search: the text before the edit is gone" "$(hits "$db" original)" ""
eq "search: the deleted message is not found" "$(hits "$db" doomed)" ""
eq "search: the tombstoned parent's text is gone" "$(hits "$db" "parent")" ""
eq "search: a mention is indexed with the name current when it arrived" "$(hits "$db" bobby)" "1456963500.000300"
eq "search: private conversations are not searchable" "$(hits "$db" secret)" ""

# replaying changes nothing
before=$(stats "$db")
out=$("$SLACKLOG" ingest --db "$db" "$FX" 2>&1)
eq "replay: same stats" "$(stats "$db")" "$before"
contains "replay: no message stored again" "$out" "0 messages stored"
contains "replay: no other change applied again" "$out" "0 reaction changes, 0 conversation changes, 0 users, 0 emoji, 0 memberships"

# files in reverse order, and every line shuffled: the same archive
rev=$TMP/reversed; mkdir "$rev"; cp "$FX"/users.json "$FX"/channels.json "$rev"/
i=0; for f in $(ls "$FX" | grep -v -e users.json -e channels.json | sort -r); do
	i=$((i + 1)); cp "$FX/$f" "$rev/$i-$f"
done
"$SLACKLOG" ingest --quiet --db "$TMP/rev.db" "$rev" 2>/dev/null
eq "reversed file order: same stats" "$(stats "$TMP/rev.db")" "$before"
shuf=$TMP/shuffled; mkdir "$shuf"; cp "$FX"/users.json "$FX"/channels.json "$shuf"/
cat "$FX"/*.jsonl "$FX"/*.txt | python3 -c 'import random, sys; l = sys.stdin.read().splitlines(); random.Random(6).shuffle(l); print("\n".join(l))' >"$shuf/all.jsonl"
"$SLACKLOG" ingest --quiet --db "$TMP/shuf.db" "$shuf" 2>/dev/null
eq "shuffled lines: same stats" "$(stats "$TMP/shuf.db")" "$before"
for q in "edited second" hello thread reply "in:#general" "from:@alice"; do
	eq "search '$q': same hits in every order" "$(hits "$TMP/rev.db" "$q") / $(hits "$TMP/shuf.db" "$q")" "$(hits "$db" "$q") / $(hits "$db" "$q")"
done
same() {
	sql "$1" "SELECT id, name, topic, purpose, archived, kind FROM channels ORDER BY id"
	sql "$1" "SELECT * FROM reactions ORDER BY 1, 2, 3"
	sql "$1" "SELECT name, value FROM emoji ORDER BY 1"
}
eq "reversed: same conversations, reactions and emoji" "$(same "$TMP/rev.db")" "$(same "$db")"
eq "shuffled: same conversations, reactions and emoji" "$(same "$TMP/shuf.db")" "$(same "$db")"

# gzip logs
gz=$TMP/gz; cp -r "$FX" "$gz"; gzip -n "$gz/2016-03-02.jsonl"
"$SLACKLOG" ingest --quiet --db "$TMP/gz.db" "$gz" 2>/dev/null
eq "gzip logs: same stats" "$(stats "$TMP/gz.db")" "$(python3 tests/e2e/t6-replay.py "$gz" | jq -cS .)"
eq "gzip logs: same as plain" "$(stats "$TMP/gz.db")" "$before"

# a single file reads the users.json and channels.json beside it, as a
# directory does; a bad path fails
out=$("$SLACKLOG" ingest --db "$TMP/one.db" "$FX/2016-03-02.jsonl" 2>&1)
eq "one file: exit status 0 (no bad lines in it)" "$?" 0
eq "one file: its directory's users.json names people" "$(sql "$TMP/one.db" "SELECT count(*) FROM users WHERE name IN ('alice', 'bob', 'carol')")" 3
eq "one file: its directory's channels.json publishes #general" "$(sql "$TMP/one.db" "SELECT name, published FROM channels WHERE id = 'C1'")" "general|1"
eq "one file: C2 is still named by its later rename" "$(sql "$TMP/one.db" "SELECT name FROM channels WHERE id = 'C2'")" chatter
lacks "one file: nothing to warn about" "$out" "warning:"
# logs in DIR/logs/, users.json and channels.json in DIR
mkdir -p "$TMP/layout/logs"; cp "$FX"/users.json "$FX"/channels.json "$TMP/layout/"; cp "$FX/2016-03-02.jsonl" "$TMP/layout/logs/"
for p in logs/2016-03-02.jsonl logs; do
	"$SLACKLOG" ingest --quiet --db "$TMP/layout-${p//\//-}.db" "$TMP/layout/$p"
	eq "DIR/$p: exit status 0" "$?" 0
	eq "DIR/$p: the users.json above it names people" "$(sql "$TMP/layout-${p//\//-}.db" "SELECT count(*) FROM users WHERE name IN ('alice', 'bob', 'carol')")" 3
	eq "DIR/$p: the channels.json above it publishes #general" "$(sql "$TMP/layout-${p//\//-}.db" "SELECT published FROM channels WHERE id = 'C1'")" 1
done
# a file with neither, into an archive that has no names: said loudly
mkdir "$TMP/lone"; cp "$FX/2016-03-02.jsonl" "$TMP/lone/"
out=$("$SLACKLOG" ingest --db "$TMP/lone.db" "$TMP/lone/2016-03-02.jsonl" 2>&1)
eq "a file without snapshots: exit status 0 (nothing skipped)" "$?" 0
contains "a file without snapshots: warned that names are unknown" "$out" \
	"warning: $TMP/lone/2016-03-02.jsonl: no users.json or channels.json beside it or in the directory above, and the archive has no users or conversations yet"
contains "a file without snapshots: says how to fix it" "$out" "run 'slacklog sync --token TOKEN'"
eq "a file without snapshots: C2 is named by its rename" "$(sql "$TMP/lone.db" "SELECT name FROM channels WHERE id = 'C2'")" chatter
out=$("$SLACKLOG" ingest --db "$TMP/one.db" "$TMP/lone/2016-03-02.jsonl" 2>&1)
lacks "a file without snapshots, into an archive that knows the names: no warning" "$out" "warning:"
out=$("$SLACKLOG" ingest -q --db "$TMP/x.db" "$TMP/nope.jsonl" 2>&1)
eq "a missing path: exit status 2" "$?" 2
contains "a missing path: an error, said even with -q" "$out" "error: $TMP/nope.jsonl: No such file or directory"
check "a missing path: no archive is left behind" test ! -e "$TMP/x.db"
status "no path is a usage error" 2 "$SLACKLOG" ingest --db "$TMP/x.db"

# an export is for import: refused before anything is written
H=$SHARED/fixtures/houstondatavis-2016
python3 -c "
import os, sys, zipfile
with zipfile.ZipFile('$TMP/export.zip', 'w') as z:
    for root, _, files in os.walk('$FIX/five-days'):
        for f in files:
            z.write(os.path.join(root, f), os.path.relpath(os.path.join(root, f), '$FIX/five-days'))"
for p in "$H" "$TMP/export.zip"; do
	out=$("$SLACKLOG" ingest --db "$TMP/export.db" "$p" 2>&1); rc=$?
	eq "an export ($(basename "$p")): exit status 2" "$rc" 2
	contains "an export ($(basename "$p")): says to import it" "$out" \
		"error: $p: this is a Slack export (users.json, channels.json and a folder of day files per channel), not an event log: use 'slacklog import $p'"
	eq "an export ($(basename "$p")): one line" "$(printf '%s\n' "$out" | wc -l)" 1
	check "an export ($(basename "$p")): no archive is created" test ! -e "$TMP/export.db"
done
out=$("$SLACKLOG" ingest --db "$TMP/export.db" "$H/general/2016-07-27.json" 2>&1)
eq "a day file of an export: exit status 2" "$?" 2
contains "a day file of an export: says to import the export" "$out" "a day file of the Slack export $(realpath "$H"), not an event log: use 'slacklog import $(realpath "$H")'"
check "a day file of an export: no archive is created" test ! -e "$TMP/export.db"

# a file that is not JSON Lines: one message, not one per line
out=$("$SLACKLOG" ingest --db "$TMP/readme.db" README.md 2>&1)
eq "a README: exit status 2" "$?" 2
eq "a README: one message" "$(printf '%s\n' "$out" | grep -c README.md)" 1
contains "a README: says what it is not" "$out" "error: README.md: not an event log (JSON Lines: one JSON object per line): none of its first 5 lines is one; file skipped"
check "a README: no archive is left behind" test ! -e "$TMP/readme.db"
mkdir "$TMP/withreadme"; cp "$FX"/users.json "$FX"/channels.json "$FX/2016-03-02.jsonl" "$TMP/withreadme/"
cp README.md "$TMP/withreadme/README.txt"
out=$("$SLACKLOG" ingest --db "$TMP/withreadme.db" "$TMP/withreadme" 2>&1)
eq "a README among the logs of a directory: exit status 1 (skipped)" "$?" 1
eq "a README among the logs of a directory: one warning" "$(printf '%s\n' "$out" | grep -c 'warning: .*README.txt: not an event log')" 1
eq "a README among the logs of a directory: the logs are read" "$(stats "$TMP/withreadme.db")" "$(stats "$TMP/one.db")"

# a store failure is an error, never a warning (a trigger stands in for a
# full disk)
"$SLACKLOG" import --quiet --db "$TMP/refuse.db" "$FIX/five-days"
refuse_writes "$TMP/refuse.db" messages
out=$("$SLACKLOG" ingest --db "$TMP/refuse.db" "$TMP/lone" 2>&1)
eq "a store failure: exit status 2" "$?" 2
contains "a store failure: an error naming the line and the cause" "$out" "error: $TMP/lone/2016-03-02.jsonl:1: storing"
lacks "a store failure: not labelled a warning" "$out" "warning:"
