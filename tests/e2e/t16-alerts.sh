# t16-alerts: alerts fire once when their condition becomes true (not at
# every poll, not again after a restart), run their command with the
# details in its environment, are killed after their timeout, and never
# hold polling up; without a command they are logged.
. "$(dirname "$0")/lib.sh"
start_server

mkdir -p "$HOME/.config/rates"
cat >"$HOME/.config/rates/rates.conf" <<CONF
[alert usd-high]
currency = USD
above = 87.40
exec = echo "\$RATES_ALERT \$RATES_SOURCE \$RATES_CURRENCY \$RATES_RATE \$RATES_PREVIOUS \$RATES_OBSERVED_AT" >>"$T/fired"

[alert rub-low]
currency = RUB
below = 1.05

[alert eur-move]
source = 24kg
currency = EUR
change_pct = 1%
exec = echo "\$RATES_ALERT \$RATES_RATE \$RATES_PREVIOUS" >>"$T/moved"
CONF

n=0
step() { # step TIME USD EUR RUB: serve a new page, wait until it is stored
	n=$((n + 1))
	page "$WWW/a.html" 2025-12-18 "$1" "$2" "$3" "$4"
	if ! wait_for 10 eval '[ "$(sql "SELECT count(DISTINCT observed_at) FROM sample")" -ge '"$n"' ]'; then
		fail "the page of $1 is stored" "$(tail -5 "$T/daemon.log")"
	fi
	sleep 0.5 # two more polls: time for an alert to fire twice, if it would
}
fired() { if [ -f "$T/fired" ]; then wc -l <"$T/fired"; else echo 0; fi; }
start_daemon() {
	"$RATES" daemon 24kg --url "$BASE/www/a.html" --interval 200ms 2>>"$T/daemon.log" &
	pid=$!
	KILL_PIDS="$pid"
}

start_daemon
step 09:00 87.30 102.00 1.10
expect_eq "below its line, usd-high does not fire" "0" "$(fired)"
step 10:00 87.50 102.00 1.10
if wait_for 5 test -s "$T/fired"; then pass "crossing the line fires it"; else fail "crossing the line fires it" "$(cat "$T/daemon.log")"; fi
expect_eq "with the details in its environment" \
    "usd-high 24kg USD 87.50 87.30 2025-12-18T10:00:00+06:00" "$(cat "$T/fired")"
expect_grep "and logs it" '^rates: daemon: alert usd-high: USD 87\.50 is above its line \(24kg, was 87\.30\)$' "$T/daemon.log"
step 11:00 87.60 102.00 1.10
expect_eq "staying above does not fire it again" "1" "$(fired)"
step 12:00 87.20 102.00 1.10
expect_eq "going back below fires nothing" "1" "$(fired)"
step 13:00 87.45 102.00 1.10
if wait_for 5 eval '[ "$(fired)" -eq 2 ]'; then pass "crossing again fires it again"; else fail "crossing again fires it again" "$(cat "$T/fired")"; fi

kill -TERM "$pid"; wait "$pid"
start_daemon
step 14:00 87.70 102.00 1.10
expect_eq "after a restart, still above, it does not fire again" "2" "$(fired)"

# change_pct: a move of 1% or more from the value before.
step 15:00 87.70 103.50 1.10
if wait_for 5 test -s "$T/moved"; then pass "a 1.47% move fires change_pct 1%"; else fail "a 1.47% move fires change_pct 1%"; fi
expect_eq "with the previous value" "eur-move 103.50 102.00" "$(cat "$T/moved")"
step 16:00 87.70 103.60 1.10
expect_eq "a 0.1% move does not" "1" "$(wc -l <"$T/moved")"

# No command: the alert is logged.
step 17:00 87.70 103.60 1.00
if wait_for 5 grep -q 'alert rub-low: RUB 1\.00 is below its line (24kg, was 1\.10)' "$T/daemon.log"; then
	pass "an alert without a command is logged"
else
	fail "an alert without a command is logged" "$(cat "$T/daemon.log")"
