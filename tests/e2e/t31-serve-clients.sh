# t31-serve-clients: the real clients of rates serve.  Prometheus scrapes
# /metrics and its query API gives the rate back; headless Chromium opens /
# and its DOM shows the latest rates and the chart, and its screenshot is
# a picture.  Each skipped (and counted) when the program is not installed.
. "$(dirname "$0")/lib.sh"

if ! command -v curl >/dev/null; then
	N_SKIP=$((N_SKIP + 1)); echo "skip - serve's clients (curl is not installed)"
	finish; exit
fi
feed "$T/a.xml" 18.12.2025 USD 1 87,4500 EUR 1 102,4823 CNY 1 12,3000 KZT 10 1,7020 RUB 1 1,0987
"$RATES" -q import --source nbkr "$T/a.xml"
page "$T/p1.html" 2025-12-18 09:00 87.40 102.40 1.10
page "$T/p2.html" 2025-12-19 15:00 87.45 102.48 1.10
"$RATES" -q import "$T/p1.html" "$T/p2.html"
# A poll that failed, for the failures in a row.
start_server
"$RATES" -q fetch 24kg --url "$BASE/status/500" 2>/dev/null
start_serve

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

PROMETHEUS=$(command -v prometheus)
if [ -n "$PROMETHEUS" ]; then
	pport=$(free_port)
	cat >"$T/prometheus.yml" <<EOT
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: rates
    static_configs:
      - targets: ['${SERVE#http://}']
EOT
	"$PROMETHEUS" --config.file="$T/prometheus.yml" --storage.tsdb.path="$T/tsdb" \
	    --web.listen-address="127.0.0.1:$pport" >"$T/prometheus.log" 2>&1 &
	ppid=$!
	KILL_PIDS="$KILL_PIDS $ppid"
	q() {
		curl -s --max-time 5 "http://127.0.0.1:$pport/api/v1/query" --data-urlencode "query=$1"
	}
	has_usd() { q 'rates_exchange_rate{source="nbkr",currency="USD"}' | grep -q '"87.45"'; }
	if wait_for 60 has_usd; then
		pass "Prometheus scrapes serve: nbkr's USD is 87.45"
	else
		fail "Prometheus scrapes serve" "$(q 'rates_exchange_rate' | head -c 1000)" "$(tail -5 "$T/prometheus.log")"
	fi
	expect_grep "the quote is a label" '"quote":"KGS"' <(q 'rates_exchange_rate{currency="EUR",source="24kg"}')
	expect_grep "24kg's EUR is 102.48" '"102.48"' <(q 'rates_exchange_rate{currency="EUR",source="24kg"}')
	expect_grep "the failures in a row" '"value":\[[0-9.]+,"1"\]' <(q 'rates_failures_in_a_row{source="24kg"}')
	expect_grep "the scrape is healthy" '"health":"up"' <(curl -s --max-time 5 "http://127.0.0.1:$pport/api/v1/targets")
	kill "$ppid"
	wait "$ppid" 2>/dev/null
else
	N_SKIP=$((N_SKIP + 1)); echo "skip - Prometheus scrapes serve (prometheus is not installed)"
fi

CHROMIUM=$(command -v chromium || command -v chromium-browser)
if [ -n "$CHROMIUM" ]; then
	chrome() {
		timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
		    --disable-dev-shm-usage --user-data-dir="$T/chrome" "$@" 2>>"$T/chrome.log"
	}
	chrome --dump-dom "$SERVE/" >"$T/dom.html"
	expect_grep "Chromium: the page's title" '<title>Rates of the Kyrgyz som</title>' "$T/dom.html"
	expect_grep "the latest USD of nbkr" '<td>nbkr</td><td>USD</td><td class="n">87.4500 KGS</td>' "$T/dom.html"
	expect_grep "and of 24kg, with its rise" '<td>24kg</td><td>USD</td><td class="n">87.45 KGS</td><td class="n up">\+0.05</td>' "$T/dom.html"
	expect_grep "the chart, drawn inline" '<svg xmlns="http://www.w3.org/2000/svg"' "$T/dom.html"
	expect_grep "its lines" '<polyline [^>]*points="[0-9]' "$T/dom.html"
	expect_no_grep "no XML declaration inside HTML" '<\?xml|<!--\?xml' "$T/dom.html"
	chrome --screenshot="$T/page.png" --window-size=1100,900 "$SERVE/" >/dev/null
	# A PNG, and not a blank one: a blank page compresses to a few kB.
	if [ "$(head -c 8 "$T/page.png" 2>/dev/null | od -An -tx1 | tr -d ' ')" = 89504e470d0a1a0a ] &&
	    [ "$(wc -c <"$T/page.png")" -gt 20000 ]; then
		pass "a screenshot of the page ($(wc -c <"$T/page.png") bytes)"
	else
		fail "a screenshot of the page" "$(tail -5 "$T/chrome.log")"
	fi
	[ -n "${KEEP_SCREENSHOT:-}" ] && cp "$T/page.png" "$KEEP_SCREENSHOT"
else
	N_SKIP=$((N_SKIP + 1)); echo "skip - Chromium opens the page (chromium is not installed)"
fi
kill "$SERVE_PID"
wait "$SERVE_PID"
finish
