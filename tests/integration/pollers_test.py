"""The poller policy ([pollers]) against the real daemon, over libcurl.

An unconditional repeat of a feed inside the window gets 429 with
Retry-After; conditional requests are always answered; two User-Agents
behind one address are two clients; a trusted address is never refused,
and X-Forwarded-For counts only from it; the counters show each behaviour.
Browsers' pages are never refused.
"""

import re
import signal
import subprocess
import unittest

from feedd_daemon import Daemon, fetch, wait_for
from feedd_testing import FeeddTestCase

BASE = """
[site]
tag_authority = "example.org"
[articles]
dir = "articles"
[watch]
debounce_ms = 50
"""

READER = "User-Agent: Tiny Tiny RSS/23.04 (http://tt-rss.org/)"
OTHER_READER = "User-Agent: Miniflux/2.0.50 (https://miniflux.app)"


def poller_counts(daemon):
    """{(family, behaviour): n} from /metrics."""
    page = fetch(daemon.url("/metrics")).body.decode()
    return {(m.group(1), m.group(2)): int(m.group(3)) for m in re.finditer(
        r'^feedd_poller_requests_total\{family="([^"]+)",behaviour="([^"]+)"\} (\d+)$',
        page, re.M)}


class PollersTest(FeeddTestCase):
    def setUp(self):
        super().setUp()
        self.write_article("a.txt", "First Story\n\nAnn Lee Reporter\n\nBody one.\n")
        self.daemon = None

    def tearDown(self):
        if self.daemon:
            self.daemon.stop()
        super().tearDown()

    def start(self, pollers=""):
        config = BASE + ("[pollers]\n" + pollers if pollers else "")
        self.write_config(config, pollers=True)
        self.daemon = Daemon(self.config, self.articles, self.state).start()
        return self.daemon

    def get(self, path, *headers):
        return fetch(self.daemon.url(path), list(headers))

    def test_an_unconditional_repeat_inside_the_window_gets_429_with_retry_after(self):
        self.start()  # the defaults: on, window = max-age (300 s)
        first = self.get("/feed.rss", READER)
        self.assertEqual(200, first.status)
        again = self.get("/feed.rss", READER)
        self.assertEqual(429, again.status)
        retry = int(again.header("retry-after"))
        self.assertTrue(290 <= retry <= 300, retry)
        self.assertTrue(again.header("content-type").startswith("text/plain"))
        self.assertIn(b"pollers.window", again.body)
        self.assertIn(b"If-None-Match", again.body)
        self.assertEqual("no-store", again.header("cache-control"))
        # Another format is another document; HEAD is never refused.
        self.assertEqual(200, self.get("/feed.atom", READER).status)
        self.assertEqual(200, fetch(self.daemon.url("/feed.rss"), [READER], method="HEAD").status)

        # Conditional requests are always answered: ten 304s.
        etag, date = first.header("etag"), first.header("last-modified")
        for _ in range(5):
            self.assertEqual(304, self.get("/feed.rss", READER, f"If-None-Match: {etag}").status)
            self.assertEqual(304, self.get("/feed.rss", READER,
                                           f"If-Modified-Since: {date}").status)
        # An invented date (feedd never sent it) that is older than the
        # document gets no 304, and counts as an unconditional repeat.
        invented = self.get("/feed.rss", READER, "If-Modified-Since: Mon, 01 Jan 2001 00:00:00 GMT")
        self.assertEqual(429, invented.status)

        counts = poller_counts(self.daemon)
        self.assertEqual(2, counts.get(("tt-rss", "unconditional")), counts)  # .rss, .atom
        self.assertEqual(10, counts.get(("tt-rss", "conditional")), counts)
        self.assertEqual(2, counts.get(("tt-rss", "too_early")), counts)
        page = fetch(self.daemon.url("/metrics")).body.decode()
        self.assertRegex(page, r'feedd_http_requests_total\{route="feed",method="GET",code="429"\} 2')
        self.assertRegex(page, r"(?m)^feedd_poller_clients 2$")  # .rss and .atom
        result = subprocess.run(["promtool", "check", "metrics"], input=page,
                                capture_output=True, text=True)
        self.assertEqual(0, result.returncode, result.stdout + result.stderr)

    def test_a_changed_feed_is_sent_to_a_conditional_request_and_old_validators_are_known(self):
        self.start()
        first = self.get("/feed.json", READER)
        self.write_article("b.txt", "Second Story\n\nAnn Lee Reporter\n\nBody two.\n")
        self.assertTrue(wait_for(lambda: b"Second Story" in self.get(
            "/feed.json", READER, f"If-None-Match: {first.header('etag')}").body, timeout=5))
        counts = poller_counts(self.daemon)
        self.assertNotIn(("tt-rss", "too_early"), counts)
        self.assertNotIn(("tt-rss", "invented_validator"), counts)
        # An ETag feedd never sent: counted, and no 304.
        made_up = self.get("/feed.atom", OTHER_READER, 'If-None-Match: "made-up"')
        self.assertEqual(200, made_up.status)
        self.assertEqual(1, poller_counts(self.daemon).get(("miniflux", "invented_validator")))

    def test_two_user_agents_behind_one_address_are_two_clients(self):
        self.start()
        self.assertEqual(200, self.get("/feed.rss", READER).status)
        self.assertEqual(200, self.get("/feed.rss", OTHER_READER).status)
        self.assertEqual(429, self.get("/feed.rss", READER).status)
        self.assertEqual(429, self.get("/feed.rss", OTHER_READER).status)
        self.assertEqual(200, self.get("/feed.rss").status)  # libcurl's own: a third
        self.assertEqual(200, self.get("/feed.rss", "User-Agent:").status)  # none: a fourth
        self.assertEqual(1, poller_counts(self.daemon).get(("none", "unconditional")),
                         poller_counts(self.daemon))

    def test_a_trusted_address_is_never_refused_and_forwards_its_clients(self):
        self.start('trusted = ["127.0.0.1/32"]\n')
        for _ in range(5):
            self.assertEqual(200, self.get("/feed.rss", READER).status)
        self.assertEqual(5, poller_counts(self.daemon).get(("exempt", "unconditional")))
        # Through the trusted proxy, X-Forwarded-For names the client.
        xff = "X-Forwarded-For: 203.0.113.7, 127.0.0.1"
        self.assertEqual(200, self.get("/feed.rss", READER, xff).status)
        self.assertEqual(429, self.get("/feed.rss", READER, xff).status)
        self.assertEqual(200, self.get("/feed.rss", READER, "X-Forwarded-For: 203.0.113.8").status)

    def test_x_forwarded_for_from_an_untrusted_address_is_ignored(self):
        self.start()
        self.assertEqual(200, self.get("/feed.rss", READER, "X-Forwarded-For: 198.51.100.1").status)
        self.assertEqual(429, self.get("/feed.rss", READER, "X-Forwarded-For: 198.51.100.2").status)

    def test_pages_previews_and_browsers_are_never_refused(self):
        self.start()
        browser = "User-Agent: Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"
        accept = "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
        for path in ["/", "/feed.html", "/articles/a.html", "/feed.xsl"]:
            statuses = {self.get(path, browser).status for _ in range(3)}
            self.assertNotIn(429, statuses, path)
        for _ in range(3):
            self.assertEqual(200, self.get("/feed.rss", browser, accept).status)

    def test_a_window_in_seconds_and_off_with_one_key(self):
        self.start("window = 1\n")
        self.assertEqual(200, self.get("/feed.rss", READER).status)
        refused = self.get("/feed.rss", READER)
        self.assertEqual(429, refused.status)
        self.assertEqual("1", refused.header("retry-after"))
        self.assertTrue(wait_for(lambda: self.get("/feed.rss", READER).status == 200, timeout=3))
        # A reload keeps what the policy remembers, and takes new keys.
        self.assertEqual(429, self.get("/feed.rss", READER).status)
        self.write_config(BASE + "[pollers]\nenabled = false\n", pollers=True)
        self.daemon.proc.send_signal(signal.SIGHUP)
        self.assertTrue(wait_for(lambda: "reload" in self.daemon.log().lower(), timeout=5))
        # New connections get the new limits: every GET answered.
        self.assertTrue(wait_for(lambda: self.get("/feed.rss", READER).status == 200, timeout=5))
        for _ in range(3):
            self.assertEqual(200, self.get("/feed.rss", READER).status)

    def test_a_reload_keeps_the_policys_memory(self):
        self.start()
        self.assertEqual(200, self.get("/feed.rss", READER).status)
        self.write_config(BASE + "[pollers]\nmax_clients = 1000\n", pollers=True)
        self.daemon.proc.send_signal(signal.SIGHUP)
        self.assertTrue(wait_for(lambda: "reload" in self.daemon.log().lower(), timeout=5),
                        self.daemon.log())
        self.assertEqual(429, self.get("/feed.rss", READER).status)


if __name__ == "__main__":
    unittest.main()
