#!/bin/bash
# t4085-threads: threads as Slack counts them, and days whose threads were
# active, over real HTTP (tests/fixtures/late-replies; expected values
# worked out from its README and JSON by hand):
#  - a thread's summary says Slack's reply_count when the thread's start
#    carries more than the archive has, both numbers when they differ, the
#    archive's when it has more; who replied (reply_users, then the
#    archive's repliers; "others" from reply_users_count), the last reply
#    (latest_reply, or the archive's newest); a start none of whose
#    replies is archived says so;
#  - the day a late reply was posted has a line per thread, linking to the
#    first of that day's replies on the thread's page; a day with only
#    such replies has a page of those lines; day counts, sidebars and
#    prev/next are what the export's JSON gives (check-days.py), so such a
#    day is in no sidebar;
#  - the channel's calendar marks such days, without a count, and links
#    them; its summary and the home page reach the last of them;
#  - the JSON API's replies_in_archive, late_replies and reply_days; the
#    sitemap lists the new days;
#  - an opted-out person's late reply, a taken-down one and a private
#    channel's are neither counted nor linked.
. tests/lib.sh
. tests/e2e/serve.sh
FX=$FIX/late-replies
DB=$TMP/a.db
check "import the late-replies fixture" import_fixture "$DB" "$FX"
check "serve it" start_server "$DB" -q
python3 tests/e2e/check-days.py "$URL" "$FX"

# ---- thread summaries (2021-08-28)
d28=$(get /general/2021-08-28/)
contains "Slack counts 25, the archive has 6: both" "$d28" '25 replies <span class="here">(6 in this archive)</span>'
contains "who replied: reply_users in Slack's order, and one more by reply_users_count" "$d28" \
	'<span class="who">from Ben Bold, Cat Crisp, Dan Dune, Eve Echo, Ann Able and 1 other</span>'
contains "with their avatars" "$d28" '<span class="repliers"><span class="avatar c'
contains "the last reply: Slack's latest_reply, after any the archive has" "$d28" \
	'last reply <time datetime="2021-09-01T10:00:00+00:00">2021-09-01</time>'
contains "counts that agree: one number" "$d28" '1 reply <span class="who">from Ann Able</span>'
contains "the archive has more than Slack counted: the archive's, and its newest reply" "$d28" \
	'2 replies <span class="who">from Cat Crisp</span><span class="last">, last reply <time datetime="2021-08-29T12:00:00+00:00">2021-08-29</time>'
contains "none of a thread's replies archived: a line that says so" "$d28" \
	'<p class="thread none"><span class="repliers"><span class="avatar c0" aria-hidden="true">CC</span></span>7 replies <span class="here">(none in this archive)</span>'
for m in LATEREPLYONE LATEREPLYTWO LATEREPLYTHREE DANLATEREPLY TAKEDOWNLATE; do
	contains "the reply $m is shown in its thread" "$d28" "$m"
done

# ---- a day with only replies to earlier threads
eq "2021-08-29 has a page" "$(code /general/2021-08-29/)" 200
d29=$(get /general/2021-08-29/)
contains "a line per thread: two replies to A, linking to the first" "$d29" \
	'<li><a href="/general/2021-08-28/#p1630231200000100">2 replies to a thread from <time datetime="2021-08-28">2021-08-28</time></a></li>'
contains "one reply to C" "$d29" \
	'<li><a href="/general/2021-08-28/#p1630238400000100">1 reply to a thread from <time datetime="2021-08-28">2021-08-28</time></a></li>'
lacks "no message list: the lines are not messages" "$d29" '<ol class="messages">'
lacks "nor the replies' words" "$d29" LATEREPLYONE
for a in $(grep -o 'href="/general/2021-08-28/#p[0-9]*"' <<<"$d29" | sed 's/.*#//; s/"//'); do
	contains "the line's target $a is an anchor on the thread's page" "$d28" "id=\"$a\""
done
contains "its days around are the days with messages" "$d29" 'rel="prev" href="/general/2021-08-28/"'
contains "both ways" "$d29" 'rel="next" href="/general/2021-08-30/"'
lacks "the sidebar lists the channels with messages that day, not this one" "$d29" 'href="/general/2021-08-29/" aria-current'
lacks "random's page of the day does not list general" "$(get /random/2021-08-29/)" 'href="/general/2021-08-29/"'
contains "its description says what it is" "$d29" \
	'<meta name="description" content="Replies in #general on 2021-08-29 to threads of other days.">'
