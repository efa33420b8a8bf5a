#!/bin/bash
# t6020-sync: `slacklog sync` against the fake Web API (tests/fakeslack):
# a full sync equals what fakeslack.py --expect derives from the workspace
# file, pagination and 429 answers are lived through, a second run asks
# only for what is newer (read off the server's request log), a refused
# token fails clearly without printing it, a run killed halfway resumes
# from its saved cursor, and new replies to older threads are found by
# looking again at the threads active in the window before the last run.
. tests/lib.sh
FX=$FIX/events-sync/workspace.json
TOKEN=xoxb-test-token
sql() { python3 tests/e2e/t1-stats.py --sql "$@"; }
stats() { "$SLACKLOG" stats --db "$1" --json | jq -cS .; }
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$TMP"' EXIT

# serve NAME ARGS...: start a fake server; sets URL and LOG
serve() {
	local name=$1; shift
	LOG=$TMP/$name.log
	python3 tests/fakeslack/fakeslack.py --port-file "$TMP/$name.port" --log "$LOG" "$@" 2>>"$TMP/server.err" &
	pids+=($!)
	for _ in $(seq 100); do [ -f "$TMP/$name.port" ] && break; sleep 0.1; done
	URL=http://127.0.0.1:$(cat "$TMP/$name.port")/api/
}

cp "$FX" "$TMP/ws.json"
# two older threads in C2: P2 (its parent 35 days before C2's newest
# message, a reply within 30 days of it) and P3 (all of it half a year older)
python3 - "$TMP/ws.json" <<'EOF'
import json, sys
ws = json.load(open(sys.argv[1]))
ws["messages"]["C2"] += [
    {"type": "message", "user": "U1", "text": "p2 parent", "ts": "1453939300.000100", "thread_ts": "1453939300.000100"},
    {"type": "message", "user": "U2", "text": "p2 first reply", "ts": "1456800000.000300", "thread_ts": "1453939300.000100"},
    {"type": "message", "user": "U1", "text": "p3 parent", "ts": "1440000000.000100", "thread_ts": "1440000000.000100"},
    {"type": "message", "user": "U3", "text": "p3 first reply", "ts": "1440000100.000200", "thread_ts": "1440000000.000100"}]
json.dump(ws, open(sys.argv[1], "w"))
EOF
serve main --data "$TMP/ws.json" --page 2 --rate-limit-every 4
db=$TMP/s.db
out=$("$SLACKLOG" sync --db "$db" --api-url "$URL" --token "$TOKEN" --min-interval 0.01 2>&1)
eq "full sync: exit status 1 (a channel was skipped)" "$?" 1
contains "full sync: not_in_channel is a warning naming the channel" "$out" "conversations.history C9: not_in_channel; channel skipped"
eq "full sync: stats equal what the workspace file says" "$(stats "$db")" "$(python3 tests/fakeslack/fakeslack.py --expect "$TMP/ws.json" | jq -cS .)"
eq "full sync: the private channel is not fetched" "$(grep -c '"channel": "G1"' "$LOG")" 0
check "full sync: 429 answers were given" grep -q '"status": 429' "$LOG"
check "full sync: pages were followed by cursor" grep -q '"cursor": "off:2"' "$LOG"
eq "full sync: emoji" "$(sql "$db" "SELECT group_concat(name || '=' || value, ' ') FROM (SELECT * FROM emoji ORDER BY name)")" \
	"shipit=https://emoji.example.org/shipit.png squirrel=alias:shipit"
eq "full sync: reactions from the history" "$(sql "$db" "SELECT name, count, users FROM reactions")" "+1|2|U1,U2"
eq "full sync: topic from conversations.list" "$(sql "$db" "SELECT topic FROM channels WHERE id = 'C1'")" Hello
eq "full sync: messages are searchable" \
	"$("$SLACKLOG" search --db "$db" --json "reply two" | jq -r '[.results[].ts] | join(" ")')" "1456876900.000400"
lacks "the token is never printed" "$out" "$TOKEN"

