# t13-stats: per currency over the selection: first, last, minimum and
# when, maximum and when, mean, change (absolute and %), samples; exact.
. "$(dirname "$0")/lib.sh"

page "$T/1.html" 2025-12-01 09:00 87.10 101.00 1.05
page "$T/2.html" 2025-12-01 15:00 87.10 101.00 1.05
page "$T/3.html" 2025-12-02 09:00 87.30 101.00 1.05
page "$T/4.html" 2025-12-02 15:00 87.20 101.50 1.05
page "$T/5.html" 2025-12-03 09:00 87.20 101.50 1.10
"$RATES" -q import "$T"/[1-5].html

expect_code 0 "stats of USD" "$RATES" stats --currency USD
expect_file "first, last, min, max and when, mean, change" "$T/out" \
"24kg USD: 5 samples
  first          87.10  2025-12-01 09:00 +06:00
  last           87.20  2025-12-03 09:00 +06:00
  min            87.10  2025-12-01 09:00 +06:00
  max            87.30  2025-12-02 09:00 +06:00
  mean         87.1800
  change         +0.10  (+0.11%)"

expect_code 0 "stats --format csv of all" "$RATES" stats --format csv
expect_eq "a row per currency, no leading '+'" \
"source,currency,samples,first,first_at,last,last_at,min,min_at,max,max_at,mean,change,change_pct
24kg,EUR,5,101.00,2025-12-01T09:00:00+06:00,101.50,2025-12-03T09:00:00+06:00,101.00,2025-12-01T09:00:00+06:00,101.50,2025-12-02T15:00:00+06:00,101.2000,0.50,0.50
24kg,RUB,5,1.05,2025-12-01T09:00:00+06:00,1.10,2025-12-03T09:00:00+06:00,1.05,2025-12-01T09:00:00+06:00,1.10,2025-12-03T09:00:00+06:00,1.0600,0.05,4.76
24kg,USD,5,87.10,2025-12-01T09:00:00+06:00,87.20,2025-12-03T09:00:00+06:00,87.10,2025-12-01T09:00:00+06:00,87.30,2025-12-02T09:00:00+06:00,87.1800,0.10,0.11" \
    "$(tr -d '\r' <"$T/out")"

expect_code 0 "stats over one day" "$RATES" stats --currency RUB --since 2025-12-02 --until 2025-12-03T08:59 --format json
expect_file "in JSON, exact" "$T/out" '[
  {"source": "24kg", "currency": "RUB", "samples": 2, "first": "1.05", "first_at": "2025-12-02T09:00:00+06:00", "last": "1.05", "last_at": "2025-12-02T15:00:00+06:00", "min": "1.05", "min_at": "2025-12-02T09:00:00+06:00", "max": "1.05", "max_at": "2025-12-02T09:00:00+06:00", "mean": "1.0500", "change": "0.00", "change_pct": "0.00"}
]'

# The mean is rounded half away from zero, two places past the rates.
page "$T/6.html" 2025-12-04 09:00 87.20 101.50 1.07
"$RATES" -q import "$T/6.html"
expect_code 0 "a mean that does not end" "$RATES" stats --currency RUB --since 2025-12-02T15:00
expect_grep "is rounded" '^  mean +1\.0733$' "$T/out"
expect_code 0 "a falling rate" "$RATES" stats --currency USD --since 2025-12-02 --until 2025-12-02T15:00
expect_grep "has a negative change" '^  change +-0\.10  \(-0\.11%\)$' "$T/out"

expect_code 0 "an empty selection" "$RATES" stats --since 2026-01-01
expect_eq "says so" "rates: stats: no samples since 2026-01-01 00:00 +06:00" "$(cat "$T/err")"
expect_code 2 "a bad format" "$RATES" stats --format xml
expect_grep "is named" "^rates: stats: --format 'xml'" "$T/err"

finish
