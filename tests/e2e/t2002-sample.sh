#!/bin/bash
# t2002-sample: the bundled sample export (sample/export) is what the
# generator makes, it is a valid export, it holds every case its README
# promises, and its private channel and DM are where an importer looks.
. tests/lib.sh
S=sample/export

bench/gen-export --sample "$TMP/sample" 2>/dev/null
check "sample/export is exactly what gen-export --sample writes" diff -r "$S" "$TMP/sample"

out=$(bench/check-export "$S"); rc=$?
eq "check-export finds no broken invariant" "$rc" 0
echo "$out" | grep '^error' | head -5
get() { echo "$out" | awk -v k="$1" '$1 == k {print $2}'; }

# the numbers sample/README.md gives are the sample's
readme=$(cat sample/README.md)
contains "README: messages" "$readme" "| messages | $(get messages), "
contains "README: threads and replies" "$readme" "$(get threads) threads, $(get replies) replies"
contains "README: late replies" "$readme" "$(get replies_days_later) replies come more than a day after their parent, $(get replies_in_later_day_file) sit in a later day file"
contains "README: broadcasts" "$readme" "$(get subtype_thread_broadcast) are also sent"
contains "README: edits" "$readme" "$(get edits) messages carry"
contains "README: reactions" "$readme" "$(get reactions), $(get skin_tone_reactions) of them with skin tones"
contains "README: files" "$readme" "$(get files) (\`files[]\`"
contains "README: file stubs" "$readme" "$(get file_stubs) of them \`tombstone\`"
contains "README: users" "$readme" "$(( $(get users) - $(get bot_users) )) people"
contains "README: bots" "$readme" "and $(get bot_users) bots"

for f in threads replies_days_later replies_in_later_day_file edits reactions skin_tone_reactions \
	files file_stubs subtype_bot_message attachments subtype_channel_join subtype_channel_leave \
	subtype_me_message emoji skin_tone_emoji mentions channel_links links code_blocks inline_code bold italic quotes \
	entities non_ascii blocks deleted_users archived_channels subtype_channel_name \
	non_ascii_channel_names files_with_surrogate_pairs; do
	n=$(get $f)
	if [ "${n:-0}" -gt 0 ]; then ok "sample has $f ($n)"; else nok "sample has $f"; fi
done

# the private channel and the DM, as a full export lists them
eq "one private channel in groups.json" "$(get private_channels)" 1
eq "one DM in dms.json" "$(get dms)" 1
priv=$(python3 -c 'import json; print(json.load(open("sample/export/groups.json"))[0]["name"])')
dm=$(python3 -c 'import json; print(json.load(open("sample/export/dms.json"))[0]["id"])')
has_days() { compgen -G "$1/????-??-??.json" >/dev/null; }
check "the private channel has day files" has_days "$S/$priv"
check "the DM has day files" has_days "$S/$dm"
pub=$(python3 -c 'import json; print(" ".join(c["name"] for c in json.load(open("sample/export/channels.json"))))')
lacks "the private channel is not in channels.json" " $pub " " $priv "

if "$SLACKLOG" import --help >/dev/null 2>&1; then
	status "slacklog import accepts the sample" 0 "$SLACKLOG" import --quiet --db "$TMP/s.db" "$S"
fi
