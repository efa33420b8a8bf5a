#!/bin/bash
# t2001-gen-export: bench/gen-export writes a valid Slack export of exactly
# N messages, the same bytes for the same N and seed, shaped like a real
# community. Invariants are checked by bench/check-export, which shares no
# code with the generator; the shape is measured here with python.
. tests/lib.sh
GEN=bench/gen-export
N=2000

$GEN $N "$TMP/a" --seed 7 2>/dev/null
$GEN $N "$TMP/b" --seed 7 2>/dev/null
$GEN $N "$TMP/c" --seed 8 2>/dev/null
check "same N and seed: identical files" diff -r "$TMP/a" "$TMP/b"
if diff -rq "$TMP/a" "$TMP/c" >/dev/null; then nok "another seed: other files"; else ok "another seed: other files"; fi

$GEN $N "$TMP/a1.zip" --zip --seed 7 2>/dev/null
$GEN $N "$TMP/a2.zip" --zip --seed 7 2>/dev/null
check "same N and seed: identical zips" cmp -s "$TMP/a1.zip" "$TMP/a2.zip"
same=$(python3 - "$TMP/a1.zip" "$TMP/a" <<'PY'
import os, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
members = {}
for i in z.infolist():
    name = i.filename if i.flag_bits & 0x800 else i.filename.encode("cp437").decode()
    if not name.endswith("/"):
        members[name] = z.read(i)
files = {}
for root, _, names in os.walk(sys.argv[2]):
    for n in names:
        p = os.path.join(root, n)
        files[os.path.relpath(p, sys.argv[2])] = open(p, "rb").read()
print("same" if files == members else "differ: %d vs %d files" % (len(files), len(members)))
PY
)
eq "the zip holds the directory's files" "$same" same

out=$(bench/check-export "$TMP/a"); rc=$?
eq "check-export finds no broken invariant" "$rc" 0
echo "$out" | grep '^error' | head -5
get() { echo "$out" | awk -v k="$1" '$1 == k {print $2}'; }
eq "exactly N messages" "$(get messages)" $N
for f in threads replies replies_days_later replies_in_later_day_file subtype_thread_broadcast \
	reactions skin_tone_reactions edits files file_stubs mentions channel_links links \
	emoji skin_tone_emoji code_blocks inline_code bold italic quotes entities non_ascii \
	blocks attachments subtype_bot_message subtype_channel_join subtype_channel_leave \
	subtype_channel_topic subtype_channel_name user_profiles long_texts deleted_users bot_users \
	archived_channels channels_with_topic files_with_escaped_slashes files_with_surrogate_pairs; do
	n=$(get $f)
	if [ "${n:-0}" -gt 0 ]; then ok "has $f ($n)"; else nok "has $f"; fi
done
eq "zip and directory hold the same export" "$(bench/check-export "$TMP/a1.zip" | grep -v zip_names)" "$out"
z=$(bench/check-export "$TMP/a1.zip" | awk '$1 == "zip_names_without_utf8_flag" {print $2}')
if [ "${z:-0}" -gt 0 ]; then ok "non-ASCII zip names without the UTF-8 flag, as Slack writes them"; else nok "zip names without UTF-8 flag"; fi

# the shape of a community, measured from the files
shape=$(python3 - "$TMP/a" <<'PY'
import collections, datetime, glob, json, os, sys
from zoneinfo import ZoneInfo
la = ZoneInfo("America/Los_Angeles")
per_channel = collections.Counter()
weekday = collections.Counter()
hours = collections.Counter()
texts = []
for f in glob.glob(os.path.join(sys.argv[1], "*", "*.json")):
    for m in json.load(open(f)):
        per_channel[os.path.basename(os.path.dirname(f))] += 1
        t = datetime.datetime.fromtimestamp(float(m["ts"]), la)
        weekday[t.weekday() < 5] += 1
        hours[9 <= t.hour < 18] += 1
        texts.append(len(m.get("text", "")))
counts = sorted(per_channel.values(), reverse=True)
top = sum(counts[:max(1, len(counts) // 5)]) / sum(counts)
texts.sort()
print("channels=%d top_fifth_share=%.2f weekday_ratio=%.2f office_share=%.2f median_text=%d max_text=%d"
      % (len(counts), top, (weekday[True] / 5) / (weekday[False] / 2), hours[True] / sum(hours.values()),
         texts[len(texts) // 2], texts[-1]))
PY
)
val() { echo "$shape" | tr ' ' '\n' | awk -F= -v k="$1" '$1 == k {print $2}'; }
awkcheck() { awk -v v="$2" "BEGIN {exit !($3)}" && ok "$1 ($2)" || nok "$1 ($2)"; }
awkcheck "the top fifth of the channels hold over half the messages" "$(val top_fifth_share)" "v > 0.5"
awkcheck "a weekday has over twice the messages of a weekend day" "$(val weekday_ratio)" "v > 2"
awkcheck "most messages are written 9:00-18:00 Los Angeles time" "$(val office_share)" "v > 0.5"
awkcheck "most texts are short" "$(val median_text)" "v < 200"
awkcheck "some texts are several KB" "$(val max_text)" "v > 4000"

# private channel and DM only when asked for
check "no groups.json or dms.json by default" test ! -e "$TMP/a/groups.json" -a ! -e "$TMP/a/dms.json"
$GEN 200 "$TMP/p" --private 2>/dev/null
p=$(bench/check-export "$TMP/p")
contains "--private adds a private channel" "$p" "private_channels 1"
contains "--private adds a DM" "$p" "dms 1"
dm=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["id"])' "$TMP/p/dms.json")
check "the DM's folder is named by its ID" test -d "$TMP/p/$dm"

status "N below 20 is refused" 2 $GEN 5 "$TMP/small"
mkdir -p "$TMP/full" && touch "$TMP/full/x"
status "a non-empty output directory is refused" 1 $GEN 100 "$TMP/full"

# what the generator writes, the importer takes
if "$SLACKLOG" import --help >/dev/null 2>&1; then
	status "slacklog import accepts the generated zip" 0 "$SLACKLOG" import --quiet --db "$TMP/gen.db" "$TMP/a1.zip"
	status "slacklog import accepts the generated directory" 0 "$SLACKLOG" import --quiet --db "$TMP/gen2.db" "$TMP/p"
fi