# a second run with one new message in C1: history is asked only for
# what is newer than the newest message stored by the first run
python3 - "$TMP/ws.json" <<'EOF'
import json, sys
ws = json.load(open(sys.argv[1]))
ws["messages"]["C1"].append({"type": "message", "user": "U2", "text": "news of the day", "ts": "1457049600.000100"})
json.dump(ws, open(sys.argv[1], "w"))
EOF
: >"$LOG"
out=$("$SLACKLOG" sync --db "$db" --api-url "$URL" --token "$TOKEN" --min-interval 0.01 2>&1)
eq "incremental: C1 history asked from the newest stored ts" \
	"$(jq -r 'select(.method == "conversations.history" and .params.channel == "C1" and .status == 200 and .params.latest == null) | .params.oldest' "$LOG" | sort -u)" \
	"1456877200.000700"
eq "incremental: C2 history asked from its newest ts" \
	"$(jq -r 'select(.method == "conversations.history" and .params.channel == "C2" and .status == 200 and .params.latest == null) | .params.oldest' "$LOG" | sort -u)" \
	"1456963300.000200"
contains "incremental: one message fetched" "$out" "1 messages fetched, 1 stored"
eq "incremental: stats equal the workspace file again" "$(stats "$db")" "$(python3 tests/fakeslack/fakeslack.py --expect "$TMP/ws.json" | jq -cS .)"

# new replies to older threads: one to C1's thread (its parent within 30
# days of the newest message), one to P2 (older parent, but the archive
# saw it active within the window), one to P3 (inactive for longer)
python3 - "$TMP/ws.json" <<'EOF'
import json, sys
ws = json.load(open(sys.argv[1]))
ws["messages"]["C1"].append({"type": "message", "user": "U3", "text": "late reply to an old thread", "ts": "1457049700.000200", "thread_ts": "1456790500.000200"})
ws["messages"]["C2"].append({"type": "message", "user": "U3", "text": "p2 late reply", "ts": "1457000000.000400", "thread_ts": "1453939300.000100"})
ws["messages"]["C2"].append({"type": "message", "user": "U2", "text": "p3 late reply", "ts": "1457000100.000500", "thread_ts": "1440000000.000100"})
json.dump(ws, open(sys.argv[1], "w"))
EOF
: >"$LOG"
out=$("$SLACKLOG" sync --db "$db" --api-url "$URL" --token "$TOKEN" --min-interval 0.01 2>&1)
eq "threads: the late reply in C1 is stored in its thread" "$(sql "$db" "SELECT thread_ts FROM messages WHERE ts = '1457049700.000200'")" 1456790500.000200
eq "threads: it is on its thread's day page" "$(sql "$db" "SELECT page_day FROM messages WHERE ts = '1457049700.000200'")" 2016-03-01
eq "threads: it is searchable" "$("$SLACKLOG" search --db "$db" --json "late reply to an old thread" | jq -r '[.results[].ts] | join(" ")')" 1457049700.000200
eq "threads: C1's window was asked of history again, from 30 days before the last newest" \
	"$(jq -r 'select(.method == "conversations.history" and .params.channel == "C1" and .status == 200 and .params.latest) | [.params.oldest, .params.latest, .params.inclusive] | join(" ")' "$LOG" | sort -u)" \
	"$((1457049600 - 30 * 86400)).000000 1457049600.000100 true"
eq "threads: replies asked for the threads with new replies only, after the newest stored reply" \
	"$(jq -r 'select(.method == "conversations.replies" and .status == 200) | [.params.channel, .params.ts, .params.oldest] | join(" ")' "$LOG" | sort -u)" \
	"C1 1456790500.000200 1456877000.000500
