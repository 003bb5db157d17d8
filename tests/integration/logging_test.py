"""What `feedd serve` writes to stderr: sd-daemon priority prefixes when
stderr is the journal (JOURNAL_STREAM names it), timestamps otherwise,
key=value fields, a configurable level and an optional access log in the
combined format."""

import os
import re
import signal
import subprocess
import threading
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


class LoggingTest(DaemonTestCase):
    def run_with_stderr_as(self, journal_stream):
        """Runs feedd with stderr on a pipe; |journal_stream| is a function of
        the pipe's (dev, ino) giving JOURNAL_STREAM. Returns its stderr after
        it served one request and stopped."""
        self.write_config(CONFIG)
        read_end, write_end = os.pipe()
        st = os.fstat(write_end)
        env = dict(os.environ, JOURNAL_STREAM=journal_stream(st.st_dev, st.st_ino))
        proc = subprocess.Popen([FEEDD, "serve", "--config", self.config, "--articles",
                                 self.articles, "--state-dir", self.state, "--listen",
                                 "127.0.0.1:0"], stderr=write_end, env=env)
        os.close(write_end)
        chunks = []
        reader = threading.Thread(target=lambda: chunks.append(os.read(read_end, 1 << 20)) or
                                  [chunks.append(c) for c in iter(lambda: os.read(read_end, 65536), b"")])
        reader.start()
        try:
            self.assertTrue(wait_for(lambda: b"ready" in b"".join(chunks), timeout=10))
        finally:
            proc.send_signal(signal.SIGTERM)
            self.assertEqual(0, proc.wait(timeout=15))
            reader.join(timeout=5)
            os.close(read_end)
        return b"".join(chunks).decode()

    def test_priority_prefixes_when_stderr_is_the_journal(self):
        log = self.run_with_stderr_as(lambda dev, ino: f"{dev}:{ino}")
        lines = log.splitlines()
        self.assertTrue(lines)
        for line in lines:
            self.assertRegex(line, r"^<[3-7]>", line)
        self.assertTrue(any(re.match(r"^<5>listening on http://127\.0\.0\.1:\d+/$", l) for l in lines))
        self.assertTrue(any(re.match(r"^<5>ready: articles=1 files=1 documents=\d+ ms=\d+$", l)
                            for l in lines), log)
        self.assertIn("<5>stopping: signal=SIGTERM", lines)

    def test_timestamps_when_stderr_is_not_the_journal(self):
        # A JOURNAL_STREAM inherited from elsewhere does not name this stderr.
        log = self.run_with_stderr_as(lambda dev, ino: f"{dev}:{ino + 1}")
        for line in log.splitlines():
            self.assertRegex(line, r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z feedd: ", line)

    def start(self, extra=""):
        self.start_daemon(CONFIG + extra)

    def test_the_level_drops_less_severe_lines_and_reloads(self):
        self.start('[log]\nlevel = "notice"\n')
        self.write_article("b.txt", "Second Story\n\nAnn Lee Reporter\n\nBody two.\n")
        self.assertTrue(wait_for(lambda: b"Second Story" in fetch(self.daemon.url("/feed.rss")).body))
        time.sleep(0.2)
        self.assertNotIn("rebuilt:", self.daemon.log())  # info
        self.write_config(CONFIG + '[log]\nlevel = "info"\n')
        self.daemon.proc.send_signal(signal.SIGHUP)
        self.assertTrue(wait_for(lambda: "reloaded:" in self.daemon.log()))
        self.write_article("c.txt", "Third Story\n\nAnn Lee Reporter\n\nBody three.\n")
        self.assertTrue(wait_for(lambda: re.search(
            r"feedd: rebuilt: ms=\d+ changed=\d+ removed=0 articles=3", self.daemon.log())))

    def test_access_lines_in_the_combined_format(self):
        self.start('[log]\naccess = true\n')
        fetch(self.daemon.url("/feed.rss?x=1"),
              headers=['User-Agent: Reader "Quoted"/1.0', "Referer: https://r.example/"])
        fetch(self.daemon.url("/missing"), method="HEAD")
        self.assertTrue(wait_for(lambda: "HEAD /missing" in self.daemon.log()))
        log = self.daemon.log()
        self.assertRegex(log, r'feedd: 127\.0\.0\.1 - - \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d \+0000\] '
                              r'"GET /feed\.rss\?x=1 HTTP/1\.1" 200 \d+ "https://r\.example/" '
                              r'"Reader \\x22Quoted\\x22/1\.0"')
        self.assertRegex(log, r'"HEAD /missing HTTP/1\.1" 404 0 "-" "PycURL/')  # no Referer

    def test_no_access_lines_by_default(self):
        self.start()
        fetch(self.daemon.url("/feed.rss"))
        time.sleep(0.2)
        self.assertNotIn("GET /feed.rss", self.daemon.log())


if __name__ == "__main__":
    unittest.main()
