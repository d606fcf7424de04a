# t21-faults: a server that misbehaves in the slow and rude ways, and a
# page whose header has absurd numbers: the limits of SPEC §7 hold (a
# transfer slower than 100 bytes/s for 20 s is cut; 8 MiB counted as the
# body arrives, also without a Content-Length), with the exit status and
# message of SPEC §5, and nothing stored.
. "$(dirname "$0")/lib.sh"
STALL=40
start_server

# The two slow ones run side by side: each takes the 20 s of the limit.
slow() { # slow NAME PATH
	start=$(date +%s)
	RATES_DB="$T/$1.db" "$RATES" fetch 24kg --url "$BASE$2" >"$T/$1.out" 2>"$T/$1.err"
	echo "$? $(( $(date +%s) - start ))" >"$T/$1.rc"
}
slow drip /drip &
a=$!
slow stall /stall &
b=$!

expect_code 1 "a reset in the middle of the body" "$RATES" fetch 24kg --url "$BASE/reset"
expect_grep "says the transfer broke off" "^rates: fetch: 24kg: $BASE/reset: .*([Rr]eset|Recv failure|transfer closed with [0-9]+ bytes remaining)" "$T/err"
expect_code 1 "100 MB without a Content-Length" "$RATES" fetch 24kg --url "$BASE/huge100"
expect_eq "is cut at 8 MiB" "rates: fetch: 24kg: response larger than 8 MiB from $BASE/huge100" "$(cat "$T/err")"
expect_eq "nothing stored" "0" "$(count)"

# Not UTF-8: a page in Windows-1251 around the header.
printf '<html><head><meta charset="windows-1251"></head><body>\xc4\xe0\xf2\xe0 2025-12-18 11:26 <b>USD</b> 87.45 <b>EUR</b> 102.48 <b>RUB</b> 1.10 \xd0\xf3\xf1\xf1\xea\xe8\xe9</body></html>\n' >"$WWW/cp1251.html"
expect_code 0 "a page in Windows-1251" "$RATES" fetch 24kg --url "$BASE/www/cp1251.html"
expect_eq "gives its rates" "3" "$(count)"

# Absurd numbers in the header.
absurd() { # absurd DESC USD EUR RUB
	export RATES_DB="$T/absurd.db"
	page "$WWW/absurd.html" 2025-12-19 11:26 "$2" "$3" "$4"
	expect_code 3 "$1: exit 3" "$RATES" fetch 24kg --url "$BASE/www/absurd.html"
	expect_eq "$1: nothing of it stored" "0" "$(sql "SELECT count(*) FROM sample WHERE currency = 'USD'" 2>/dev/null || echo 0)"
}
absurd "a zero" 0 102.48 1.10
absurd "a negative rate" -87.45 102.48 1.10
absurd "ten integer digits" 8745000000 102.48 1.10
absurd "two decimal points" 87.4.5 102.48 1.10
absurd "a thousands separator" 1,087.45 102.48 1.10
absurd "seven decimals" 87.4512345 102.48 1.10
expect_eq "the currencies that parsed are stored" "2" "$(sql "SELECT count(DISTINCT currency) FROM sample")"

wait "$a" "$b"
read -r code took <"$T/drip.rc"
expect_eq "a byte a second: exit 1" "1" "$code"
expect_grep "cut as too slow" "^rates: fetch: 24kg: $BASE/drip: Operation too slow\\. Less than 100 bytes/sec transferred the last 20 seconds" "$T/drip.err"
expect_eq "after about 20 s" "yes" "$([ "$took" -ge 19 ] && [ "$took" -le 30 ] && echo yes || echo "no: ${took}s")"
read -r code took <"$T/stall.rc"
expect_eq "a stall after the headers: exit 1" "1" "$code"
expect_grep "cut as too slow" "^rates: fetch: 24kg: $BASE/stall: Operation too slow" "$T/stall.err"
expect_eq "after about 20 s" "yes" "$([ "$took" -ge 19 ] && [ "$took" -le 30 ] && echo yes || echo "no: ${took}s")"
expect_eq "neither stored anything" "0 0" "$(RATES_DB="$T/drip.db" count) $(RATES_DB="$T/stall.db" count)"

finish
