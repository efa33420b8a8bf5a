#!/bin/bash
# t9010-crash-safety: faults that a real archive meets, and what must hold
# after each: SQLite's integrity check passes and nothing is lost.
#
#   - `slacklog import` and `slacklog ingest` killed with SIGKILL at random
#     moments, three times each on the same archive, then run to the end:
#     the archive equals one made without interruption (same `stats
#     --json`, same search results, and `slacklog build` of both gives the
#     same files, byte for byte);
#   - `slacklog build` killed three times, then run to the end: the site
#     equals a clean build's, byte for byte, with no temporary file left;
#   - the disk full (a small tmpfs; without the right to mount one, a file
#     size limit, ulimit -f): import and ingest fail with a message that
#     says so and a non-zero status; what the archive held is intact, and
#     once there is room again a re-run completes it;
#   - a read-only archive (a file or a directory the user cannot write; as
#     root, the commands run as nobody): a clear error, status 2, the file
#     unchanged to the byte.
# The export and the event log are generated here (seeded, so every run
# sees the same data); kill times are drawn from the clean run's duration.
# The sanitizer pass, several times slower, uses a smaller export.
. tests/lib.sh
if [ -n "${SLACKLOG_SANITIZED:-}" ]; then NCHAN=4 NDAYS=20 NEVENTS=3000; else NCHAN=8 NDAYS=30 NEVENTS=6000; fi
sql() { sqlite3 "$1" "$2"; }
integrity() { check "$1: SQLite's integrity check passes" test "$(sql "$2" "PRAGMA integrity_check")" = ok; }

python3 - "$TMP" $NCHAN $NDAYS $NEVENTS <<'PY'
import datetime, json, os, random, sys
out = sys.argv[1]
nchan, ndays, nevents = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
random.seed(9010)
exp = out + "/export"
os.makedirs(exp)
json.dump([{"id": "U%02d" % i, "name": "user%d" % i, "profile": {"display_name": "User %d" % i}}
           for i in range(20)], open(exp + "/users.json", "w"))
json.dump([{"id": "C%02d" % c, "name": "chan-%d" % c, "created": 1451606400,
            "topic": {"value": "topic %d" % c}} for c in range(nchan)], open(exp + "/channels.json", "w"))
words = "deploy staging release rollback coffee lunch meeting review merge build".split()
stamps = []
for c in range(nchan):
    os.makedirs("%s/chan-%d" % (exp, c))
    parents = []
    for day in range(ndays):
        base = 1451606400 + day * 86400
        msgs = []
        for i in range(40):
            ts = "%d.%06d" % (base + i * 2000, random.randrange(1000000))
            m = {"type": "message", "user": "U%02d" % random.randrange(20), "ts": ts,
                 "text": "%s %s message %d of day %d" % (random.choice(words), random.choice(words), i, day)}
            r = random.random()
            if r < 0.1 and parents:
                m["thread_ts"] = random.choice(parents[-5:])
            elif r < 0.15:
                m["thread_ts"] = ts
                parents.append(ts)
            if random.random() < 0.1:
                m["reactions"] = [{"name": "+1", "users": ["U01"], "count": 1}]
            if random.random() < 0.05:
                m["edited"] = {"user": m["user"], "ts": "%d.000000" % (base + i * 2000 + 60)}
            msgs.append(m)
            stamps.append(("C%02d" % c, ts))
        name = datetime.datetime.fromtimestamp(base, datetime.timezone.utc).strftime("%Y-%m-%d")
        json.dump(msgs, open("%s/chan-%d/%s.json" % (exp, c, name), "w"), indent=2)

