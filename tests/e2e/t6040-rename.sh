#!/bin/bash
# t6040-rename: a person renamed after messages mentioning them were
# indexed: searching the new name finds those mentions, the old name finds
# nothing. By events (user_change, and team_join of someone mentioned
# before the archive knew them) and by importing an export whose users.json
# is newer. The names are made up here, so what search must say is known
# by hand.
. tests/lib.sh
hits() { "$SLACKLOG" search --db "$1" --json "$2" | jq -r '[.results[].ts] | sort | join(" ")'; }
snippet() { "$SLACKLOG" search --db "$1" --json "$2" | jq -r '.results[0].snippet // ""'; }

# --- events
L=$TMP/logs
mkdir -p "$L/more"
cat >"$L/users.json" <<'J'
[{"id": "U0ALICE01", "name": "alice", "profile": {"display_name": "alice"}, "updated": 1456000000},
 {"id": "U0ZEB0001", "name": "zeb", "profile": {"display_name": "zebulonold"}, "updated": 1456000000}]
J
echo '[{"id": "C1", "name": "general", "created": 1456000000}]' >"$L/channels.json"
cat >"$L/2016-03-01.jsonl" <<'J'
{"type":"message","channel":"C1","user":"U0ALICE01","text":"hello <@U0ZEB0001> RENAMEMARKERONE","ts":"1456790400.000100"}
{"type":"message","channel":"C1","user":"U0ALICE01","text":"welcome <@U0NEWBIE1> NEWBIEMARKER","ts":"1456790500.000200"}
{"type":"message","channel":"C1","user":"U0ALICE01","text":"zebulonold is a word here too, no mention WORDMARKER","ts":"1456790600.000300"}
J
cat >"$L/more/2016-03-02.jsonl" <<'J'
{"type":"user_change","user":{"id":"U0ZEB0001","name":"zeb","profile":{"display_name":"quentinnew"},"updated":1456900000},"event_ts":"1456900000.000100"}
{"type":"team_join","user":{"id":"U0NEWBIE1","name":"newbie","profile":{"display_name":"freshface"},"updated":1456900100},"event_ts":"1456900100.000100"}
J
DB=$TMP/ev.db
check "ingest the first log" "$SLACKLOG" ingest --quiet --db "$DB" "$L"
eq "before: the old name finds the mention (and the word)" "$(hits "$DB" zebulonold)" "1456790400.000100 1456790600.000300"
eq "before: the unknown person's mention is indexed by ID" "$(hits "$DB" U0NEWBIE1)" 1456790500.000200
check "ingest the rename and the join" "$SLACKLOG" ingest --quiet --db "$DB" "$L/more"
eq "renamed: the new name finds the mention" "$(hits "$DB" quentinnew)" 1456790400.000100
eq "renamed: the old name finds only the plain word" "$(hits "$DB" zebulonold)" 1456790600.000300
contains "renamed: the snippet names them anew" "$(snippet "$DB" RENAMEMARKERONE)" "@quentinnew"
eq "joined: the new person's name finds the mention made before" "$(hits "$DB" freshface)" 1456790500.000200
eq "joined: the ID is no longer what is indexed" "$(hits "$DB" U0NEWBIE1)" ""
check "replaying both logs changes nothing" "$SLACKLOG" ingest --quiet --db "$DB" "$L" "$L/more"
eq "replayed: still the new name" "$(hits "$DB" quentinnew)" 1456790400.000100
eq "replayed: every message still indexed" "$(hits "$DB" "RENAMEMARKERONE OR NEWBIEMARKER OR WORDMARKER" | wc -w)" 3

# --- an import of a newer export
E=$TMP/export
mkdir -p "$E/general"
users() { # users DISPLAY_NAME_OF_ZEB
	printf '[{"id": "U0ALICE01", "name": "alice", "profile": {"display_name": "alice"}},\n {"id": "U0ZEB0001", "name": "zeb", "profile": {"display_name": "%s"}}]\n' "$1" >"$E/users.json"
}
users zebulonold
echo '[{"id": "C1", "name": "general", "created": "1456000000", "members": ["U0ALICE01", "U0ZEB0001"]}]' >"$E/channels.json"
echo '[{"type": "message", "user": "U0ALICE01", "text": "thanks <@U0ZEB0001> IMPORTMARKER", "ts": "1456790700.000100"}]' >"$E/general/2016-03-01.json"
DB=$TMP/im.db
check "import the export" "$SLACKLOG" import --quiet --db "$DB" "$E"
eq "before: the old name finds the mention" "$(hits "$DB" zebulonold)" 1456790700.000100
users yvonnenew
check "import it again with the person renamed in users.json" "$SLACKLOG" import --quiet --db "$DB" "$E"
eq "re-imported: the new name finds the mention" "$(hits "$DB" yvonnenew)" 1456790700.000100
eq "re-imported: the old name finds nothing" "$(hits "$DB" zebulonold)" ""
contains "re-imported: the snippet names them anew" "$(snippet "$DB" IMPORTMARKER)" "@yvonnenew"
