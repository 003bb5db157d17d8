#!/usr/bin/python3
"""Serve a small feedd-like static export with deploy/nginx/feedd-static.conf in a real nginx.

Builds a folder laid out like feedd's export (feeds in three formats, their
previews, article pages, /feed.xsl, images, and a .gz beside every
document), starts nginx on 127.0.0.1 with a private prefix and an http block
like Debian's nginx.conf (mime.types, default_type, gzip on), includes the
snippet in a server block, and checks for every file: the Content-Type feedd
serve would send, gzip_static (the .gz bytes with Content-Encoding: gzip and
Vary: Accept-Encoding, also through a proxy that sends Via), a distinct ETag
per representation, 304 to If-None-Match, and the page headers. It also
checks that docs/deployment.md shows the snippet verbatim.

Prints PASS/FAIL per check and exits 1 if any failed (2 if nginx cannot be
started). Standard library only; needs Debian's `nginx`. nginx is stopped at
exit.

    deploy/nginx/check_static.py [--conf FILE | --from-docs FILE] [--keep]
"""

import argparse
import gzip
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from check_support import Checks, free_port  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_CONF = os.path.join(HERE, "feedd-static.conf")
DEFAULT_DOCS = os.path.join(REPO, "docs", "deployment.md")
EXPORT_ROOT = "/var/www/feeds"

CSP = "default-src 'none'; img-src * data:; media-src *; style-src 'unsafe-inline'"

# path -> (Content-Type feedd serve sends, written with a .gz beside it)
FILES = {
    "/index.html": ("text/html; charset=utf-8", True),
    "/feed.rss": ("application/rss+xml; charset=utf-8", True),
    "/feed.atom": ("application/atom+xml; charset=utf-8", True),
    "/feed.json": ("application/feed+json; charset=utf-8", True),
    "/feed.html": ("text/html; charset=utf-8", True),
    "/feed.xsl": ("application/xslt+xml; charset=utf-8", True),
    "/feed/archive/2024-01.rss": ("application/rss+xml; charset=utf-8", True),
    "/category/world/feed.rss": ("application/rss+xml; charset=utf-8", True),
    "/category/world/feed.json": ("application/feed+json; charset=utf-8", True),
    "/category/культура/feed.rss": ("application/rss+xml; charset=utf-8", True),
    "/author/ana-lopez/feed.atom": ("application/atom+xml; charset=utf-8", True),
    "/articles/harbour-reopens.html": ("text/html; charset=utf-8", True),
    "/articles/pics/quay.jpg": ("image/jpeg", False),
    "/articles/pics/crane.jpeg": ("image/jpeg", False),
    "/articles/pics/map.png": ("image/png", False),
    "/articles/pics/anim.gif": ("image/gif", False),
    "/articles/pics/photo.webp": ("image/webp", False),
    "/articles/pics/photo.avif": ("image/avif", False),
    "/articles/pics/logo.svg": ("image/svg+xml", True),
}
PAGE_TYPES = ("text/html", "image/svg+xml")
EXT_TYPES = {
    "html": "text/html; charset=utf-8",
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
    "xsl": "application/xslt+xml; charset=utf-8",
    "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif",
    "webp": "image/webp", "avif": "image/avif", "svg": "image/svg+xml",
}


def files_of(root):
    """{path: (type, has .gz)} for a real export folder (feedd build --out)."""
    files = {}
    for dirpath, _, names in os.walk(root):
        for name in names:
            if name.endswith(".gz"):
                continue
            full = os.path.join(dirpath, name)
            ext = name.rsplit(".", 1)[-1].lower()
            path = "/" + os.path.relpath(full, root)
            files[path] = (EXT_TYPES.get(ext, "application/octet-stream"),
                           os.path.exists(full + ".gz"))
    return files


def extract_from_docs(text):
    """The ```nginx block of the static export section (the one with gzip_static)."""
    for m in re.finditer(r"```nginx\n(.*?)```", text, re.S):
        if "gzip_static" in m.group(1):
            return m.group(1)
    return None


def body_for(path):
    if path.endswith((".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif")):
        return bytes(range(256)) * 8  # stands for image bytes
    return ("<!-- %s -->\n" % path + "<p>feed text, repeated to compress</p>\n" * 40).encode()