# an event log: new messages, edits, deletions, reactions, renames, topics
ev = open(out + "/events.jsonl", "w")
t = 1454284800
mine = []
for i in range(nevents):
    t += 7
    ets = "%d.000000" % t
    r = random.random()
    ch = "C%02d" % random.randrange(nchan)
    if r < 0.6 or not mine:
        ts = "%d.%06d" % (t, i)
        mine.append((ch, ts))
        e = {"type": "message", "channel": ch, "channel_type": "channel", "user": "U%02d" % random.randrange(20),
             "text": "%s live %d" % (random.choice(words), i), "ts": ts, "event_ts": ts}
    elif r < 0.75:
        ch, ts = random.choice(mine)
        e = {"type": "message", "subtype": "message_changed", "hidden": True, "channel": ch, "ts": ets, "event_ts": ets,
             "message": {"type": "message", "user": "U01", "text": "edited %d" % i, "ts": ts,
                         "edited": {"user": "U01", "ts": ets}}}
    elif r < 0.8:
        ch, ts = random.choice(mine)
        e = {"type": "message", "subtype": "message_deleted", "hidden": True, "channel": ch, "ts": ets,
             "deleted_ts": ts, "event_ts": ets}
    elif r < 0.95:
        ch, ts = random.choice(mine + stamps)
        e = {"type": random.choice(["reaction_added", "reaction_removed"]), "user": "U%02d" % random.randrange(20),
             "reaction": random.choice(["+1", "tada", "eyes"]), "item": {"type": "message", "channel": ch, "ts": ts},
             "event_ts": ets}
    elif r < 0.97:
        e = {"type": "channel_rename", "channel": {"id": ch, "name": "renamed-%d" % i}, "event_ts": ets}
    else:
        e = {"type": "message", "subtype": "channel_topic", "channel": ch, "user": "U01", "topic": "topic %d" % i,
             "text": "set the topic", "ts": ets, "event_ts": ets}
    ev.write(json.dumps(e) + "\n")
PY

now_ms() { date +%s%3N; }

# kill_runs N DURATION_MS CMD...: runs of CMD, each SIGKILLed after a
# random delay below DURATION_MS, until N were killed mid-way (at most 3N
# runs); KILLED says how many were. After each run, after_kill RUN MS
# STATUS checks the archive (or site); a run that finished (STATUS not
# 137) makes the next one far shorter than DURATION_MS (nothing left to
# do), so after_kill then starts over from nothing.
kill_runs() {
	local runs=$1 dur=$2 killed=0 i=0; shift 2
	while [ "$killed" -lt "$runs" ] && [ "$i" -lt $((runs * 3)) ]; do
		i=$((i + 1))
		"$@" >/dev/null 2>&1 &
		local pid=$!
		local ms=$((20 + RANDOM % (dur * 7 / 10 + 1)))
		sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		local rc=$?
		[ $rc = 137 ] && killed=$((killed + 1))
		after_kill "$i" "$ms" "$rc"
	done
	KILLED=$killed
}

# what a reader sees of an archive: stats, two searches, the built site
snapshot() {
	local db=$1 out=$2
	mkdir -p "$out"
	"$SLACKLOG" stats --db "$db" --json >"$out/stats.json"
	"$SLACKLOG" search --db "$db" --json --limit 100 "deploy OR rollback" >"$out/search1.json"
	"$SLACKLOG" search --db "$db" --json --limit 100 "from:U03 sort:old" >"$out/search2.json"
	"$SLACKLOG" build -q --jobs 2 --db "$db" "$out/site" >/dev/null 2>&1
}

same_snapshot() {
	local what=$1 a=$2 b=$3
	eq "$what: stats --json equal a clean run's" "$(cat "$b/stats.json")" "$(cat "$a/stats.json")"
	check "$what: search results equal a clean run's" cmp -s "$a/search1.json" "$b/search1.json"
	check "$what: search with filters equal a clean run's" cmp -s "$a/search2.json" "$b/search2.json"
	# every published file (the build's own list, beside the site, names
	# the archive it was built from, which differs between the two)
	local d; d=$(diff -r "$a/site" "$b/site" 2>&1 | head -5)
	eq "$what: the built site equals a clean run's, byte for byte ($(find "$a/site" -type f | wc -l) files)" "$d" ""
}

# ---- import killed ----------------------------------------------------------
t0=$(now_ms)
"$SLACKLOG" import -q --tz UTC --db "$TMP/clean.db" "$TMP/export"
eq "clean import: exit status 0" "$?" 0
dur=$(($(now_ms) - t0))
snapshot "$TMP/clean.db" "$TMP/clean"
total=$(jq .messages "$TMP/clean/stats.json")
eq "clean import: all $((NCHAN * NDAYS * 40)) messages" "$total" $((NCHAN * NDAYS * 40))

