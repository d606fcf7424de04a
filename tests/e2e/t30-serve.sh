# t30-serve: rates serve answers over HTTP what the commands print (the
# JSON and CSV of latest, history, at), the Frankfurter shapes under /v1/,
# Prometheus' text at /metrics and a page at /; with ETag, Last-Modified,
# 304s, Cache-Control and JSON errors.  curl is the client.
. "$(dirname "$0")/lib.sh"

if ! command -v curl >/dev/null; then
	N_SKIP=$((N_SKIP + 1)); echo "skip - serve (curl is not installed)"
	finish; exit
fi

expect_code 1 "no database: an error" "$RATES" serve --listen 127.0.0.1:0
expect_grep "says so" 'no database here yet' "$T/err"

feed "$T/a.xml" 18.12.2025 USD 1 87,4500 EUR 1 102,4823 CNY 1 12,3000 KZT 10 1,7020 RUB 1 1,0987
feed "$T/b.xml" 19.12.2025 USD 1 87,5000 EUR 1 102,6000 CNY 1 12,3000 KZT 10 1,7020 RUB 1 1,1100
"$RATES" -q import --source nbkr "$T/a.xml" "$T/b.xml"
page "$T/p1.html" 2025-12-18 09:00 87.40 102.40 1.10
page "$T/p2.html" 2025-12-18 15:00 87.45 102.48 1.10
page "$T/p3.html" 2025-12-20 12:30 87.50 102.70 1.11
"$RATES" -q import "$T/p1.html" "$T/p2.html" "$T/p3.html"

expect_code 2 "--listen without a port" "$RATES" serve --listen 127.0.0.1
expect_grep "names it" 'port is not a number' "$T/err"
expect_code 2 "--listen with a bad address" "$RATES" serve --listen 300.1.2.3:80
expect_code 2 "an IPv6 address without brackets" "$RATES" serve --listen ::1:80
expect_grep "says how" 'brackets' "$T/err"
expect_code 2 "--max-connections 0" "$RATES" serve --max-connections 0
expect_code 2 "--listen with a space in the port" "$RATES" serve --listen '127.0.0.1: 80'
: >"$T/empty.db"
expect_code 1 "an empty file: no database yet" "$RATES" -d "$T/empty.db" serve --listen 127.0.0.1:0
expect_grep "says so" 'no database here yet' "$T/err"
expect_eq "and leaves it as it was" "empty.db 0" "$(cd "$T" && ls empty.db* | tr '\n' ' ')$(wc -c <"$T/empty.db")"

