# t05-check: what import (a file) or fetch (a URL) would do with a page and
# why: the header block, each currency's value and verdict, the time; the
# same exit status as import; from a file, a URL or standard input; never
# stores anything.
. "$(dirname "$0")/lib.sh"
start_server

size=$(wc -c <"$FIXTURE")
expect_code 0 "check of a text page exits 0" "$RATES" check "$FIXTURE"
expect_file "shows the header, each value and the time" "$T/out" \
"source 24kg on $FIXTURE ($size bytes), as import would read it
header \"USD 87.45 EUR 102.48 RUB 1.10\"
time 2025-12-18 11:26 at 2025-12-18 11:26 +06:00
     matched \"2025-12-18 11:26\"
USD  87.45        would add
     matched \"USD 87.45\"
EUR  102.48       would add
     matched \"EUR 102.48\"
RUB  1.10         would add
     matched \"RUB 1.10\""

if have_capture "check of the real capture"; then
	expect_code 0 "check of the real capture exits 0" "$RATES" check "$CAPTURE"
	expect_grep "finds its header" '^header "USD 87\.45 EUR 102\.48 RUB 1\.10"$' "$T/out"
	expect_grep "and its time" '^time 2025-12-18 11:26 at 2025-12-18 11:26 \+06:00$' "$T/out"
fi

expect_code 0 "check of a URL" "$RATES" check "$BASE/data/header.html"
expect_grep "reads it as fetch would" "as fetch would read it$" "$T/out"
expect_grep "shows the HTML match on one line" '^     matched "USD</span>&nbsp;<span class="rate__value">87.45"$' "$T/out"
expect_grep "and the time" '^time 2025-12-18 11:26 at 2025-12-18 11:26 \+06:00$' "$T/out"

expect_code 3 "check of a page without the header exits 3" "$RATES" check "$DATA/layout-changed.html"
expect_grep "says there is no header" '^header none: no block of its currencies$' "$T/out"
expect_grep "for every currency" '^RUB  missing: not in the header$' "$T/out"
expect_eq "and sums it up on stderr" "rates: check: $DATA/layout-changed.html: no rates on the page" "$(cat "$T/err")"
expect_code 3 "a widget with another notation" "$RATES" check "$DATA/widget.html"
expect_grep "is not the header, and says why" "^header none: a block is not the header: USD 11,22 is not in the source's notation, decimal '\\.'$" "$T/out"

# A clock-only page: import needs --at, and so does check of a file.
expect_code 3 "check of a clock-only file, as import, exits 3" "$RATES" check "$DATA/clock.html"
expect_grep "says why" '^time unusable: the page shows only a clock \(09:05\); give --at DAY$' "$T/out"
expect_code 0 "with --at" "$RATES" check --at 2025-11-29 "$DATA/clock.html"
expect_grep "the clock goes on that day" '^time 09:05 at 2025-11-29 09:05 \+06:00 \(a clock only: placed on the day of --at\)$' "$T/out"
expect_code 0 "a clock-only URL, as fetch" "$RATES" check "$BASE/data/clock.html"
expect_grep "is placed on the nearest day" '^time 09:05 at .* \(a clock only: placed on the nearest day\)$' "$T/out"

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