after_kill() {
	integrity "import killed after ${2}ms (run $1)" "$TMP/killed.db"
	[ "$3" = 137 ] || rm -f "$TMP/killed.db" "$TMP/killed.db-wal" "$TMP/killed.db-shm" "$TMP/killed.db-journal"
}
kill_runs 3 "$dur" "$SLACKLOG" import -q --tz UTC --db "$TMP/killed.db" "$TMP/export"
check "import: 3 runs were killed mid-way ($KILLED; a run takes ${dur}ms)" test "$KILLED" -ge 3
"$SLACKLOG" import -q --tz UTC --db "$TMP/killed.db" "$TMP/export"
eq "import re-run after the kills: exit status 0" "$?" 0
integrity "import re-run" "$TMP/killed.db"
snapshot "$TMP/killed.db" "$TMP/killed"
same_snapshot "import killed 3 times, then re-run" "$TMP/clean" "$TMP/killed"

# ---- ingest killed ----------------------------------------------------------
cp "$TMP/clean.db" "$TMP/ev-clean.db"
cp "$TMP/clean.db" "$TMP/ev-killed.db"
t0=$(now_ms)
"$SLACKLOG" ingest -q --db "$TMP/ev-clean.db" "$TMP/events.jsonl"
eq "clean ingest: exit status 0" "$?" 0
dur=$(($(now_ms) - t0))
snapshot "$TMP/ev-clean.db" "$TMP/ev-clean"

after_kill() {
	integrity "ingest killed after ${2}ms (run $1)" "$TMP/ev-killed.db"
	[ "$3" = 137 ] || { rm -f "$TMP/ev-killed.db-wal" "$TMP/ev-killed.db-shm"; cp "$TMP/clean.db" "$TMP/ev-killed.db"; }
}
kill_runs 3 "$dur" "$SLACKLOG" ingest -q --db "$TMP/ev-killed.db" "$TMP/events.jsonl"
check "ingest: 3 runs were killed mid-way ($KILLED; a run takes ${dur}ms)" test "$KILLED" -ge 3
"$SLACKLOG" ingest -q --db "$TMP/ev-killed.db" "$TMP/events.jsonl"
eq "ingest re-run after the kills: exit status 0" "$?" 0
integrity "ingest re-run" "$TMP/ev-killed.db"
snapshot "$TMP/ev-killed.db" "$TMP/ev-killed"
same_snapshot "ingest killed 3 times, then re-run" "$TMP/ev-clean" "$TMP/ev-killed"

# ---- build killed -----------------------------------------------------------
t0=$(now_ms)
"$SLACKLOG" build -q --jobs 2 --db "$TMP/ev-clean.db" "$TMP/site-timing" >/dev/null 2>&1
dur=$(($(now_ms) - t0))
after_kill() { [ "$3" = 137 ] || rm -rf "$TMP/site-killed"; }
kill_runs 3 "$dur" "$SLACKLOG" build -q --jobs 2 --db "$TMP/ev-clean.db" "$TMP/site-killed"
check "build: 3 runs were killed mid-way ($KILLED; a run takes ${dur}ms)" test "$KILLED" -ge 3
"$SLACKLOG" build -q --jobs 2 --db "$TMP/ev-clean.db" "$TMP/site-killed" >/dev/null 2>&1
eq "build re-run after the kills: exit status 0" "$?" 0
d=$(diff -r "$TMP/ev-clean/site" "$TMP/site-killed" 2>&1 | head -5)
eq "build killed 3 times, then re-run: the site equals a clean build's, byte for byte" "$d" ""
eq "no temporary file left in the site" "$(find "$TMP/site-killed" -name '*.slacklog-tmp*' | head -3)" ""