def make_export(root):
    for path, (_, with_gz) in FILES.items():
        full = os.path.join(root, path.lstrip("/"))
        os.makedirs(os.path.dirname(full), exist_ok=True)
        data = body_for(path)
        with open(full, "wb") as f:
            f.write(data)
        if with_gz:
            with open(full + ".gz", "wb") as f:
                f.write(gzip.compress(data, mtime=0))
    # nginx workers run as an unprivileged user when the master is root.
    for dirpath, dirnames, filenames in os.walk(root):
        os.chmod(dirpath, 0o755)
        for name in filenames:
            os.chmod(os.path.join(dirpath, name), 0o644)


def nginx_conf(prefix, port, snippet_path):
    mime = "include /etc/nginx/mime.types;" if os.path.exists("/etc/nginx/mime.types") else ""
    return """\
daemon off;
worker_processes 1;
pid {p}/nginx.pid;
error_log {p}/error.log;
events {{ worker_connections 64; }}
http {{
    # As in Debian's /etc/nginx/nginx.conf:
    {mime}
    default_type application/octet-stream;
    gzip on;
    access_log off;
    client_body_temp_path {p}/body;
    proxy_temp_path {p}/proxy;
    fastcgi_temp_path {p}/fastcgi;
    uwsgi_temp_path {p}/uwsgi;
    scgi_temp_path {p}/scgi;
    server {{
        listen 127.0.0.1:{port};
        server_name news.example.org;
        include {snippet};
    }}
}}
""".format(p=prefix, port=port, mime=mime, snippet=snippet_path)


class Nginx:
    def __init__(self, nginx, prefix, conf_path):
        self.nginx, self.prefix, self.conf_path = nginx, prefix, conf_path
        self.proc = None

    def test(self):
        p = subprocess.run([self.nginx, "-t", "-p", self.prefix, "-c", self.conf_path],
                           capture_output=True, text=True)
        return p.returncode, (p.stderr or p.stdout).strip()

    def start(self, port, timeout=10):
        self.proc = subprocess.Popen([self.nginx, "-p", self.prefix, "-c", self.conf_path],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("nginx exited: " + self.error_log())
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("nginx did not listen on %d" % port)

    def error_log(self):
        try:
            with open(os.path.join(self.prefix, "error.log")) as f:
                return f.read()[-2000:]
        except OSError:
            return ""

    def stop(self):
        if self.proc and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGQUIT)   # graceful: master and workers
                self.proc.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait()
        self.proc = None


