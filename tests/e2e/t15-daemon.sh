# t15-daemon: the polling loop against the local server: polls on its
# interval, politely (User-Agent, Accept, compression, conditional
# requests whose validators survive a restart, one connection reused);
# backs off on failure and recovers; one daemon per database; signals;
# --once; --detach; --log and SIGHUP.  Conditions are waited for, with a
# bound, never slept on blindly.
. "$(dirname "$0")/lib.sh"
STALL=20
start_server

at_least() { [ "$(polls)" -ge "$1" ]; }
log_has() { grep -Eq -- "$1" "$T/daemon.log"; }
running() { kill -0 "$1" 2>/dev/null; }
stopped() { ! kill -0 "$1" 2>/dev/null; }

# Polling, with a page that changes now and then.
page "$WWW/p.html" 2025-12-18 11:26 87.45 102.48 1.10
"$RATES" daemon 24kg --url "$BASE/www/p.html?gzip" --interval 300ms 2>"$T/daemon.log" &
pid=$!
KILL_PIDS="$pid"
if wait_for 10 at_least 4; then pass "the daemon polls on its interval"; else fail "the daemon polls on its interval" "$(cat "$T/daemon.log")"; fi
expect_eq "it stores the page's samples once" "3" "$(count)"
expect_grep "it logs one line per poll" '^rates: daemon: 24kg: USD 87\.45 EUR 102\.48 RUB 1\.10, 3 added \(HTTP 200, [0-9]+ bytes, [0-9]+ ms\); next poll in' "$T/daemon.log"
expect_grep "then the server says 304 to its conditional request" '^rates: daemon: 24kg: unchanged \(HTTP 304' "$T/daemon.log"
expect_eq "a 304 is a successful poll" "0" "$(sql "SELECT count(*) FROM fetch_log WHERE outcome NOT IN ('ok', 'unchanged')")"
expect_grep "requests carry If-None-Match" $'^GET /www/p.html\\?gzip\t[^\t]*\t[^\t]*\t[^\t]*\t"[0-9a-f]+"\t' "$T/requests.log"
expect_grep "and the program's User-Agent, Accept: */*" $'^GET /www/p.html\\?gzip\trates/[0-9.]+\t\\*/\\*\t' "$T/requests.log"
expect_grep "the transfer is compressed" $'\tgzip$' "$T/requests.log"
ports=$(grep '^GET /www/p.html' "$T/requests.log" | cut -f6 | sort | uniq -c | sort -rn | head -1 | awk '{print $1}')
expect_eq "one connection is reused across polls" "yes" "$([ "${ports:-0}" -ge 3 ] && echo yes || echo "no: $ports")"
expect_eq "the validators are kept in the database" "1" "$(sql "SELECT count(*) FROM source_state WHERE etag LIKE '\"%'")"

page "$WWW/p.html" 2025-12-18 12:30 87.50 102.48 1.10
if wait_for 10 eval '[ "$(count)" -ge 6 ]'; then pass "a changed page is stored at the next poll"; else fail "a changed page is stored at the next poll" "$(count)"; fi

# Validators belong to their URL: a site whose ETag is the same for every
# page (its version) must not answer 304 for a page never read.
export RATES_DB="$T/url.db"
page "$WWW/u1.html" 2025-12-18 11:26 87.45 102.48 1.10
page "$WWW/u2.html" 2025-12-18 13:00 87.55 102.58 1.20
: >"$T/requests.log"
expect_code 0 "daemon --once on one URL" "$RATES" daemon 24kg --once --url "$BASE/www/u1.html?etag=v1"
expect_code 0 "then --once on another" "$RATES" daemon 24kg --once --url "$BASE/www/u2.html?etag=v1"
expect_eq "sends it no validator of the first" "" "$(grep '^GET /www/u2.html' "$T/requests.log" | cut -f5)"
expect_eq "and stores its rates" "6" "$(count)"
expect_code 0 "the second URL again" "$RATES" daemon 24kg --once --url "$BASE/www/u2.html?etag=v1"
expect_grep "is conditional on its own validators (304)" "unchanged \(HTTP 304" "$T/err"
expect_eq "which are kept with their URL" "$BASE/www/u2.html?etag=v1" "$(sql "SELECT url FROM source_state")"
export RATES_DB="$T/rates.db"

