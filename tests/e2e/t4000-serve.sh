#!/bin/bash
# t4000-serve: the server's life: start on a free port, /healthz, the access
# log, methods, robots.txt and the stylesheet, settings from flags, the
# environment and the file, SIGHUP reload, graceful stop.
. tests/lib.sh
. tests/e2e/serve.sh

DB=$TMP/a.db
check "import the web-threads fixture" import_fixture "$DB" "$FIX/web-threads"

status "serve without an archive fails" 2 "$SLACKLOG" serve --db "$TMP/missing.db" --listen 127.0.0.1:0
status "serve with a bad option fails" 2 "$SLACKLOG" serve --bogus
out=$("$SLACKLOG" serve --help)
contains "serve --help documents --listen" "$out" "--listen HOST:PORT"

cat >"$TMP/slacklog.conf" <<'CONF'
# settings for the test
site_title = From The File
disclaimer = File disclaimer
CONF
SLACKLOG_SITE_TITLE="From The Env" check "server starts and answers /healthz" \
	start_server "$DB" --config "$TMP/slacklog.conf" --access-log "$TMP/access.log"

eq "/healthz says ok" "$(get /healthz)" "ok"
home=$(get /)
contains "environment beats the file (site_title)" "$home" "<title>From The Env</title>"
contains "file setting used when nothing overrides it (disclaimer)" "$home" "File disclaimer"
contains "home links the versioned stylesheet" "$home" 'href="/style.css?v='

eq "POST is refused with 405" "$(code / -X POST -d x=1)" 405
allow=$(curl -s -o /dev/null -D - -X DELETE "$URL/" | tr -d '\r' | sed -n 's/^Allow: //p')
eq "405 says what is allowed" "$allow" "GET, HEAD"
eq "PUT is refused with 405" "$(code /general/ -X PUT -d x)" 405

robots=$(get /robots.txt)
contains "robots.txt allows the archive" "$robots" "Allow: /"
contains "robots.txt keeps crawlers off search results" "$robots" "Disallow: /?q="

css_url=$(printf '%s' "$home" | sed -n 's|.*href="\(/style.css?v=[0-9a-f]*\)".*|\1|p' | head -1)
hash=${css_url#*=}
real=$(get /style.css | sha256sum | cut -c1-16)
eq "stylesheet version is the hash of its bytes" "$hash" "$real"
hdr=$(curl -s -D - -o /dev/null "$URL$css_url" | tr -d '\r')
contains "versioned stylesheet is cached for a year" "$hdr" "Cache-Control: public, max-age=31536000, immutable"
contains "stylesheet is text/css" "$hdr" "Content-Type: text/css; charset=utf-8"
hdr=$(curl -s -D - -o /dev/null "$URL/style.css?v=stale" | tr -d '\r')
lacks "a stale version is not cached for a year" "$hdr" "immutable"

# access log: one line per request with method, path, status, bytes, time
get /general/ >/dev/null
sleep 0.2
line=$(grep ' GET /general/ ' "$TMP/access.log" | tail -1)
check "access log line: time client method path status bytes duration" \
	grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z 127\.0\.0\.1 GET /general/ 200 [0-9]+ [0-9.]+ms$' <<<"$line"
curl -s -o /dev/null "$URL/a%0a2024-01-01T00:00:00Z%20forged"
sleep 0.2
check "a hostile path cannot forge a log line" bash -c "! grep -q '^2024-01-01T00:00:00Z forged' '$TMP/access.log'"

# SIGHUP: the file is read again, the access log reopened
sed -i 's/^disclaimer = .*/disclaimer = Reloaded disclaimer/' "$TMP/slacklog.conf"
mv "$TMP/access.log" "$TMP/access.log.1"
kill -HUP "$SERVER_PID"
t0=$(now)
within "SIGHUP reloads the settings file" "$t0" shows / "Reloaded disclaimer"
sleep 0.2
check "SIGHUP reopens the access log" test -s "$TMP/access.log"
check "the server survived SIGHUP" kill -0 "$SERVER_PID"
stop_server

# flags beat the environment: listen address from a flag
SLACKLOG_LISTEN=127.0.0.1:1 check "the --listen flag beats SLACKLOG_LISTEN" start_server "$DB" -q
eq "quiet server still answers" "$(get /healthz)" "ok"
stop_server

# a path prefix from base_url
check "server with a base URL that has a path" start_server "$DB" -q --base-url https://archive.example.org/slack/
page=$(get /slack/general/)
contains "pages link under the prefix" "$page" 'href="/slack/general/2016-03-14/"'
contains "canonical link uses the base URL" "$page" '<link rel="canonical" href="https://archive.example.org/slack/general/">'
eq "the prefix is optional on requests" "$(code /general/)" 200
stop_server

# display settings: remote avatars, another time zone for the times shown
printf 'remote_avatars = on\ntime_zone = America/Chicago\n' >"$TMP/display.conf"
check "server with remote avatars and a display zone" start_server "$DB" -q --config "$TMP/display.conf"
d=$(get /general/2016-03-14/)
contains "remote avatar from the user's profile" "$d" '<img class="avatar" width="36" height="36" alt="" loading="lazy" src="https://avatars.example.com/alice_72.png">'
# 10:00 UTC on 2016-03-14 is 05:00 in Chicago (daylight time began on the 13th)
contains "times in the display zone" "$d" '<time datetime="2016-03-14T05:00:00-05:00">05:00</time>'
contains "the footer names the zone" "$d" "Times are in America/Chicago."
stop_server
printf 'time_zone = Mars/Olympus_Mons\n' >"$TMP/badzone.conf"
status "an unknown time zone is refused at start" 2 "$SLACKLOG" serve --db "$DB" --listen 127.0.0.1:0 --config "$TMP/badzone.conf"
