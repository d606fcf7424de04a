# t29-prices: history and export --format ledger|hledger|beancount write
# price lines for plain-text accounting, one per row (one per day with
# --daily), of one source; ledger, hledger and beancount themselves read
# them back (each skipped, and counted, when it is not installed).
. "$(dirname "$0")/lib.sh"

feed "$T/a.xml" 18.12.2025 USD 1 87,4500 EUR 1 102,4823 CNY 1 12,3000 KZT 10 1,7020 RUB 1 1,0987
feed "$T/b.xml" 19.12.2025 USD 1 87,5000 EUR 1 102,6000 CNY 1 12,3000 KZT 10 1,7020 RUB 1 1,1100
"$RATES" -q import --source nbkr "$T/a.xml" "$T/b.xml"
page "$T/p1.html" 2025-12-18 09:00 87.40 102.40 1.10
page "$T/p2.html" 2025-12-18 15:00 87.45 102.48 1.10
page "$T/p3.html" 2025-12-19 12:30 87.50 102.70 1.11
"$RATES" -q import "$T/p1.html" "$T/p2.html" "$T/p3.html"

expect_code 0 "history --format ledger" "$RATES" history --source 24kg --all --format ledger
expect_file "a P line per value, with its local time" "$T/out" "P 2025-12-18 09:00:00 EUR 102.40 KGS
P 2025-12-18 09:00:00 RUB 1.10 KGS
P 2025-12-18 09:00:00 USD 87.40 KGS
P 2025-12-18 15:00:00 EUR 102.48 KGS
P 2025-12-18 15:00:00 RUB 1.10 KGS
P 2025-12-18 15:00:00 USD 87.45 KGS
P 2025-12-19 12:30:00 EUR 102.70 KGS
P 2025-12-19 12:30:00 RUB 1.11 KGS
P 2025-12-19 12:30:00 USD 87.50 KGS"
cp "$T/out" "$T/prices.ledger"
expect_code 0 "--utc" "$RATES" history --source 24kg --all --format ledger --utc --currency USD
expect_grep "UTC times" '^P 2025-12-18 03:00:00 USD 87\.40 KGS$' "$T/out"
expect_code 0 "hledger" "$RATES" history --source nbkr --format hledger --currency USD,KZT
expect_file "a date, a rate per unit, in the order asked" "$T/out" "P 2025-12-18 USD 87.4500 KGS
P 2025-12-18 KZT 0.17020 KGS
P 2025-12-19 USD 87.5000 KGS"
expect_code 0 "export --daily --format beancount -o FILE" "$RATES" export --source 24kg --daily --format beancount -o "$T/prices.beancount"
expect_file "one per day, the day's last value" "$T/prices.beancount" "2025-12-18 price EUR 102.48 KGS
2025-12-18 price RUB 1.10 KGS
2025-12-18 price USD 87.45 KGS
2025-12-19 price EUR 102.70 KGS
2025-12-19 price RUB 1.11 KGS
2025-12-19 price USD 87.50 KGS"
expect_code 1 "two sources in one journal: refused" "$RATES" history --format ledger
expect_grep "says why" 'price lines are of one source: give --source' "$T/err"
expect_code 2 "with --ohlc: a usage error" "$RATES" history --source 24kg --daily --ohlc --format ledger
expect_code 2 "an unknown format names the price formats" "$RATES" export --format gnucash
expect_grep "says so" 'expected table, csv, json, ledger, hledger or beancount' "$T/err"

# The real programs read them back.
if command -v ledger >/dev/null; then
	# ledger reports the prices of commodities a posting uses.
	printf '\n2025-12-20 * Cash\n    Assets:Cash    100 USD\n    Assets:Cash    100 EUR\n    Assets:Cash    100 RUB\n    Equity\n' >>"$T/prices.ledger"
	expect_code 0 "ledger pricedb reads them" ledger -f "$T/prices.ledger" pricedb
	expect_grep "USD 87.45 at 15:00" '^P 2025/12/18 15:00:00 USD KGS87\.45$' "$T/out"
	expect_grep "EUR 102.70" '^P 2025/12/19 12:30:00 EUR KGS102\.7$' "$T/out"
	expect_code 0 "and values a balance with them" ledger -f "$T/prices.ledger" balance Assets -X KGS
	expect_grep "100 USD, EUR and RUB at the last prices: 8750 + 10270 + 111" 'KGS19131 +Assets:Cash' "$T/out"
else
	N_SKIP=$((N_SKIP + 1)); echo "skip - ledger reads the price lines (ledger is not installed)"
fi
if command -v hledger >/dev/null; then
	"$RATES" history --source 24kg --all --format hledger >"$T/prices.journal"
	expect_code 0 "hledger prices reads them" hledger -f "$T/prices.journal" prices
	expect_eq "each line, as written" "$(cat "$T/prices.journal")" "$(cat "$T/out")"
	printf '\n2025-12-20 cash\n    assets:cash    1 USD\n    equity\n' >>"$T/prices.journal"
	expect_code 0 "hledger values with them" hledger -f "$T/prices.journal" balance assets -X KGS
	expect_grep "the last price" '87\.50 KGS +assets:cash' "$T/out"
else
	N_SKIP=$((N_SKIP + 1)); echo "skip - hledger reads the price lines (hledger is not installed)"
fi
if command -v bean-check >/dev/null; then
	expect_code 0 "bean-check accepts them" bean-check "$T/prices.beancount"
	expect_code 0 "bean-report pricedb reads them" bean-report "$T/prices.beancount" pricedb
	expect_grep "USD of 19.12" '^2025-12-19 price USD +87\.50 KGS$' "$T/out"
	expect_eq "all six" "6" "$(grep -c ' price ' "$T/out")"
	"$RATES" history --source nbkr --all --format beancount >"$T/all.beancount"
	expect_code 0 "several a day (nbkr, --all) are accepted too" bean-check "$T/all.beancount"
else
	N_SKIP=$((N_SKIP + 1)); echo "skip - beancount reads the price lines (beancount is not installed)"
fi

finish
