"""WebSub: feeds advertise the hub, a hub stub (a real HTTP server on
127.0.0.1) receives one publish ping per changed feed after the new
document is served, failing hubs are retried with growing delays and
served once they recover, pending pings survive kill -9, touch pings
nothing, and legacy XML-RPC pings carry a valid call and check flerror."""

import json
import os
import signal
import threading
import time
import unittest
import urllib.parse
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from feedd_daemon import TIME_SCALE, Daemon, fetch, wait_for
from feedd_testing import FeeddTestCase

FLERROR = ("<?xml version=\"1.0\"?><methodResponse><params><param><value><struct>"
           "<member><name>flerror</name><value><boolean>{}</boolean></value></member>"
           "<member><name>message</name><value>{}</value></member>"
           "</struct></value></param></params></methodResponse>")


class HubStub:
    """Records every POST; |mode| says how to answer: "ok" (204), "500",
    "429" (with Retry-After: 1), "hang" (answers after 3 s), "xmlrpc-ok",
    "xmlrpc-refuse". |probe| is called with each request's topics while
    the request is being answered (to see what feedd serves then)."""

    def __init__(self, port=0):
        self.requests = []  # dicts: time, body, topics, headers, seen
        self.mode = "ok"
        self.probe = None
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                topics = urllib.parse.parse_qs(body).get("hub.url", [])
                record = {"time": time.time(), "body": body, "topics": topics,
                          "headers": dict(self.headers), "mode": stub.mode}
                if stub.probe:
                    record["seen"] = stub.probe(topics)
                stub.requests.append(record)
                mode = stub.mode
                if mode == "hang":
                    time.sleep(3)
                if mode in ("ok", "hang"):
                    self.send_response(204)
                    self.end_headers()
                elif mode == "500":
                    self.send_response(500)
                    self.end_headers()
                elif mode == "429":
                    self.send_response(429)
                    self.send_header("Retry-After", "1")
                    self.end_headers()
                elif mode.startswith("xmlrpc"):
                    answer = FLERROR.format(1 if mode == "xmlrpc-refuse" else 0,
                                            "Blog not found" if mode == "xmlrpc-refuse" else "ok")
                    data = answer.encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "text/xml")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hub"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def topics(self):
        return [t for r in self.requests for t in r["topics"]]


def config(hub_urls, extra="", retry_min_ms=300, retry_max_ms=1500):
    hubs = ", ".join(f'"{h}"' for h in hub_urls)
    return f"""
[site]
title = "Harbour News"
link = "http://news.example.org/"
base_url = "http://news.example.org/"
tag_authority = "example.org"
[articles]
dir = "articles"
[websub]
hubs = [{hubs}]
timeout = 1
connect_timeout = 1
retry_min_ms = {retry_min_ms}
retry_max_ms = {retry_max_ms}
{extra}"""


