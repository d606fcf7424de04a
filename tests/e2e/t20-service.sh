# t20-service: scripts/rates.service, the systemd unit.  systemd-analyze
# verify finds nothing to say about it (pointed at the built binary and
# man page), its `systemd-analyze security` exposure stays low, and the
# hardening the README promises is in it.  Needs systemd-analyze and man
# (Debian packages systemd and man-db); no running systemd is needed.
. "$(dirname "$0")/lib.sh"

UNIT="$TOP/scripts/rates.service"
# The exposure `systemd-analyze security` must stay below (0 is best, 10
# worst; the unit scores 1.1 with systemd 252).  What remains is the
# network access the poller needs.
MAX_EXPOSURE=1.5

for d in DynamicUser=yes StateDirectory=rates ConfigurationDirectory=rates \
    ProtectSystem=strict ProtectHome=yes PrivateTmp=yes NoNewPrivileges=yes \
    CapabilityBoundingSet= MemoryDenyWriteExecute=yes UMask=0077 \
    SystemCallArchitectures=native SystemCallFilter=@system-service \
    Restart=on-failure WantedBy=multi-user.target; do
	expect_grep "the unit has $d" "^$d\$" "$UNIT"
done
# shellcheck disable=SC2016 # the $ are the unit's, not the shell's
expect_grep "ExecStart runs the installed daemon on a database in the state directory" \
    '^ExecStart=/usr/local/bin/rates -d \$\{STATE_DIRECTORY\}/rates\.db daemon$' "$UNIT"
# shellcheck disable=SC2016
expect_grep "ExecReload sends SIGHUP to the daemon" \
    '^ExecReload=/bin/kill -HUP \$MAINPID$' "$UNIT"

# verify runs man(1) to check Documentation=man:rates(1).
missing=
command -v systemd-analyze >/dev/null 2>&1 || missing="$missing systemd"
command -v man >/dev/null 2>&1 || missing="$missing man-db"
if [ -n "$missing" ]; then
	fail "cannot check scripts/rates.service: install the Debian package(s)$missing (scripts/install-deps)"
	finish
	exit
fi

# A copy named rates.service whose ExecStart is the built binary, and a
# MANPATH where Documentation=man:rates(1) is found.
mkdir -p "$T/unit" "$T/man/man1"
cp "$TOP/rates.1" "$T/man/man1/rates.1"
sed "s|^ExecStart=/usr/local/bin/rates |ExecStart=$RATES |" "$UNIT" >"$T/unit/rates.service"
expect_grep "the copy runs the built binary" "^ExecStart=$RATES -d " "$T/unit/rates.service"

expect_code 0 "systemd-analyze verify accepts the unit" \
    env MANPATH="$T/man" systemd-analyze verify "$T/unit/rates.service"
expect_eq "and has nothing to say about it" "" "$(cat "$T/out" "$T/err")"

# verify does look: a unit whose binary is missing is refused.
sed "s|^ExecStart=/usr/local/bin/rates |ExecStart=$T/nosuch |" "$UNIT" >"$T/rates.service"
expect_code 1 "systemd-analyze verify refuses a unit whose binary is missing" \
    env MANPATH="$T/man" systemd-analyze verify "$T/rates.service"
expect_grep "and names it" "$T/nosuch" "$T/err"

expect_code 0 "systemd-analyze security analyses the unit" \
    systemd-analyze security --offline=true "$T/unit/rates.service"
level=$(sed -n 's/.*Overall exposure level for rates\.service: \([0-9][0-9.]*\).*/\1/p' "$T/out")
if [ -z "$level" ]; then
	fail "the overall exposure level is reported" "no 'Overall exposure level' line" \
	    "$(tail -5 "$T/out")"
elif awk -v l="$level" -v m="$MAX_EXPOSURE" 'BEGIN { exit !(l + 0 < m + 0) }'; then
	pass "the overall exposure level, $level, is below $MAX_EXPOSURE"
else
	fail "the overall exposure level is below $MAX_EXPOSURE" "it is $level:" \
	    "$(grep -E '^(✗|-) ' "$T/out")"
fi

# scripts/rates-serve.service: rates serve, beside the daemon, as hardened.
SUNIT="$TOP/scripts/rates-serve.service"
sed "s|^ExecStart=/usr/local/bin/rates |ExecStart=$RATES |" "$SUNIT" >"$T/unit/rates-serve.service"
# shellcheck disable=SC2016
expect_grep "rates-serve: serve on the loopback, on the daemon's database" \
    '^ExecStart=/usr/local/bin/rates -d \$\{STATE_DIRECTORY\}/rates\.db serve --listen 127\.0\.0\.1:8080$' "$SUNIT"
for d in DynamicUser=yes User=rates StateDirectory=rates ProtectSystem=strict \
    NoNewPrivileges=yes CapabilityBoundingSet= MemoryDenyWriteExecute=yes \
    IPAddressDeny=any SystemCallFilter=@system-service; do
	expect_grep "rates-serve has $d" "^$d\$" "$SUNIT"
done
expect_code 0 "systemd-analyze verify accepts rates-serve.service" \
    env MANPATH="$T/man" systemd-analyze verify "$T/unit/rates-serve.service"
expect_eq "and has nothing to say about it" "" "$(cat "$T/out" "$T/err")"
expect_code 0 "systemd-analyze security analyses it" \
    systemd-analyze security --offline=true "$T/unit/rates-serve.service"
level=$(sed -n 's/.*Overall exposure level for rates-serve\.service: \([0-9][0-9.]*\).*/\1/p' "$T/out")
if [ -n "$level" ] && awk -v l="$level" -v m="$MAX_EXPOSURE" 'BEGIN { exit !(l + 0 < m + 0) }'; then
	pass "rates-serve's exposure level, $level, is below $MAX_EXPOSURE"
else
	fail "rates-serve's exposure level is below $MAX_EXPOSURE" "it is '$level':" \
	    "$(grep -E '^(✗|-) ' "$T/out")"
fi

finish
