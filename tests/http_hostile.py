#!/usr/bin/env python3
"""http_hostile.py HOST PORT TIMEOUT MAXCONN: hostile requests to rates
serve, over raw sockets.  Prints one "ok - ..."/"not ok - ..." line per
check (tests/run counts them).  serve runs with --timeout TIMEOUT and
--max-connections MAXCONN.  Every socket has a deadline: nothing here
waits for ever."""
import re
import resource
import socket
import sys
import time

HOST, PORT = sys.argv[1], int(sys.argv[2])
TIMEOUT, MAXCONN = int(sys.argv[3]), int(sys.argv[4])
failed = 0


def check(ok, desc, detail=""):
    global failed
    if ok:
        print("ok - " + desc)
    else:
        failed += 1
        print("not ok - " + desc)
        if detail:
            for line in str(detail).splitlines()[:10]:
                print("#   " + line)


def connect(timeout=5.0):
    s = socket.create_connection((HOST, PORT), timeout=timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def exchange(raw, timeout=5.0, half_close=True):
    """Send raw bytes, read until the server closes: the whole answer."""
    s = connect(timeout)
    try:
        try:
            s.sendall(raw)
            if half_close:
                s.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # refused before it was all sent: read what it said
        out = b""
        while True:
            b = s.recv(65536)
            if not b:
                break
            out += b
        return out
    except OSError as e:
        return b"ERROR " + str(e).encode()
    finally:
        s.close()


def status(answer):
    try:
        return int(answer.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return None


def fine():
    """Is serve answering a plain request, quickly?"""
    t = time.monotonic()
    a = exchange(b"GET /v1/latest?from=USD HTTP/1.1\r\nHost: x\r\n"
                 b"Connection: close\r\n\r\n")
    return status(a) == 200 and time.monotonic() - t < 2.0


def get(target):
    return exchange(b"GET " + target + b" HTTP/1.1\r\nHost: x\r\n"
                    b"Connection: close\r\n\r\n")


# Huge and bad targets.
a = get(b"/v1/latest?x=" + b"a" * 100000)
check(status(a) in (414, 431, 400), "a 100 kB target: refused (%s)" % status(a), a[:200])
a = get(b"/api/latest?" + b"a" * 5000)
check(status(a) == 414 and b'"status":414' in a, "a 5 kB target: 414, as JSON", a[:300])
a = exchange(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 100000 + b"\r\n\r\n")
check(status(a) in (431, 413, 400) or a == b"", "a 100 kB header: refused (%s)" % status(a), a[:200])
many = b"".join(b"X-H%d: v\r\n" % i for i in range(5000))
a = exchange(b"GET / HTTP/1.1\r\nHost: x\r\n" + many + b"\r\n")
check(status(a) in (431, 413, 400) or a == b"", "5000 headers: refused (%s)" % status(a), a[:200])
for target, what in ((b"/api/latest?format=%zz", "a bad escape"),
                     (b"/api/latest?format=%00json", "an escaped NUL"),
                     (b"/api/latest?format=%c0%af", "overlong UTF-8"),
                     (b"/api/latest?format=%ed%a0%80", "a UTF-16 surrogate"),
                     (b"/api/at/%ff", "a byte that is not UTF-8, in the path"),
                     (b"/api/latest?format=a%0d%0aSet-Cookie:x", "CR LF, escaped"),
                     (b"/api/latest?=x", "a parameter without a name"),
                     (b"/api/latest?" + b"&".join(b"p%d=1" % i for i in range(40)), "40 parameters"),
                     (b"/api/latest?format=" + b"j" * 1000, "a 1000-byte value")):
    a = get(target)
    check(status(a) == 400 and a.rstrip().endswith(b"}") and b'"status":400' in a,
          "%s: 400, as JSON" % what, a[:400])
    check(b"Set-Cookie" not in a.split(b"\r\n\r\n")[0], "%s: no header made of it" % what)
a = exchange(b"GET /v1/latest\xff HTTP/1.1\r\nHost: x\r\n\r\n")
check(status(a) in (400, None) or a == b"", "a raw 0xff in the request line: refused (%s)" % status(a), a[:200])
a = exchange(b"GARBAGE\r\n\r\n")
check(status(a) in (400, 505, None), "a request line that is not one: refused (%s)" % status(a), a[:200])
a = exchange(b"GET / HTTP/9.9\r\nHost: x\r\n\r\n")
check(status(a) in (505, 400), "HTTP/9.9: refused (%s)" % status(a), a[:200])
a = exchange(b"GET /v1/latest?from=USD HTTP/1.1\r\n\r\n")
check(status(a) == 400, "HTTP/1.1 without Host: 400 (%s)" % status(a), a[:200])
a = exchange(b"GET /v1/latest?from=USD HTTP/1.0\r\n\r\n")
check(status(a) == 200, "HTTP/1.0 is answered", a[:200])
a = exchange(b"GET /api/latest HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n" + b"z" * 70000)
check(status(a) in (413, 400) or a == b"" or a.startswith(b"ERROR"),
      "a GET with a 100 MB body: not read (%s)" % status(a), a[:200])
a = exchange(b"POST /api/latest HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
             b"10\r\n0123456789abcdef\r\n0\r\n\r\n")
check(status(a) == 405, "POST, chunked: 405", a[:200])

# Three requests in one write: three answers, in order.
a = exchange(b"GET /v1/latest?from=USD HTTP/1.1\r\nHost: x\r\n\r\n"
             b"GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
             b"GET /v1/currencies HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
             half_close=False)
codes = [int(c) for c in re.findall(rb"(?:^|\n)HTTP/1\.1 (\d{3}) ", a)]
check(codes == [200, 404, 200], "pipelined requests: 200, 404, 200", codes)

# Slowloris: a client that sends a byte at a time, each before the idle
# timeout, holds no thread (others are answered at once) and is cut off
# when its request has not come whole in TIMEOUT seconds.
slow = connect(timeout=TIMEOUT * 4 + 5)
head = b"GET /v1/latest HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"s" * 1000
t0 = time.monotonic()
answered = 0
cut = None
i = 0
while time.monotonic() - t0 < TIMEOUT * 3 + 3:
    try:
        slow.send(head[i:i + 1])
        i += 1
    except OSError:
        cut = time.monotonic() - t0
        break
    if i % 4 == 0 and fine():
        answered += 1
    slow.settimeout(0.25)
    try:
        if slow.recv(100) == b"":
            cut = time.monotonic() - t0
            break
    except socket.timeout:
        pass
    except OSError:
        cut = time.monotonic() - t0
        break
check(answered > 0, "others are answered while a client sends a byte at a time (%d)" % answered)
check(cut is not None and cut < TIMEOUT + 3,
      "the byte-at-a-time client is cut off in about %ds (%s)" % (TIMEOUT, None if cut is None else "%.1fs" % cut))
slow.close()

# Idle connections, four times the limit: those past it wait to be
# accepted, and each is closed TIMEOUT seconds after; then all are gone.
def hold(n):
    held = []
    for _ in range(n):
        try:
            held.append(connect(timeout=2))
        except OSError:
            break
    return held


def count_closed(held, wait):
    """How many of held the server has closed, waiting up to wait s."""
    deadline = time.monotonic() + wait
    closed = set()
    while time.monotonic() < deadline and len(closed) < len(held):
        for i, s in enumerate(held):
            if i in closed:
                continue
            s.settimeout(0.001)
            try:
                if s.recv(1) == b"":
                    closed.add(i)
            except socket.timeout:
                pass
            except OSError:
                closed.add(i)
        time.sleep(0.1)
    for s in held:
        s.close()
    return len(closed)


held = hold(MAXCONN * 4)
check(len(held) == MAXCONN * 4, "%d idle connections opened" % len(held))
wait = (len(held) // MAXCONN + 1) * (TIMEOUT + 1) + 5
closed = count_closed(held, wait)
check(closed == len(held), "all closed by serve within %ds (%d)" % (wait, closed))
check(fine(), "serve answers after them")

# A thousand, under a limit above that (serve raises its open files to it).
if len(sys.argv) > 5:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    port2 = int(sys.argv[5])
    PORT = port2
    held = hold(1000)
    check(len(held) == 1000, "a thousand idle connections opened (%d)" % len(held))
    check(fine(), "a request among a thousand idle connections is answered at once")
    closed = count_closed(held, TIMEOUT + 5)
    check(closed == len(held), "and they are closed after %ds (%d)" % (TIMEOUT, closed))
check(fine(), "serve answers after all that")
sys.exit(1 if failed else 0)