start_serve --max-age 30
expect_grep "says where it serves" 'serving .*rates.db on http://127.0.0.1:[0-9]+/' "$T/serve.log"
port=${SERVE##*:}
expect_code 1 "a port in use: an error" "$RATES" serve --listen "127.0.0.1:$port"
expect_grep "names it" "cannot listen on 127.0.0.1:$port: Address already in use" "$T/err"

# /api/: the output of the commands.
noage() { sed 's/"age_seconds": [0-9]*/"age_seconds": N/; s/,[0-9]*,\([^,]*,[^,]*,[^,]*,[^,]*\)$/,N,\1/'; }
get /api/latest
expect_eq "/api/latest: 200" 200 "$CODE"
expect_eq "JSON" "application/json; charset=utf-8" "$(header Content-Type)"
expect_eq "the JSON of latest --json" "$("$RATES" latest --json | noage)" "$(noage <"$T/out")"
get '/api/latest?format=csv'
expect_eq "CSV" "text/csv; charset=utf-8; header=present" "$(header Content-Type)"
expect_eq "the CSV of latest --format csv" "$("$RATES" latest --format csv | noage)" "$(noage <"$T/out")"
get '/api/history?since=2025-12-18&until=2025-12-19&currency=USD&rows=all'
expect_eq "/api/history: the JSON of history" "$("$RATES" history --since 2025-12-18 --until 2025-12-19 --currency USD --all --format json)" "$(cat "$T/out")"
get '/api/history?rows=daily&format=csv&source=nbkr'
expect_eq "rows=daily&format=csv: the CSV of export --daily" "$("$RATES" export --daily --source nbkr)" "$(cat "$T/out")"
get '/api/history?currency=USD%2CEUR'
expect_eq "percent-encoded commas" "$("$RATES" history --currency USD,EUR --format json)" "$(cat "$T/out")"
get '/api/at/2025-12-18?currency=USD'
expect_eq "/api/at/WHEN: the JSON of at" "$("$RATES" at 2025-12-18 --currency USD --json)" "$(cat "$T/out")"
get '/api/at/2025-12-18%2012:00?format=csv'
expect_eq "a time with a space, as CSV" "$("$RATES" at '2025-12-18 12:00' --format csv)" "$(cat "$T/out")"
get '/api/at/2001-01-01'
expect_eq "no rate then: 404" 404 "$CODE"
expect_file "a JSON error" "$T/out" '{"status":404,"message":"no rate at or before 2001-01-01"}'
get '/api/at/someday'
expect_eq "a bad time: 400" 400 "$CODE"
expect_grep "named" '"message":"someday: bad time' "$T/out"
get '/api/history?since=yesterdayish'
expect_eq "a bad parameter: 400" 400 "$CODE"
expect_grep "named" '"message":"since: bad time' "$T/out"
get '/api/history?since=2025-12-20&until=2025-12-18'
expect_file "the parameters' names, not the options'" "$T/out" '{"status":400,"message":"until is not after since"}'
get '/api/history?rows=some'
expect_file "a bad rows" "$T/out" '{"status":400,"message":"rows: '"'"'some'"'"' is not change, all or daily"}'
get '/api/history?currency=US'
expect_grep "a bad currency" '"message":"currency: '"'"'US'"'"' is not a currency code"' "$T/out"
get '/api/latest?colour=red'
expect_eq "an unknown parameter: 400" 400 "$CODE"
expect_grep "named, with what is taken" "colour: no such parameter here \\(it takes format\\)" "$T/out"
get '/api/latest?format=xml'
expect_eq "a bad format: 400" 400 "$CODE"
get '/api/latest?format=json&format=csv'
expect_grep "a parameter twice: 400" '"message":"format: given twice"' "$T/out"
get /api/nothing
expect_eq "no such page: 404" 404 "$CODE"
expect_grep "as JSON" '^\{"status":404,"message":"/api/nothing: no such page' "$T/out"
get /api/latest -X POST -d x=1
expect_eq "POST: 405" 405 "$CODE"
expect_eq "with Allow" "GET, HEAD" "$(header Allow)"
expect_grep "as JSON" '"message":"POST: only GET and HEAD' "$T/out"
get /api/latest -X DELETE
expect_eq "DELETE: 405" 405 "$CODE"
get /api/latest -I
expect_eq "HEAD: 200" 200 "$CODE"
expect_no_grep "HEAD: the head only (curl -I writes it as the body)" '^[[{]' "$T/out"

# /v1/: Frankfurter's shapes, values exact where they can be.
get '/v1/latest?from=USD&to=KGS'
expect_file "/v1/latest" "$T/out" '{"amount":1.0,"base":"USD","date":"2025-12-20","rates":{"KGS":87.5}}'
get '/v1/2025-12-19?from=USD'
expect_file "a day: nbkr's values, cross rates rounded as Frankfurter does" "$T/out" '{"amount":1.0,"base":"USD","date":"2025-12-19","rates":{"CNY":7.1138,"EUR":0.85283,"KGS":87.5,"KZT":514.1,"RUB":78.829}}'
get '/v1/2025-12-18?base=USD&symbols=KGS'
expect_file "base and symbols; nbkr before 24kg" "$T/out" '{"amount":1.0,"base":"USD","date":"2025-12-18","rates":{"KGS":87.45}}'
get '/v1/2025-12-23?from=EUR&to=KGS'
expect_file "a day without rates: the day before that has them" "$T/out" '{"amount":1.0,"base":"EUR","date":"2025-12-20","rates":{"KGS":102.7}}'
get '/v1/2025-12-18..2025-12-20?from=USD&to=KGS'
expect_file "a range, keyed by day" "$T/out" '{"amount":1.0,"base":"USD","start_date":"2025-12-18","end_date":"2025-12-20","rates":{"2025-12-18":{"KGS":87.45},"2025-12-19":{"KGS":87.5},"2025-12-20":{"KGS":87.5}}}'
get '/v1/2025-12-19..?from=KZT&to=KGS'
expect_file "an open range: the days of the currencies asked for" "$T/out" '{"amount":1.0,"base":"KZT","start_date":"2025-12-19","end_date":"2025-12-19","rates":{"2025-12-19":{"KGS":0.1702}}}'
get '/v1/2025-12-20?from=CNY&to=EUR'
expect_file "a day: the base's value in effect (nbkr's CNY of the day before), EUR of that day" "$T/out" '{"amount":1.0,"base":"CNY","date":"2025-12-20","rates":{"EUR":0.11977}}'
get '/v1/2025-12-19..2025-12-20?from=CNY&to=EUR'
expect_file "the same values in a range" "$T/out" '{"amount":1.0,"base":"CNY","start_date":"2025-12-19","end_date":"2025-12-20","rates":{"2025-12-19":{"EUR":0.11988},"2025-12-20":{"EUR":0.11977}}}'
get '/v1/2025-12-20..2025-12-20?from=CNY&to=EUR'
expect_file "a range starts on its first day when that day has rates" "$T/out" '{"amount":1.0,"base":"CNY","start_date":"2025-12-20","end_date":"2025-12-20","rates":{"2025-12-20":{"EUR":0.11977}}}'
get '/v1/2025-12-20..2025-12-20?from=EUR&to=CNY'
expect_file "and the other way round" "$T/out" '{"amount":1.0,"base":"EUR","start_date":"2025-12-20","end_date":"2025-12-20","rates":{"2025-12-20":{"CNY":8.3496}}}'
get '/v1/latest?to=USD,KZT'
expect_file "every currency asked for: KZT (nbkr, the day before) beside USD (24kg)" "$T/out" '{"amount":1.0,"base":"EUR","date":"2025-12-20","rates":{"KZT":603.41,"USD":1.1737}}'
get '/v1/2025-12-18?from=USD&to=KZT,KGS&amount=1000000'
expect_file "a large amount: still floats" "$T/out" '{"amount":1000000.0,"base":"USD","date":"2025-12-18","rates":{"KGS":87450000.0,"KZT":513807286.0}}'
get '/v1/2025-12-17..2025-12-17'
expect_eq "a range before any rate: 404" 404 "$CODE"
get '/v1/2999-01-01..'
expect_file "an open range after today: 404, not a range backwards" "$T/out" '{"status":404,"message":"no rates for a day after today"}'
get '/v1/latest?from=USD&to=KGS&amount=100'
expect_file "amount, exact" "$T/out" '{"amount":100.0,"base":"USD","date":"2025-12-20","rates":{"KGS":8750.0}}'
get '/v1/latest?from=KGS&to=USD,EUR&amount=1000'
expect_file "from KGS, rounded" "$T/out" '{"amount":1000.0,"base":"KGS","date":"2025-12-20","rates":{"EUR":9.7371,"USD":11.4286}}'
get '/v1/latest'
expect_file "EUR is the base by default, as Frankfurter; each currency's rate in effect" "$T/out" '{"amount":1.0,"base":"EUR","date":"2025-12-20","rates":{"CNY":8.3496,"KGS":102.7,"KZT":603.41,"RUB":92.52,"USD":1.1737}}'
if command -v python3 >/dev/null; then
	get '/v1/2025-12-18..2025-12-19'
	expect_eq "the shapes Frankfurter's clients read" "ok" "$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert isinstance(d["amount"], float) and d["base"] == "EUR"
assert d["start_date"] == "2025-12-18" and d["end_date"] == "2025-12-19"
for day, rates in d["rates"].items():
    assert len(day) == 10 and all(isinstance(v, float) for v in rates.values())
print("ok")' "$T/out" 2>&1)"
fi
get /v1/currencies
expect_file "/v1/currencies" "$T/out" '{"CNY":"Chinese Renminbi Yuan","EUR":"Euro","KGS":"Kyrgyzstani Som","KZT":"Kazakhstani Tenge","RUB":"Russian Ruble","USD":"United States Dollar"}'
get '/v1/latest?from=US'
expect_file "a bad code: 400" "$T/out" '{"status":400,"message":"from: '"'"'US'"'"' is not a currency code"}'
get '/v1/latest?from=GBP'
expect_eq "a currency never stored: 404" 404 "$CODE"
expect_grep "named" 'no rates of GBP' "$T/out"
get '/v1/latest?from=USD&base=EUR'
expect_eq "from and base: 400" 400 "$CODE"
get '/v1/latest?amount=-5'
expect_grep "a negative amount: 400" 'amount: .-5. is not above 0' "$T/out"
get '/v1/latest?amount=lots'
expect_eq "a bad amount: 400" 400 "$CODE"
get '/v1/latest?from=USD&to=USD'
expect_eq "to the base only: 400" 400 "$CODE"
get '/v1/2025-02-30'
expect_eq "not a day: 404" 404 "$CODE"
get '/v1/2025-12-20..2025-12-18'
expect_eq "a range backwards: 400" 400 "$CODE"
get '/v1/2999-01-01'
expect_eq "a day after today: 404" 404 "$CODE"
get '/v1/1990-01-01'
expect_eq "a day before any rate: 404" 404 "$CODE"

# /metrics
get /metrics
expect_eq "/metrics: Prometheus text" "text/plain; version=0.0.4; charset=utf-8" "$(header Content-Type)"
expect_grep "the rate, no timestamp" '^rates_exchange_rate\{source="nbkr",currency="USD",quote="KGS"\} 87\.5000$' "$T/out"
expect_grep "of each source" '^rates_exchange_rate\{source="24kg",currency="EUR",quote="KGS"\} 102\.70$' "$T/out"
expect_grep "typed" '^# TYPE rates_exchange_rate gauge$' "$T/out"
expect_eq "varies by Accept" "Accept" "$(header Vary)"
get /metrics -H 'Accept: application/openmetrics-text; version=1.0.0'
expect_eq "OpenMetrics when asked" "application/openmetrics-text; version=1.0.0; charset=utf-8" "$(header Content-Type)"
expect_eq "ends with # EOF" "# EOF" "$(tail -1 "$T/out")"

get /metrics -H 'Accept: application/openmetrics-text;q=0, text/plain'
expect_eq "OpenMetrics at q=0: text" "text/plain; version=0.0.4; charset=utf-8" "$(header Content-Type)"
get /metrics -H 'Accept: text/plain;q=1, application/openmetrics-text;q=0.1'
expect_eq "text preferred: text" "text/plain; version=0.0.4; charset=utf-8" "$(header Content-Type)"
get /metrics -H 'Accept: Application/OpenMetrics-Text; version=1.0.0'
expect_eq "a media type in any case" "application/openmetrics-text; version=1.0.0; charset=utf-8" "$(header Content-Type)"
get /metrics -H 'Accept: application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1'
expect_eq "what Prometheus sends: OpenMetrics" "application/openmetrics-text; version=1.0.0; charset=utf-8" "$(header Content-Type)"

# /
get '/?utm_source=news'
expect_eq "the page takes a link's tracking parameters" 200 "$CODE"
get /
expect_eq "/: a page" "text/html; charset=utf-8" "$(header Content-Type)"
expect_grep "the latest rates" '<td>nbkr</td><td>USD</td><td class="n">87.5000 KGS</td>' "$T/out"
expect_grep "a chart inline" '<svg xmlns="http://www.w3.org/2000/svg"' "$T/out"

# HTTP caching
get '/v1/latest?from=USD'
tag=$(header ETag)
lm=$(header Last-Modified)
expect_grep "an ETag" '^"[0-9a-f]{16}"$' <(echo "$tag")
expect_grep "a Last-Modified" '^[A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9:]{8} GMT$' <(echo "$lm")
expect_eq "Cache-Control: --max-age" "public, max-age=30" "$(header Cache-Control)"
get '/v1/latest?from=USD' -H "If-None-Match: $tag"
expect_eq "If-None-Match: 304" 304 "$CODE"
expect_eq "the 304 names the tag" "$tag" "$(header ETag)"
expect_eq "and has no body" 0 "$(wc -c <"$T/out")"
get '/v1/latest?from=USD' -H "If-None-Match: \"x\", W/$tag"
expect_eq "a list, weak: 304" 304 "$CODE"
get '/v1/latest?from=USD' -H "If-None-Match: \"0000000000000000\""
expect_eq "another tag: 200" 200 "$CODE"
sleep 2 # a Last-Modified in this second or the last is not trusted
get '/v1/2025-12-19?from=USD'
dlm=$(header Last-Modified)
get '/v1/2025-12-19?from=USD' -H "If-Modified-Since: $dlm"
expect_eq "If-Modified-Since: 304" 304 "$CODE"
get '/v1/2025-12-19?from=USD' -H "If-Modified-Since: $(date -u -d "$dlm" '+%A, %d-%b-%y %H:%M:%S GMT')"
expect_eq "in RFC 850's form: 304" 304 "$CODE"
get '/v1/2025-12-19?from=USD' -H "If-Modified-Since: $(date -u -d "$dlm" '+%a %b %e %H:%M:%S %Y')"
expect_eq "in asctime's form: 304" 304 "$CODE"
get '/v1/2025-12-19?from=USD' -H "If-Modified-Since: Thu, 01 Jan 2099 00:00:00 GMT"
expect_eq "a date in the future is no date: 200" 200 "$CODE"
get '/v1/2025-12-19?from=USD' -H "If-Modified-Since: Thu, 01 Jan 2015 00:00:00 GMT"
expect_eq "modified since an old time: 200" 200 "$CODE"
get '/api/latest' -H "If-Modified-Since: $dlm"
expect_eq "/api/latest names the clock (an age): no 304 by date" 200 "$CODE"
get '/v1/latest?from=USD&amount=2'
expect_eq "another answer, another tag" 1 "$([ "$(header ETag)" != "$tag" ] && echo 1)"
get '/v1/latest?from=USD&to=XX'
expect_eq "an error has its tags too" 1 "$([ -n "$(header ETag)" ] && [ -n "$(header Last-Modified)" ] && echo 1)"
expect_eq "and is not kept" "no-cache" "$(header Cache-Control)"
page "$T/p4.html" 2025-12-21 10:00 87.60 102.80 1.12
sleep 1.1 # Last-Modified counts seconds
"$RATES" -q import "$T/p4.html"
get '/v1/latest?from=USD' -H "If-None-Match: $tag"
expect_eq "the database changed: 200" 200 "$CODE"
expect_grep "with the new rate" '"date":"2025-12-21","rates":\{.*"KGS":87.6' "$T/out"
expect_eq "a new tag" 1 "$([ "$(header ETag)" != "$tag" ] && echo 1)"
expect_eq "a later Last-Modified" 1 "$([ "$(date -d "$(header Last-Modified)" +%s)" -gt "$(date -d "$lm" +%s)" ] && echo 1)"
sleep 2
get '/v1/2025-12-19?from=USD' -H "If-Modified-Since: $dlm"
expect_eq "a day's answer after a write: 200 to its old date" 200 "$CODE"
get '/v1/2025-12-19?from=USD' -H "If-Modified-Since: $dlm"
expect_eq "modified since: 200" 200 "$CODE"

# A currency asked for whose value is more than 7 days old: a 404 naming it.
page "$T/p5.html" 2025-12-30 10:00 87.70 102.90 1.13
"$RATES" -q import "$T/p5.html"
get '/v1/2025-12-30?from=USD&to=KZT'
expect_file "to= a currency 11 days old: 404, naming it" "$T/out" '{"status":404,"message":"no rate of KZT on 2025-12-30 or in the 7 days before"}'
get '/v1/2025-12-30?from=USD'
expect_file "without to=: the currencies of the day" "$T/out" '{"amount":1.0,"base":"USD","date":"2025-12-30","rates":{"EUR":0.85228,"KGS":87.7,"RUB":77.611}}'
get '/v1/2025-12-30..2025-12-30?from=USD&to=KZT'
expect_file "a range without them: 404, naming the base" "$T/out" '{"status":404,"message":"no rates with base USD in 2025-12-30..2025-12-30"}'
get '/v1/2025-12-30?from=KZT'
expect_file "a base 11 days old: the last day it was in effect (24kg's 12-21, nbkr's KZT of 12-19)" "$T/out" '{"amount":1.0,"base":"KZT","date":"2025-12-21","rates":{"CNY":0.01384,"EUR":0.00166,"KGS":0.1702,"RUB":0.15196,"USD":0.00194}}'

# Two targets that decode alike are two answers.
get '/api/history?currency=USD%26rows%3Dall'
expect_eq "an encoded '&' is part of the value: 400" 400 "$CODE"
get '/api/history?currency=USD&rows=all'
expect_eq "and the plain one is answered" 200 "$CODE"
# Bodies.
head -c 40000 /dev/zero | tr '\0' a >"$T/body"
get /v1/currencies -X GET --data-binary "@$T/body"
expect_eq "a GET with a 40 kB body: 413" 413 "$CODE"
expect_grep "as JSON" '"status":413' "$T/out"
get /v1/currencies -X GET -H 'Transfer-Encoding: chunked' --data-binary x
expect_eq "a chunked GET: 413" 413 "$CODE"
get /v1/currencies -X GET --data-binary "@$T/p1.html"
expect_eq "a small body is dropped" 200 "$CODE"
get '/v1/latest?to='
expect_file "an empty to=" "$T/out" '{"status":400,"message":"to: no currency given"}'
# Right after a write, no Last-Modified: a date names a whole second.
"$RATES" -q import "$T/p4.html" "$T/p5.html" 2>/dev/null
page "$T/p6.html" 2025-12-31 10:00 87.80 103.00 1.14
"$RATES" -q import "$T/p6.html"
get '/v1/2025-12-19?from=USD'
expect_eq "an answer in the second of a write has no Last-Modified" "" "$(header Last-Modified)"
expect_eq "but an ETag" 1 "$([ -n "$(header ETag)" ] && echo 1)"
get /metrics
mtag=$(header ETag)
get /metrics -H "If-None-Match: $mtag"
expect_eq "/metrics: 304" 304 "$CODE"
expect_eq "which varies by Accept too" "Accept" "$(header Vary)"

get '/v1/1969-12-31..1970-01-02'
expect_file "days before 1970 are days" "$T/out" '{"status":404,"message":"no rates with base EUR in 1969-12-31..1970-01-02"}'
get '/v1/latest?amount=1e3'
expect_no_grep "an amount's error says the value once" "1e3'?: '1e3" "$T/out"
get '/v1/2025-12-18..2025-12-19?from=USD'
rlm=$(header Last-Modified)
sleep 1
get '/v1/2025-12-18..2025-12-19?from=USD' -H "If-Modified-Since: $rlm"
expect_eq "a range (it may end today) is never answered by date" 200 "$CODE"
sqlite3 "$RATES_DB" "INSERT INTO sample VALUES ('nbkr', 'XAG', 1766080800, 1766080800, '0.000001', 1)"
get '/v1/2025-12-19?from=XAG&to=USD'
expect_file "a rate too small for six places: five digits" "$T/out" '{"amount":1.0,"base":"XAG","date":"2025-12-19","rates":{"USD":1.1429e-08}}'
expect_eq "which JSON reads" "1.1429e-08" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["rates"]["USD"])' "$T/out")"
sqlite3 "$RATES_DB" "DELETE FROM sample WHERE currency = 'XAG'"

