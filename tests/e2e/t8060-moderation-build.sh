#!/bin/bash
# t8060-moderation-build: a takedown, an opt-out and an erasure each reach
# the static site through the next incremental build: the files showing the
# content are rewritten or removed, the build says so, and the site equals
# a clean build of the same archive, byte for byte. An erasure reaches what
# others' messages carried of the person too (a file, quotes, mentions).
. tests/lib.sh
. tests/e2e/serve.sh
. tests/e2e/privacy.sh

DB=$TMP/a.db
S=$TMP/site
G=$PFIX/general/2016-05-01.json
check "import the privacy fixture" import_fixture "$DB" "$PFIX"
check "first build" "$SLACKLOG" build -q --db "$DB" "$S"

# how many files contain WORD (fixed string) in the site
files_with() { grep -rlF -- "$1" "$S" | wc -l; }
# build again; print its summary line (written, unchanged, removed)
rebuild() { "$SLACKLOG" build --db "$DB" "$S" 2>&1 | grep '^build:'; }
# the incremental site equals a clean build of the same archive
same_as_clean() {
	rm -rf "$TMP/clean"
	"$SLACKLOG" build -q --db "$DB" "$TMP/clean" &&
		diff -r "$S" "$TMP/clean" >"$TMP/diff.txt"
}

check "nothing new: a second build writes nothing" sh -c "'$SLACKLOG' build --db '$DB' '$S' 2>&1 | grep -q ' 0 written'"

# takedown of one message
check "before: the message to take down is in the site" test "$(files_with TAKEDOWNSINGLEMARKER)" -ge 1
single=$(jq -r '.[] | select(.text | test("TAKEDOWNSINGLE")) | .ts' "$G")
check "redact it" "$SLACKLOG" redact -q --db "$DB" --reason test general "$single"
out=$(rebuild)
lacks "after the takedown the build writes files" "$out" " 0 written"
eq "after the takedown no file shows it" "$(files_with TAKEDOWNSINGLEMARKER)" 0
check "after the takedown the site equals a clean build" same_as_clean

# opt-out: her words, name and page leave the site
# the first word of her first message in a public channel, from the fixture
olive_words=$(jq -r '[.[] | select(.user == "U0OLIVE01") | .text][0] | split(" ")[0]' "$G")
check "before: her words are in the site ($olive_words)" test "$(files_with "$olive_words")" -ge 1
check "before: her page is in the site" test -e "$S/user.U0OLIVE01/index.html"
check "opt her out" "$SLACKLOG" optout -q --db "$DB" U0OLIVE01
out=$(rebuild)
lacks "after the opt-out the build removes files" "$out" " 0 removed"
eq "after the opt-out no file has her words" "$(files_with "$olive_words")" 0
eq "after the opt-out no file has her name" "$(files_with Olivander)" 0
check "after the opt-out her page is gone" test ! -e "$S/user.U0OLIVE01/index.html"
check "after the opt-out the site equals a clean build" same_as_clean
# her thread's start is now a stand-in kept for Pat's reply: its thread
# document holds the reply and not her words, and every built file (that
# document too) equals what `slacklog serve` answers
tdoc=$(ls "$S"/api.v1/threads/*/1462093300.000200.json 2>/dev/null | head -1)
check "after the opt-out her thread's document is there" test -n "$tdoc"
check "after the opt-out her thread's document holds the reply" grep -q PUBLICREPLYMARKER "$tdoc"
check "after the opt-out her thread's document lacks her words" bash -c "! grep -q OLIVEWORDSPARENT '$tdoc'"
check "after the opt-out: static server" start_static "$S"
check "after the opt-out: slacklog serve" start_server "$DB" -q --search-url off
res=$(python3 tests/e2e/build-check.py compare "$STATIC" "$URL" "$S")
printf '%s\n' "$res" | grep '^#' | head -5
contains "after the opt-out every built file equals the server's answer ($(tail -1 <<<"$res"))" "$res" "differ=0"
contains "after the opt-out API documents were compared" "$res" "json="
stop_server
stop_static
check "undo the opt-out" "$SLACKLOG" optout -q --undo --db "$DB" U0OLIVE01
rebuild >/dev/null
check "undone: her words are back" test "$(files_with "$olive_words")" -ge 1
check "undone: her page is back" test -e "$S/user.U0OLIVE01/index.html"
check "undone: the site equals a clean build" same_as_clean

# erasure
quinn=$(jq -r '[.[] | select(.user == "U0QUINN01") | .text][0] | split(" ")[0]' "$PFIX/general/2016-05-02.json")
check "before: Quinn's words are in the site ($quinn)" test "$(files_with "$quinn")" -ge 1
check "forget Quinn" "$SLACKLOG" forget -q --db "$DB" U0QUINN01
rebuild >/dev/null
eq "after the erasure no file has Quinn's words" "$(files_with "$quinn")" 0
check "after the erasure Quinn's page is gone" test ! -e "$S/user.U0QUINN01/index.html"
check "after the erasure the site equals a clean build" same_as_clean

# erasure of someone others' messages carry: her file shared and commented
# on, quotes of her, her profile snapshot, mentions, her name on an app's post
hers="U0ERNIE01 ernestine Erasewell Zanzibar F0ERNFILE1 $(markers ERNIE)"
for t in U0ERNIE01 Zanzibar ernestinex; do
	check "before: $t is in the site" test "$(files_with "$t")" -ge 1
done
check "forget Ernestine" "$SLACKLOG" forget -q --db "$DB" U0ERNIE01
out=$(rebuild)
lacks "after her erasure the build writes files" "$out" " 0 written"
for t in $hers; do
	eq "after her erasure no file has $t" "$(grep -rliF -- "$t" "$S" | wc -l)" 0
done
check "after her erasure others' messages that carried her are there" test "$(files_with FILESHAREMARKER)" -ge 1
check "after her erasure the site equals a clean build" same_as_clean
