#!/bin/bash
# t7030-build-narrow: an incremental build that looks only at what changed
# leaves the same site as a clean build, whatever the change. A seeded
# export (4 channels, 12 days, 20 people) is built; then batches of
# events are ingested, each followed by an incremental build of the same
# site and a clean build of the archive into an empty directory; after
# every batch the two sites must be equal byte for byte, and so must
# their lists of files (with the hash of each). The events: new messages
# on the last days and on older ones, thread replies days after their
# parent, edits, deletions (down to emptying a day), reactions added and
# removed, new topics, profile changes (of people who wrote and people
# who did not), a new person, a new channel with messages, an archived
# channel. A batch of a few events touches a channel or two, so most
# files are under no scope the walk names. A build narrows unless the
# batch changed every page (the change log's 'g' row moved: a rename; a
# channel first met in a message and named later): each build must do
# as the log says.
. tests/lib.sh
if [ -n "${SLACKLOG_SANITIZED:-}" ]; then NBATCH=8; else NBATCH=14; fi

python3 - "$TMP" "$NBATCH" <<'PY'
import json, os, random, sys
out, nbatch = sys.argv[1], int(sys.argv[2])
random.seed(7030)
exp = out + "/export"
os.makedirs(exp)
people = ["U%02d" % i for i in range(20)]
json.dump([{"id": u, "name": "user%s" % u[1:], "profile": {"display_name": "User %s" % u[1:]}} for u in people],
          open(exp + "/users.json", "w"))
chans = ["C%02d" % c for c in range(4)]
json.dump([{"id": c, "name": "chan-%s" % c[1:], "created": 1451606400, "topic": {"value": "topic of %s" % c}}
           for c in chans], open(exp + "/channels.json", "w"))
day0 = 1451606400           # 2016-01-01, UTC
msgs = {}                    # (channel, ts) -> message, as the archive has it
for c in chans:
    os.makedirs("%s/chan-%s" % (exp, c[1:]))
    for day in range(12):
        base = day0 + day * 86400
        v = []
        for i in range(random.randrange(1, 8)):
            ts = "%d.%06d" % (base + 600 + i * 3000, random.randrange(1000000))
            m = {"type": "message", "user": random.choice(people), "ts": ts,
                 "text": "message %d of day %d in %s" % (i, day, c)}
            if i == 0 and random.random() < 0.4:
                m["thread_ts"] = ts
            v.append(m)
            msgs[(c, ts)] = m
        json.dump(v, open("%s/chan-%s/2016-01-%02d.json" % (exp, c[1:], day + 1), "w"))

t = day0 + 20 * 86400
def ets():
    global t
    t += 13
    return "%d.000000" % t