C2 1453939300.000100 1456800000.000300"
eq "threads: P2's late reply is stored" "$(sql "$db" "SELECT count(*) FROM messages WHERE ts = '1457000000.000400'")" 1
eq "threads: P3, inactive before the window, is not asked about" "$(sql "$db" "SELECT count(*) FROM messages WHERE ts = '1457000100.000500'")" 0
contains "threads: two replies fetched in two threads (their parents stored again with the new counts)" "$out" "2 messages fetched, 4 stored, 2 threads fetched"
: >"$LOG"
"$SLACKLOG" sync --quiet --db "$db" --api-url "$URL" --token "$TOKEN" --min-interval 0.01 --thread-window 400 >/dev/null 2>&1
eq "a wider window: P3 is asked about" "$(jq -r 'select(.method == "conversations.replies" and .status == 200) | .params.ts' "$LOG" | sort -u)" 1440000000.000100
eq "a wider window: P3's late reply is stored" "$(sql "$db" "SELECT count(*) FROM messages WHERE ts = '1457000100.000500'")" 1
eq "threads: stats equal the workspace file again" "$(stats "$db")" "$(python3 tests/fakeslack/fakeslack.py --expect "$TMP/ws.json" | jq -cS .)"
: >"$LOG"
"$SLACKLOG" sync --quiet --db "$db" --api-url "$URL" --token "$TOKEN" --min-interval 0.01 --thread-window 400 >/dev/null 2>&1
eq "nothing new: no thread is fetched again" "$(grep -c '"conversations.replies"' "$LOG")" 0
: >"$LOG"
"$SLACKLOG" sync --quiet --db "$db" --api-url "$URL" --token "$TOKEN" --min-interval 0.01 --thread-window 0 >/dev/null 2>&1
eq "--thread-window 0: history is not asked again" "$(jq -c 'select(.method == "conversations.history" and .params.latest)' "$LOG" | wc -l)" 0

# a refused token
out=$("$SLACKLOG" sync --db "$TMP/bad.db" --api-url "$URL" --token xoxb-wrong --min-interval 0.01 2>&1)
eq "invalid_auth: exit status 2" "$?" 2
contains "invalid_auth: said clearly" "$out" "Slack refused the token (invalid_auth)"
lacks "invalid_auth: the token is not printed" "$out" "xoxb-wrong"
out=$(SLACKLOG_TOKEN= "$SLACKLOG" sync --db "$TMP/bad.db" --api-url "$URL" 2>&1)
eq "no token: exit status 2" "$?" 2
out=$(SLACKLOG_TOKEN=$TOKEN "$SLACKLOG" sync --quiet --db "$TMP/env.db" --api-url "$URL" --min-interval 0.01 2>&1)
eq "the token from SLACKLOG_TOKEN" "$(stats "$TMP/env.db")" "$(python3 tests/fakeslack/fakeslack.py --expect "$TMP/ws.json" | jq -cS .)"

# killed halfway through C1's history (one message per page, slow server),
# then run again: it resumes at the saved cursor and ends complete
serve slow --data "$TMP/ws.json" --page 1 --delay 0.15
db=$TMP/kill.db
"$SLACKLOG" sync --quiet --db "$db" --api-url "$URL" --token "$TOKEN" --min-interval 0 >/dev/null 2>&1 &
spid=$!
for _ in $(seq 200); do
	[ "$(cat "$LOG" 2>/dev/null | grep -c '"conversations.history".*"C1".*"cursor"')" -ge 3 ] && break
	sleep 0.05
done
kill -9 $spid; wait $spid 2>/dev/null
saved=$(sql "$db" "SELECT value FROM settings WHERE key = 'sync:C1:cursor'")
check "killed: a cursor was saved" test -n "$saved"
: >"$LOG"
"$SLACKLOG" sync --quiet --db "$db" --api-url "$URL" --token "$TOKEN" --min-interval 0 2>/dev/null
eq "resumed: the first C1 history call continues at the saved cursor" \
	"$(jq -r 'select(.method == "conversations.history" and .params.channel == "C1") | .params.cursor // "start"' "$LOG" | head -1)" "$saved"
eq "resumed: the archive is complete" "$(stats "$db")" "$(python3 tests/fakeslack/fakeslack.py --expect "$TMP/ws.json" | jq -cS .)"
eq "resumed: no progress left over" "$(sql "$db" "SELECT group_concat(key) FROM settings WHERE key LIKE 'sync:%:cursor' AND value <> ''")" ""