# ---- disk full ---------------------------------------------------------------
# rows DB: a digest of every message, reaction, user and channel
rows() {
	sql "$1" "SELECT channel_id, ts, day, thread_ts, edited_ts, raw FROM messages ORDER BY channel_id, ts;
		  SELECT * FROM reactions ORDER BY 1, 2, 3; SELECT id, raw FROM users ORDER BY id;
		  SELECT id, name, raw FROM channels ORDER BY id" | sha1sum
}
small=$TMP/small.db
"$SLACKLOG" import -q --tz UTC --db "$small" "$FIX/web-threads" >/dev/null 2>&1
before_stats=$("$SLACKLOG" stats --db "$small" --json)
size_kb=$(( $(stat -c %s "$small") / 1024 ))
full=$TMP/full
mkdir -p "$full"
# full_run DB CMD...: CMD with the disk full: on a tmpfs barely larger than
# the archive, else under a file size limit (SIGXFSZ ignored, so writes
# fail with EFBIG as they would with ENOSPC)
full_run() {
	local db=$1; shift
	if mount -t tmpfs -o size=$((size_kb + 96))k tmpfs "$full" 2>/dev/null; then
		FULL_HOW="a tmpfs of $((size_kb + 96)) KiB"
		cp "$db" "$full/a.db"
		"$@" --db "$full/a.db" >"$TMP/full.out" 2>&1
		FULL_RC=$?
		cp "$full/a.db" "$db"
		rm -f "$db-wal" "$db-shm"
		[ -f "$full/a.db-wal" ] && cp "$full/a.db-wal" "$db-wal"
		umount "$full"
	else
		FULL_HOW="ulimit -f $((size_kb + 96))"
		(trap '' XFSZ; ulimit -f $((size_kb + 96)); "$@" --db "$db" >"$TMP/full.out" 2>&1)
		FULL_RC=$?
	fi
}

for what in import ingest; do
	cp "$small" "$TMP/$what-full.db"
	if [ $what = import ]; then
		full_run "$TMP/$what-full.db" "$SLACKLOG" import -q "$TMP/export"
	else
		full_run "$TMP/$what-full.db" "$SLACKLOG" ingest -q "$TMP/events.jsonl"
	fi
	eq "$what with the disk full ($FULL_HOW): exit status 2" "$FULL_RC" 2
	contains "$what with the disk full: the error says so" "$(cat "$TMP/full.out")" "full"
	integrity "$what with the disk full" "$TMP/$what-full.db"
	kept=$(sql "$TMP/$what-full.db" "ATTACH '$small' AS old;
		SELECT count(*) FROM old.messages o JOIN main.messages m USING (channel_id, ts) WHERE m.raw = o.raw")
	eq "$what with the disk full: every message stored before is still there, unchanged" \
		"$kept" "$(sql "$small" "SELECT count(*) FROM messages")"
done
# with room again, the import completes to what a clean import of both gives
cp "$small" "$TMP/both.db"
"$SLACKLOG" import -q --db "$TMP/both.db" "$TMP/export" >/dev/null 2>&1
"$SLACKLOG" import -q --db "$TMP/import-full.db" "$TMP/export" >/dev/null 2>&1
eq "import re-run with room again: exit status 0" "$?" 0
eq "import re-run with room again: the archive equals a clean one's" "$(rows "$TMP/import-full.db")" "$(rows "$TMP/both.db")"

# ---- read-only archive --------------------------------------------------------
# as_user CMD...: as nobody when root (root writes through any file mode)
as_user() {
	if [ "$(id -u)" = 0 ]; then
		setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
	else
		"$@"
	fi
}
ro=$TMP/ro
mkdir -p "$ro/file" "$ro/dir"
chmod 755 "$TMP" "$ro" "$ro/file"
cp "$small" "$ro/file/a.db"
chmod 444 "$ro/file/a.db"
cp "$small" "$ro/dir/a.db"
chmod 666 "$ro/dir/a.db"
chmod 555 "$ro/dir"
for where in file dir; do
	db=$ro/$where/a.db
	sum=$(sha1sum <"$db")
	out=$(as_user "$SLACKLOG" import -q --db "$db" "$TMP/export" 2>&1)
	eq "import into a read-only $where: exit status 2" "$?" 2
	contains "import into a read-only $where: the error names the archive" "$out" "$db"
	out=$(as_user "$SLACKLOG" ingest -q --db "$db" "$TMP/events.jsonl" 2>&1)
	eq "ingest into a read-only $where: exit status 2" "$?" 2
	contains "ingest into a read-only $where: the error names the archive" "$out" "$db"
	eq "read-only $where: the archive is unchanged to the byte" "$(sha1sum <"$db")" "$sum"
	integrity "read-only $where" "$db"
done
chmod 755 "$ro/dir"
for where in file dir; do
	eq "read-only $where: the data is as before (stats --json)" "$("$SLACKLOG" stats --db "$ro/$where/a.db" --json 2>&1)" "$before_stats"
done
