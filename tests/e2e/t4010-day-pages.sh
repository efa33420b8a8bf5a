#!/bin/bash
# t4010-day-pages: every day page of three exports, checked against numbers
# derived from the export JSON alone (tests/e2e/export-days.py): the
# Channels sidebar and its counts, the messages shown, prev/next links.
# Then the web-threads fixture's threads, redirects, permalinks and 404s.
. tests/lib.sh
. tests/e2e/serve.sh

for ex in "$SHARED/fixtures/houstondatavis-2016" "$SHARED/fixtures/slack-export-viewer-testarchive.zip" "$FIX/web-threads"; do
	name=$(basename "$ex")
	db=$TMP/$name.db
	check "import $name" import_fixture "$db" "$ex"
	check "serve $name" start_server "$db" -q
	python3 tests/e2e/check-days.py "$URL" "$ex"
	# the channel page starts with the newest month of the busiest channel
	read -r busiest last < <(python3 tests/e2e/export-days.py "$ex" |
		awk '{n[$1]+=$3; if ($2>l[$1]) l[$1]=$2} END {for (c in n) print n[c], c, l[c]}' | sort -rn | head -1 | cut -d' ' -f2-)
	month=$(date -u -d "$last" '+%B %Y')
	first=$(get "/$busiest/" | grep -o '<caption>[A-Za-z]* [0-9]*' | head -1)
	eq "$name: channel page of $busiest starts with its newest month" "$first" "<caption>$month"
	if [ "$name" != web-threads ]; then stop_server; fi
done

# ---- web-threads: what a day page shows (see tests/fixtures/web-threads)
d14=$(get /general/2016-03-14/)
contains "disclaimer sentence" "$d14" "This page is not created by, affiliated with, or supported by Slack Technologies, Inc."
contains "the date" "$d14" '<time datetime="2016-03-14">2016-03-14</time>'
contains "the channel's topic, escaped" "$d14" "Threads &amp; &lt;things&gt;"
contains "a message's anchor is p + ts without the dot" "$d14" 'id="p1457949600000100"'
contains "with a permalink to itself" "$d14" 'href="#p1457949600000100"'
contains "time in the archive's zone with an ISO datetime" "$d14" '<time datetime="2016-03-14T10:00:00+00:00">10:00</time>'
contains "author links to the user page" "$d14" '<a class="author" href="/user.U0ALICE/">alice</a>'
contains "edited marker" "$d14" "(edited)"
contains "  ends the message's text, as in Slack" "$d14" \
	'&lt;/script&gt; <span class="edited" title="edited 2016-03-14T10:01:40+00:00">(edited)</span></div>'
lacks "  and is not by the time" "$d14" '</time></a> <span class="edited"'
contains "message text escaped" "$d14" "&lt;script&gt;alert(1)&lt;/script&gt;"
lacks "no raw script from message text" "$d14" "<script>alert"
contains "the thread is a details element" "$d14" '<details class="thread">'
contains "with Slack's reply count and the archive's" "$d14" '4 replies <span class="here">(3 in this archive)</span>'
contains "who replied, escaped" "$d14" '<span class="who">from alice, carol and Bob &lt;b&gt;Builder&lt;/b&gt;</span>'
contains "and when last: Slack's latest_reply" "$d14" 'last reply <time datetime="2016-03-15T10:01:40+00:00">2016-03-15</time>'
contains "a later day's page says its threads were active" "$(get /general/2016-03-15/)" \
	'<a href="/general/2016-03-14/#p1458036000000100">2 replies to a thread from <time datetime="2016-03-14">2016-03-14</time></a>'
contains "a reply from a later day shows its date" "$d14" '2016-03-15 10:00</time>'
contains "the reply of the next day is in the thread" "$d14" 'id="p1458036000000100"'
lacks "joins are not shown" "$d14" "has joined the channel"
d15=$(get /general/2016-03-15/)
contains "a broadcast is also in the flow of its own day" "$d15" "Summary: everyone is coming"
contains "pointing at its thread on the parent's page" "$d15" 'href="/general/2016-03-14/#p1458036100000200"'
lacks "replies of the 14th's thread are not repeated on the 15th" "$d15" "Me too, a day late"
d20=$(get /general/2016-03-20/)
contains "an orphan reply is shown with a note" "$d20" "reply in a thread whose first message is not in the archive"
contains "a Slack permalink to the workspace points at the archive's copy" "$d20" '<a href="/general/2016-03-14/#p1457949600000100">the first message</a>'
contains "the renderer formats the body" "$d14" "Hello <b>world</b>"
contains "reactions are shown with their count" "$d14" '<span class="count">2</span>'

contains "initials avatar when remote avatars are off" "$d14" '<span class="avatar c'
lacks "no remote avatar by default" "$d14" "avatars.example.com"

