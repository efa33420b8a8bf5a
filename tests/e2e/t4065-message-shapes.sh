#!/bin/bash
# t4065-message-shapes: the day pages of tests/fixtures/message-shapes, as
# Slack shows those messages: a reply also sent to the channel says which
# thread ("replied to a thread: " and the start of its first message, a
# link to it), on its day and on a later one, and never quotes a thread
# start that was taken down; a deleted thread start shows no author; a
# reaction in a skin tone names the tone; an app's preview and a
# webhook's post. Expected strings are read off the fixture by hand.
. tests/lib.sh
. tests/e2e/serve.sh

DB=$TMP/s.db
check "import the message-shapes fixture" import_fixture "$DB" "$FIX/message-shapes"
check "server starts" start_server "$DB" -q

get /shapes/2017-05-01/ >"$TMP/d1.html"
get /shapes/2017-05-02/ >"$TMP/d2.html"
START='Who is coming on Saturday? We need a head count for the pizza order, the room booking and the…'
LINE="<p class=\"bcast\">replied to a thread: <a href=\"/shapes/2017-05-01/#p1493640480000100\">$START</a></p>"
contains "a broadcast in the channel says which thread, cut at a word, linked" "$(cat "$TMP/d1.html")" "$LINE"
eq "  once: its copy in the thread does not" "$(grep -c 'class="bcast"' "$TMP/d1.html")" 1
bcast=$(python3 - "$TMP/d1.html" <<'PY'
import re, sys
page = open(sys.argv[1], encoding='utf-8').read()
i = page.index('class="bcast"')
li = page.rfind('<li class="msg', 0, i)
print(page[li:page.index('</p>', i)])
PY
)
contains "  above the broadcast's own author line" "$bcast" '<li class="msg st-thread_broadcast">'
contains "a broadcast a day after its thread: the same line" "$(cat "$TMP/d2.html")" "$LINE"
contains "a thread whose start has no words to quote: the link alone" "$(cat "$TMP/d2.html")" \
	'<p class="bcast">replied to <a href="/shapes/2017-05-02/#p1493726520000100">a thread</a></p>'

# a deleted thread start: no author, no avatar; its reply is still there
tomb=$(message "$TMP/d1.html" p1493640660000100)
contains "a deleted thread start says so" "$tomb" '<div class="system tombstone">This message was deleted.</div>'
contains "  with no author" "$tomb" '<p class="meta"><span class="author"></span> <a class="time"'
# (the thread's summary below it shows the repliers' avatars: only the
# start's own head counts here)
lacks "  nor an avatar" "${tomb%%<details class=\"thread\">*}" 'class="avatar'
lacks "  nor Slackbot's ID" "$tomb" 'USLACKBOT'
contains "  and its thread" "$tomb" '<details class="thread">'

# reactions in a skin tone name it
react=$(message "$TMP/d1.html" p1493640780000100)
contains "a +1 in skin tone 2 names the light skin tone" "$react" \
	"<span class=\"reaction\" title=\"ben\"><span class=\"emoji\" title=\":+1: (light skin tone)\">👍🏻</span>"
contains "a wave in skin tone 5 names the medium-dark skin tone" "$react" \
	"<span class=\"emoji\" title=\":wave: (medium-dark skin tone)\">👋🏾</span>"
contains "a reaction without a tone names none" "$react" "<span class=\"emoji\" title=\":tada:\">🎉</span>"

# an app's link preview and a webhook's post
hub=$(message "$TMP/d1.html" p1493640840000100)
contains "an app's preview title is a link, not markup" "$hub" \
	'<div class="att-title"><a href="https://codehub.example/o/r/issues/93" rel="nofollow">#93 Missing params</a> <span class="emoji" title=":christmas_tree:">🎄</span></div>'
lacks "  with no markup left" "$hub" '&lt;https://codehub'
contains "  its text is mrkdwn (mrkdwn_in)" "$hub" 'The <code>deploy</code> step needs <b>two</b> params.'
contains "  its pretext's link is a link" "$hub" 'Issue opened by <a href="https://codehub.example/ann" rel="nofollow">ann</a>'
contains "  the app is named and tagged" "$hub" '<a class="author" href="/user.U0HUBBOT/">CodeHub</a> <span class="tag">app</span>'
hook=$(message "$TMP/d1.html" p1493640900000100)
contains "a webhook's post shows its own name, tagged" "$hook" '<span class="author">Deploy Notifier</span> <span class="tag">app</span>'

# the search index holds the preview's title as its text, without markup
out=$("$SLACKLOG" search --db "$DB" "Missing params")
contains "search finds the preview by its title's words" "$out" \
	"#93 *Missing* *params* (https://codehub.example/o/r/issues/93)"
lacks "  and shows no link markup" "$out" "<https://codehub"
stop_server

# a thread start taken down: the broadcast no longer quotes it
check "take the thread start down" "$SLACKLOG" redact -q --db "$DB" --reason test shapes 1493640480.000100
check "server starts again" start_server "$DB" -q
get /shapes/2017-05-02/ >"$TMP/d2.html"
lacks "a broadcast does not quote a thread start taken down" "$(cat "$TMP/d2.html")" "Who is coming"
contains "  it still says it replied to a thread" "$(cat "$TMP/d2.html")" '<p class="bcast">replied to a thread</p>'
stop_server

# An archive whose index an older slacklog wrote (no version of its text
# in the settings): the next command that writes renders it again, once;
# serve does it as it starts.
setting() { python3 -c 'import sqlite3, sys
r = sqlite3.connect(sys.argv[1]).execute("SELECT value FROM settings WHERE key = ?", (sys.argv[2],)).fetchone()
print(r[0] if r else "-")' "$DB" search_render; }
unset_version() { python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); c.execute("DELETE FROM settings WHERE key = ?", ("search_render",)); c.commit()' "$DB"; }
eq "the archive says which text its index holds" "$(setting)" 2
unset_version
out=$("$SLACKLOG" import --tz UTC --db "$DB" "$FIX/message-shapes" 2>&1)
contains "import renders an older index again" "$out" "messages indexed again with this version's text"
eq "  and says so in the archive" "$(setting)" 2
out=$("$SLACKLOG" import --tz UTC --db "$DB" "$FIX/message-shapes" 2>&1)
lacks "  once" "$out" "indexed again"
unset_version
check "serve starts on such an archive" start_server "$DB" -q
eq "  having rendered its index again" "$(setting)" 2
contains "  search finds a snippet's lines" "$(get '/api.v1/search?q=prod')" '"ts": "1493640300.000100"'
stop_server
