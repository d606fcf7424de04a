#!/usr/bin/env python3
"""A local HTTP server for the end-to-end tests, on 127.0.0.1 and a random
port.  It serves canned pages and misbehaves on purpose.

  /data/NAME        tests/data/NAME (or --root)
  /www/NAME         a file from --www (pages a test wrote)
  /fixture          the shared capture given by --fixture
  /status/CODE      that status, with a short body
  /empty            200 with an empty body
  /binary           200 with 64 KiB of bytes that are no page
  /huge             200 with 9 MiB (over the 8 MiB limit)
  /gzip-bomb        a small gzip body that inflates to 16 MiB
  /short            Content-Length larger than the body, then close
  /stall            headers, then nothing (until the client gives up)
  /drip             headers, then a byte a second
  /reset            headers and part of the body, then a TCP reset
  /huge100          100 MB, chunked (no Content-Length to refuse early)
  /redirect/N       N redirects, then /fixture
  /redirect-loop    a redirect to itself
  /redirect-to?u=X  a redirect to X (another scheme, say)
  /archive/MODE/index1.jsp?valuta_id=ID&beg_day=..&end_year=..
                    a stand-in for the National Bank's archive: a row a
                    day of the range, newest first, each value made from
                    the currency and the day.  MODE misbehaves on demand:
                    ok; flaky (each query first answers 503), drop (first
                    closes the connection unanswered), garbage (first sends
                    rows that do not parse); dead-ID (valuta_id ID always
                    503); bad-YEAR (ranges of YEAR always rows that do not
                    parse); slow (a second before each answer); empty
                    (a table without rows); twice (the newest day twice,
                    with two values).

Files are served with an ETag and a Last-Modified, and answer a matching
If-None-Match or If-Modified-Since with 304 (with ?etag=X the tag is X,
the same for every page); with ?gzip they are sent
gzip-encoded to a client that accepts it.  /www/NAME answers 503 while a
file NAME.down exists beside it (a source that fails, then recovers).

Every request is appended to --log as "METHOD PATH\\tUser-Agent\\tAccept\\t
Accept-Encoding\\tIf-None-Match\\tclient port\\tsent encoding".  The server exits after --lifetime seconds whatever
happens, so that a test that dies cannot leave it behind.
"""
import argparse
import datetime
import email.utils
import socket
import struct
import gzip
import hashlib
import os
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def setup(self):
        super().setup()
        # No Nagle: on a connection kept alive, an answer's last segment
        # would otherwise wait out the client's delayed ACK (40 ms).
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, fmt, *args):
        pass

    def send(self, code, body, ctype="text/html; charset=utf-8", extra=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def redirect(self, where):
        self.send(302, b"moved\n", extra=[("Location", where)])

    def serve_file(self, path, query):
        if os.path.exists(path + ".down"):
            self.send(503, b"down\n")
            return
        try:
            with open(path, "rb") as f:
                body = f.read()
            mtime = os.stat(path).st_mtime
        except OSError:
            self.send(404, b"not found\n")
            return
        etag = '"%s"' % hashlib.sha1(body).hexdigest()[:16]
        if "etag" in query:
            # One tag for all pages, as a site whose tag is its version.
            etag = '"%s"' % query["etag"][0]
        modified = email.utils.formatdate(mtime, usegmt=True)
        validators = [("ETag", etag), ("Last-Modified", modified)]
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            for k, v in validators:
                self.send_header(k, v)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if "gzip" in query and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body)
            validators.append(("Content-Encoding", "gzip"))
            self.encoding = "gzip"
        self.send(200, body, extra=validators)

    def do_GET(self):
        self.encoding = ""
        try:
            self.route()
        finally:
            with open(self.server.opts.log, "a") as log:
                log.write("%s %s\t%s\t%s\t%s\t%s\t%d\t%s\n" % (
                    self.command, self.path,
                    self.headers.get("User-Agent", ""),
                    self.headers.get("Accept", ""),
                    self.headers.get("Accept-Encoding", ""),
                    self.headers.get("If-None-Match", ""),
                    self.client_address[1], self.encoding))

    def route(self):
        opts = self.server.opts
        url = urllib.parse.urlsplit(self.path)
        path, query = url.path, urllib.parse.parse_qs(url.query, keep_blank_values=True)
        parts = path.strip("/").split("/", 1)
        head, rest = parts[0], parts[1] if len(parts) > 1 else ""
        if head == "data" and "/" not in rest and rest:
            self.serve_file(os.path.join(opts.root, rest), query)
        elif head == "www" and "/" not in rest and rest and opts.www:
            self.serve_file(os.path.join(opts.www, rest), query)
        elif head == "fixture":
            self.serve_file(opts.fixture, query)
        elif head == "status":
            self.send(int(rest), b"status %s\n" % rest.encode())
        elif head == "empty":
            self.send(200, b"")
        elif head == "binary":
            body = bytes((i * 7919 + 13) % 256 for i in range(65536))
            self.send(200, body, "application/octet-stream")
        elif head == "huge":
            self.send(200, b"x" * (9 * 1024 * 1024))
        elif head == "gzip-bomb":
            body = gzip.compress(b"\0" * (16 * 1024 * 1024))
            self.send(200, body, extra=[("Content-Encoding", "gzip")])
        elif head == "short":
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b"<html>USD 87.45 EUR 102.48 RUB")
            self.wfile.flush()
            self.close_connection = True
        elif head == "stall":
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.flush()
            time.sleep(opts.stall)
            self.close_connection = True
        elif head == "drip":
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.close_connection = True
            try:
                for _ in range(int(opts.stall) + 40):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(1)
            except OSError:
                pass
        elif head == "reset":
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b"<html>USD 87.45 EUR 102.48 " + b" " * 2000)
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.close_connection = True
        elif head == "huge100":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.close_connection = True
            chunk = b"%x\r\n%s\r\n" % (65536, b"y" * 65536)
            try:
                for _ in range(1600):
                    self.wfile.write(chunk)
                self.wfile.write(b"0\r\n\r\n")
            except OSError:
                pass
        elif head == "archive":
            self.archive(rest.split("/", 1)[0], query)
        elif head == "redirect":
            n = int(rest)
            self.redirect("/redirect/%d" % (n - 1) if n > 1 else "/fixture")
        elif head == "redirect-loop":
            self.redirect("/redirect-loop")
        elif head == "redirect-to":
            self.redirect(query.get("u", ["/"])[0])
        else:
            self.send(404, b"not found\n")

    do_HEAD = do_GET

    def archive(self, mode, query):
        opts = self.server.opts
        with open(opts.log + ".archive", "a") as log:
            log.write("%.3f\t%d\t%s\n" % (time.time(), self.client_address[1],
                                          self.path.split("?", 1)[-1]))
        try:
            q = {k: query[k][0] for k in ("valuta_id", "beg_day", "beg_month",
                 "beg_year", "end_day", "end_month", "end_year")}
            ident = int(q["valuta_id"])
            beg = datetime.date(int(q["beg_year"]), int(q["beg_month"]), int(q["beg_day"]))
            end = datetime.date(int(q["end_year"]), int(q["end_month"]), int(q["end_day"]))
        except (KeyError, ValueError):
            self.send(400, b"bad query\n")
            return
        key = self.path
        with self.server.lock:
            first = key not in self.server.seen
            self.server.seen.add(key)
        if mode == "slow":
            time.sleep(1)
        if (mode == "flaky" and first) or mode == "dead-%d" % ident:
            self.send(503, b"<html><body>Service Unavailable</body></html>")
            return
        if mode == "drop" and first:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        bad = (mode == "garbage" and first) or mode == "bad-%d" % beg.year
        rows = []
        if mode == "empty":
            end = beg - datetime.timedelta(days=1)
        day = end
        while day >= beg:
            n = day.toordinal()
            value = "%d,%04d" % (ident + 30 + n % 7, (n * 37 + ident) % 10000)
            if bad and not rows:
                value = "4O,12"  # a letter O for a zero
            rows.append("<tr><td><!--date-->%s<!--date--></td><td><!--value-->"
                        "%s<!--value--></td></tr>" % (day.strftime("%d.%m.%Y"), value))
            day -= datetime.timedelta(days=1)
        if mode == "twice" and rows:
            rows.insert(1, rows[0].replace("<!--value-->", "<!--value-->1", 1))
        body = ("<html><head><title>Archive</title></head><body><table>%s</table>"
                "</body></html>" % "".join(rows)).encode()
        self.send(200, body, "text/html;charset=UTF-8")


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # clients that give up on purpose are the point of the tests


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--root", required=True)
    p.add_argument("--www")
    p.add_argument("--fixture", required=True)
    p.add_argument("--port-file", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--lifetime", type=float, default=300)
    p.add_argument("--stall", type=float, default=30)
    opts = p.parse_args()

    server = Server(("127.0.0.1", 0), Handler)
    server.opts = opts
    server.lock = threading.Lock()
    server.seen = set()
    tmp = opts.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(tmp, opts.port_file)
    threading.Timer(opts.lifetime, lambda: os._exit(0)).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    sys.exit(0)


if __name__ == "__main__":
    main()
