#!/bin/bash
# t1020-import-zip: zip files as Slack writes them (UTF-8 names without the
# UTF-8 flag) and as they arrive damaged or hostile: truncated, corrupt,
# not a zip at all, entry names that climb out of the export, zip bombs.
# The zips are built here with python's zipfile from the fixtures; expected
# counts follow from which entries survive.
. tests/lib.sh
sql() { python3 tests/e2e/t1-stats.py --sql "$@"; }
days() { "$SLACKLOG" stats --db "$1" --json | jq -c ".channels[] | select(.name == \"$2\") | .days"; }

# mkzip OUT DIR [utf8flag [prefix]]: zip DIR's files (sorted, metadata first,
# deflated) under prefix; names are written as raw UTF-8 without the flag
# unless utf8flag is 1.
mkzip() {
	python3 - "$@" <<'PY'
import os, sys, zipfile
out, src = sys.argv[1], sys.argv[2]
flag = len(sys.argv) > 3 and sys.argv[3] == "1"
prefix = sys.argv[4] if len(sys.argv) > 4 else ""
class Raw(zipfile.ZipInfo):
    def _encodeFilenameFlags(self):
        return self.filename.encode("utf-8"), self.flag_bits | (0x800 if flag else 0)
names = []
for root, _, files in os.walk(src):
    for f in files:
        names.append(os.path.relpath(os.path.join(root, f), src))
names.sort(key=lambda n: ("/" in n, n))
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for n in names:
        info = Raw(prefix + n, (2018, 2, 23, 23, 31, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with open(os.path.join(src, n), "rb") as f:
            z.writestr(info, f.read())
PY
}

# Non-ASCII channel names, without and with the UTF-8 flag.
for flag in 0 1; do
	mkzip "$TMP/names$flag.zip" "$FIX/non-ascii-names" $flag
	check "non-ASCII zip (flag $flag) really has the flag $flag" python3 -c "
import zipfile, sys
z = zipfile.ZipFile('$TMP/names$flag.zip')
sys.exit(0 if all(bool(i.flag_bits & 0x800) == bool($flag) for i in z.infolist() if '/' in i.filename) else 1)"
	out=$("$SLACKLOG" import --db "$TMP/names$flag.db" "$TMP/names$flag.zip" 2>&1)
	eq "non-ASCII names (flag $flag): exit status 0" "$?" 0
	lacks "non-ASCII names (flag $flag): no warnings" "$out" "warning:"
	eq "non-ASCII names (flag $flag): 日本語 has its 2 messages" "$(days "$TMP/names$flag.db" 日本語)" '{"2016-01-01":2}'
	eq "non-ASCII names (flag $flag): общий has its message" "$(days "$TMP/names$flag.db" общий)" '{"2016-01-01":1}'
	eq "non-ASCII names (flag $flag): message text intact" \
		"$(sql "$TMP/names$flag.db" "SELECT text FROM messages WHERE channel_id = 'C000000A'")" "привет"
done

# An export zipped together with the folder it was unpacked into.
mkzip "$TMP/wrapped.zip" "$FIX/five-days" 0 "my export/"
out=$("$SLACKLOG" import --db "$TMP/wrapped.db" "$TMP/wrapped.zip" 2>&1)
eq "export inside a folder: exit status 0" "$?" 0
eq "export inside a folder: read from the folder" "$(days "$TMP/wrapped.db" general)" \
	'{"2016-01-01":3,"2016-01-02":3,"2016-01-03":3,"2016-01-04":3,"2016-01-05":3}'

# Hostile entry names next to a good export: none of them is imported.
# (A name without any '/' has its backslashes read as separators, as
# libarchive does for zips made on Windows; it is then checked like any
# other, so "..\evil\x" is refused for its "..".)
mkzip "$TMP/hostile.zip" "$FIX/five-days"
python3 - "$TMP/hostile.zip" <<'PY'
import sys, zipfile
evil = '[{"type":"message","user":"U1","text":"evil","ts":"1451649600.000900"}]'
with zipfile.ZipFile(sys.argv[1], "a") as z:
    for name in ("../evil/2016-01-01.json", "/abs/2016-01-01.json", "general/sub\\2016-01-09.json",
                 "general/../../up/2016-01-01.json", "..\\evil\\2016-01-02.json"):
        z.writestr(zipfile.ZipInfo(name), evil)
PY
out=$("$SLACKLOG" import --db "$TMP/hostile.db" "$TMP/hostile.zip" 2>&1)
eq "hostile names: exit status 1" "$?" 1
contains "hostile names: parent directory refused" "$out" "hostile.zip: ../evil/2016-01-01.json: entry skipped: \"..\" in path"
contains "hostile names: absolute path refused" "$out" "hostile.zip: /abs/2016-01-01.json: entry skipped: absolute path"
contains "hostile names: backslash refused" "$out" 'hostile.zip: general/sub\2016-01-09.json: entry skipped: backslash in name'
contains "hostile names: inner .. refused" "$out" "hostile.zip: general/../../up/2016-01-01.json: entry skipped: \"..\" in path"
contains "hostile names: Windows-style .. refused" "$out" "hostile.zip: ../evil/2016-01-02.json: entry skipped: \"..\" in path"
eq "hostile names: each warned once" "$(printf '%s\n' "$out" | grep -c 'entry skipped')" 5
eq "hostile names: no evil message stored" "$(sql "$TMP/hostile.db" "SELECT count(*) FROM messages WHERE text = 'evil'")" 0
eq "hostile names: the good export is all there (5 days x 3)" "$(sql "$TMP/hostile.db" "SELECT count(*) FROM messages")" 15
eq "hostile names: no extra conversations" "$(sql "$TMP/hostile.db" "SELECT group_concat(name) FROM channels")" general

# Zip bombs: a day file of 50 MiB of spaces (deflates about 1000:1) and one
# of 300 MiB (over the 256 MiB per-file limit by its declared size).
mkzip "$TMP/bomb.zip" "$FIX/five-days"
python3 - "$TMP/bomb.zip" <<'PY'
import sys, zipfile
mib = b" " * (1 << 20)
with zipfile.ZipFile(sys.argv[1], "a", zipfile.ZIP_DEFLATED) as z:
    for name, size in (("general/2016-01-06.json", 50), ("general/2016-01-07.json", 300)):
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w", force_zip64=True) as f:
            f.write(b"[")
            for _ in range(size):
                f.write(mib)
            f.write(b"]")
PY
check "zip bomb file is small" test "$(stat -c %s "$TMP/bomb.zip")" -lt 1000000
out=$("$SLACKLOG" import --db "$TMP/bomb.db" "$TMP/bomb.zip" 2>&1)
eq "zip bomb: exit status 1" "$?" 1
contains "zip bomb: ratio limit names the entry" "$out" "bomb.zip: general/2016-01-06.json: skipped after"
contains "zip bomb: ratio limit says why" "$out" "compression ratio too high"
contains "zip bomb: size limit names the entry" "$out" "bomb.zip: general/2016-01-07.json: skipped: 314572802 bytes uncompressed, over the 256 MiB limit"
eq "zip bomb: the good day files are kept" "$(sql "$TMP/bomb.db" "SELECT count(*) FROM messages")" 15

# Truncated: cut inside the local header of general/2016-01-04.json. The
# metadata and the first three day files (9 messages) are complete.
mkzip "$TMP/five.zip" "$FIX/five-days"
cut=$(python3 -c "
import zipfile
z = zipfile.ZipFile('$TMP/five.zip')
print(z.getinfo('general/2016-01-04.json').header_offset + 10)")
head -c "$cut" "$TMP/five.zip" >"$TMP/truncated.zip"
out=$("$SLACKLOG" import --db "$TMP/trunc.db" "$TMP/truncated.zip" 2>&1)
eq "truncated zip: exit status 1" "$?" 1
contains "truncated zip: warning names the archive and where it broke" "$out" "truncated.zip: archive damaged after 5 entries"
eq "truncated zip: damage warned once" "$(printf '%s\n' "$out" | grep -c 'archive damaged')" 1
eq "truncated zip: the first three days are kept" "$(days "$TMP/trunc.db" general)" \
	'{"2016-01-01":3,"2016-01-02":3,"2016-01-03":3}'

# Corrupt: the deflate data of general/2016-01-02.json starts with 0xFF
# bytes (an invalid block type); the central directory is intact.
python3 - "$TMP/five.zip" "$TMP/corrupt.zip" <<'PY'
import struct, sys, zipfile
data = bytearray(open(sys.argv[1], "rb").read())
info = zipfile.ZipFile(sys.argv[1]).getinfo("general/2016-01-02.json")
n, m = struct.unpack("<HH", data[info.header_offset + 26:info.header_offset + 30])
start = info.header_offset + 30 + n + m
data[start:start + 16] = b"\xff" * 16
open(sys.argv[2], "wb").write(data)
PY
out=$("$SLACKLOG" import --db "$TMP/corrupt.db" "$TMP/corrupt.zip" 2>&1)
eq "corrupt zip: exit status 1" "$?" 1
contains "corrupt zip: warning names the entry" "$out" "corrupt.zip: general/2016-01-02.json: read error after 0 bytes"
eq "corrupt zip: the other four days are kept" "$(days "$TMP/corrupt.db" general)" \
	'{"2016-01-01":3,"2016-01-03":3,"2016-01-04":3,"2016-01-05":3}'

# Nothing readable at all: exit 2.
head -c 4096 /dev/urandom >"$TMP/random.zip"
out=$("$SLACKLOG" import --db "$TMP/x.db" "$TMP/random.zip" 2>&1)
eq "not a zip: exit status 2" "$?" 2
contains "not a zip: error names the file" "$out" "error: $TMP/random.zip:"
head -c 20 "$TMP/five.zip" >"$TMP/stub.zip"
out=$("$SLACKLOG" import --db "$TMP/x.db" "$TMP/stub.zip" 2>&1)
eq "zip cut after 20 bytes: exit status 2" "$?" 2
contains "zip cut after 20 bytes: says nothing could be read" "$out" "nothing could be read"
python3 -c "import zipfile; zipfile.ZipFile('$TMP/empty.zip', 'w').close()"
status "empty zip: exit status 2" 2 "$SLACKLOG" import --db "$TMP/x.db" "$TMP/empty.zip"
mkdir -p "$TMP/emptydir"
status "empty directory: exit status 2" 2 "$SLACKLOG" import --db "$TMP/x.db" "$TMP/emptydir"
status "missing path: exit status 2" 2 "$SLACKLOG" import --db "$TMP/x.db" "$TMP/nowhere.zip"
# one bad PATH does not stop the good one after it
out=$("$SLACKLOG" import --db "$TMP/two.db" "$TMP/random.zip" "$TMP/five.zip" 2>&1)
eq "bad then good PATH: exit status 2" "$?" 2
eq "bad then good PATH: the good one is imported" "$(sql "$TMP/two.db" "SELECT count(*) FROM messages")" 15

# What is not a zip says so in those words, and an archive created for
# nothing is not left behind; one that was there is kept as it was.
: >"$TMP/empty-file.zip"
out=$("$SLACKLOG" import --db "$TMP/none.db" "$TMP/empty-file.zip" 2>&1)
eq "an empty file: exit status 2" "$?" 2
contains "an empty file: not a zip file or directory" "$out" "error: $TMP/empty-file.zip: not a zip file or directory (it is empty)"
out=$("$SLACKLOG" import --db "$TMP/none.db" "$TMP/random.zip" 2>&1)
contains "random bytes: not a zip file or directory" "$out" "error: $TMP/random.zip: not a zip file or directory"
lacks "random bytes: not libarchive's bare words" "$out" "Unrecognized archive format"
check "no archive is left behind for files that are not exports" test ! -e "$TMP/none.db"
out=$("$SLACKLOG" import -q --db "$TMP/none.db" "$TMP/mistyped.zip" 2>&1)
eq "a mistyped path: exit status 2" "$?" 2
contains "a mistyped path: the error is said even with -q" "$out" "error: $TMP/mistyped.zip: No such file or directory"
check "a mistyped path: no archive is created" test ! -e "$TMP/none.db" -a ! -e "$TMP/none.db-wal"
before=$(sql "$TMP/two.db" "SELECT count(*) FROM messages")
status "a mistyped path into an archive that exists: exit status 2" 2 "$SLACKLOG" import --db "$TMP/two.db" "$TMP/mistyped.zip"
eq "a mistyped path into an archive that exists: the archive is kept as it was" \
	"$(sql "$TMP/two.db" "SELECT count(*) FROM messages")" "$before"
