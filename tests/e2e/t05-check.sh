# t05-check: what each pattern matched, the value parsed and the time
# found, or exactly which pattern found nothing; from a file or a URL;
# never stores anything.
. "$(dirname "$0")/lib.sh"
start_server

expect_code 0 "check of the capture exits 0" "$RATES" check "$FIXTURE"
expect_file "shows each match, value and the time" "$T/out" \
"source 24kg on $FIXTURE (3126 bytes)
USD  87.45
     matched \"USD 87.45 EUR 102.48 RUB 1.10\"
EUR  102.48
     matched \"USD 87.45 EUR 102.48 RUB 1.10\"
RUB  1.10
     matched \"USD 87.45 EUR 102.48 RUB 1.10\"
time 2025-12-18 11:26 at 2025-12-18 11:26 +06:00
     matched \"2025-12-18 11:26\""

expect_code 0 "check of a URL" "$RATES" check "$BASE/data/header.html"
expect_grep "shows the HTML match on one line" '^     matched "USD</span>&nbsp;<span class="rate__value">87.45</span></div>' "$T/out"
expect_grep "and the time" '^time 2025-12-18 11:26 at 2025-12-18 11:26 \+06:00$' "$T/out"

expect_code 3 "check of a page without the header exits 3" "$RATES" check "$DATA/widget.html"
expect_grep "names the pattern that found nothing" '^USD  no match: pattern.USD found nothing$' "$T/out"
expect_grep "for every currency" '^RUB  no match: pattern.RUB found nothing$' "$T/out"
expect_grep "and the time pattern" '^time no match: time_pattern found nothing' "$T/out"
expect_eq "and sums it up on stderr" "rates: check: $DATA/widget.html: 0 of 3 rates found and valid" "$(cat "$T/err")"

expect_code 0 "check of a clock-only page" "$RATES" check "$DATA/clock.html"
expect_grep "says where the clock is placed" '^time 09:05 at .* \(a clock only: placed on the nearest day\)$' "$T/out"

expect_code 0 "check --utc" "$RATES" check --utc "$FIXTURE"
expect_grep "shows UTC" '^time 2025-12-18 11:26 at 2025-12-18 05:26 UTC$' "$T/out"

expect_code 0 "check of standard input" sh -c "\"$RATES\" check - < \"$FIXTURE\""
expect_code 1 "check of a missing file exits 1" "$RATES" check "$T/nope.html"
expect_eq "and says why" "rates: check: $T/nope.html: No such file or directory" "$(cat "$T/err")"
expect_code 1 "check of another scheme exits 1" "$RATES" check "file:///etc/passwd"
expect_grep "and says why" "only http and https URLs" "$T/err"
expect_code 1 "check of an HTTP error exits 1" "$RATES" check "$BASE/status/500"
expect_eq "and says so" "rates: check: HTTP 500 from $BASE/status/500" "$(cat "$T/err")"
expect_eq "check stores nothing, creates no database" "no" "$([ -e "$RATES_DB" ] && echo yes || echo no)"

finish
