#!/bin/bash
# t1040-import-kill: SIGKILL an import at a random moment, run it again,
# and compare with an import that was never interrupted: same stats, same
# rows. The export is generated here (20 channels x 60 days x 50 messages,
# with threads across days, reactions and edits) so that killing it
# mid-way is likely; the test retries with shorter delays if an import
# finishes before the kill lands.
. tests/lib.sh
sql() { python3 tests/e2e/t1-stats.py --sql "$@"; }

python3 - "$TMP/export" <<'PY'
import datetime, json, os, random, sys
out = sys.argv[1]
random.seed(42)
os.makedirs(out)
json.dump([{"id": "U%03d" % i, "name": "user%d" % i} for i in range(50)], open(out + "/users.json", "w"))
json.dump([{"id": "C%03d" % c, "name": "chan-%d" % c, "created": 1451606400} for c in range(20)],
          open(out + "/channels.json", "w"))
for c in range(20):
    os.makedirs("%s/chan-%d" % (out, c))
    parents = []
    for day in range(60):
        base = 1451606400 + day * 86400
        msgs = []
        for i in range(50):
            ts = "%d.%06d" % (base + i * 1700, random.randrange(1000000))
            m = {"type": "message", "user": "U%03d" % random.randrange(50), "ts": ts,
                 "text": "message %d of day %d in channel %d" % (i, day, c)}
            r = random.random()
            if r < 0.1 and parents:
                m["thread_ts"] = random.choice(parents[-10:])
            elif r < 0.15:
                m["thread_ts"] = ts
                parents.append(ts)
            if random.random() < 0.1:
                m["reactions"] = [{"name": "+1", "users": ["U001"], "count": 1}]
            if random.random() < 0.05:
                m["edited"] = {"user": m["user"], "ts": "%d.000000" % (base + i * 1700 + 60)}
            msgs.append(m)
        name = datetime.datetime.fromtimestamp(base, datetime.timezone.utc).strftime("%Y-%m-%d")
        json.dump(msgs, open("%s/chan-%d/%s.json" % (out, c, name), "w"), indent=4)
PY

# rows DB: row counts and a digest of every message as stored
rows() {
	python3 - "$1" <<'PY'
import hashlib, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for t in ("users", "channels", "messages", "reactions", "settings"):
    print(t, db.execute("SELECT count(*) FROM %s" % t).fetchone()[0])
h = hashlib.sha1()
for r in db.execute("SELECT channel_id, ts, day, page_day, thread_ts, edited_ts, hidden, raw FROM messages ORDER BY channel_id, ts"):
    h.update(repr(r).encode())
for r in db.execute("SELECT * FROM reactions ORDER BY channel_id, ts, name"):
    h.update(repr(r).encode())
print("digest", h.hexdigest())
PY
}

"$SLACKLOG" import --quiet --db "$TMP/clean.db" "$TMP/export"
eq "clean import: exit status 0" "$?" 0
"$SLACKLOG" stats --db "$TMP/clean.db" --json >"$TMP/clean.json"
total=$(jq .messages "$TMP/clean.json")
eq "clean import: all 60000 messages" "$total" 60000

killed=0
for try in 1 2 3 4 5; do
	rm -f "$TMP/killed.db"*
	"$SLACKLOG" import --quiet --db "$TMP/killed.db" "$TMP/export" &
	pid=$!
	for _ in $(seq 1500); do
		n=$("$SLACKLOG" stats --db "$TMP/killed.db" --json 2>/dev/null | jq '.messages // 0' 2>/dev/null)
		[ "${n:-0}" -gt 0 ] && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.01
	done
	delay=$(printf '0.%03d' $((RANDOM % 400)))
	sleep "$delay"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	if [ $? = 137 ]; then
		killed=1
		break
	fi
done
eq "an import was killed mid-way (try $try, after ${delay}s)" "$killed" 1
check "the killed archive passes SQLite's integrity check" \
	test "$(sql "$TMP/killed.db" "PRAGMA integrity_check")" = ok
partial=$(sql "$TMP/killed.db" "SELECT count(*) FROM messages")
check "the killed archive holds part of the export ($partial of $total messages)" test "$partial" -gt 0 -a "$partial" -lt "$total"
"$SLACKLOG" stats --db "$TMP/killed.db" --json >/dev/null
eq "stats reads the killed archive" "$?" 0

out=$("$SLACKLOG" import --db "$TMP/killed.db" "$TMP/export" 2>&1)
eq "re-run after the kill: exit status 0" "$?" 0
contains "re-run stores exactly what was missing" "$out" "($((total - partial)) new, 0 updated, $partial unchanged)"
"$SLACKLOG" stats --db "$TMP/killed.db" --json >"$TMP/resumed.json"
eq "re-run after the kill: stats equal a clean import's" "$(cat "$TMP/resumed.json")" "$(cat "$TMP/clean.json")"
eq "re-run after the kill: every row equals a clean import's" "$(rows "$TMP/killed.db")" "$(rows "$TMP/clean.db")"
# a first import builds the messages indexes after the load: one killed
# before that gets them back from the next writer
schema() { sql "$1" "SELECT type, name, sql FROM sqlite_master WHERE type IN ('table', 'index') ORDER BY name"; }
eq "re-run after the kill: the same tables and indexes as a clean import" "$(schema "$TMP/killed.db")" "$(schema "$TMP/clean.db")"
check "the clean archive has the messages indexes" test "$(sql "$TMP/clean.db" "SELECT count(*) FROM sqlite_master WHERE name IN ('messages_page', 'messages_thread', 'messages_broadcast')")" = 3