# One daemon per database.
expect_code 1 "a second daemon on the same database" "$RATES" daemon 24kg --url "$BASE/www/p.html" --interval 1s
expect_eq "exits 1 naming the first one's pid" "rates: daemon: already running for $RATES_DB, as pid $pid" "$(cat "$T/err")"
expect_eq "the lock is a file of its own beside the database" "$pid" "$(cat "$RATES_DB.pid")"
expect_code 0 "status sees it" "$RATES" status 24kg
expect_grep "running" "^daemon: running, pid $pid$" "$T/out"
expect_grep "with the next poll" '^  next poll     .* \((in [0-9]|due)' "$T/out"

# SIGTERM while sleeping (a long interval): exit 0 within a second.
kill -TERM "$pid"
if wait_for 2 stopped "$pid"; then pass "SIGTERM while sleeping ends it within a second"; else fail "SIGTERM while sleeping ends it within a second"; fi
wait "$pid"
expect_eq "with exit 0" "0" "$?"
expect_grep "saying so" '^rates: daemon: stopped$' "$T/daemon.log"

# A restart sends the validators it kept.
: >"$T/requests.log"
: >"$T/daemon.log"
"$RATES" daemon 24kg --url "$BASE/www/p.html?gzip" --interval 1h 2>"$T/daemon.log" &
pid=$!
KILL_PIDS="$pid"
if wait_for 10 log_has 'unchanged \(HTTP 304'; then pass "after a restart the first poll is conditional (304)"; else fail "after a restart the first poll is conditional (304)" "$(cat "$T/daemon.log")"; fi

# kill -9: the lock goes with the process; a new daemon starts at once.
kill -9 "$pid"
wait "$pid" 2>/dev/null
: >"$T/daemon.log"
"$RATES" daemon 24kg --url "$BASE/www/p.html" --interval 1h 2>"$T/daemon.log" &
pid=$!
KILL_PIDS="$pid"
if wait_for 5 log_has "polling 1 source \\(pid $pid\\)"; then pass "after kill -9 a new daemon starts at once"; else fail "after kill -9 a new daemon starts at once" "$(cat "$T/daemon.log")"; fi

# SIGTERM in the middle of a transfer that stalls: still within a second.
kill -TERM "$pid"; wait "$pid"
: >"$T/daemon.log"
"$RATES" daemon 24kg --url "$BASE/stall" --interval 1h 2>"$T/daemon.log" &
pid=$!
KILL_PIDS="$pid"
wait_for 5 grep -q '^GET /stall' "$T/requests.log"
sleep 0.3
kill -TERM "$pid"
if wait_for 2 stopped "$pid"; then pass "SIGTERM mid-transfer ends it within a second"; else fail "SIGTERM mid-transfer ends it within a second"; fi
wait "$pid"
expect_eq "with exit 0" "0" "$?"

# Failures: backoff, then recovery when the server does.
before=$(count)
touch "$WWW/q.html.down"
page "$WWW/q.html" 2025-12-19 09:00 87.60 102.50 1.11
"$RATES" daemon 24kg --url "$BASE/www/q.html" --interval 400ms --log "$T/file.log" &
pid=$!
KILL_PIDS="$pid"
if wait_for 10 grep -q 'retry in .* (2 failures in a row)' "$T/file.log"; then pass "failures are retried, counted"; else fail "failures are retried, counted" "$(cat "$T/file.log")"; fi
expect_grep "with the reason logged" "error: 24kg: HTTP 503 from $BASE/www/q.html" "$T/file.log"
expect_code 1 "status during failures" "$RATES" status 24kg
expect_grep "shows the failures" '^  failures      [1-9][0-9]* in a row$' "$T/out"
expect_grep "and the last attempt" "^  last attempt  .*: error, HTTP 503: HTTP 503 from " "$T/out"
rm "$WWW/q.html.down"
if wait_for 10 eval '[ "$(count)" -gt "$before" ]'; then pass "it recovers when the server does"; else fail "it recovers when the server does" "$(tail -3 "$T/file.log")"; fi
expect_code 0 "status after recovery" "$RATES" status 24kg
expect_grep "no failures" '^  failures      0 in a row$' "$T/out"