fi
kill -TERM "$pid"; wait "$pid"

# A command that hangs is killed after its timeout, and polling goes on.
cat >"$HOME/.config/rates/rates.conf" <<CONF
[alert slow]
currency = USD
below = 87
timeout = 1s
exec = echo \$\$ >"$T/slow.pid"; sleep 30
CONF
start_daemon
p0=$(polls)
step 18:00 86.90 103.60 1.00
wait_for 5 test -s "$T/slow.pid"
spid=$(cat "$T/slow.pid" 2>/dev/null)
if wait_for 5 eval '[ "$(polls)" -ge $((p0 + 8)) ]'; then pass "polling goes on while the command runs"; else fail "polling goes on while the command runs"; fi
if wait_for 5 grep -q 'alert slow: command still running after 1s; killed' "$T/daemon.log"; then pass "the command is killed after its timeout"; else fail "the command is killed after its timeout" "$(tail -3 "$T/daemon.log")"; fi
expect_eq "and is gone" "gone" "$(kill -0 "$spid" 2>/dev/null && echo running || echo gone)"
kill -TERM "$pid"; wait "$pid"
expect_eq "the daemon still stops with 0" "0" "$?"

# Under cron (daemon --once) the command runs to its end before the
# daemon exits, and the alert is stored as fired only then.
export RATES_DB="$T/once.db"
cat >"$HOME/.config/rates/rates.conf" <<CONF
[alert cron]
currency = USD
above = 87
exec = sleep 1; echo "\$RATES_ALERT \$RATES_RATE" >>"$T/cron"

[alert cron-slow]
currency = EUR
above = 100
timeout = 1s
exec = echo \$\$ >"$T/cron-slow.pid"; sleep 30; echo late >>"$T/cron"
CONF
page "$WWW/c.html" 2025-12-18 09:00 87.50 102.00 1.10
started=$(date +%s%N)
expect_code 0 "daemon --once with an alert" "$RATES" daemon 24kg --once --url "$BASE/www/c.html"
took=$(( ($(date +%s%N) - started) / 1000000 ))
expect_eq "its command ran to the end before it exited" "cron 87.50" "$(cat "$T/cron" 2>/dev/null)"
expect_eq "a command past its timeout is killed, and --once exits" "yes" \
    "$([ "$took" -lt 10000 ] && echo yes || echo "no: $took ms")"
spid=$(cat "$T/cron-slow.pid" 2>/dev/null)
expect_eq "and is gone" "gone" "$( [ -n "$spid" ] && kill -0 "$spid" 2>/dev/null && echo running || echo gone)"
expect_grep "saying so" "alert cron-slow: command still running after 1s; killed" "$T/err"
expect_eq "the alert is stored as fired" "1" "$(sql "SELECT active FROM alert_state WHERE name = 'cron'")"
page "$WWW/c.html" 2025-12-18 09:10 87.60 102.00 1.10
expect_code 0 "the next --once, still above" "$RATES" daemon 24kg --once --url "$BASE/www/c.html"
expect_eq "does not fire it again" "cron 87.50" "$(cat "$T/cron" 2>/dev/null)"

# Bad alerts are config errors with file and line.
printf '[alert x]\nabove = 90\n' >"$HOME/.config/rates/rates.conf"
expect_code 1 "an alert without a currency" "$RATES" sources
expect_grep "is refused" "alert 'x' has no currency" "$T/err"
printf '[alert x]\ncurrency = USD\nabove = 90\nbelow = 80\n' >"$HOME/.config/rates/rates.conf"
expect_code 1 "an alert with two conditions" "$RATES" sources
expect_grep "is refused" "alert 'x' needs one of above, below or change_pct" "$T/err"
printf '[alert x]\ncurrency = USD\nabove = lots\n' >"$HOME/.config/rates/rates.conf"
expect_code 1 "an alert with a bad number" "$RATES" sources
expect_grep "names the line" "rates.conf:3: above: 'lots' is not a number" "$T/err"

finish
