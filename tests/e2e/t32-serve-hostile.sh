# t32-serve-hostile: rates serve under hostile requests (tests/http_hostile.py,
# raw sockets): huge targets and headers, bad encodings, garbage, bodies,
# pipelining, a client that sends a byte at a time, a thousand connections.
# Then serve is still answering, and stops cleanly.
. "$(dirname "$0")/lib.sh"

if ! command -v curl >/dev/null; then
	N_SKIP=$((N_SKIP + 1)); echo "skip - serve under hostile requests (curl is not installed)"
	finish; exit
fi
page "$T/p1.html" 2025-12-18 09:00 87.40 102.40 1.10
"$RATES" -q import "$T/p1.html"
start_serve --timeout 2 --max-connections 1100
port2=${SERVE##*:}
pid2=$SERVE_PID
start_serve --timeout 2 --max-connections 64
port=${SERVE##*:}
timeout 150 python3 "$TOP/tests/http_hostile.py" 127.0.0.1 "$port" 2 64 "$port2"
expect_eq "the hostile suite ran to its end" 1 "$([ $? -le 1 ] && echo 1)"
rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid2/status" 2>/dev/null)
expect_eq "the server that held a thousand stays small ($rss kB)" 1 "$([ -n "$rss" ] && [ "$rss" -lt 65536 ] && echo 1)"
kill "$pid2"
rss=$(awk '/VmRSS/ {print $2}' "/proc/$SERVE_PID/status" 2>/dev/null)
expect_eq "serve's memory stays small after it ($rss kB)" 1 "$([ -n "$rss" ] && [ "$rss" -lt 65536 ] && echo 1)"
get '/v1/latest?from=USD&to=KGS'
expect_file "and answers" "$T/out" '{"amount":1.0,"base":"USD","date":"2025-12-18","rates":{"KGS":87.4}}'
kill -TERM "$SERVE_PID"
wait "$SERVE_PID"
expect_eq "SIGTERM: exit 0" 0 "$?"
finish
