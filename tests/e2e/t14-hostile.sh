# t14-hostile: patterns and pages that try to make rates hang, store a
# wrong row, or hold the database: each ends in bounded time with a clear
# error, and nothing wrong is stored.
. "$(dirname "$0")/lib.sh"
start_server

# A user pattern whose every start position costs a little: the limits of
# one match never fire, the work budget of the page does.
python3 -c "import sys; open(sys.argv[1], 'w').write(('a' * 24 + 'y') * 40000)" "$WWW/aaa.html"
cat >"$T/evil.conf" <<CONF
[source evil]
url = $BASE/www/aaa.html
currencies = USD
pattern.USD = (?:(?:a|aa)*c|x)
CONF
start=$(date +%s)
expect_code 3 "a pattern that backtracks at every position of 1 MB" "$RATES" -c "$T/evil.conf" fetch evil
took=$(( $(date +%s) - start ))
expect_eq "ends within 10 s" "yes" "$([ "$took" -le 10 ] && echo yes || echo "no: ${took}s")"
expect_grep "and says the pattern gave up" "^rates: fetch: evil: USD: pattern gave up: it does too much work on this page" "$T/err"
expect_eq "nothing stored" "0" "$(count)"

# The classic (a|aa)+$ on 100 KB.
python3 -c "import sys; open(sys.argv[1], 'w').write('a' * 100000 + 'b')" "$WWW/a100k.html"
cat >"$T/classic.conf" <<CONF
[source classic]
url = $BASE/www/a100k.html
currencies = USD
pattern.USD = (a|aa)+\$
CONF
start=$(date +%s)
expect_code 3 "(a|aa)+\$ on 100 KB" "$RATES" -c "$T/classic.conf" fetch classic
expect_eq "ends within 10 s" "yes" "$([ $(( $(date +%s) - start )) -le 10 ] && echo yes || echo no)"
expect_grep "with a clear error" "^rates: fetch: classic: USD: pattern gave up" "$T/err"

# A time pattern that gives up is not "no time": nothing is stored.
printf 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 2025-12-18 11:26 USD:87.45;\n' >"$WWW/t.html"
cat >"$T/time.conf" <<CONF
[source tp]
url = $BASE/www/t.html
currencies = USD
pattern.USD = USD:(?<rate>[0-9.]+);
time_pattern = (?:(?:a|aa)+)+b|(?<date>\\d{4}-\\d\\d-\\d\\d) (?<time>\\d\\d:\\d\\d)
CONF
expect_code 3 "a time pattern that gives up" "$RATES" -c "$T/time.conf" fetch tp
expect_grep "is an error" "^rates: fetch: tp: time_pattern: pattern gave up" "$T/err"
expect_eq "and nothing is stored at the fetch time" "0" "$(count)"
expect_code 3 "check says so too" "$RATES" -c "$T/time.conf" check --source tp "$WWW/t.html"
expect_grep "on the time line" "^time unusable: time_pattern: pattern gave up" "$T/out"

# A rate's text is never cut: white space is trimmed, a NUL is refused.
printf 'USD:%60s87.45;\n' "" >"$WWW/sp.html"
printf 'USD:87\000.45;\n' >"$WWW/nul.html"
cat >"$T/cap.conf" <<CONF
[source cap]
url = $BASE/www/sp.html
currencies = USD
pattern.USD = USD:(?<rate>[^;]+);
CONF
expect_code 0 "a rate after 60 spaces" "$RATES" -c "$T/cap.conf" import --source cap --at 2025-12-01 "$WWW/sp.html"
expect_eq "is stored whole" "USD|2025-11-30 18:00:00|87450000" "$(sql "SELECT currency, datetime(observed_at, 'unixepoch'), rate_scaled FROM sample WHERE source = 'cap'")"
expect_code 3 "a rate with a NUL byte" "$RATES" -c "$T/cap.conf" import --source cap --at 2025-12-02 "$WWW/nul.html"
expect_grep "is not a number" "USD: '87\\?\\.45' is not a number" "$T/err"
expect_eq "and is not stored as 87" "1" "$(sql "SELECT count(*) FROM sample WHERE source = 'cap'")"

# --at far in the future or before 1970.
expect_code 3 "--at in the future" "$RATES" import --at 9999-12-31T23:59 "$DATA/notime.html"
expect_grep "is refused" "observation time 9999-12-31 17:59 UTC is in the future" "$T/err"
expect_code 3 "--at before 1970" "$RATES" import --at "1970-01-01T00:00+14:00" "$DATA/notime.html"
expect_grep "is refused" "is before 1970" "$T/err"
expect_eq "neither is stored" "0" "$(sql "SELECT count(*) FROM sample WHERE source = '24kg'")"

# A disabled, incomplete source named on the command line.
printf '[source off]\nenabled = no\n' >"$T/off.conf"
expect_code 2 "fetch of an incomplete source" "$RATES" -c "$T/off.conf" fetch off
expect_grep "says what it lacks" "^rates: fetch: $T/off.conf:1: source 'off' has no url" "$T/err"
printf '[source off2]\nenabled = no\nurl = http://127.0.0.1/\n' >"$T/off2.conf"
expect_code 2 "check with a source without currencies" "$RATES" -c "$T/off2.conf" check --source off2 "$FIXTURE"
expect_grep "says so" "source 'off2' has no currencies" "$T/err"

# An import waiting on standard input holds no lock: another writer goes on.
mkfifo "$T/fifo"
"$RATES" import - <"$T/fifo" >"$T/slow.out" 2>&1 &
slow=$!
exec 3>"$T/fifo"
page "$T/other.html" 2025-12-05 10:00 87.45 102.48 1.10
"$RATES" import "$FIXTURE" >/dev/null 2>&1   # a batch committed before "-"
start=$(date +%s)
expect_code 0 "an import while another waits on its input" "$RATES" import "$T/other.html"
expect_eq "is not held up" "yes" "$([ $(( $(date +%s) - start )) -le 3 ] && echo yes || echo no)"
cat "$DATA/header.html" >&3
exec 3>&-
wait "$slow"
expect_eq "and the waiting one finishes" "1 file: 0 samples added, 3 already present, 0 files failed" "$(cat "$T/slow.out")"

finish