# --log FILE has times; SIGHUP reopens it (rotation) and reloads the config.
expect_grep "--log lines carry the time and level" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}[+-][0-9:]{5} info: 24kg: ' "$T/file.log"
mv "$T/file.log" "$T/file.log.1"
mkdir -p "$HOME/.config/rates"
printf '[source 24kg]\nurl = %s/fixture\n' "$BASE" >"$HOME/.config/rates/rates.conf"
kill -HUP "$pid"
if wait_for 5 test -s "$T/file.log"; then pass "SIGHUP reopens the log"; else fail "SIGHUP reopens the log"; fi
if wait_for 5 grep -q 'config reloaded: 1 source' "$T/file.log"; then pass "and reloads the config"; else fail "and reloads the config" "$(cat "$T/file.log")"; fi
printf '[source 24kg]\nbogus = 1\n' >"$HOME/.config/rates/rates.conf"
kill -HUP "$pid"
if wait_for 5 grep -q "config: $HOME/.config/rates/rates.conf:2: unknown key 'bogus'; keeping the old one" "$T/file.log"; then
	pass "a bad config on SIGHUP keeps the old one and says so"
else
	fail "a bad config on SIGHUP keeps the old one and says so" "$(cat "$T/file.log")"
fi
expect_eq "and the daemon goes on" "yes" "$(running "$pid" && echo yes || echo no)"
rm "$HOME/.config/rates/rates.conf"
kill -TERM "$pid"; wait "$pid"

# --once: one poll of each source, the exit status of fetch.
expect_code 0 "--once polls once" "$RATES" daemon 24kg --once --url "$BASE/fixture"
expect_no_grep "and promises no next poll" 'next poll|retry in' "$T/err"
expect_code 0 "-v --once" "$RATES" -v daemon 24kg --once --url "$BASE/fixture?v"
expect_grep "adds detail: the URL, the page time" "^rates: daemon: 24kg: GET $BASE/fixture\\?v: HTTP 200, [0-9]+ bytes in [0-9]+ ms, page time 2025-12-18 11:26 \\+06:00$" "$T/err"
expect_code 1 "--once against an error" "$RATES" daemon 24kg --once --url "$BASE/status/500"
expect_no_grep "promises no retry" 'retry in|next poll' "$T/err"
expect_grep "says it failed" '^rates: daemon: 24kg: failed$' "$T/err"

expect_code 3 "--once against a page without rates" "$RATES" daemon 24kg --once --url "$BASE/data/widget.html"
expect_code 0 "status after that, with a success minutes ago" "$RATES" status 24kg
expect_grep "counts the failures since" '^  failures      2 in a row$' "$T/out"
expect_grep "says the daemon does not run" '^daemon: not running$' "$T/out"

# Under systemd (JOURNAL_STREAM names stderr), lines carry their level.
python3 - "$RATES" "$BASE/status/500" "$T/journal" <<'PY'
import os, subprocess, sys
rates, url, out = sys.argv[1:]
with open(out, "w") as f:
    st = os.fstat(f.fileno())
    env = dict(os.environ, JOURNAL_STREAM="%d:%d" % (st.st_dev, st.st_ino))
    subprocess.run([rates, "daemon", "24kg", "--once", "--url", url], stderr=f, env=env)
    env["JOURNAL_STREAM"] = "1:2"
    subprocess.run([rates, "daemon", "24kg", "--once", "--url", url], stderr=f, env=env)
PY
expect_grep "an error is <3>" '^<3>rates: daemon: 24kg: HTTP 500' "$T/journal"
expect_grep "a warning <4>" '^<4>rates: daemon: 24kg: failed$' "$T/journal"
expect_grep "not when stderr is another stream" '^rates: daemon: 24kg: HTTP 500' "$T/journal"

# --detach: forks, prints the pid, writes it in the pid file.
expect_code 0 "--detach" "$RATES" daemon 24kg --detach --url "$BASE/fixture" --interval 1h
dpid=$(cat "$T/out")
KILL_PIDS="$dpid"
expect_eq "prints the pid of the daemon in the background" "yes" "$(running "$dpid" && echo yes || echo no)"
if wait_for 5 eval '[ "$(cat "$RATES_DB.pid" 2>/dev/null)" = "$dpid" ]'; then pass "which is in the pid file"; else fail "which is in the pid file" "$(cat "$RATES_DB.pid")"; fi
kill -TERM "$dpid"
if wait_for 2 stopped "$dpid"; then pass "and stops on SIGTERM"; else fail "and stops on SIGTERM"; fi

# Usage errors.
expect_code 2 "a bad interval" "$RATES" daemon --interval fast
expect_grep "is named" "^rates: daemon: --interval: bad duration 'fast'" "$T/err"
expect_code 2 "--once with --detach" "$RATES" daemon --once --detach

finish