class WebSubTest(FeeddTestCase):
    def setUp(self):
        super().setUp()
        self.hub = HubStub()
        self.write_article("world/a.txt", "First Story\n\nAnn Lee Reporter\n\nBody one.\n")
        self.daemon = None

    def tearDown(self):
        if self.daemon:
            self.daemon.stop()
        self.hub.close()
        super().tearDown()

    def start(self, extra="", **retry):
        self.write_config(config([self.hub.url], extra, **retry))
        self.daemon = Daemon(self.config, self.articles, self.state).start()
        return self.daemon

    def feed_url(self, path):
        return "http://news.example.org" + path

    def test_feeds_advertise_the_hub_and_their_self_url(self):
        self.start()
        rss = fetch(self.daemon.url("/feed.rss"))
        self.assertIn(f'<atom:link href="{self.hub.url}" rel="hub" />', rss.body.decode())
        self.assertIn('<atom:link href="http://news.example.org/feed.rss" rel="self"',
                      rss.body.decode())
        atom = fetch(self.daemon.url("/feed.atom")).body.decode()
        self.assertIn(f'<link rel="hub" href="{self.hub.url}" />', atom)
        feed = json.loads(fetch(self.daemon.url("/feed.json")).body)
        self.assertEqual([{"type": "WebSub", "url": self.hub.url}], feed["hubs"])
        links = rss.headers["link"]
        self.assertIn(f'<{self.hub.url}>; rel="hub"', links)
        self.assertIn('<http://news.example.org/feed.rss>; rel="self"', links)
        self.assertEqual(1, sum('rel="self"' in l for l in links))

    def test_a_saved_article_pings_each_changed_feed_once_after_it_is_served(self):
        self.start()
        self.assertTrue(wait_for(lambda: len(self.hub.requests) >= 1))  # the first index
        time.sleep(0.3)
        self.hub.requests.clear()

        def served(topics):
            # What a hub fetching the topic gets at the moment of the ping.
            return all(b"Second Story" in fetch(self.daemon.url(urllib.parse.urlparse(t).path)).body
                       for t in topics)
        self.hub.probe = served
        saved = time.time()
        self.write_article("world/b.txt", "Second Story\n\nAnn Lee Reporter\n\nBody two.\n")
        self.assertTrue(wait_for(lambda: len(self.hub.topics()) >= 9, timeout=2), self.hub.requests)
        time.sleep(0.5)  # nothing more follows
        expected = sorted(self.feed_url(p) for p in
                          ["/feed.rss", "/feed.atom", "/feed.json", "/category/world/feed.rss",
                           "/category/world/feed.atom", "/category/world/feed.json",
                           "/author/ann-lee/feed.rss", "/author/ann-lee/feed.atom",
                           "/author/ann-lee/feed.json"])
        self.assertEqual(expected, sorted(self.hub.topics()))  # each exactly once
        for r in self.hub.requests:
            self.assertTrue(r["seen"], "pinged before the new document was served")
            self.assertEqual("application/x-www-form-urlencoded", r["headers"]["Content-Type"])
            self.assertTrue(r["body"].startswith("hub.mode=publish&hub.url="))
            self.assertLess(r["time"] - saved, 1.0 * TIME_SCALE)

    def test_touch_and_a_restart_ping_nothing(self):
        self.start()
        self.assertTrue(wait_for(lambda: len(self.hub.requests) >= 1))
        time.sleep(0.3)
        count = len(self.hub.requests)
        os.utime(os.path.join(self.articles, "world/a.txt"))
        time.sleep(1.0)
        self.assertEqual(count, len(self.hub.requests))
        self.daemon.stop()
        self.daemon.start()
        time.sleep(1.0)
        self.assertEqual(count, len(self.hub.requests))

    def recover_after(self, mode, failures):
        """The hub answers |mode| until it has seen |failures| requests, then
        204; returns the request times."""
        self.hub.mode = mode
        self.start()
        self.assertTrue(wait_for(lambda: len(self.hub.requests) >= failures, timeout=20),
                        self.daemon.log())
        self.hub.mode = "ok"
        self.assertTrue(wait_for(
            lambda: any(r["mode"] == "ok" for r in self.hub.requests), timeout=10), self.daemon.log())
        time.sleep(0.5)
        return [r["time"] for r in self.hub.requests]

    def test_a_hub_answering_500_is_retried_with_growing_delays_until_it_recovers(self):
        # Readers are served at full speed meanwhile.
        stop, served, failed = threading.Event(), [0], []

        def read():
            while not stop.is_set():
                r = fetch(self.daemon.url("/feed.rss"))
                if r.status == 200:
                    served[0] += 1
                else:
                    failed.append(r.status)

        self.hub.mode = "500"
        self.start()
        reader = threading.Thread(target=read)
        reader.start()
        try:
            self.assertTrue(wait_for(lambda: len(self.hub.requests) >= 4, timeout=20))
        finally:
            stop.set()
            reader.join()
        self.hub.mode = "ok"
        self.assertTrue(wait_for(
            lambda: any(r["mode"] == "ok" for r in self.hub.requests), timeout=10))
        times = [r["time"] for r in self.hub.requests]
        gaps = [b - a for a, b in zip(times, times[1:4])]
        self.assertLess(gaps[0], gaps[2], gaps)  # 0.3 s, 0.6 s, 1.2 s, with jitter
        self.assertGreater(served[0], 100)
        self.assertEqual([], failed)
        self.assertIn("ping failed, will retry:", self.daemon.log())
        self.assertRegex(self.daemon.log(), r"why=\"HTTP 500\"")
        # Delivered once: every topic in the successful request, none after.
        time.sleep(0.5)
        ok = [r for r in self.hub.requests if r["mode"] == "ok"]
        self.assertEqual(1, len(ok))
        self.assertEqual(len(set(ok[0]["topics"])), len(ok[0]["topics"]))

    def test_429_waits_for_retry_after(self):
        times = self.recover_after("429", 2)
        self.assertGreaterEqual(times[1] - times[0], 0.95)  # Retry-After: 1, not 0.3 s

    def test_a_hub_that_hangs_past_the_timeout_is_retried(self):
        self.recover_after("hang", 1)
        self.assertRegex(self.daemon.log(), r"ping failed, will retry: .*why=\"Timeout was reached\"")

    def test_a_refusing_hub_gets_the_pings_once_it_listens(self):
        port = self.hub.port
        self.hub.close()
        self.start()
        self.assertTrue(wait_for(lambda: "Couldn't connect to server" in self.daemon.log(), timeout=5))
        self.hub = HubStub(port)
        self.assertTrue(wait_for(lambda: len(self.hub.topics()) >= 9, timeout=10), self.daemon.log())

    def test_pending_pings_survive_kill_9(self):
        port = self.hub.port
        self.hub.close()
        self.start(retry_min_ms=2000, retry_max_ms=2000)
        self.assertTrue(wait_for(lambda: "will retry" in self.daemon.log(), timeout=5))
        self.daemon.proc.kill()
        self.daemon.proc.wait()
        self.daemon.reader.join(timeout=5)
        self.hub = HubStub(port)
        self.daemon.start()  # the stored backoff (about 2 s) still holds
        self.assertIn("pings pending from the last run: count=9", self.daemon.log())
        self.assertTrue(wait_for(lambda: len(self.hub.topics()) >= 9, timeout=10),
                        self.daemon.log())
        self.assertEqual(9, len(set(self.hub.topics())))

    def test_a_reload_that_removes_a_failing_hub_drops_its_pings(self):
        self.hub.mode = "500"
        self.start(retry_min_ms=500, retry_max_ms=500)
        self.assertTrue(wait_for(lambda: len(self.hub.requests) >= 2, timeout=5))
        other = HubStub()
        try:
            self.write_config(config([other.url]))
            self.daemon.proc.send_signal(signal.SIGHUP)
            self.assertTrue(wait_for(lambda: "reloaded:" in self.daemon.log()))
            self.assertTrue(wait_for(lambda: "dropping a ping for an endpoint no longer configured"
                                     in self.daemon.log()))
            count = len(self.hub.requests)
            time.sleep(1.5)
            self.assertEqual(count, len(self.hub.requests))  # the old hub hears nothing more
            # The new hub hears of the next change.
            self.write_article("world/b.txt", "Second Story\n\nAnn Lee Reporter\n\nBody two.\n")
            self.assertTrue(wait_for(lambda: len(other.topics()) >= 6, timeout=3))
        finally:
            other.close()

    def test_xmlrpc_pings_are_valid_calls_and_flerror_is_a_failure(self):
        rpc = HubStub()
        try:
            rpc.mode = "xmlrpc-refuse"
            self.write_config(config([], f'xmlrpc_pings = ["{rpc.url}"]\n'))
            self.daemon = Daemon(self.config, self.articles, self.state).start()
            self.assertTrue(wait_for(lambda: "ping given up:" in self.daemon.log(), timeout=5))
            self.assertRegex(self.daemon.log(), r'why="flerror: Blog not found"')
            call = ET.fromstring(rpc.requests[0]["body"])
            self.assertEqual("weblogUpdates.extendedPing", call.findtext("methodName"))
            params = [p.text for p in call.findall("params/param/value/string")]
            self.assertEqual(["Harbour News", "http://news.example.org/",
                              "http://news.example.org/", "http://news.example.org/feed.rss"], params)
            self.assertTrue(rpc.requests[0]["headers"]["Content-Type"].startswith("text/xml"))
            self.assertEqual(1, len(rpc.requests))  # given up, not retried
            rpc.mode = "xmlrpc-ok"
            self.write_article("world/b.txt", "Second Story\n\nAnn Lee Reporter\n\nBody two.\n")
            self.assertTrue(wait_for(lambda: "pinged: endpoint=" + rpc.url in self.daemon.log()))
        finally:
            rpc.close()

    def test_metrics_count_pings_per_endpoint(self):
        self.start()
        self.assertTrue(wait_for(lambda: len(self.hub.requests) >= 1))

        def delivered():
            text = fetch(self.daemon.url("/metrics")).body.decode()
            line = f'feedd_pings_delivered_total{{endpoint="{self.hub.url}"}}'
            return any(l.startswith(line) and float(l.split()[-1]) >= 9 for l in text.splitlines())
        self.assertTrue(wait_for(delivered))
        text = fetch(self.daemon.url("/metrics")).body.decode()
        self.assertIn(f'feedd_pings_sent_total{{endpoint="{self.hub.url}"}} 1', text)
        self.assertIn("feedd_ping_latency_seconds_count 9", text)


if __name__ == "__main__":
    unittest.main()
