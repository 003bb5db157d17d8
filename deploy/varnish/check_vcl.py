#!/usr/bin/python3
"""Run deploy/varnish/feedd.vcl in real varnishd edges in front of a fake origin.

Starts a small origin (http.server, standard library only) that answers like
feedd (strong ETag per representation, gzip, Last-Modified, Vary,
Cache-Control with stale-while-revalidate / stale-if-error, an `xkey`
header, 304 to If-None-Match / If-Modified-Since, /readyz), then one or more
varnishd instances on 127.0.0.1 with the VCL (its backend pointed at the
origin), and checks what docs/scaling.md promises: hits, the edge's own 304s,
one object per representation, soft and hard purges by key from the ACL and
refused from elsewhere, stale-while-revalidate, and stale-if-error with the
origin stopped.

Prints PASS/FAIL per check and exits 1 if any check failed (2 if varnishd
cannot be started). Needs Debian's `varnish` and `varnish-modules`
(apt-get install varnish varnish-modules). Everything it starts listens on
loopback and is stopped at exit.

    deploy/varnish/check_vcl.py [--edges N] [--vcl FILE] [-p NAME=VALUE] [--keep]

The pieces (FakeOrigin, Edge, http_request, vcl_for_backend) are meant to be
reused by the fleet test against a real feedd.
"""

import argparse
import email.utils
import gzip
import hashlib
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from check_support import Checks, free_port  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_VCL = os.path.join(HERE, "feedd.vcl")
OPTIONAL_BLOCKS = ("purge-secret", "vsthrottle")


# --------------------------------------------------------------------------
# VCL helpers


def enable_blocks(vcl, names):
    """Uncomment the `# BEGIN name` ... `# END name` blocks (lines `#| ...`)."""
    out, current = [], None
    for line in vcl.splitlines(keepends=True):
        m = re.match(r"\s*# (BEGIN|END) ([\w-]+)\s*$", line)
        if m:
            current = m.group(2) if m.group(1) == "BEGIN" else None
            out.append(line)
            continue
        if current in names:
            line = re.sub(r"^(\s*)#\| ?", r"\1", line)
        out.append(line)
    return "".join(out)


def vcl_for_backend(vcl, host, port):
    """The VCL with `backend feedd`'s .host and .port replaced."""
    m = re.search(r"backend feedd \{.*?\n\}", vcl, re.S)
    if not m:
        raise ValueError("no `backend feedd { ... }` block in the VCL")
    block = re.sub(r'\.host = "[^"]*";', '.host = "%s";' % host, m.group(0), 1)
    block = re.sub(r'\.port = "[^"]*";', '.port = "%d";' % port, block, 1)
    return vcl[: m.start()] + block + vcl[m.end():]


