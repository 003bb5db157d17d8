"""feedd serve under faults and odd inputs: a date far in the future, a
category that is not ASCII, a deleted newest article (Last-Modified must
still move), an export folder that cannot be written for a while."""

import email.utils
import os
import shutil
import signal
import threading
import subprocess
import time
import unittest
import urllib.parse

from feedd_daemon import TIME_SCALE, Daemon, cpu_seconds, fetch, free_port, wait_for
from feedd_testing import AS_A_USER, FEEDD, FeeddTestCase

CONFIG = """
[site]
link = "https://news.example.org/"
tag_authority = "example.org"
[articles]
dir = "articles"
[watch]
debounce_ms = 30
"""


def agency(title, body="A paragraph of ordinary text."):
    return f"{title}\n\nAnn Lee Reporter\n\n{body}\n"


class ServeFaultsTest(FeeddTestCase):
    def setUp(self):
        super().setUp()
        self.write_config(CONFIG)
        self.daemon = None

    def tearDown(self):
        if self.daemon:
            self.daemon.stop()
        if os.path.isdir(self.out):
            os.chmod(self.out, 0o755)
        super().tearDown()

    def start(self):
        self.daemon = Daemon(self.config, self.articles, self.state).start()
        return self.daemon

    def test_an_article_dated_after_2262_waits_without_spinning(self):
        self.write_article("now.txt", agency("Today"))
        self.write_article("typo.md", "---\ntitle: Typo Year\ndate: 2926-03-01\n---\n\nBody.\n")
        self.start()
        time.sleep(0.5)
        before = cpu_seconds(self.daemon.proc.pid)
        time.sleep(2)
        self.assertLess(cpu_seconds(self.daemon.proc.pid) - before, 0.3, "a core spins")
        self.assertNotIn(b"Typo Year", fetch(self.daemon.url("/feed.json")).body)

    def test_a_category_that_is_not_ascii_is_served_where_the_index_says(self):
        self.write_article("культура/a.txt", agency("Премьера в театре"))
        self.start()
        path = "/category/" + urllib.parse.quote("культура") + "/feed.rss"
        self.assertIn(path.encode(), fetch(self.daemon.url("/")).body)  # advertised encoded
        r = fetch(self.daemon.url(path))
        self.assertEqual(200, r.status)
        link = r.header("link")
        self.assertTrue(link.isascii(), link)
        self.assertIn(path, link)
        self.assertEqual(400, fetch(self.daemon.url("/category/%zz/feed.rss")).status)

    def test_last_modified_moves_when_the_newest_article_is_deleted(self):
        old = self.write_article("old.txt", agency("Older Story"), mtime=1790000000)
        new = self.write_article("new.txt", agency("Newer Story"), mtime=1790086400)
        self.start()
        first = fetch(self.daemon.url("/feed.rss"))
        since = first.header("last-modified")
        os.remove(new)
        self.assertTrue(wait_for(lambda: b"Newer Story" not in
                                 fetch(self.daemon.url("/feed.rss")).body))
        after = fetch(self.daemon.url("/feed.rss"))
        self.assertGreater(email.utils.parsedate_to_datetime(after.header("last-modified")),
                           email.utils.parsedate_to_datetime(since))
        # A client that revalidates by date alone sees the retraction.
        self.assertEqual(200, fetch(self.daemon.url("/feed.rss"),
                                    [f"If-Modified-Since: {since}"]).status)
        # And after a restart too.
        self.daemon.stop()
        self.start()
        self.assertEqual(after.header("last-modified"),
                         fetch(self.daemon.url("/feed.rss")).header("last-modified"))
        del old

    def test_an_export_folder_that_cannot_be_written_catches_up_later(self):
        self.write_config(CONFIG + '[output]\ndir = "out"\n')
        self.write_article("a.txt", agency("First Story"))
        os.makedirs(self.out)
        os.chmod(self.work, 0o755)
        os.chmod(self.out, 0o555)  # read-only for a process without CAP_DAC_OVERRIDE
        self.daemon = Daemon(self.config, self.articles, self.state)
        self.daemon.args = AS_A_USER + self.daemon.args
        self.daemon.start()
        self.assertEqual(200, fetch(self.daemon.url("/feed.rss")).status)  # serving goes on
        self.write_article("b.txt", agency("Second Story"))
        self.assertTrue(wait_for(lambda: b"Second Story" in fetch(self.daemon.url("/feed.rss")).body))
        errors = [l for l in self.daemon.log().splitlines() if "static export:" in l]
        self.assertEqual(1, len(errors), self.daemon.log())  # the cause once, not per document
        self.assertIn("Permission denied", errors[0])
        os.chmod(self.out, 0o755)
        feed = os.path.join(self.out, "feed.rss")
        self.assertTrue(wait_for(lambda: os.path.exists(feed), timeout=12), self.daemon.log())
        self.assertTrue(wait_for(lambda: "static export caught up" in self.daemon.log(), timeout=5))
        with open(feed, "rb") as f:
            self.assertEqual(fetch(self.daemon.url("/feed.rss")).body, f.read())
        self.assertFalse([n for n in os.listdir(self.out) if ".feedd-tmp." in n])


    def test_a_missing_articles_folder_is_not_ready_until_it_appears(self):
        self.write_config(CONFIG + "poll_interval = 1\n")
        self.assertFalse(os.path.exists(self.articles))
        port = free_port()
        self.daemon = Daemon(self.config, self.articles, self.state, port=port)
        started = []
        starter = threading.Thread(target=lambda: started.append(self.daemon.start(timeout=30)))
        starter.start()
        readyz = f"http://127.0.0.1:{port}/readyz"

        def status():
            try:
                return fetch(readyz).status
            except Exception:  # not listening yet
                return None
        self.assertTrue(wait_for(lambda: status() == 503, timeout=10), self.daemon.log())
        deadline = time.time() + 2.5  # two poll scans at least
        while time.time() < deadline:
            self.assertEqual(503, status())
            time.sleep(0.1)
        self.assertNotIn("ready:", self.daemon.log())
        log = self.daemon.log()
        self.assertEqual(1, log.count("not ready, serving nothing"), log)
        self.assertIn(self.articles + ": cannot list the articles directory", log)

        self.write_article("a.txt", agency("A Story"))  # the folder appears
        starter.join(timeout=30 * TIME_SCALE)
        self.assertTrue(started, self.daemon.log())
        self.assertEqual(200, fetch(self.daemon.url("/readyz")).status)
        self.assertIn("A Story", fetch(self.daemon.url("/feed.rss")).body.decode())

        shutil.rmtree(self.articles)  # gone while it runs: the feeds stay
        self.assertTrue(wait_for(lambda: "rebuild failed" in self.daemon.log(), timeout=10))
        deadline = time.time() + 2.5
        while time.time() < deadline:
            self.assertIn("A Story", fetch(self.daemon.url("/feed.rss")).body.decode())
            time.sleep(0.1)
        self.assertEqual(1, self.daemon.log().count("rebuild failed"), self.daemon.log())

    def test_a_root_that_is_a_swapped_symbolic_link_is_watched_on_its_new_target(self):
        # A deploy: articles -> releases/1, then releases/2 swapped in with
        # `ln -sfn releases/2 articles.new && mv -T articles.new articles`.
        releases = os.path.join(self.work, "releases")
        for release, title in (("1", "First Release"), ("2", "Second Release")):
            os.makedirs(os.path.join(releases, release, "world"))
            with open(os.path.join(releases, release, "world", "a.txt"), "w") as f:
                f.write(agency(title))
        os.symlink("releases/1", self.articles)
        self.start()
        feed = lambda: fetch(self.daemon.url("/feed.rss")).body.decode()
        self.assertIn("First Release", feed())
        self.assertNotIn("polling", self.daemon.log())  # watched, not polled
        self.write_article("world/b.txt", agency("Watched Through The Link"))
        self.assertTrue(wait_for(lambda: "Watched Through The Link" in feed(), timeout=2))

        os.symlink("releases/2", self.articles + ".new")
        os.rename(self.articles + ".new", self.articles)
        self.assertTrue(wait_for(lambda: "Second Release" in feed(), timeout=2), self.daemon.log())
        self.assertNotIn("First Release", feed())
        notices = [line for line in self.daemon.log().splitlines() if "was replaced" in line]
        self.assertEqual(1, len(notices), self.daemon.log())
        self.assertIn(self.articles, notices[0])
        self.assertIn(os.path.join(releases, "2"), notices[0])
        # The new target is watched: a change is served at once, not at the
        # next rescan (10 minutes away).
        self.write_article("world/c.txt", agency("After The Swap"))
        self.assertTrue(wait_for(lambda: "After The Swap" in feed(), timeout=2), self.daemon.log())

    def test_a_damaged_state_store_stops_the_daemon_with_a_clear_message(self):
        self.write_article("a.txt", agency("A Story"))
        os.makedirs(self.state)
        damaged = os.path.join(self.state, "state.sqlite3")
        with open(damaged, "wb") as f:
            f.write(b"not a database " * 1000)
        result = subprocess.run([FEEDD, "serve", "--config", self.config, "--articles",
                                 self.articles, "--state-dir", self.state, "--listen",
                                 "127.0.0.1:0"], capture_output=True, text=True, timeout=30)
        self.assertEqual(73, result.returncode, result.stderr)
        self.assertIn(damaged, result.stderr)
        self.assertIn("would re-date every article", result.stderr)
        with open(damaged, "rb") as f:
            self.assertEqual(b"not a database", f.read(14))  # left as it was

    def test_an_shm_file_feedd_cannot_write_stops_it_with_a_message_naming_it(self):
        # A run killed while another user's feedd held the store leaves its
        # -shm behind, which SQLite maps into memory: refused by name at
        # start, not "attempt to write a readonly database" at every rebuild.
        self.write_article("a.txt", agency("A Story"))
        self.start()
        self.daemon.stop(sig=signal.SIGKILL)
        shm = os.path.join(self.state, "state.sqlite3-shm")
        self.assertTrue(os.path.exists(shm))
        os.chmod(shm, 0o444)
        result = subprocess.run([*AS_A_USER, FEEDD, "serve", "--config", self.config,
                                 "--articles", self.articles, "--state-dir", self.state,
                                 "--listen", "127.0.0.1:0"],
                                capture_output=True, text=True, timeout=30)
        self.assertEqual(73, result.returncode, result.stderr)
        self.assertIn(shm + ": cannot be written (Permission denied)", result.stderr)
        self.assertNotIn("readonly database", result.stderr)
        os.chmod(shm, 0o644)  # given back: it starts
        self.start()
        self.assertIn("A Story", fetch(self.daemon.url("/feed.rss")).body.decode())

    def test_a_store_damaged_inside_stops_the_daemon_too(self):
        for n in range(300):
            self.write_article(f"a{n}.txt", agency(f"Story {n}"))
        self.build()
        store = os.path.join(self.state, "state.sqlite3")
        with open(store, "r+b") as f:  # the header stays, the pages after it do not
            f.seek(4096)
            f.write(b"\xde\xad" * 40000)
        result = subprocess.run([FEEDD, "serve", "--config", self.config, "--articles",
                                 self.articles, "--state-dir", self.state, "--listen",
                                 "127.0.0.1:0"], capture_output=True, text=True,
                                timeout=30 * TIME_SCALE)
        self.assertEqual(73, result.returncode, result.stderr)
        self.assertIn("would re-date every article", result.stderr)

if __name__ == "__main__":
    unittest.main()