def get(port, path, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        h = {"Host": "news.example.org"}
        h.update(headers or {})
        conn.request("GET", urllib.parse.quote(path), headers=h)
        r = conn.getresponse()
        body = r.read()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, body
    finally:
        conn.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    src = ap.add_mutually_exclusive_group()
    src.add_argument("--conf", default=None, help="the snippet (default: deploy/nginx/feedd-static.conf)")
    src.add_argument("--from-docs", metavar="MD", help="take the snippet from this Markdown file")
    ap.add_argument("--docs", default=DEFAULT_DOCS,
                    help="the doc that must show the snippet verbatim ('' to skip)")
    ap.add_argument("--nginx", default=shutil.which("nginx") or "/usr/sbin/nginx")
    ap.add_argument("--export", metavar="DIR",
                    help="serve a real export (a copy of DIR) instead of the built-in folder")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()

    checks = Checks()
    if args.from_docs:
        with open(args.from_docs) as f:
            snippet = extract_from_docs(f.read())
        if snippet is None:
            print("FAIL setup: no ```nginx block with gzip_static in %s" % args.from_docs)
            return 2
        source = args.from_docs
    else:
        source = args.conf or DEFAULT_CONF
        with open(source) as f:
            snippet = f.read()
        if args.docs:
            with open(args.docs) as f:
                shown = extract_from_docs(f.read())
            checks.report("docs-show-the-file", shown == snippet,
                          "%s shows %s verbatim" % (os.path.relpath(args.docs, REPO),
                                                    os.path.relpath(source, REPO))
                          if shown == snippet else "the ```nginx block with gzip_static in %s "
                          "differs from %s" % (args.docs, source))
    if not os.path.exists(args.nginx):
        print("FAIL setup: no nginx (apt-get install nginx)")
        return 2

    work = tempfile.mkdtemp(prefix="feedd-nginx-check-")
    os.chmod(work, 0o755)
    root = os.path.join(work, "feeds")
    prefix = os.path.join(work, "prefix")
    os.makedirs(prefix)
    if args.export:
        shutil.copytree(args.export, root)
        files = files_of(root)
        for dirpath, dirnames, filenames in os.walk(root):
            os.chmod(dirpath, 0o755)
            for name in filenames:
                os.chmod(os.path.join(dirpath, name), 0o644)
    else:
        make_export(root)
        files = FILES
    if EXPORT_ROOT not in snippet:
        checks.report("root", False, "the snippet does not serve %s" % EXPORT_ROOT)
    snippet_path = os.path.join(work, "feedd-static.conf")
    with open(snippet_path, "w") as f:
        f.write(snippet.replace(EXPORT_ROOT, root))
    port = free_port()
    conf_path = os.path.join(prefix, "nginx.conf")
    with open(conf_path, "w") as f:
        f.write(nginx_conf(prefix, port, snippet_path))
    server = Nginx(args.nginx, prefix, conf_path)
    try:
        rc, out = server.test()
        checks.report("nginx-t", rc == 0, out.splitlines()[-1] if out else "")
        if rc != 0:
            return 1
        server.start(port)
        print("# nginx %s on 127.0.0.1:%d, snippet %s, folder %s" % (
            subprocess.run([args.nginx, "-v"], capture_output=True, text=True).stderr.strip(),
            port, source, root), flush=True)

        for path, (want, with_gz) in sorted(files.items()):
            problems = []
            with open(os.path.join(root, path.lstrip("/")), "rb") as f:
                data = f.read()
            s, h, b = get(port, path)
            ctype = h.get("content-type")
            if s != 200 or b != data:
                problems.append("identity: %s" % s)
            if ctype != want:
                problems.append("Content-Type %r, want %r" % (ctype, want))
            if h.get("cache-control") != "public, max-age=300":
                problems.append("Cache-Control %r" % h.get("cache-control"))
            if want.split(";")[0] in PAGE_TYPES:
                if h.get("content-security-policy") != CSP:
                    problems.append("no CSP")
                if h.get("x-content-type-options") != "nosniff":
                    problems.append("no nosniff")
            etag = h.get("etag")
            s304, _, _ = get(port, path, {"If-None-Match": etag or '"none"'})
            if s304 != 304:
                problems.append("If-None-Match -> %s" % s304)
            detail = ctype or "no Content-Type"
            if with_gz:
                with open(os.path.join(root, path.lstrip("/")) + ".gz", "rb") as f:
                    gz = f.read()
                sg, hg, bg = get(port, path, {"Accept-Encoding": "gzip"})
                sv, hv, bv = get(port, path, {"Accept-Encoding": "gzip", "Via": "1.1 cdn"})
                if sg != 200 or hg.get("content-encoding") != "gzip" or bg != gz:
                    problems.append("gzip_static not used (Content-Encoding %r)"
                                    % hg.get("content-encoding"))
                if hg.get("content-type") != ctype:
                    problems.append("gzip Content-Type %r" % hg.get("content-type"))
                if "accept-encoding" not in (hg.get("vary") or "").lower():
                    problems.append("no Vary: Accept-Encoding on gzip")
                if "accept-encoding" not in (h.get("vary") or "").lower():
                    problems.append("no Vary: Accept-Encoding on identity")
                if hv.get("content-encoding") != "gzip":
                    problems.append("no gzip through a proxy (Via)")
                if hg.get("etag") == etag:
                    problems.append("same ETag for gzip and identity")
                detail += ", gzip_static (.gz, Vary, own ETag, also with Via)"
            checks.report("serve " + path, not problems,
                          detail if not problems else "; ".join(problems))

        s, h, b = get(port, "/")
        with open(os.path.join(root, "index.html"), "rb") as f:
            index = f.read()
        checks.report("index", s == 200 and h.get("content-type") == "text/html; charset=utf-8"
                      and b == index,
                      "/ -> index.html, %s" % h.get("content-type"))
    except RuntimeError as e:
        checks.report("setup", False, str(e))
        args.keep = True
        print("# work folder kept: %s" % work)
        return 2
    finally:
        server.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    print("%d passed, %d failed" % (checks.passed, checks.failed))
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
