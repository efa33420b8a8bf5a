#!/bin/bash
# t8030-after-moderation: messages that arrive after an opt-out or an
# erasure and mention that person (by an import, whose export knows their
# name, or by an event) are searchable at once, their text naming "a former
# member", never the person's name, ID or words. The export is made here,
# so what search must say is known by hand.
. tests/lib.sh
DB=$TMP/a.db
E=$TMP/export
mkdir -p "$E/general"
cat >"$E/users.json" <<'J'
[{"id": "U0ALICE01", "name": "alice", "profile": {"display_name": "alicewonder", "real_name": "Alice Wonderly"}},
 {"id": "U0OLIVE01", "name": "olive", "profile": {"display_name": "olivanderx", "real_name": "Olive Olivander"}},
 {"id": "U0ERNIE01", "name": "ernestine", "profile": {"display_name": "ernestinex", "real_name": "Ernestine Erasewell"}}]
J
echo '[{"id": "C1", "name": "general", "created": "1456000000"}]' >"$E/channels.json"
day() { # day FILE TS TEXT...: one day file of messages by alice
	local f=$1; shift
	python3 - "$f" "$@" <<'PY'
import json, sys
f, rest = sys.argv[1], sys.argv[2:]
json.dump([{"type": "message", "user": "U0ALICE01", "ts": rest[i], "text": rest[i + 1]} for i in range(0, len(rest), 2)], open(f, "w"))
PY
}
day "$E/general/2016-03-01.json" 1456790400.000100 "first words FIRSTMARKER"
check "import the export" "$SLACKLOG" import --quiet --db "$DB" "$E"
check "opt out olive" "$SLACKLOG" optout -q --db "$DB" U0OLIVE01
check "forget ernestine" "$SLACKLOG" forget -q --db "$DB" U0ERNIE01

q() { "$SLACKLOG" search --db "$DB" --json "$1"; }
# --- an import after them, whose users.json still names both
day "$E/general/2016-03-02.json" 1456876800.000100 "thanks <@U0OLIVE01> AFTEROPTOUTMARKER" \
	1456876900.000200 "thanks <@U0ERNIE01|ernestine> AFTERFORGETMARKER"
check "import the export with the new day" "$SLACKLOG" import --quiet --db "$DB" "$E"
for m in AFTEROPTOUTMARKER AFTERFORGETMARKER; do
	eq "import: $m is found at once" "$(q $m | jq .total)" 1
	contains "import: $m's snippet names a former member" "$(q $m | jq -r '.results[0].snippet')" "@a former member"
done
for w in olivanderx Olivander olive ernestinex Erasewell ernestine U0OLIVE01 U0ERNIE01; do
	eq "import: searching $w finds nothing" "$(q "$w" | jq .total)" 0
done

# --- events after them
cat >"$TMP/ev.jsonl" <<'J'
{"type":"message","channel":"C1","user":"U0ALICE01","text":"hey <@U0OLIVE01> EVENTOPTOUTMARKER","ts":"1456963200.000100"}
{"type":"message","channel":"C1","user":"U0ALICE01","text":"hey <@U0ERNIE01> EVENTFORGETMARKER","ts":"1456963300.000200"}
J
check "ingest events mentioning them" "$SLACKLOG" ingest --quiet --db "$DB" "$TMP/ev.jsonl"
for m in EVENTOPTOUTMARKER EVENTFORGETMARKER; do
	eq "event: $m is found at once" "$(q $m | jq .total)" 1
	contains "event: $m's snippet names a former member" "$(q $m | jq -r '.results[0].snippet')" "@a former member"
done
for w in olivanderx ernestinex U0OLIVE01 U0ERNIE01; do
	eq "event: searching $w finds nothing" "$(q "$w" | jq .total)" 0
done
eq "the erased ID is not stored with the new messages" \
	"$(python3 tests/e2e/t1-stats.py --sql "$DB" "SELECT count(*) FROM messages WHERE instr(raw, 'U0ERNIE01') > 0")" 0
