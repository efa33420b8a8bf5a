#!/bin/bash
# t3000-render: `slacklog render` on hand-made messages and on every
# message of a real export. Expected HTML is written from the shapes in
# src/render/rd.h; for the real export the expected output of plain
# messages is computed independently with jq (escaping done by jq/sed).
. tests/lib.sh

out=$("$SLACKLOG" render --help); st=$?
eq "render --help exits 0" "$st" 0
contains "render --help shows usage" "$out" "usage: slacklog render"
status "unknown option" 2 "$SLACKLOG" render --bogus
status "invalid JSON" 2 sh -c "echo '{not json' | '$SLACKLOG' render"
status "JSON that is not an object" 2 sh -c "echo '[1,2]' | '$SLACKLOG' render"
status "missing archive" 2 sh -c "echo '{}' | '$SLACKLOG' render --db '$TMP/none/x.db'"

r() { printf '%s' "$1" | "$SLACKLOG" render "${@:2}"; }

eq "mrkdwn to HTML" "$(r '{"text":"*hi* <@U1|ann> &amp;lt;"}')" \
	'<div class="text"><b>hi</b> <a class="mention" href="/user.U1/">@ann</a> &amp;lt;</div>'
eq "mrkdwn to text" "$(r '{"text":"*hi* <@U1|ann> &amp;lt; :+1:"}' --text)" "hi @ann &lt; 👍"
eq "--mrkdwn reads raw text" "$(r '_x_ &gt; y' --mrkdwn)" '<i>x</i> &gt; y'
eq "--mrkdwn --text" "$(r '<http://a.com|a> ~s~' --mrkdwn --text)" 'a (http://a.com) s'
eq "--base prefixes user links" "$(r '<@U1|ann>' --mrkdwn --base /arch)" \
	'<a class="mention" href="/arch/user.U1/">@ann</a>'
eq "javascript: link is text" "$(r '<javascript:alert(1)|x>' --mrkdwn)" 'x'
eq "thumbnail only with --remote-images" \
	"$(r '{"files":[{"title":"A","thumb_360":"https://t/a.png"}]}' --remote-images)" \
	'<div class="file">A<img class="file-thumb" src="https://t/a.png" alt="A"></div>'
eq "no thumbnail by default" "$(r '{"files":[{"title":"A","thumb_360":"https://t/a.png"}]}')" '<div class="file">A</div>'
eq "empty message prints an empty line" "$(r '{}')" ''
out=$(printf '{"text":"a\xff"}' | "$SLACKLOG" render 2>"$TMP/err"); st=$?
eq "repaired UTF-8 exits 1 (warning)" "$st" 1
eq "repaired UTF-8 still renders" "$out" "$(printf '<div class="text">a\xef\xbf\xbd</div>')"
contains "repaired UTF-8 is reported" "$(cat "$TMP/err")" "invalid UTF-8"
status "invalid UTF-8 in --mrkdwn" 1 sh -c "printf 'a\\377' | '$SLACKLOG' render --mrkdwn"

# A sample of real messages (every 40th of the houston export; the unit
# test t-render-fixtures renders all of them in-process): each renders
# with status 0, and plain ones (no markup characters) come out as their
# text, escaped by sed here.
H=$SHARED/fixtures/houstondatavis-2016
jq -c '.[]' "$H"/*/*.json | awk 'NR % 40 == 1' >"$TMP/sample.jsonl"
total=$(wc -l <"$TMP/sample.jsonl")
fail=0
while IFS= read -r m; do
	html=$(printf '%s' "$m" | "$SLACKLOG" render) || { fail=$((fail + 1)); continue; }
	case "$html" in *"<script"*) fail=$((fail + 1)) ;; esac
done <"$TMP/sample.jsonl"
eq "$total sampled houston messages render" "$fail" 0

jq -c '.[] | select((.subtype // "") == "" and (.text // "") != "" and (.blocks // null) == null and
	(.attachments // null) == null and (.files // null) == null and (.file // null) == null and
	(.text | test("[<>*_~`:&\n]") | not))' "$H"/*/*.json | awk 'NR % 20 == 1' >"$TMP/plain.jsonl"
jq -r '.text' "$TMP/plain.jsonl" >"$TMP/plain.txt"
plain=0 bad=0
while IFS= read -r m && IFS= read -r text <&3; do
	plain=$((plain + 1))
	want=$(printf '%s' "$text" | sed -e 's/"/\&quot;/g' -e "s/'/\&#39;/g")
	got=$(printf '%s' "$m" | "$SLACKLOG" render)
	[ "$got" = "<div class=\"text\">$want</div>" ] || { bad=$((bad + 1)); echo "# $got"; }
	got=$(printf '%s' "$m" | "$SLACKLOG" render --text)
	[ "$got" = "$text" ] || { bad=$((bad + 1)); echo "# text: $got"; }
done <"$TMP/plain.jsonl" 3<"$TMP/plain.txt"
check "found plain messages in the export ($plain)" test "$plain" -gt 10
eq "plain messages render as their escaped text" "$bad" 0

# A real mention resolves to its label without --db.
m=$(jq -c '.[] | select((.text // "") | test("<@U[A-Z0-9]+\\|[a-z]"))' "$H"/*/*.json | head -1)
mention=$(printf '%s' "$m" | jq -r '.text' | grep -o '<@U[A-Z0-9]*|[^>]*>' | head -1)
id=${mention#<@}; id=${id%%|*}
label=${mention#*|}; label=${label%>}
check "found a labelled mention ($mention)" test -n "$id"
contains "a real mention links to the user page" "$(printf '%s' "$m" | "$SLACKLOG" render)" \
	"<a class=\"mention\" href=\"/user.$id/\">@$label</a>"
