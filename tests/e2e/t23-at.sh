# t23-at: each currency's rate in effect at a moment (the newest sample at
# or before it), the rate on an invoice date; a day means its end; exit 3
# when there is none; --format table, csv or json (--json too).
. "$(dirname "$0")/lib.sh"

n=0
for d in "2025-12-17 10:00 87.40" "2025-12-18 09:00 87.45" "2025-12-18 15:00 87.50"; do
	set -- $d
	n=$((n + 1))
	page "$T/p$n.html" "$1" "$2" "$3" 102.48 1.10
done
"$RATES" -q import "$T"/p?.html >/dev/null 2>&1
expect_eq "three days of samples" "9" "$(count)"

expect_code 0 "at a moment" "$RATES" at "2025-12-18 10:00"
expect_grep "the newest sample at or before it" '^24kg +USD +87\.45 +2025-12-18 09:00 \+06:00$' "$T/out"
expect_code 0 "at a day" "$RATES" at 2025-12-18
expect_grep "is at its end: the day's last rate" '^24kg +USD +87\.50 +2025-12-18 15:00 \+06:00$' "$T/out"
expect_code 0 "at the very second of a sample" "$RATES" at "2025-12-18 09:00:00"
expect_grep "takes that sample" '^24kg +USD +87\.45 ' "$T/out"
expect_code 0 "at a time in another zone" "$RATES" at "2025-12-18T02:59Z"
expect_grep "reads it in that zone" '^24kg +USD +87\.40 ' "$T/out"
expect_code 0 "--currency" "$RATES" at 2025-12-18 --currency usd
expect_eq "only that one" "1" "$(grep -c '^24kg' "$T/out")"
expect_code 0 "--json" "$RATES" at 2025-12-18 --currency USD --json
expect_eq "JSON, the rate a string" '[
  {"source": "24kg", "currency": "USD", "rate": "87.50", "observed_at": "2025-12-18T15:00:00+06:00"}
]' "$(cat "$T/out")"
expect_code 0 "--format csv" "$RATES" at 2025-12-18 --currency USD --format csv
expect_eq "CSV" "source,currency,rate,observed_at
24kg,USD,87.50,2025-12-18T15:00:00+06:00" "$(tr -d '\r' <"$T/out")"
expect_code 3 "before the first sample" "$RATES" at 2025-12-01
expect_eq "exit 3, saying so" "rates: at: no rate at or before 2025-12-01" "$(cat "$T/err")"
expect_code 3 "a currency never recorded" "$RATES" at 2025-12-18 --currency USD,GBP
expect_grep "is named" "no rate of GBP at or before 2025-12-18" "$T/err"
expect_grep "the others are shown" '^24kg +USD' "$T/out"
expect_code 2 "a bad time" "$RATES" at someday
expect_grep "is a usage error" "^rates: at: bad time 'someday'" "$T/err"
expect_code 2 "no time" "$RATES" at
expect_code 2 "a bad format" "$RATES" at 2025-12-18 --format xml

finish