# A source east of Bishkek: its today may be Bishkek's tomorrow.
printf '[source east]\nurl = http://127.0.0.1:1/x\ntype = nbkr-xml\ncurrencies = USD\nutc_offset = +14:00\n' >"$T/east.conf"
now=$(date +%s)
sqlite3 "$RATES_DB" "INSERT INTO sample VALUES ('east', 'USD', $now, $now, '90.00', 90000000)"
"$RATES" -c "$T/east.conf" serve --listen 127.0.0.1:0 2>"$T/east.log" &
east_pid=$!
KILL_PIDS="$KILL_PIDS $east_pid"
wait_for 10 grep -q serving "$T/east.log"
east_url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$T/east.log")
expect_grep "/v1/latest has the newest value of a source east of Bishkek" '"rates":\{"KGS":90.0\}' \
    <(curl -s --max-time 5 "$east_url/v1/latest?from=USD&to=KGS")
kill "$east_pid"
wait "$east_pid"
sqlite3 "$RATES_DB" "DELETE FROM sample WHERE source = 'east'"

# A hang-up is not a stop.
kill -HUP "$SERVE_PID"
sleep 0.3
get /api/latest
expect_eq "SIGHUP: still serving" 200 "$CODE"

# The database replaced under it (a restored backup): the new one is read.
"$RATES" backup "$T/copy.db" 2>/dev/null
sqlite3 "$T/copy.db" "DELETE FROM sample WHERE source = '24kg'"
mv "$T/copy.db" "$RATES_DB"
rm -f "$RATES_DB-wal" "$RATES_DB-shm"
sleep 1.1
get '/api/latest'
expect_no_grep "the database put in its place is read" '"source": "24kg"' "$T/out"
mv "$RATES_DB" "$T/gone.db"
sleep 1.1
get '/api/latest'
expect_eq "the database gone: 503, not old answers" 503 "$CODE"
mv "$T/gone.db" "$RATES_DB"

