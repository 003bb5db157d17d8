"""/metrics: the Prometheus text format passes `promtool check metrics`,
its counters move with requests and file changes, and only the configured
addresses may read it and the health endpoints."""

import re
import subprocess
import time
import unittest

from feedd_daemon import DaemonTestCase, fetch, wait_for
from feedd_testing import FEEDD

CONFIG = """
[site]
tag_authority = "example.org"
[articles]
dir = "articles"
"""


def parse(text):
    """{'name{labels}': value} for every sample line."""
    samples = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            key, value = line.rsplit(" ", 1)
            samples[key] = float(value)
    return samples


class MetricsTest(DaemonTestCase):
    def start(self, extra=""):
        self.start_daemon(CONFIG + extra)

    def scrape(self):
        r = fetch(self.daemon.url("/metrics"))
        self.assertEqual(200, r.status)
        self.assertEqual("text/plain; version=0.0.4; charset=utf-8", r.header("content-type"))
        return r.body.decode()

    def test_promtool_accepts_the_page(self):
        self.start()
        fetch(self.daemon.url("/feed.rss"))
        fetch(self.daemon.url("/nothing-here"))
        text = self.scrape()
        result = subprocess.run(["promtool", "check", "metrics"], input=text,
                                capture_output=True, text=True)
        self.assertEqual(0, result.returncode, result.stdout + result.stderr + text)
        for name in ("feedd_build_info", "feedd_articles", "feedd_rebuilds_total",
                     "feedd_rebuild_duration_seconds_bucket", "feedd_change_to_served_seconds_count",
                     "feedd_http_requests_total", "feedd_http_not_modified_total",
                     "feedd_http_sent_bytes_total", "feedd_http_open_connections",
                     "feedd_watch_events_total", "feedd_watch_overflows_total",
                     "feedd_export_failures_total", "feedd_article_problems_total"):
            self.assertRegex(text, rf"(?m)^{name}[{{ ]", name)

    def test_counters_move_with_requests(self):
        self.start()
        before = parse(self.scrape())
        ok = 'feedd_http_requests_total{route="feed",method="GET",code="200"}'
        etag = fetch(self.daemon.url("/feed.rss")).header("etag")
        fetch(self.daemon.url("/feed.atom"))
        fetch(self.daemon.url("/feed.rss"), headers=[f"If-None-Match: {etag}"])
        fetch(self.daemon.url("/feed.rss"), method="HEAD")
        fetch(self.daemon.url("/missing"))
        after = parse(self.scrape())
        self.assertEqual(before.get(ok, 0) + 2, after[ok])
        self.assertEqual(1, after['feedd_http_requests_total{route="feed",method="GET",code="304"}'])
        self.assertEqual(1, after['feedd_http_requests_total{route="feed",method="HEAD",code="200"}'])
        self.assertEqual(1, after['feedd_http_requests_total{route="other",method="GET",code="404"}'])
        self.assertEqual(before["feedd_http_not_modified_total"] + 1,
                         after["feedd_http_not_modified_total"])
        self.assertGreater(after["feedd_http_sent_bytes_total"],
                           before["feedd_http_sent_bytes_total"] + 1000)
        self.assertEqual(1, after["feedd_articles"])
        self.assertEqual(1, after["feedd_ready"])
        self.assertGreaterEqual(after["feedd_http_open_connections"], 1)  # the scrape's own

    def test_a_file_change_is_timed_until_served(self):
        self.start()
        before = parse(self.scrape())
        self.write_article("b.txt", "Second Story\n\nAnn Lee Reporter\n\nBody two.\n")
        self.assertTrue(wait_for(lambda: b"Second Story" in fetch(self.daemon.url("/feed.rss")).body))
        self.assertTrue(wait_for(
            lambda: parse(self.scrape())["feedd_change_to_served_seconds_count"] >
            before["feedd_change_to_served_seconds_count"]))
        after = parse(self.scrape())
        self.assertGreater(after["feedd_watch_events_total"], before["feedd_watch_events_total"])
        self.assertGreater(after["feedd_rebuilds_total"], before["feedd_rebuilds_total"])
        # At least the 100 ms debounce window, and well under a second here.
        latency = after["feedd_change_to_served_seconds_sum"] - before["feedd_change_to_served_seconds_sum"]
        self.assertGreater(latency, 0.09)
        self.assertEqual(2, after["feedd_articles"])
        # touch changes no bytes: no new observation.
        count = after["feedd_change_to_served_seconds_count"]
        subprocess.run(["touch", f"{self.articles}/b.txt"], check=True)
        time.sleep(0.5)
        self.assertEqual(count, parse(self.scrape())["feedd_change_to_served_seconds_count"])

    def test_only_allowed_addresses_read_metrics_and_health(self):
        self.start('[server]\nmetrics_allow = ["10.0.0.0/8"]\nhealth_allow = ["::1"]\n')
        for path in ("/metrics", "/livez", "/readyz", "/healthz"):
            self.assertEqual(403, fetch(self.daemon.url(path)).status, path)
        self.assertEqual(200, fetch(self.daemon.url("/feed.rss")).status)
        # A reload opens them.
        self.write_config(CONFIG + '[server]\nmetrics_allow = ["127.0.0.1"]\n')
        self.daemon.proc.send_signal(1)  # SIGHUP
        self.assertTrue(wait_for(lambda: fetch(self.daemon.url("/metrics")).status == 200))
        self.assertEqual(200, fetch(self.daemon.url("/livez")).status)

    def test_a_bad_range_is_a_config_error_with_its_line(self):
        self.write_config(CONFIG + '[server]\nmetrics_allow = ["10.0.0.0/40"]\n')
        result = subprocess.run([FEEDD, "check", "--config-only", "--config", self.config],
                                capture_output=True, text=True)
        self.assertEqual(78, result.returncode)
        self.assertRegex(result.stderr, r"feedd\.toml:7: .*server\.metrics_allow '10\.0\.0\.0/40'")

if __name__ == "__main__":
    unittest.main()
