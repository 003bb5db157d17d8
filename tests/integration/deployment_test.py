"""Scaling out with what operators already run (docs/deployment.md):
nginx as a caching reverse proxy in front of feedd, revalidating with
If-None-Match, and two feedd replicas on one articles folder serving
byte-identical documents with identical ETags."""

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

from feedd_daemon import Daemon, fetch, wait_for
from feedd_testing import FeeddTestCase

CONFIG = """
[site]
title = "Harbour News"
base_url = "http://news.example.org/"
tag_authority = "example.org"
[articles]
dir = "articles"
[server]
max_age = 2
"""

NGINX_CONF = """
daemon off;
master_process off;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {work}/body;
  proxy_temp_path {work}/proxy;
  fastcgi_temp_path {work}/fastcgi;
  uwsgi_temp_path {work}/uwsgi;
  scgi_temp_path {work}/scgi;
  proxy_cache_path {work}/cache keys_zone=feeds:1m;
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://127.0.0.1:{upstream};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_cache feeds;
      proxy_cache_revalidate on;
      proxy_cache_lock on;
      proxy_cache_use_stale updating error timeout;
      add_header X-Cache-Status $upstream_cache_status always;
    }}
  }}
}}
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def feedd_304s(daemon):
    text = fetch(daemon.url("/metrics")).body.decode()
    for line in text.splitlines():
        if line.startswith("feedd_http_not_modified_total "):
            return float(line.split()[1])
    raise AssertionError(text)


class NginxInFrontTest(FeeddTestCase):
    def setUp(self):
        super().setUp()
        self.write_config(CONFIG)
        self.write_article("a.txt", "First Story\n\nAnn Lee Reporter\n\nBody one.\n")
        self.daemon = Daemon(self.config, self.articles, self.state).start()
        self.nginx_work = tempfile.mkdtemp(prefix="feedd-nginx-")
        self.port = free_port()
        conf = os.path.join(self.nginx_work, "nginx.conf")
        with open(conf, "w") as f:
            f.write(NGINX_CONF.format(work=self.nginx_work, port=self.port,
                                      upstream=self.daemon.port))
        self.nginx = subprocess.Popen(["nginx", "-p", self.nginx_work, "-c", conf],
                                      stderr=subprocess.PIPE, text=True)
        ok = wait_for(lambda: self.connects(), timeout=5)
        self.assertTrue(ok, self.nginx.stderr.read() if self.nginx.poll() is not None else "")

    def tearDown(self):
        self.nginx.send_signal(signal.SIGQUIT)
        try:
            self.nginx.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.nginx.kill()
        self.nginx.stderr.close()
        self.daemon.stop()
        shutil.rmtree(self.nginx_work, ignore_errors=True)
        super().tearDown()

    def connects(self):
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            return True
        except OSError:
            return False

    def get(self, path, headers=()):
        return fetch(f"http://127.0.0.1:{self.port}{path}", headers=headers)

    def test_cached_revalidated_with_304s_and_changes_reach_clients_after_max_age(self):
        first = self.get("/feed.rss")
        self.assertEqual(200, first.status)
        self.assertEqual("MISS", first.header("x-cache-status"))
        etag = first.header("etag")
        self.assertEqual(fetch(self.daemon.url("/feed.rss")).header("etag"), etag)
        self.assertEqual("HIT", self.get("/feed.rss").header("x-cache-status"))
        # A reader's conditional request is answered 304 by nginx from its cache.
        self.assertEqual(304, self.get("/feed.rss", [f"If-None-Match: {etag}"]).status)

        # After max-age nginx revalidates with If-None-Match; feedd says 304.
        before = feedd_304s(self.daemon)
        time.sleep(3.2)  # nginx counts max-age in whole seconds
        again = self.get("/feed.rss")
        self.assertEqual(200, again.status)
        self.assertEqual("REVALIDATED", again.header("x-cache-status"))
        self.assertEqual(first.body, again.body)
        self.assertEqual(before + 1, feedd_304s(self.daemon))

        # A changed article reaches readers through the cache after max-age.
        self.write_article("b.txt", "Second Story\n\nAnn Lee Reporter\n\nBody two.\n")
        self.assertTrue(wait_for(lambda: b"Second Story" in fetch(self.daemon.url("/feed.rss")).body))
        self.assertTrue(wait_for(lambda: b"Second Story" in self.get("/feed.rss").body, timeout=5))
        fresh = self.get("/feed.rss")
        self.assertNotEqual(etag, fresh.header("etag"))


class ReplicasTest(FeeddTestCase):
    def test_two_replicas_serve_identical_bytes_and_etags(self):
        self.write_config(CONFIG)
        for i in range(12):
            section = ["world", "business", "культура"][i % 3]
            self.write_article(f"{section}/{i:02d}.txt",
                               f"Story {i}\n\nAnn Lee Reporter\n\nBody {i}.\n", mtime=1794268800 + i)
        other_state = os.path.join(self.work, "state-b")
        a = Daemon(self.config, self.articles, self.state).start()
        b = Daemon(self.config, self.articles, other_state).start()
        try:
            def compare():
                index = fetch(a.url("/")).body.decode()
                paths = ["/", "/feed.rss", "/feed.atom", "/feed.json"]
                paths += sorted(set(re.findall(
                    r'href="http://news\.example\.org(/[^"]+\.(?:rss|atom|json))"', index)))
                self.assertGreater(len(paths), 8)
                for path in paths:
                    for headers in ([], ["Accept-Encoding: gzip"]):
                        ra, rb = fetch(a.url(path), headers), fetch(b.url(path), headers)
                        self.assertEqual(200, ra.status, path)
                        self.assertEqual(ra.body, rb.body, path)
                        self.assertEqual(ra.header("etag"), rb.header("etag"), path)
                        self.assertEqual(ra.header("last-modified"), rb.header("last-modified"), path)
            compare()
            # A change seen by both: still identical.
            self.write_article("world/99.txt", "Late Story\n\nAnn Lee Reporter\n\nBody.\n",
                               mtime=1794268900)
            for d in (a, b):
                self.assertTrue(wait_for(lambda: b"Late Story" in fetch(d.url("/feed.rss")).body))
            compare()
        finally:
            a.stop()
            b.stop()


if __name__ == "__main__":
    unittest.main()