names = {}
for b in range(nbatch):
    ev = []
    for k in range(random.randrange(2, 9)):
        r = random.random()
        e = ets()
        keys = sorted(msgs)
        if r < 0.25:         # a new message: on a recent or an old day
            c = random.choice(chans + ["C90"] * (b >= 3))
            day = random.choice([11, 12, 13, random.randrange(12)])
            ts = "%d.%06d" % (day0 + day * 86400 + random.randrange(80000), random.randrange(1000000))
            m = {"type": "message", "channel": c, "user": random.choice(people + ["U77"]), "ts": ts,
                 "text": "new message %d.%d <@%s>" % (b, k, random.choice(people)), "event_ts": ts}
            msgs[(c, ts)] = m
        elif r < 0.35:       # a reply to a message days older
            c, pts = random.choice(keys)
            ts = "%d.%06d" % (float(pts) + 86400 * random.randrange(1, 4), random.randrange(1000000))
            m = {"type": "message", "channel": c, "user": random.choice(people), "ts": ts,
                 "thread_ts": pts, "text": "a late reply %d.%d" % (b, k), "event_ts": ts}
            msgs[(c, ts)] = m
        elif r < 0.5:        # an edit
            c, ts = random.choice(keys)
            m = {"type": "message", "subtype": "message_changed", "hidden": True, "channel": c, "ts": e,
                 "event_ts": e, "message": {"type": "message", "user": msgs[(c, ts)].get("user", "U01"),
                                            "text": "edited in batch %d" % b, "ts": ts,
                                            "edited": {"user": "U01", "ts": e}}}
        elif r < 0.65:       # a deletion
            c, ts = random.choice(keys)
            del msgs[(c, ts)]
            m = {"type": "message", "subtype": "message_deleted", "hidden": True, "channel": c, "ts": e,
                 "deleted_ts": ts, "event_ts": e}
        elif r < 0.8:        # a reaction
            c, ts = random.choice(keys)
            m = {"type": random.choice(["reaction_added", "reaction_removed"]), "user": random.choice(people),
                 "reaction": random.choice(["+1", "tada"]), "item": {"type": "message", "channel": c, "ts": ts},
                 "event_ts": e}
        elif r < 0.86:       # a topic
            c = random.choice(chans)
            m = {"type": "message", "subtype": "channel_topic", "channel": c, "user": "U01",
                 "topic": "topic %d.%d" % (b, k), "text": "set the topic", "ts": e, "event_ts": e}
            msgs[(c, e)] = m
        else:                # a profile changed, perhaps of someone new
            u = random.choice(people + ["U77", "U88"])
            m = {"type": "user_change", "user": {"id": u, "name": "user%s" % u[1:],
                                                  "profile": {"display_name": "Person %s.%d.%d" % (u, b, k)}},
                 "event_ts": e}
        ev.append(m)
    if b == 3:               # a new channel, with a message
        ev.append({"type": "channel_created", "channel": {"id": "C90", "name": "late", "created": t,
                                                         "creator": "U01"}, "event_ts": ets()})
    if b == 5:               # a channel archived
        ev.append({"type": "channel_archive", "channel": "C02", "user": "U01", "event_ts": ets()})
    if b == nbatch - 2:      # a rename: every page
        ev.append({"type": "channel_rename", "channel": {"id": "C01", "name": "renamed", "created": 1451606400},
                   "event_ts": ets()})
    with open("%s/batch-%02d.jsonl" % (out, b), "w") as f:
        for m in ev:
            f.write(json.dumps(m) + "\n")
PY

DB=$TMP/a.db
check "import the export" "$SLACKLOG" import -q --tz UTC --db "$DB" "$TMP/export"
check "a first build" "$SLACKLOG" build -q --jobs 2 --db "$DB" --base-url https://a.example "$TMP/site"
narrow=0 all=0
gseq() { sqlite3 "$DB" "SELECT coalesce(max(seq), 0) FROM changes WHERE kind = 'g'"; }
for f in "$TMP"/batch-*.jsonl; do
	b=$(basename "$f" .jsonl)
	g=$(gseq)
	check "$b: ingest" "$SLACKLOG" ingest -q --db "$DB" "$f"
	want=narrow
	[ "$(gseq)" = "$g" ] || { want=full; all=$((all + 1)); }
	"$SLACKLOG" build --jobs 2 --db "$DB" --base-url https://a.example "$TMP/site" >"$TMP/b.log" 2>"$TMP/b.err"
	eq "$b: the incremental build exits 0" "$?" 0
	how="every file"
	got=full
	grep -q 'what changed since the last build' "$TMP/b.err" && got=narrow && narrow=$((narrow + 1)) &&
		how=$(sed -n 's/.*looked at \([0-9]*\) of.*/\1 looked at/p' "$TMP/b.err")
	eq "$b: the walk is $want, as the change log says" "$got" "$want"
	rm -rf "$TMP/clean"
	"$SLACKLOG" build -q --jobs 2 --db "$DB" --base-url https://a.example "$TMP/clean"
	d=$(diff -r "$TMP/site" "$TMP/clean" 2>&1 | head -5)
	eq "$b: the site equals a clean build's ($(find "$TMP/clean" -type f | wc -l) files: $how; $(sed -n 's/.*: \([0-9]* written\).* \([0-9]* removed\).*/\1, \2/p' "$TMP/b.log"))" "$d" ""
	check "$b: so does its list of files" \
		diff <(tail -n +2 "$TMP/site.slacklog-build" 2>&1) <(tail -n +2 "$TMP/clean.slacklog-build" 2>&1)
done
check "the rename's build looked at everything ($all did)" test "$all" -ge 1
check "most builds looked only at what changed ($narrow of $NBATCH)" test "$narrow" -ge $((NBATCH / 2))