# It stops on SIGTERM, with status 0.
kill -TERM "$SERVE_PID"
wait "$SERVE_PID"
expect_eq "SIGTERM: exit 0" 0 "$?"
expect_grep "says so" 'serve: stopped' "$T/serve.log"

# A database this user may not write (root is run as nobody for it):
# opened read-only, as it is.
as_reader() {
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/nonexistent "$@"
	else
		"$@"
	fi
}
RO=$(mktemp -d "${TMPDIR:-/tmp}/rates-ro.XXXXXX")
"$RATES" backup "$RO/ro.db" 2>/dev/null
chmod 755 "$RO"
chmod 444 "$RO/ro.db"
chmod 555 "$RO"
if as_reader "$RATES" --version >/dev/null 2>&1 && ! as_reader sh -c ": >>'$RO/ro.db'" 2>/dev/null; then
	expect_code 0 "latest from a database it may not write" as_reader "$RATES" -d "$RO/ro.db" latest --format csv
	expect_grep "reads it" '^nbkr,USD,87.5000,' "$T/out"
	# Not through the function: $! must be serve itself (setpriv and
	# env exec it), or a kill would leave it running.
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/nonexistent \
		    "$RATES" -d "$RO/ro.db" serve --listen 127.0.0.1:0 2>"$T/ro.log" &
	else
		"$RATES" -d "$RO/ro.db" serve --listen 127.0.0.1:0 2>"$T/ro.log" &
	fi
	ro_pid=$!
	KILL_PIDS="$KILL_PIDS $ro_pid"
	wait_for 10 grep -q serving "$T/ro.log"
	ro_url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$T/ro.log")
	expect_eq "serve too" '{"amount":1.0,"base":"USD","date":"2025-12-18","rates":{"KGS":87.45}}' \
	    "$(curl -s --max-time 5 "$ro_url/v1/2025-12-18?from=USD&to=KGS")"
	expect_eq "nothing written beside it" "ro.db" "$(ls "$RO")"
	if [ "$(id -u)" -eq 0 ]; then
		# A writer comes (root may write what nobody may not).
		feed "$T/ro.xml" 20.12.2025 USD 1 88,0000 EUR 1 103,0000 CNY 1 12,3000 KZT 10 1,7020 RUB 1 1,1100
		"$RATES" -q -d "$RO/ro.db" import --source nbkr "$T/ro.xml"
		sleep 1.2
		expect_eq "a writer's change is seen" '{"amount":1.0,"base":"USD","date":"2025-12-20","rates":{"KGS":88.0}}' \
		    "$(curl -s --max-time 5 "$ro_url/v1/2025-12-20?from=USD&to=KGS")"
	fi
	kill "$ro_pid"
	wait "$ro_pid"
else
	N_SKIP=$((N_SKIP + 1)); echo "skip - a read-only database (no user here that may not write it)"
fi
chmod 755 "$RO"
rm -rf "$RO"

# One thread; a currency stored with a NUL in it, or as a blob, by hand.
sqlite3 "$RATES_DB" "INSERT INTO sample VALUES ('nbkr', 'X' || char(0) || 'Y', 1766300000, 1766300000, '6.00', 6000000);
    INSERT INTO sample VALUES ('nbkr', x'41', 1766300000, 1766300000, '6.00', 6000000)"
expect_code 0 "latest lists the series once each" timeout 10 "$RATES" latest
start_serve --threads 1
get /api/latest --max-time 5
expect_eq "serve too" 200 "$CODE"
get /v1/currencies
expect_eq "and /v1/ has only ISO codes" 1 "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(int(all(len(k) == 3 and k.isalpha() and k.isupper() for k in d)))' "$T/out")"
expect_no_grep "--threads 1: no warning" 'hread pool' "$T/serve.log"
kill "$SERVE_PID"
wait "$SERVE_PID"
finish