lacks "no JSON-LD posting without messages" "$d29" 'application/ld+json'
d30=$(get /general/2021-08-30/)
contains "a day with messages and late replies: the line (dan's reply and the broadcast)" "$d30" \
	'<a href="/general/2021-08-28/#p1630321200000100">2 replies to a thread from'
contains "and its messages" "$d30" MONDAYMESSAGE
eq "2021-08-31 (one late reply) has a page" "$(code /general/2021-08-31/)" 200
eq "a day without either is still a 404" "$(code /general/2021-09-01/)" 404

# ---- the channel page, the home page
ch=$(get /general/)
contains "the calendar marks a day of late replies, without a count" "$ch" \
	'<td class="late"><a href="/general/2021-08-29/" title="2021-08-29: replies to earlier threads">29</a></td>'
contains "and the last one" "$ch" 'title="2021-08-31: replies to earlier threads">31</a>'
contains "the thread's day keeps its count, the late replies included" "$ch" \
	'title="2021-08-28: 13 messages">28<span class="n">13</span>'
contains "the month's total is the messages'" "$ch" 'August 2021 <span class="count">(15)</span>'
contains "the summary reaches the last day with a page" "$ch" \
	'15 messages on 2 days, from <a href="/general/2021-08-28/">2021-08-28</a> to <a href="/general/2021-08-31/">2021-08-31</a>, and replies to earlier threads on 2 more days.'
contains "the home page's last day too" "$(get /)" '<td><a href="/general/2021-08-31/">2021-08-31</a></td>'

# ---- the JSON API
api=$(get /api.v1/channels/general/2021-08-28.json)
eq "a start: Slack's count and the archive's" \
	"$(jq -c '[.messages[] | select(.thread_ts == .ts) | [.reply_count, .replies_in_archive]]' <<<"$api")" '[[25,6],[1,1],[1,2],[7,0]]'
eq "a day of late replies: no messages, the lines" "$(get /api.v1/channels/general/2021-08-29.json | jq -c '[.messages, .late_replies]')" \
	'[[],[{"thread_ts":"1630144800.000100","page_day":"2021-08-28","replies":2,"url":"/general/2021-08-28/#p1630231200000100"},{"thread_ts":"1630159200.000100","page_day":"2021-08-28","replies":1,"url":"/general/2021-08-28/#p1630238400000100"}]]'
eq "the channel: days with messages as before, and the days of late replies" \
	"$(get /api.v1/channels/general.json | jq -c '[.days, .reply_days, .channel.last_day]')" \
	'[[{"day":"2021-08-28","messages":13},{"day":"2021-08-30","messages":2}],[{"day":"2021-08-29","replies":3},{"day":"2021-08-30","replies":2},{"day":"2021-08-31","replies":1}],"2021-08-31"]'
sm=$(get /sitemap-1.xml)
contains "the sitemap lists a day of late replies" "$sm" '/general/2021-08-29/</loc><lastmod>2021-08-29T12:00:00Z</lastmod>'

# ---- privacy
lacks "a private channel's late reply shows nowhere" "$sm$d29$(get /random/2021-08-29/)" hush
eq "nor has its day a page" "$(code /hush/2021-08-29/)" 404
check "dan opts out" "$SLACKLOG" optout -q --db "$DB" dan
t0=$(now)
within "his name leaves the thread's day (the server's cache: within a second)" "$t0" hides /general/2021-08-28/ "Dan Dune"
d30=$(get /general/2021-08-30/)
contains "the line counts only the replies shown, linking to the first of them" "$d30" \
	'<a href="/general/2021-08-28/#p1630324800000100">1 reply to a thread from'
d28=$(get /general/2021-08-28/)
contains "the summary counts the replies shown, and names him neutrally" "$d28" \
	'25 replies <span class="here">(5 in this archive)</span> <span class="who">from Ben Bold, Cat Crisp, a former member, Eve Echo'
lacks "his name is nowhere on the day" "$d28$d30" "Dan Dune"
eq "his late reply is not in the API's line either" "$(get /api.v1/channels/general/2021-08-30.json | jq -c '[.late_replies[].replies]')" '[1]'
check "take eve's late reply down" "$SLACKLOG" redact -q --db "$DB" general 1630404000.000100
t0=$(now)
within "its day has no page left" "$t0" is_code /general/2021-08-31/ 404
ch=$(get /general/)
lacks "nor a mark in the calendar" "$ch" 2021-08-31
contains "the summary ends at the last day with a page" "$ch" \
	'to <a href="/general/2021-08-30/">2021-08-30</a>, and replies to earlier threads on 1 more day.'
lacks "the sitemap drops it" "$(get /sitemap-1.xml)" 2021-08-31
stop_server
