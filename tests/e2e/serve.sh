# tests/e2e/serve.sh: sourced by the web tests (t4*.sh) after tests/lib.sh.
#
#   import_fixture DB PATH...   import with the real binary (archive zone UTC)
#   start_server DB [ARGS...]   `slacklog serve` on a free port; sets URL;
#                               waits for /healthz; stopped at exit
#   stop_server                 SIGTERM, then checks a clean exit (status 0:
#                               under ASan this is where leaks would show)
#   get PATH [CURL ARGS...]     body of $URL$PATH
#   code PATH [CURL ARGS...]    status code of $URL$PATH
#   message FILE ANCHOR         the <li> of the message with this anchor on
#                               a saved page, up to the next message ("-")
#   start_static DIR            python3's http.server on DIR; sets STATIC
#   stop_static
#   start_nginx DIR             nginx serving DIR as a static site would be
#                               (index.html, 404.html); sets NGINX
#   stop_nginx
#   spost BODY [CURL ARGS...]   POST BODY to /slack/events signed with
#                               $SECRET now; prints "BODY STATUS"
#   within NAME T0 CMD...       one check: CMD succeeds less than a second
#                               after T0 ($(now): a change's commit); the
#                               server's cache drops what a change touches
#                               within that (tried every 20 ms up to 5 s,
#                               so a late one says how late)
#   shows PATH TEXT             $URL$PATH's body holds TEXT (for within);
#   hides PATH TEXT             hides: it does not; is_code PATH CODE: its
#                               status is CODE

import_fixture() {
	local db=$1; shift
	"$SLACKLOG" import -q --tz UTC --db "$db" "$@" >"$TMP/import.log" 2>&1
}

SERVER_PID=
stop_server() {
	[ -n "$SERVER_PID" ] || return 0
	kill -TERM "$SERVER_PID" 2>/dev/null
	local rc=0
	wait "$SERVER_PID" || rc=$?
	SERVER_PID=
	eq "server stops cleanly on SIGTERM" "$rc" 0
	if [ "$rc" != 0 ]; then tail -20 "$TMP/serve.log" | sed 's/^/#   /'; fi
}

start_server() {
	local db=$1; shift
	: >"$TMP/serve.log"
	"$SLACKLOG" serve --db "$db" --listen 127.0.0.1:0 "$@" 2>>"$TMP/serve.log" &
	SERVER_PID=$!
	trap 'stop_server >/dev/null' EXIT
	local port="" i
	for i in $(seq 1 100); do
		port=$(sed -n 's|.*on http://127\.0\.0\.1:\([0-9][0-9]*\)/.*|\1|p' "$TMP/serve.log" | head -1)
		if [ -n "$port" ] && curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then
			break
		fi
		sleep 0.1
	done
	URL=http://127.0.0.1:$port
	[ -n "$port" ]
}

get() {
	local p=$1; shift
	curl -s --path-as-is "$@" "$URL$p"
}

code() {
	local p=$1; shift
	curl -s --path-as-is -o /dev/null -w '%{http_code}' "$@" "$URL$p"
}

message() {
	python3 - "$1" "$2" <<'PY'
import re, sys
page = open(sys.argv[1], encoding='utf-8').read()
m = re.search(r'<li class="msg[^"]*" id="%s">.*?(?=<li class="msg|</ol>)' % re.escape(sys.argv[2]), page, re.S)
print(m.group(0) if m else '-')
PY
}

STATIC_PID=
start_static() {
	: >"$TMP/static.log"
	python3 -u -m http.server --bind 127.0.0.1 --directory "$1" 0 >"$TMP/static.log" 2>&1 &
	STATIC_PID=$!
	local port="" i
	for i in $(seq 1 100); do
		port=$(sed -n 's|.* port \([0-9][0-9]*\) .*|\1|p' "$TMP/static.log" | head -1)
		[ -n "$port" ] && curl -s -o /dev/null "http://127.0.0.1:$port/" && break
		sleep 0.1
	done
	STATIC=http://127.0.0.1:$port
	[ -n "$port" ]
}
stop_static() { kill "$STATIC_PID" 2>/dev/null; wait "$STATIC_PID" 2>/dev/null; STATIC_PID=; }

NGINX_PID=
start_nginx() {
	local root=$1 port conf=$TMP/nginx.conf i
	command -v nginx >/dev/null || return 1
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	mkdir -p "$TMP/nginx"
	{
		echo "daemon off; worker_processes 1; pid $TMP/nginx/pid; error_log $TMP/nginx/error.log;"
		[ "$(id -u)" = 0 ] && echo "user root;"   # the workers read the test's private TMP
		echo "events { worker_connections 64; }"
		echo "http { include /etc/nginx/mime.types; default_type application/octet-stream; access_log off;"
		echo "  client_body_temp_path $TMP/nginx; proxy_temp_path $TMP/nginx; fastcgi_temp_path $TMP/nginx;"
		echo "  uwsgi_temp_path $TMP/nginx; scgi_temp_path $TMP/nginx;"
		echo "  server { listen 127.0.0.1:$port; root $root; index index.html; error_page 404 /404.html; } }"
	} >"$conf"
	nginx -e "$TMP/nginx/error.log" -p "$TMP/nginx" -c "$conf" >/dev/null 2>&1 &
	NGINX_PID=$!
	NGINX=http://127.0.0.1:$port
	for i in $(seq 1 100); do
		curl -s -o /dev/null "$NGINX/" && return 0
		sleep 0.05
	done
	return 1
}
stop_nginx() { kill "$NGINX_PID" 2>/dev/null; wait "$NGINX_PID" 2>/dev/null; NGINX_PID=; }

spost() {
	local body=$1; shift
	local ts; ts=$(date +%s)
	curl -s -w ' %{http_code}' -X POST -H 'Content-Type: application/json' \
		-H "X-Slack-Request-Timestamp: $ts" \
		-H "X-Slack-Signature: $(python3 tests/e2e/t6-events-client.py sign "$SECRET" "$ts" "$body")" \
		--data-binary "$body" "$@" "$URL/slack/events"
}

now() { date +%s.%N; }

within() {
	local name=$1 t0=$2; shift 2
	local t
	while :; do
		t=$(now)
		if "$@"; then break; fi
		if python3 -c "import sys; sys.exit(0 if $t - $t0 > 5 else 1)"; then break; fi
		sleep 0.02
	done
	local took; took=$(python3 -c "print('%.2f' % ($t - $t0))")
	if python3 -c "import sys; sys.exit(0 if $took < 1 else 1)"; then ok "$name (${took} s)"; else nok "$name: ${took} s after the commit"; fi
}

shows() { get "$1" | grep -qF -- "$2"; }
hides() { ! shows "$@"; }
is_code() { [ "$(code "$1")" = "$2" ]; }
