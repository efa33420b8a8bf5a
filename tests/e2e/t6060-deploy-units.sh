#!/bin/bash
# t6060-deploy-units: the systemd units in deploy/ are ones systemd takes
# (systemd-analyze verify, with no warning at all: an unknown or misspelt
# key is only a warning), are hardened (systemd-analyze security's
# exposure level, offline), and run command lines that slacklog accepts.
# Skipped, with a '# ' line, where systemd-analyze is not installed.
. tests/lib.sh
if ! command -v systemd-analyze >/dev/null 2>&1; then
	echo "# systemd-analyze is not installed: deploy/*.service not checked"
	exit 0
fi
bin=$(cd "$(dirname "$SLACKLOG")" && pwd)/$(basename "$SLACKLOG")
for unit in deploy/slacklog-listen.service deploy/slacklog-serve.service; do
	name=$(basename "$unit")
	sed "s|/usr/local/bin/slacklog|$bin|" "$unit" >"$TMP/$name"
	out=$(systemd-analyze verify --man=no "$TMP/$name" 2>&1)
	eq "$name: systemd-analyze verify passes" "$?" 0
	eq "$name: without a single warning" "$out" ""
	level=$(systemd-analyze security --offline=yes "$TMP/$name" 2>/dev/null | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
	if [ -n "$level" ]; then
		check "$name: exposure level $level is at most 2.0 (systemd-analyze security)" \
			python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) <= 2.0 else 1)" "$level"
	else
		echo "# $name: this systemd-analyze has no offline security check"
	fi
	for key in NoNewPrivileges=yes ProtectSystem=strict PrivateTmp=yes DynamicUser=yes "StateDirectory=slacklog" \
		RestrictAddressFamilies= MemoryMax= UMask=0027; do
		check "$name: has $key" grep -q "^$key" "$unit"
	done
	# the unit's command line, with --help after it: every option before is one slacklog knows
	cmd=$(sed -n 's/^ExecStart=//p' "$TMP/$name")
	check "$name: slacklog accepts its command line" sh -c '"$@" --help >/dev/null' - $cmd
done
# the warning check can fail: a misspelt key
sed 's/^NoNewPrivileges=yes/NoNewPrivilegs=yes/' "$TMP/slacklog-serve.service" >"$TMP/typo.service"
contains "a misspelt key is reported" "$(systemd-analyze verify --man=no "$TMP/typo.service" 2>&1)" "Unknown key"
