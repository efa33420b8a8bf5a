#!/bin/bash
# t1050-import-memory: an import's peak RSS does not grow with the export.
# Two synthetic exports (bench/gen-export, the same shape, 20,000 and
# 40,000 messages) are imported into fresh archives; the kernel's peak
# RSS of each import (getrusage of the child, read by python) must differ
# by a few MB at most, and stay under the 60 MB target. 20,000 messages
# are past what the importer holds at once (a transaction is 10,000
# messages, the page cache 16 MB), so anything kept per message, per file
# or per transaction shows up as the difference: before the importer was
# bounded it was 14 MB (54 MB against 68 MB).
#
# The metadata files are streamed too: users.json and channels.json grow
# with the workspace (members lists), not with its history. A 2,000-message
# export gets 4,000 and then 8,000 more users, each a member of its
# channels and of 40 more: users.json 7 -> 13 MB, channels.json 4 -> 9 MB.
# Both fill SQLite's page cache, so the difference is what the importer
# keeps: when it held those files whole (channels.json twice) it was 15 MB.
#
# Under the sanitizers RSS means nothing (ASan keeps freed memory in
# quarantine): that pass checks only that both imports are complete.
. tests/lib.sh

SMALL=20000 LARGE=40000
bench/gen-export "$SMALL" "$TMP/small.zip" --zip >/dev/null
bench/gen-export "$LARGE" "$TMP/large.zip" --zip >/dev/null

# peak DB ZIP: import ZIP into DB; print the import's peak RSS in KB
# (-1 if it failed)
peak() {
	python3 - "$SLACKLOG" "$1" "$2" <<'PY'
import resource, subprocess, sys
r = subprocess.run([sys.argv[1], "import", "--quiet", "--db", sys.argv[2], sys.argv[3]])
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss if r.returncode == 0 else -1)
PY
}

small=$(peak "$TMP/small.db" "$TMP/small.zip")
large=$(peak "$TMP/large.db" "$TMP/large.zip")
eq "import of $SMALL messages: all stored" "$("$SLACKLOG" stats --db "$TMP/small.db" --json | jq .messages)" "$SMALL"
eq "import of $LARGE messages: all stored" "$("$SLACKLOG" stats --db "$TMP/large.db" --json | jq .messages)" "$LARGE"

bench/gen-export 2000 "$TMP/meta.zip" --zip >/dev/null
# more SRC DST USERS CHANNELS: SRC with USERS more users and CHANNELS more
# channels, every channel having every user as a member
more() {
	python3 - "$@" <<'PY'
import json, sys, zipfile
src, dst, nusers, nchans = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
zin = zipfile.ZipFile(src)
users = json.loads(zin.read("users.json"))
chans = json.loads(zin.read("channels.json"))
for i in range(nusers):
    u = json.loads(json.dumps(users[0]))
    u.update(id="UX%08d" % i, name="extra.person.%d" % i, real_name="Extra Person %d" % i)
    users.append(u)
ids = [u["id"] for u in users]
for i in range(nchans):
    chans.append({"id": "CX%07d" % i, "name": "extra-%d" % i, "created": 1500000000, "creator": ids[0],
                  "topic": {"value": "", "creator": "", "last_set": 0},
                  "purpose": {"value": "", "creator": "", "last_set": 0}})
for c in chans:
    c["members"] = ids
with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("users.json", json.dumps(users, indent=2))
    z.writestr("channels.json", json.dumps(chans, indent=2))
    for info in zin.infolist():
        if info.filename in ("users.json", "channels.json"):
            continue
        data = zin.read(info)
        if not info.flag_bits & 0x800:   # names are UTF-8 either way
            info.filename = info.filename.encode("cp437").decode("utf-8")
        z.writestr(info, data)
PY
}
more "$TMP/meta.zip" "$TMP/meta1.zip" 4000 40
more "$TMP/meta.zip" "$TMP/meta2.zip" 8000 40
meta1=$(peak "$TMP/meta1.db" "$TMP/meta1.zip")
meta2=$(peak "$TMP/meta2.db" "$TMP/meta2.zip")
for n in 1 2; do
	eq "metadata x$n: every user stored" "$("$SLACKLOG" stats --db "$TMP/meta$n.db" --json | jq .users)" \
		"$(unzip -p "$TMP/meta$n.zip" users.json | jq length)"
	eq "metadata x$n: every message stored" "$("$SLACKLOG" stats --db "$TMP/meta$n.db" --json | jq .messages)" 2000
done

if [ -z "${SLACKLOG_SANITIZED:-}" ]; then
	check "twice the users and members, at most 4 MB more peak RSS ($(( (meta2 - meta1) / 1024 )) MB: $meta1 KB, $meta2 KB)" \
		test "$meta1" -gt 0 -a "$meta2" -gt 0 -a $((meta2 - meta1)) -le 4096
	check "peak RSS measured ($small KB for $SMALL messages, $large KB for $LARGE)" \
		test "$small" -gt 0 -a "$large" -gt 0
	check "twice the messages, at most 4 MB more peak RSS ($(( (large - small) / 1024 )) MB)" \
		test $((large - small)) -le 4096
	check "peak RSS under 60 MB at $LARGE messages ($((large / 1024)) MB)" test "$large" -le $((60 * 1024))
fi
