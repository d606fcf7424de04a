# t06-latest: each currency's newest rate, its change against the previous
# different value (absolute and %), its age; --json the same, exactly.
. "$(dirname "$0")/lib.sh"

expect_code 1 "latest without a database exits 1" "$RATES" latest
expect_grep "and says there is none yet" "no database here yet" "$T/err"

page "$T/1.html" 2025-12-01 09:00 87.10 101.00 1.05
page "$T/2.html" 2025-12-02 09:00 87.30 101.00 1.05
page "$T/3.html" 2025-12-03 09:00 87.30 101.00 1.10
"$RATES" -q import "$T/1.html" "$T/2.html" "$T/3.html"

expect_code 0 "latest exits 0" "$RATES" latest
expect_eq "a header and a row per currency" "4" "$(wc -l <"$T/out")"
expect_eq "with rate, change and time (age aside)" \
"SOURCE     CUR          RATE  CHANGE              OBSERVED
24kg       EUR        101.00  -                   2025-12-03 09:00 +06:00
24kg       RUB          1.10  +0.05 (+4.76%)      2025-12-03 09:00 +06:00
24kg       USD         87.30  +0.20 (+0.23%)      2025-12-03 09:00 +06:00" \
    "$(cut -c1-73 "$T/out" | sed 's/ *$//')"
expect_grep "the age is in days and hours" '^24kg +USD .* [0-9]+d [0-9]+h$' "$T/out"

expect_code 0 "latest --json exits 0" "$RATES" latest --json
expect_eq "JSON with exact rates as strings" \
'[
  {"source": "24kg", "currency": "EUR", "rate": "101.00", "observed_at": "2025-12-03T09:00:00+06:00", "age_seconds": N, "previous": null, "previous_observed_at": null, "change": null, "change_pct": null},
  {"source": "24kg", "currency": "RUB", "rate": "1.10", "observed_at": "2025-12-03T09:00:00+06:00", "age_seconds": N, "previous": "1.05", "previous_observed_at": "2025-12-02T09:00:00+06:00", "change": "+0.05", "change_pct": "+4.76"},
  {"source": "24kg", "currency": "USD", "rate": "87.30", "observed_at": "2025-12-03T09:00:00+06:00", "age_seconds": N, "previous": "87.10", "previous_observed_at": "2025-12-01T09:00:00+06:00", "change": "+0.20", "change_pct": "+0.23"}
]' "$(sed -e 's/"age_seconds": [0-9]*/"age_seconds": N/' -e 's/, "fetched_at": "[^"]*"//' "$T/out")"
cp "$T/out" "$T/json"
expect_code 0 "the JSON parses" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/json"
age=$(sed -n 's/.*"USD".*"age_seconds": \([0-9]*\).*/\1/p' "$T/json")
want=$(( $(date +%s) - $(date -d 2025-12-03T03:00:00Z +%s) ))
expect_eq "age_seconds is now minus the observation" "yes" \
    "$([ $((want - age)) -ge 0 ] && [ $((want - age)) -le 30 ] && echo yes || echo "no: $age vs $want")"

expect_code 0 "latest --utc" "$RATES" latest --utc
expect_grep "shows UTC" '^24kg +USD +87\.30 .* 2025-12-03 03:00 UTC ' "$T/out"

# A fall is shown with its sign; a value equal to the last is no change.
page "$T/4.html" 2025-12-04 09:00 87.00 101.00 1.10
"$RATES" -q import "$T/4.html"
expect_code 0 "after a fall" "$RATES" latest
expect_grep "the change is negative" '^24kg +USD +87\.00 +-0\.30 \(-0\.34%\)' "$T/out"
expect_grep "an unchanged rate keeps its last change" '^24kg +RUB +1\.10 +\+0\.05 \(\+4\.76%\)' "$T/out"

# An empty database.
export RATES_DB="$T/empty.db"
"$RATES" import "$DATA/widget.html" >/dev/null 2>&1
expect_code 0 "latest on an empty database exits 0" "$RATES" latest
expect_grep "and says nothing is recorded" "no rates recorded yet" "$T/err"
expect_code 0 "latest --json on an empty database" "$RATES" latest --json
expect_file "is an empty list" "$T/out" "[]"

finish