def compile_vcl(varnishd, vcl_text, workdir):
    path = os.path.join(workdir, "compile.vcl")
    with open(path, "w") as f:
        f.write(vcl_text)
    p = subprocess.run([varnishd, "-C", "-j", "none", "-f", path,
                        "-n", os.path.join(workdir, "vcc")],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return p.returncode, p.stderr


# --------------------------------------------------------------------------
# The fake origin


class Doc:
    def __init__(self, path, cache_control, xkey, content_type="application/rss+xml; charset=utf-8",
                 vary="Accept-Encoding, Accept"):
        self.path = path
        self.cache_control = cache_control
        self.xkey = xkey
        self.content_type = content_type
        self.vary = vary
        self.version = 0
        self.set_version(1)

    def set_version(self, version):
        self.version = version
        self.body = ("<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>%s v%d</title>"
                     "%s</channel></rss>\n" % (self.path, version, "<item/>" * 200)).encode()
        self.gzip_body = gzip.compress(self.body, mtime=0)
        digest = hashlib.sha256(self.body).hexdigest()[:16]
        self.etag = '"%s"' % digest
        self.gzip_etag = '"%s-gz"' % digest
        self.last_modified = email.utils.formatdate(1700000000 + version * 60, usegmt=True)


class OriginLog:
    def __init__(self):
        self.lock = threading.Lock()
        self.entries = []  # dicts: path, ae, inm, ims, status, t

    def add(self, **kw):
        with self.lock:
            self.entries.append(kw)

    def count(self, path=None):
        with self.lock:
            return len([e for e in self.entries if path is None or e["path"] == path])

    def since(self, n, path=None):
        with self.lock:
            return [e for e in self.entries[n:] if path is None or e["path"] == path]

    def mark(self):
        with self.lock:
            return len(self.entries)


class FakeOrigin:
    """An origin that answers like feedd. stop() and start() keep the port."""

    def __init__(self, host="127.0.0.1", port=0):
        self.host = host
        self.port = port or free_port(host)
        self.docs = {}
        self.log = OriginLog()
        self.fail_with = None  # e.g. 503: answer every document with it
        self.server = None
        self.thread = None
        self.conns = set()
        self.conns_lock = threading.Lock()

    def add(self, doc):
        self.docs[doc.path] = doc
        return doc

    def start(self):
        origin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True   # headers and body go out in two writes

            def log_message(self, *args):
                pass

            def setup(self):
                super().setup()
                with origin.conns_lock:
                    origin.conns.add(self.connection)

            def finish(self):
                with origin.conns_lock:
                    origin.conns.discard(self.connection)
                try:
                    super().finish()
                except OSError:
                    pass

            def do_HEAD(self):
                self.do_GET(head=True)

            def do_GET(self, head=False):
                path = self.path.split("?", 1)[0]
                if path in ("/readyz", "/livez"):
                    return self.reply(200, b"ready\n", {"Content-Type": "text/plain",
                                                       "Cache-Control": "no-store"}, head)
                ae = self.headers.get("Accept-Encoding")
                inm = self.headers.get("If-None-Match")
                ims = self.headers.get("If-Modified-Since")
                doc = origin.docs.get(path)
                status = 404 if doc is None else (origin.fail_with or 200)
                if doc is None or status != 200:
                    origin.log.add(path=path, ae=ae, inm=inm, ims=ims, status=status,
                                   t=time.monotonic())
                    return self.reply(status, b"no\n", {"Content-Type": "text/plain"}, head)
                use_gzip = bool(ae and re.search(r"\bgzip\b", ae))
                browser = "text/html" in (self.headers.get("Accept") or "")
                etag = doc.gzip_etag if use_gzip else doc.etag
                if browser:
                    etag = etag[:-1] + '-xml"'
                headers = {
                    "ETag": etag,
                    "Last-Modified": doc.last_modified,
                    "Cache-Control": doc.cache_control,
                    "Vary": doc.vary,
                    "xkey": doc.xkey,
                    "Content-Type": "application/xml; charset=utf-8" if browser
                    else doc.content_type,
                }
                if use_gzip:
                    headers["Content-Encoding"] = "gzip"
                not_modified = False
                if inm is not None:
                    tags = [t.strip() for t in inm.split(",")]
                    not_modified = "*" in tags or any(
                        t.removeprefix("W/") == etag for t in tags)
                elif ims is not None:
                    not_modified = ims == doc.last_modified
                status = 304 if not_modified else 200
                origin.log.add(path=path, ae=ae, inm=inm, ims=ims, status=status,
                               t=time.monotonic())
                body = b"" if not_modified else (doc.gzip_body if use_gzip else doc.body)
                self.reply(status, body, headers, head or not_modified)

            def reply(self, status, body, headers, head):
                self.send_response(status)
                for k, v in headers.items():
                    for one in (v if isinstance(v, list) else [v]):   # xkey: several lines
                        self.send_header(k, one)
                if status != 304:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if not head:
                    self.wfile.write(body)

        ThreadingHTTPServer.allow_reuse_address = True
        ThreadingHTTPServer.daemon_threads = True
        self.server = ThreadingHTTPServer((self.host, self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        """Stops listening and closes every open connection (the edges keep
        theirs alive: without this they would still reach a stopped origin)."""
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
        with self.conns_lock:
            conns, self.conns = list(self.conns), set()
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


# --------------------------------------------------------------------------
# varnishd edges


class Edge:
    """One varnishd in the foreground (-F) on 127.0.0.1:port, in its own
    process group; stop() ends that group (the manager and its child)."""

    def __init__(self, varnishd, vcl_text, workdir, name, port=0, params=()):
        self.varnishd = varnishd
        self.name = name
        self.port = port or free_port()
        self.dir = os.path.join(workdir, name)
        os.makedirs(self.dir, exist_ok=True)
        self.vcl_path = os.path.join(self.dir, "feedd.vcl")
        with open(self.vcl_path, "w") as f:
            f.write(vcl_text)
        self.params = list(params)
        self.proc = None
        self.logfile = os.path.join(self.dir, "varnishd.log")

    def start(self, timeout=30):
        cmd = [self.varnishd, "-F", "-j", "none", "-n", os.path.join(self.dir, "n"),
               "-a", "127.0.0.1:%d" % self.port, "-T", "none", "-f", self.vcl_path,
               "-s", "malloc,64m", "-l", "16m"]
        for p in self.params:
            cmd += ["-p", p]
        self.log_fh = open(self.logfile, "w")
        self.proc = subprocess.Popen(cmd, stdout=self.log_fh, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("varnishd %s exited: %s" % (self.name, self.log_text()))
            try:
                status, _, _ = http_request(self.port, "GET", "/livez", timeout=2)
                if status in (200, 503):
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("varnishd %s did not answer on %d" % (self.name, self.port))

    def log_text(self):
        try:
            with open(self.logfile) as f:
                return f.read()[-2000:]
        except OSError:
            return ""

    def stop(self):
        if self.proc and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait()
        self.proc = None


def http_request(port, method, path, headers=None, source=None, timeout=10, host="127.0.0.1"):
    """One request on a new connection; returns (status, headers dict lower-cased, body)."""
    conn = http.client.HTTPConnection(host, port, timeout=timeout,
                                      source_address=(source, 0) if source else None)
    try:
        conn.request(method, path, headers=headers or {})
        resp = conn.getresponse()
        body = resp.read()
        hdrs = {}
        for k, v in resp.getheaders():
            hdrs[k.lower()] = hdrs[k.lower()] + ", " + v if k.lower() in hdrs else v
        return resp.status, hdrs, body
    finally:
        conn.close()


# --------------------------------------------------------------------------
# Checks



def wait_for(pred, timeout, step=0.01):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(step)
    return pred()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--vcl", default=DEFAULT_VCL)
    ap.add_argument("--varnishd", default=shutil.which("varnishd") or "/usr/sbin/varnishd")
    ap.add_argument("--edges", type=int, default=2, help="varnishd instances (default 2)")
    ap.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE",
                    help="a varnishd parameter for the edges (repeatable)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder (logs, VCLs)")
    args = ap.parse_args()

    if not os.path.exists(args.varnishd):
        print("FAIL setup: no varnishd (apt-get install varnish varnish-modules)")
        return 2
    with open(args.vcl) as f:
        vcl = f.read()

    work = tempfile.mkdtemp(prefix="feedd-vcl-check-")
    checks = Checks()
    origin = FakeOrigin()
    edges = []
    try:
        # -- compile ----------------------------------------------------------
        rc, err = compile_vcl(args.varnishd, vcl, work)
        checks.report("compile", rc == 0, "varnishd -C -f %s" % args.vcl if rc == 0 else err[-800:])
        rc, err = compile_vcl(args.varnishd, enable_blocks(vcl, OPTIONAL_BLOCKS), work)
        checks.report("compile-optional-blocks", rc == 0,
                      "with " + ", ".join(OPTIONAL_BLOCKS) + " enabled" if rc == 0 else err[-800:])

        # -- start ------------------------------------------------------------
        feed = origin.add(Doc("/feed.rss",
                              "public, max-age=300, stale-while-revalidate=30, stale-if-error=86400",
                              "doc:/feed.rss feed:main article:abc"))
        other = origin.add(Doc("/category/world/feed.rss",
                               "public, max-age=300, stale-while-revalidate=30, stale-if-error=86400",
                               "doc:/category/world/feed.rss feed:cat-world article:def"))
        swr = origin.add(Doc("/swr.rss",
                             "public, max-age=1, stale-while-revalidate=2, stale-if-error=86400",
                             "doc:/swr.rss"))
        past = origin.add(Doc("/past.rss",
                              "public, max-age=1, stale-while-revalidate=1, stale-if-error=86400",
                              "doc:/past.rss"))
        banned = origin.add(Doc("/ban.rss", "public, max-age=300, stale-while-revalidate=30",
                                "doc:/ban.rss article:ban"))
        urlonly = origin.add(Doc("/url.rss", "public, max-age=300", "doc:/url.rss"))
        origin.start()
        edge_vcl = vcl_for_backend(vcl, origin.host, origin.port)
        for i in range(args.edges):
            e = Edge(args.varnishd, edge_vcl, work, "edge%d" % (i + 1), params=args.param)
            e.start()
            edges.append(e)
        print("# origin 127.0.0.1:%d, edges %s, work %s" % (
            origin.port, " ".join("127.0.0.1:%d" % e.port for e in edges), work), flush=True)

        def get(edge, path, headers=None, **kw):
            return http_request(edge.port, "GET", path, headers, **kw)

        # -- hit --------------------------------------------------------------
        def hit():
            details = []
            for e in edges:
                n = origin.log.count("/feed.rss")
                s1, h1, b1 = get(e, "/feed.rss")
                s2, h2, b2 = get(e, "/feed.rss")
                fetched = origin.log.count("/feed.rss") - n
                if not (s1 == s2 == 200 and b1 == b2 == feed.body and fetched == 1
                        and h1.get("x-cache") == "miss" and h2.get("x-cache") == "hit"):
                    return False, "%s: %s/%s x-cache %s/%s, origin requests %d" % (
                        e.name, s1, s2, h1.get("x-cache"), h2.get("x-cache"), fetched)
                details.append("%s miss then hit, 1 origin request" % e.name)
            return True, "; ".join(details)
        checks.run("hit", hit)

        def representations():
            e = edges[0]
            n = origin.log.mark()
            s1, h1, b1 = get(e, "/feed.rss", {"Accept-Encoding": "gzip, deflate, br"})
            s2, h2, b2 = get(e, "/feed.rss", {"Accept-Encoding": "br;q=1.0, gzip;q=0.8"})
            s3, h3, b3 = get(e, "/feed.rss", {"Accept-Encoding": "gzip;q=0, br"})
            s4, h4, b4 = get(e, "/feed.rss", {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
            s5, h5, b5 = get(e, "/feed.rss", {"Accept": "text/html"})
            fetches = origin.log.since(n, "/feed.rss")
            ok = (h1.get("content-encoding") == "gzip" and h1.get("etag") == feed.gzip_etag
                  and b1 == feed.gzip_body and h2.get("x-cache") == "hit"
                  and h2.get("etag") == feed.gzip_etag
                  and "content-encoding" not in h3 and h3.get("etag") == feed.etag
                  and b3 == feed.body and h3.get("x-cache") == "hit"
                  and h4.get("etag") == feed.etag[:-1] + '-xml"' and h5.get("x-cache") == "hit"
                  and len(fetches) == 2 and fetches[0]["ae"] == "gzip")
            return ok, ("gzip object from the origin's gzip (ETag %s, origin asked with "
                        "Accept-Encoding: %s), shared by 2 gzip clients; identity for gzip;q=0 "
                        "(ETag %s, a hit); browsers' Accept reduced to one object; origin "
                        "requests %d" % (h1.get("etag"), fetches[0]["ae"] if fetches else None,
                                         h3.get("etag"), len(fetches)))
        checks.run("representations", representations)

        def conditional():
            details = []
            for e in edges:
                get(e, "/feed.rss", {"Accept-Encoding": "gzip"})   # both representations cached
                n = origin.log.count()
                s1, h1, b1 = get(e, "/feed.rss", {"If-None-Match": feed.etag})
                s2, h2, b2 = get(e, "/feed.rss", {"If-None-Match": '"x", ' + feed.gzip_etag,
                                                  "Accept-Encoding": "gzip"})
                s3, h3, b3 = get(e, "/feed.rss", {"If-Modified-Since": feed.last_modified})
                s4, _, _ = get(e, "/feed.rss", {"If-None-Match": "*"})
                s5, _, _ = get(e, "/feed.rss", {"If-None-Match": '"stale"'})
                s6, _, _ = get(e, "/feed.rss", {"If-None-Match": '"stale", "other"'})
                reached = origin.log.count() - n
                if not (s1 == s2 == s3 == s4 == 304 and s5 == s6 == 200
                        and b1 == b2 == b3 == b"" and reached == 0
                        and h1.get("etag") == feed.etag and h2.get("etag") == feed.gzip_etag):
                    return False, "%s: %s %s %s %s %s %s, origin requests %d" % (
                        e.name, s1, s2, s3, s4, s5, s6, reached)
                details.append("%s 304 x4, 200 x2" % e.name)
            return True, ("If-None-Match (identity; gzip inside a list; *) and If-Modified-Since "
                          "answered 304 by the edge, stale ETags 200; origin requests 0 (%s)"
                          % ", ".join(details))
        checks.run("conditional-304-at-edge", conditional)

        def query():
            n = origin.log.count()
            s, h, b = get(edges[0], "/feed.rss?null")
            return (s == 200 and h.get("x-cache") == "hit" and origin.log.count() == n,
                    "/feed.rss?null: %s, x-cache %s" % (s, h.get("x-cache")))
        checks.run("query-string-ignored", query)

        # -- purges -----------------------------------------------------------
        def purge_refused():
            s, h, b = http_request(edges[0].port, "PURGE", "/", {"xkey-purge": "article:abc"},
                                   source="127.0.0.2")
            n = origin.log.count()
            s2, h2, _ = get(edges[0], "/feed.rss", source="127.0.0.2")
            return (s == 405 and h2.get("x-cache") == "hit" and origin.log.count() == n
                    and "xkey" not in h2,
                    "PURGE from 127.0.0.2: %s %s; the object is still a hit; no xkey header "
                    "shown outside the ACL" % (s, b.decode().strip()))
        checks.run("purge-refused-outside-acl", purge_refused)

        def soft_purge():
            feed.set_version(2)
            details, worst = [], 0.0
            old_etag = None
            for e in edges:
                n = origin.log.mark()
                t0 = time.monotonic()
                s, h, b = http_request(e.port, "PURGE", "/", {"xkey-purge": "article:abc"})
                s2, h2, b2 = get(e, "/feed.rss")
                dt = time.monotonic() - t0
                worst = max(worst, dt)
                fetches = origin.log.since(n, "/feed.rss")
                purged = int(h.get("xkey-purged", "-1"))
                if not (s == 200 and purged >= 1 and b2 == feed.body and len(fetches) == 1
                        and fetches[0]["inm"] and h2.get("x-cache") == "miss"):
                    return False, "%s: PURGE %s %r, then %s x-cache %s new=%s fetches %s" % (
                        e.name, s, b, s2, h2.get("x-cache"), b2 == feed.body, fetches)
                old_etag = fetches[0]["inm"]
                details.append("%s purged %d" % (e.name, purged))
            # the other feed was not touched
            s3, h3, _ = get(edges[0], "/category/world/feed.rss")
            s4, h4, _ = get(edges[0], "/category/world/feed.rss")
            return (h4.get("x-cache") == "hit",
                    "PURGE xkey-purge: article:abc -> 200 (%s); the next GET waited for a "
                    "conditional fetch (If-None-Match: %s) and got the new bytes, %.1f ms "
                    "from PURGE to new bytes at worst; other keys untouched"
                    % (", ".join(details), old_etag, worst * 1000))
        checks.run("soft-purge-by-key", soft_purge)

        def purge_url():
            e = edges[0]
            get(e, "/url.rss")
            urlonly.set_version(2)
            s, h, b = http_request(e.port, "PURGE", "/url.rss")
            n = origin.log.count("/url.rss")
            s2, h2, b2 = get(e, "/url.rss")
            return (s == 200 and b2 == urlonly.body and origin.log.count("/url.rss") == n + 1,
                    "PURGE /url.rss without keys: %s %s; next GET from the origin" % (
                        s, b.decode().strip()))
        checks.run("purge-by-url", purge_url)

        def ban():
            e = edges[0]
            get(e, "/ban.rss")
            get(e, "/ban.rss", {"Accept-Encoding": "gzip"})
            banned.set_version(2)
            n = origin.log.mark()
            s, h, b = http_request(e.port, "BAN", "/", {"xkey-purge": "nothing article:ban"})
            s2, h2, b2 = get(e, "/ban.rss")
            fetches = origin.log.since(n, "/ban.rss")
            s3, _, b3 = http_request(e.port, "BAN", "/")
            return (s == 200 and h.get("xkey-purged") == "2" and b2 == banned.body
                    and len(fetches) == 1 and not fetches[0]["inm"] and s3 == 400,
                    "BAN xkey-purge: nothing article:ban -> %s %s; next GET unconditional "
                    "(hard purge); BAN without keys -> %s" % (s, b.decode().strip(), s3))
        checks.run("hard-purge-ban", ban)

        # -- stale-while-revalidate ------------------------------------------
        def stale_while_revalidate():
            e = edges[0]
            get(e, "/swr.rss")
            time.sleep(1.4)                # ttl 1 s over, within swr 2 s
            swr.set_version(2)
            n = origin.log.mark()
            s, h, b = get(e, "/swr.rss")
            served_stale = h.get("x-cache") == "stale" and b == swr.body_v1
            t0 = time.monotonic()
            fresh = wait_for(lambda: get(e, "/swr.rss")[2] == swr.body, 2)
            dt = time.monotonic() - t0
            bg = origin.log.since(n, "/swr.rss")
            s2, h2, b2 = get(e, "/swr.rss")
            return (served_stale and fresh and len(bg) == 1 and bg[0]["inm"]
                    and h2.get("x-cache") == "hit",
                    "1.4 s after max-age=1: stale at once (x-cache %s, Age %s), one background "
                    "conditional fetch (If-None-Match %s -> %s), the new bytes %.0f ms later, "
                    "then hits" % (h.get("x-cache"), h.get("age"), bg[0]["inm"] if bg else None,
                                   bg[0]["status"] if bg else None, dt * 1000))
        swr.body_v1 = swr.body
        checks.run("stale-while-revalidate", stale_while_revalidate)

        def past_swr():
            e = edges[0]
            get(e, "/past.rss")
            time.sleep(2.5)                # past ttl 1 s + swr 1 s
            past.set_version(2)
            n = origin.log.mark()
            s, h, b = get(e, "/past.rss")
            fetches = origin.log.since(n, "/past.rss")
            return (b == past.body and len(fetches) == 1 and fetches[0]["inm"],
                    "2.5 s after max-age=1, swr=1: the request waited for a conditional "
                    "fetch and got the new bytes (x-cache %s)" % h.get("x-cache"))
        checks.run("past-swr-fetches-synchronously", past_swr)

        # -- stale-if-error ----------------------------------------------------
        def stale_if_error():
            e = edges[0]
            get(e, "/past.rss")            # cached (version 2), expires in 1 s
            old_feed = feed.body
            get(e, "/feed.rss")            # cached (version 2)
            s, h, _ = http_request(e.port, "PURGE", "/", {"xkey-purge": "doc:/feed.rss"})
            time.sleep(2.2)                # /past.rss now past ttl + swr
            origin.stop()
            results = []
            s1, h1, b1 = get(e, "/past.rss")
            s2, h2, b2 = get(e, "/feed.rss")
            s3, h3, b3 = get(e, "/never-cached.rss")
            results.append("origin just stopped: past swr %s (%s), soft-purged %s (%s), "
                           "never cached %s" % (s1, h1.get("x-cache"), s2, h2.get("x-cache"), s3))
            ok = (s1 == 200 and b1 == past.body and s2 == 200 and b2 == old_feed and s3 == 503)
            time.sleep(3.5)                # the probe has marked the origin sick
            t0 = time.monotonic()
            s4, h4, b4 = get(e, "/past.rss")
            dt = time.monotonic() - t0
            results.append("probe sick: %s (%s) in %.1f ms" % (s4, h4.get("x-cache"), dt * 1000))
            ok = ok and s4 == 200 and b4 == past.body
            origin.start()
            past.set_version(3)
            back = wait_for(lambda: get(e, "/past.rss")[2] == past.body, 6, step=0.2)
            results.append("origin back: new bytes %s" % ("served" if back else "NOT served"))
            return ok and back, "; ".join(results)
        checks.run("stale-if-error", stale_if_error)

        def stale_if_5xx():
            e = edges[0]
            get(e, "/past.rss")
            time.sleep(2.2)                # past ttl + swr
            origin.fail_with = 503
            n = origin.log.mark()
            s1, h1, b1 = get(e, "/past.rss")
            s2, h2, _ = get(e, "/ban.rss", {"Accept": "text/html"})   # a variant not cached
            tried = len(origin.log.since(n))
            origin.fail_with = None
            s3, _, b3 = get(e, "/past.rss")
            return (s1 == 200 and b1 == past.body and s2 == 503 and tried >= 2 and s3 == 200,
                    "origin answering 503: the stale object served (%s, x-cache %s) after %d "
                    "origin attempts; an uncached variant gets the 503; origin well again: %s"
                    % (s1, h1.get("x-cache"), tried, s3))
        checks.run("stale-if-5xx", stale_if_5xx)

        def purge_nothing():
            s, h, b = http_request(edges[0].port, "PURGE", "/",
                                   {"xkey-purge": "article:none article:nothing"})
            return (s == 200 and h.get("xkey-purged") == "0",
                    "PURGE of keys nothing carries: %s %s" % (s, b.decode().strip()))
        checks.run("purge-unknown-keys", purge_nothing)

        # -- secret (compiled variant) ---------------------------------------
        def secret():
            sv = vcl_for_backend(enable_blocks(vcl, ("purge-secret",)), origin.host, origin.port)
            e = Edge(args.varnishd, sv, work, "edge-secret")
            e.start()
            edges.append(e)
            get(e, "/feed.rss")
            s1, _, _ = http_request(e.port, "PURGE", "/", {"xkey-purge": "feed:main"})
            s2, _, _ = http_request(e.port, "PURGE", "/", {"xkey-purge": "feed:main",
                                                          "X-Purge-Secret": "wrong"})
            s3, h3, _ = http_request(e.port, "PURGE", "/", {"xkey-purge": "feed:main",
                                                           "X-Purge-Secret": "change-me"})
            e.stop()
            return (s1 == 403 and s2 == 403 and s3 == 200,
                    "purge-secret block on: no secret %s, wrong %s, right %s (purged %s)"
                    % (s1, s2, s3, h3.get("xkey-purged")))
        checks.run("purge-secret", secret)

        def vsthrottle():
            sv = vcl_for_backend(enable_blocks(vcl, ("vsthrottle",)), origin.host, origin.port)
            e = Edge(args.varnishd, sv, work, "edge-throttle")
            e.start()
            edges.append(e)
            codes = [get(e, "/feed.rss?n=%d" % i)[0] for i in range(12)]
            s, h, b = get(e, "/feed.rss")
            cond = [get(e, "/feed.rss", {"If-None-Match": feed.etag})[0] for _ in range(5)]
            other_url = get(e, "/category/world/feed.rss")[0]
            e.stop()
            return (codes[:10] == [200] * 10 and codes[10:] == [429, 429] and s == 429
                    and h.get("retry-after") and cond == [304] * 5 and other_url == 200,
                    "vsthrottle block on: 10 unconditional requests per client and URL a "
                    "minute (/feed.rss?n=1..12 are one URL), then 429 with Retry-After %s; "
                    "conditional requests still 304; another URL still 200"
                    % h.get("retry-after"))
        checks.run("vsthrottle", vsthrottle)
    except RuntimeError as e:
        checks.report("setup", False, str(e))
        print("# work folder kept: %s" % work)
        args.keep = True
        return 2
    finally:
        for e in edges:
            e.stop()
        origin.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    print("%d passed, %d failed" % (checks.passed, checks.failed))
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
