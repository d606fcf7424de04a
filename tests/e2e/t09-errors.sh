# t09-errors: every bad answer from the network or the page: one clear
# line on stderr, the exit status of SPEC §5, the attempt logged, and
# nothing wrong stored.
. "$(dirname "$0")/lib.sh"
STALL=10
start_server

# fetch_fails CODE DESC PATH MESSAGE-REGEX
fetch_fails() {
	expect_code "$1" "$2: exit $1" "$RATES" fetch 24kg --url "$BASE$3"
	expect_grep "$2: says why" "$4" "$T/err"
	expect_eq "$2: one line" "1" "$(wc -l <"$T/err")"
	expect_eq "$2: nothing stored" "0" "$(count)"
}
fetch_fails 1 "HTTP 503" /status/503 "^rates: fetch: 24kg: HTTP 503 from $BASE/status/503\$"
expect_eq "the failure is logged" "error|503|HTTP 503 from $BASE/status/503" \
    "$(sql "SELECT outcome, http_status, message FROM fetch_log ORDER BY id DESC LIMIT 1")"
fetch_fails 1 "HTTP 404" /status/404 "^rates: fetch: 24kg: HTTP 404 from "
fetch_fails 1 "an empty body" /empty "^rates: fetch: 24kg: empty response from $BASE/empty\$"
fetch_fails 1 "a body over 8 MiB" /huge "^rates: fetch: 24kg: response larger than 8 MiB from $BASE/huge\$"
fetch_fails 1 "a gzip body that inflates past 8 MiB" /gzip-bomb "^rates: fetch: 24kg: response larger than 8 MiB from "
fetch_fails 1 "a body shorter than its Content-Length" /short "^rates: fetch: 24kg: $BASE/short: transfer closed with [0-9]+ bytes remaining"
fetch_fails 1 "a redirect loop" /redirect-loop "^rates: fetch: 24kg: more than 5 redirects from "
fetch_fails 1 "six redirects" /redirect/6 "^rates: fetch: 24kg: more than 5 redirects from "
fetch_fails 1 "a redirect to file://" "/redirect-to?u=file:///etc/passwd" "^rates: fetch: 24kg: .*[Pp]rotocol .*file.* not supported"
fetch_fails 1 "a redirect to ftp://" "/redirect-to?u=ftp://127.0.0.1/x" "^rates: fetch: 24kg: .*[Pp]rotocol .*ftp.* not supported"
fetch_fails 3 "a body that is not a page" /binary "^rates: fetch: 24kg: no rates on the page from "

# Nobody listening.
closed=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
expect_code 1 "a closed port: exit 1" "$RATES" fetch 24kg --url "http://127.0.0.1:$closed/"
expect_grep "says it could not connect" "^rates: fetch: 24kg: http://127.0.0.1:$closed/: .*[Cc]onnect" "$T/err"

# A server that stalls after the headers, against the source's timeout.
printf '[source 24kg]\ntimeout = 2s\n' >"$T/t.conf"
start=$(date +%s)
expect_code 1 "a stalled transfer: exit 1" "$RATES" -c "$T/t.conf" fetch 24kg --url "$BASE/stall"
took=$(( $(date +%s) - start ))
expect_grep "says it timed out" "^rates: fetch: 24kg: $BASE/stall: Operation timed out after 2[0-9]{3} milliseconds" "$T/err"
expect_eq "within the timeout" "yes" "$([ "$took" -le 5 ] && echo yes || echo "no: ${took}s")"

# Values that parse but are wrong.  First a good sample to compare with.
expect_code 0 "a good page first" "$RATES" fetch 24kg --url "$BASE/fixture"
page "$WWW/jump.html" 2025-12-19 11:26 200.00 102.50 1.11
expect_code 3 "a jump of more than 50%: exit 3" "$RATES" fetch 24kg --url "$BASE/www/jump.html"
expect_eq "names the source, currency and reason" \
    "rates: fetch: 24kg: USD: jump from 87.45 to 200.00 (+128.70%) is more than max_jump 50%" "$(cat "$T/err")"
expect_grep "the other currencies are stored" '^24kg +EUR +102\.50 .* added$' "$T/out"
expect_eq "but not the jump" "0" "$(sql "SELECT count(*) FROM sample WHERE rate_text = '200.00'")"
expect_eq "logged as partial" "partial" "$(sql "SELECT outcome FROM fetch_log ORDER BY id DESC LIMIT 1")"
printf '[source 24kg]\nmax_jump = 200%%\n' >"$T/j.conf"
expect_code 0 "a larger max_jump lets it through" "$RATES" -c "$T/j.conf" fetch 24kg --url "$BASE/www/jump.html"

page "$WWW/zero.html" 2025-12-20 11:26 0.00 102.50 1.11
expect_code 3 "a zero rate: exit 3" "$RATES" fetch 24kg --url "$BASE/www/zero.html"
expect_eq "says so" "rates: fetch: 24kg: USD: rate 0.00 is not above zero" "$(cat "$T/err")"
expect_eq "and stores no zero" "0" "$(sql "SELECT count(*) FROM sample WHERE rate_scaled <= 0")"

page "$WWW/huge-number.html" 2025-12-21 11:26 8745000000.00 102.50 1.11
expect_code 3 "an absurdly large number: exit 3" "$RATES" fetch 24kg --url "$BASE/www/huge-number.html"
expect_eq "is not taken for a rate" "0" "$(sql "SELECT count(*) FROM sample WHERE rate_text LIKE '8745%'")"

page "$WWW/future.html" 2099-01-01 10:00 87.45 102.48 1.10
before=$(count)
expect_code 3 "a page time in the future: exit 3" "$RATES" fetch 24kg --url "$BASE/www/future.html"
expect_eq "says so" "rates: fetch: 24kg: page time '2099-01-01 10:00' is in the future" "$(cat "$T/err")"
expect_eq "stores nothing" "$before" "$(count)"

page "$WWW/baddate.html" 2025-02-30 10:00 87.45 102.48 1.10
expect_code 3 "an impossible page date: exit 3" "$RATES" fetch 24kg --url "$BASE/www/baddate.html"
expect_eq "says so" "rates: fetch: 24kg: page time: '2025-02-30' is no day of the calendar (or before 1970)" "$(cat "$T/err")"
expect_eq "stores nothing" "$before" "$(count)"

# Several sources: 1 if any could not be read, else 3 if any had no rates.
cat >"$T/two.conf" <<CONF
[source a]
url = $BASE/status/500
currencies = USD
pattern.USD = USD ([0-9.]+)
[source b]
url = $BASE/data/widget.html
currencies = EUR
pattern.EUR = EURO ([0-9.]+)
[source c]
url = $BASE/fixture
currencies = USD
pattern.USD = USD ([0-9.]+)
CONF
expect_code 1 "one source unreadable, one without rates: exit 1" "$RATES" -c "$T/two.conf" fetch a b c
expect_grep "the good one is still fetched" '^c +USD +87\.45 ' "$T/out"
expect_code 3 "one source without rates: exit 3" "$RATES" -c "$T/two.conf" fetch b c

finish