# redirects to the canonical URL
loc() { curl -s -o /dev/null -w '%{http_code} %{redirect_url}' --path-as-is "$URL$1"; }
eq "day without slash: 301" "$(loc /general/2016-03-14)" "301 $URL/general/2016-03-14/"
eq "day.html: 301" "$(loc /general/2016-03-14.html)" "301 $URL/general/2016-03-14/"
eq "channel without slash: 301" "$(loc /general)" "301 $URL/general/"
eq "user without slash: 301" "$(loc /user.U0ALICE)" "301 $URL/user.U0ALICE/"
eq "Slack permalink: 301 to the anchor" "$(loc /archives/C0GENERAL/p1457949600000100)" "301 $URL/general/2016-03-14/#p1457949600000100"
eq "permalink of a later reply: its parent's day" "$(loc /archives/C0GENERAL/p1458036000000100)" "301 $URL/general/2016-03-14/#p1458036000000100"
eq "permalink to an unknown message: 404" "$(code /archives/C0GENERAL/p1457949600000199)" 404
eq "permalink into a private channel: 404" "$(code /archives/G0SECRET/p1457953300000100)" 404

# 404s
eq "a day without messages: 404" "$(code /general/2016-03-17/)" 404
nf=$(get /general/2016-03-17/)
contains "404 names the previous day with messages" "$nf" 'href="/general/2016-03-15/"'
contains "404 names the next day with messages" "$nf" 'href="/general/2016-03-20/"'
eq "an impossible date: 404" "$(code /general/2016-02-30/)" 404
eq "unknown channel: 404" "$(code /nochannel/)" 404
eq "unknown user: 404" "$(code /user.U0NOBODY/)" 404
eq "a dotted unknown route: 404" "$(code /nothing.here/)" 404
eq "/healthz is not shadowed by a channel path" "$(code /healthz/)" 404

# channel and index pages
ch=$(get /general/)
contains "channel page: purpose" "$ch" "Where threads cross days"
contains "channel page: March 2016 with its total" "$ch" 'March 2016 <span class="count">(8)</span>'
contains "channel page: a day with its count" "$ch" 'href="/general/2016-03-14/" title="2016-03-14: 5 messages">14<span class="n">5</span>'
idx=$(get /)
contains "index lists general with its total" "$idx" '<td class="num">8</td>'
contains "index links the first day" "$idx" 'href="/general/2016-03-14/">2016-03-14</a>'
contains "index links the last day" "$idx" 'href="/general/2016-03-20/">2016-03-20</a>'
contains "every page has a search box" "$idx" '<input id="q" name="q" type="search"'
q=$(get '/?q=%3Cb%3Ehello')
contains "/?q= is the search page" "$q" "<h1>Search</h1>"
contains "the query is escaped" "$q" 'value="&lt;b&gt;hello"'
lacks "the query is not markup" "$q" "<b>hello"
hits=$(get '/?q=Saturday')
contains "search finds the thread's first message" "$hits" 'href="/general/2016-03-14/#p1457950000000200"'
contains "search finds a reply, linked on its parent's day" "$(get '/?q=late')" 'href="/general/2016-03-14/#p1458036000000100"'
lacks "search never finds private channels" "$(get '/?q=SECRET-PLANS-TEXT')" 'class="hit"'
contains "/{channel}/?q= searches one channel" "$(get '/general/?q=hello')" "<h1>Search in #general</h1>"
eq "the search API answers JSON" "$(curl -s -o /dev/null -w '%{content_type}' "$URL/api.v1/search?q=hello")" "application/json; charset=utf-8"
eq "a bad API query is a 400" "$(code '/api.v1/search?q=hello&limit=abc')" 400
eq "limit's bounds said as the CLI says them" "$(get '/api.v1/search?q=hello&limit=0' | jq -r .error)" "limit must be a number from 1 to 100"
f=$(get '/?q=in%3A%23general')
contains "a query of filters alone says the order it lists: newest first" "$f" ", newest first.</p>"
lacks "a query of filters alone is not said to be ranked" "$f" "most relevant first"
contains "a query of words says it is ranked" "$(get '/?q=hello')" ", most relevant first.</p>"
contains "sort:old says oldest first" "$(get '/?q=hello+sort%3Aold')" ", oldest first.</p>"
eq "search answers are not cached" "$(curl -s -D - -o /dev/null "$URL/?q=hello" | tr -d '\r' | sed -n 's/^Cache-Control: //p')" "no-store"

# user page: name, title, channels with counts; never contact details
u=$(get /user.U0ALICE/)
contains "user page: name" "$u" "<h1>alice</h1>"
contains "user page: title" "$u" "Explorer"
contains "user page: channels with counts" "$u" 'href="/general/"><span class="hash" aria-hidden="true">#</span>general</a> <span class="count">(4)</span>'
lacks "user page: no email" "$u" "alice@example.com"
lacks "user page: no phone" "$u" "555 0100"
lacks "user page: no skype" "$u" "alice.skype"
lacks "user page: no private channel" "$u" "secret"
stop_server
