#!/bin/bash
# t1060-import-topics: a channel's topic and purpose, whatever order its
# sources come in.
#
# An export gives each its value and when it was set (last_set, 0 when
# never). The newest wins, ordered by that time with other exports and
# with channel_topic / channel_purpose messages from event logs: importing
# an older export after a newer one must not bring an old topic back, and
# both orders must end the same. The exports and logs are made here, so
# the expected values are known by hand.
. tests/lib.sh
. tests/e2e/serve.sh
tp() { sqlite3 "$1" "SELECT coalesce(topic, '') || '|' || coalesce(purpose, '') FROM channels WHERE id = 'C0AAAAAA1'"; }

mk() {   # mk DIR TOPIC TOPIC_SET PURPOSE PURPOSE_SET: an export of one channel, one message
	mkdir -p "$1/general"
	echo '[{"id": "U0AAAAAA1", "name": "ana", "profile": {"display_name": "ana"}}]' >"$1/users.json"
	printf '[{"id": "C0AAAAAA1", "name": "general", "created": 1451606400,
	  "topic": {"value": "%s", "creator": "U0AAAAAA1", "last_set": %s},
	  "purpose": {"value": "%s", "creator": "U0AAAAAA1", "last_set": %s}}]\n' "$2" "$3" "$4" "$5" >"$1/channels.json"
	echo '[{"type": "message", "user": "U0AAAAAA1", "ts": "1451904000.000100", "text": "hello"}]' \
		>"$1/general/2016-01-04.json"
}
OLD=$TMP/old NEW=$TMP/new NONE=$TMP/none
mk "$OLD" "old topic" 1451700000 "old purpose" 1451700000
mk "$NEW" "new topic" 1454300000 "new purpose" 1451700000
mk "$NONE" "" 0 "" 0     # an export from before anything was set
WANT="new topic|old purpose"

check "new then old: import the newer export" import_fixture "$TMP/no.db" "$NEW"
check "new then old: import the older export" import_fixture "$TMP/no.db" "$OLD"
eq "new then old: the newer topic stays" "$(tp "$TMP/no.db")" "$WANT"
check "old then new: import the older export" import_fixture "$TMP/on.db" "$OLD"
check "old then new: import the newer export" import_fixture "$TMP/on.db" "$NEW"
eq "old then new: the newer topic" "$(tp "$TMP/on.db")" "$WANT"
check "an export from before the topic was set" import_fixture "$TMP/no.db" "$NONE"
eq "it does not clear the topic" "$(tp "$TMP/no.db")" "$WANT"
check "the newer export again" import_fixture "$TMP/no.db" "$NEW"
eq "importing again changes nothing" "$(tp "$TMP/no.db")" "$WANT"
check "an archive that starts with no topic" import_fixture "$TMP/first.db" "$NONE"
eq "no topic yet" "$(tp "$TMP/first.db")" "|"
check "then an export that has them" import_fixture "$TMP/first.db" "$OLD"
eq "the export's topic and purpose" "$(tp "$TMP/first.db")" "old topic|old purpose"

# --- channel_topic and channel_purpose messages in event logs
L=$TMP/ev
mkdir -p "$L/late" "$L/early"
cat >"$L/late/e.jsonl" <<'J'
{"type": "message", "subtype": "channel_topic", "channel": "C0AAAAAA1", "user": "U0AAAAAA1", "topic": "event topic", "text": "set the channel topic: event topic", "ts": "1454400000.000100"}
J
cat >"$L/early/e.jsonl" <<'J'
{"type": "message", "subtype": "channel_purpose", "channel": "C0AAAAAA1", "user": "U0AAAAAA1", "purpose": "early purpose", "text": "set the channel purpose: early purpose", "ts": "1451600000.000100"}
J
cp "$TMP/on.db" "$TMP/ev.db"
check "a topic event after the export's" "$SLACKLOG" ingest --quiet --db "$TMP/ev.db" "$L/late"
eq "the event's topic" "$(tp "$TMP/ev.db")" "event topic|old purpose"
check "the export again" import_fixture "$TMP/ev.db" "$NEW"
eq "the later event's topic stays" "$(tp "$TMP/ev.db")" "event topic|old purpose"
check "a purpose event older than the export's" "$SLACKLOG" ingest --quiet --db "$TMP/ev.db" "$L/early"
eq "the older event is not applied" "$(tp "$TMP/ev.db")" "event topic|old purpose"
check "events first, then the older export" "$SLACKLOG" ingest --quiet --db "$TMP/ev2.db" "$L/late"
check "import it" import_fixture "$TMP/ev2.db" "$OLD"
eq "the event's topic stays, the export's purpose" "$(tp "$TMP/ev2.db")" "event topic|old purpose"

# --- what readers see
"$SLACKLOG" build -q --db "$TMP/no.db" "$TMP/site" >/dev/null 2>&1
page=$(cat "$TMP/site/general/index.html" 2>/dev/null)
contains "the channel page shows the newer topic" "$page" "new topic"
lacks "and not the older one" "$page" "old topic"
