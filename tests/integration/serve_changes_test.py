"""feedd serve keeps the feeds current as articles change on disk."""

import json
import os
import shutil
import signal
import subprocess
import time
import unittest

import feedparser

from feedd_daemon import TIME_SCALE, Daemon, fetch, wait_for
from feedd_testing import FIXED_MTIME, FeeddTestCase

TAG = "tag:example.org,2026-01-01:"
CONFIG = """
[site]
tag_authority = "example.org"
[articles]
dir = "articles"
[watch]
debounce_ms = 50
"""


def article(title, body="A paragraph of text.", byline="Ann Lee Reporter"):
    return f"{title}\n\n{byline}\n\n{body}\n"


class ServeTestCase(FeeddTestCase):
    def setUp(self):
        super().setUp()
        self.write_config(CONFIG)
        os.makedirs(self.articles)
        self.daemon = None

    def tearDown(self):
        if self.daemon:
            self.daemon.stop()
        super().tearDown()

    def start(self, **kwargs):
        self.daemon = Daemon(self.config, self.articles, self.state, **kwargs).start()
        return self.daemon

    def items(self, fmt="json", path="/feed"):
        """{id: (title, published)} as each format shows it."""
        r = fetch(self.daemon.url(path + "." + fmt))
        if r.status != 200:
            return {}
        if fmt == "json":
            return {i["id"]: (i["title"], i["date_published"]) for i in json.loads(r.body)["items"]}
        parsed = feedparser.parse(r.body)
        assert parsed.bozo == 0, parsed.get("bozo_exception")
        return {e.id: (e.title, e.published) for e in parsed.entries}

    def titles_everywhere(self, path="/feed"):
        """The titles by id, only when all three formats agree."""
        seen = [{k: v[0] for k, v in self.items(fmt, path).items()} for fmt in ("json", "rss", "atom")]
        return seen[0] if seen[0] == seen[1] == seen[2] else None

    def until(self, expected, path="/feed", timeout=2.0):
        ok = wait_for(lambda: self.titles_everywhere(path) == expected, timeout=timeout)
        self.assertTrue(ok, f"expected {expected}, got {self.titles_everywhere(path)}\n"
                            f"{self.daemon.log()}")


class ArticleChangesTest(ServeTestCase):
    def test_add_edit_delete_rename_and_move_show_in_every_format(self):
        self.write_article("one.txt", article("First Story"), FIXED_MTIME)
        self.start()
        self.until({TAG + "one": "First Story"})
        published = self.items()[TAG + "one"][1]

        self.write_article("two.txt", article("Second Story"))  # add
        self.until({TAG + "one": "First Story", TAG + "two": "Second Story"})

        self.write_article("one.txt", article("First Story, Corrected"))  # edit
        self.until({TAG + "one": "First Story, Corrected", TAG + "two": "Second Story"})
        self.assertEqual(published, self.items()[TAG + "one"][1])

        os.rename(os.path.join(self.articles, "one.txt"),
                  os.path.join(self.articles, "renamed.txt"))  # rename
        time.sleep(0.3)
        self.until({TAG + "one": "First Story, Corrected", TAG + "two": "Second Story"})
        self.assertEqual(published, self.items()[TAG + "one"][1])

        os.makedirs(os.path.join(self.articles, "world"))
        time.sleep(0.2)
        os.rename(os.path.join(self.articles, "renamed.txt"),
                  os.path.join(self.articles, "world", "renamed.txt"))  # move between folders
        self.until({TAG + "one": "First Story, Corrected"}, path="/category/world/feed")
        self.until({TAG + "one": "First Story, Corrected", TAG + "two": "Second Story"})
        self.assertEqual(published, self.items()[TAG + "one"][1])

        os.remove(os.path.join(self.articles, "two.txt"))  # delete
        self.until({TAG + "one": "First Story, Corrected"})

    def test_write_temp_then_rename_is_picked_up(self):
        self.start()
        tmp = self.write_article(".story.txt.swp", article("Saved By An Editor"))
        os.rename(tmp, os.path.join(self.articles, "story.txt"))
        self.until({TAG + "story": "Saved By An Editor"})

    def test_sed_in_place_is_picked_up(self):
        path = self.write_article("story.txt", article("Old Headline"))
        self.start()
        self.until({TAG + "story": "Old Headline"})
        subprocess.run(["sed", "-i", "s/Old Headline/New Headline/", path], check=True)
        self.until({TAG + "story": "New Headline"})

    def test_slow_writer_is_never_published_half_written(self):
        self.start()
        path = os.path.join(self.articles, "slow.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write("Slow Headline\n\nAnn Lee Reporter\n\nThe first half of the paragraph")
            f.flush()
            time.sleep(0.5)  # well past the debounce window
            self.assertEqual({}, self.titles_everywhere())
            f.write(" and its second half.\n")
            f.flush()
            time.sleep(0.3)
            self.assertEqual({}, self.titles_everywhere())
        self.until({TAG + "slow": "Slow Headline"})
        body = json.loads(fetch(self.daemon.url("/feed.json")).body)["items"][0]["content_html"]
        self.assertIn("and its second half.", body)

    def test_touch_changes_nothing(self):
        path = self.write_article("story.txt", article("Steady"))
        self.start()
        self.until({TAG + "story": "Steady"})
        before = fetch(self.daemon.url("/feed.rss"))
        os.utime(path)
        time.sleep(0.4)
        after = fetch(self.daemon.url("/feed.rss"))
        self.assertEqual(before.header("etag"), after.header("etag"))
        self.assertEqual(before.body, after.body)

    def test_new_subdirectory_with_files_already_inside(self):
        self.start()
        staging = os.path.join(self.work, "staging")
        os.makedirs(os.path.join(staging, "deep"))
        with open(os.path.join(staging, "a.txt"), "w") as f:
            f.write(article("Arrived With Its Folder"))
        with open(os.path.join(staging, "deep", "b.txt"), "w") as f:
            f.write(article("Arrived Deeper Down"))
        os.rename(staging, os.path.join(self.articles, "sport"))
        self.until({TAG + "a": "Arrived With Its Folder", TAG + "b": "Arrived Deeper Down"})
        # A folder made in place, filled at once, is seen too; and its new files later.
        os.makedirs(os.path.join(self.articles, "fresh", "inner"))
        self.write_article("fresh/inner/c.txt", article("Made In Place"))
        self.until({TAG + "a": "Arrived With Its Folder", TAG + "b": "Arrived Deeper Down",
                    TAG + "c": "Made In Place"})
        self.write_article("fresh/inner/d.txt", article("Later In The New Folder"))
        self.until({TAG + "a": "Arrived With Its Folder", TAG + "b": "Arrived Deeper Down",
                    TAG + "c": "Made In Place", TAG + "d": "Later In The New Folder"})

    def test_broken_edit_keeps_last_good_version(self):
        path = self.write_article("story.txt", article("Good Version"))
        self.start()
        self.until({TAG + "story": "Good Version"})
        with open(path, "wb") as f:
            f.write(b"\x00\x01binary junk")
        time.sleep(0.4)
        self.assertEqual({TAG + "story": "Good Version"}, self.titles_everywhere())
        self.assertIn("story.txt: binary file", self.daemon.log())

    def test_overflow_recovery_after_sigstop(self):
        self.write_config(CONFIG + "[feeds]\nitems = 50\n")
        self.start()
        os.kill(self.daemon.proc.pid, signal.SIGSTOP)
        try:
            for i in range(20000):
                path = os.path.join(self.articles, f"bulk-{i:05d}.txt")
                with open(path, "w") as f:
                    f.write(f"Bulk Story {i}\n\nBody {i}.\n")
                os.utime(path, (FIXED_MTIME + i, FIXED_MTIME + i))
        finally:
            os.kill(self.daemon.proc.pid, signal.SIGCONT)
        newest = {TAG + f"bulk-{i:05d}": f"Bulk Story {i}" for i in range(19950, 20000)}
        self.until(newest, timeout=10)
        self.assertTrue(wait_for(lambda: "articles=20000" in self.daemon.log(), timeout=5),
                        self.daemon.log())
        self.assertIn("inotify queue overflowed", self.daemon.log())
        # Storing 20,000 records while rendering: no store error on the way.
        self.assertNotIn("error:", self.daemon.log())

    def test_restart_gives_identical_documents_and_etags(self):
        self.write_article("a.txt", article("Alpha"), FIXED_MTIME)
        self.write_article("world/b.txt", article("Beta"), FIXED_MTIME + 60)
        self.start()
        routes = ["/", "/feed.rss", "/feed.atom", "/feed.json", "/category/world/feed.atom"]
        first = {r: fetch(self.daemon.url(r), ["Accept-Encoding: gzip"]) for r in routes}
        self.assertEqual(0, self.daemon.stop())
        self.start()
        for route in routes:
            again = fetch(self.daemon.url(route), ["Accept-Encoding: gzip"])
            self.assertEqual(first[route].body, again.body, route)
            self.assertEqual(first[route].header("etag"), again.header("etag"), route)

    def test_sigterm_drains_open_connections(self):
        import socket
        self.write_article("a.txt", article("Draining"))
        self.start()
        idle = socket.create_connection(("127.0.0.1", self.daemon.port), timeout=5)
        idle.sendall(b"HEAD /feed.rss HTTP/1.1\r\nHost: x\r\n\r\n")
        self.assertTrue(idle.recv(4096).startswith(b"HTTP/1.1 200"))  # now idle, kept alive
        started = time.time()
        self.assertEqual(0, self.daemon.stop(signal.SIGTERM))
        self.assertLess(time.time() - started, 5 * TIME_SCALE)  # not the 60 s idle timeout
        self.assertEqual(b"", idle.recv(4096))  # the server closed it
        idle.close()
        self.daemon = None

    def test_sigterm_stops_cleanly(self):
        self.start()
        self.assertEqual(0, self.daemon.stop(signal.SIGTERM))
        self.assertIn("stopped", self.daemon.log())
        self.daemon = None


class WatchModesTest(ServeTestCase):
    def test_poll_mode_sees_new_and_changed_files(self):
        self.write_config(CONFIG + "poll_interval = 1\nmode = \"poll\"\n")
        self.start()
        self.write_article("polled.txt", article("Found By Polling"))
        self.until({TAG + "polled": "Found By Polling"}, timeout=4)

    def test_replaced_root_is_watched_again(self):
        self.write_article("old.txt", article("In The Old Folder"))
        self.start()
        self.until({TAG + "old": "In The Old Folder"})
        staging = os.path.join(self.work, "next")
        os.makedirs(staging)
        with open(os.path.join(staging, "new.txt"), "w") as f:
            f.write(article("In The New Folder"))
        os.rename(self.articles, os.path.join(self.work, "retired"))
        os.rename(staging, self.articles)
        self.until({TAG + "new": "In The New Folder"}, timeout=4)
        self.write_article("later.txt", article("Added After The Swap"))
        self.until({TAG + "new": "In The New Folder", TAG + "later": "Added After The Swap"},
                   timeout=4)

    def test_embargoed_article_appears_on_its_own(self):
        at = time.gmtime(time.time() + 3)
        self.write_article("embargo.md", "---\ntitle: Under Embargo\ndate: " +
                           time.strftime("%Y-%m-%dT%H:%M:%SZ", at) + "\n---\nEmbargoed text.\n")
        self.write_article("now.txt", article("Already Out"))
        self.start()
        self.until({TAG + "now": "Already Out"})
        self.until({TAG + "now": "Already Out", TAG + "embargo": "Under Embargo"}, timeout=6)

    def test_output_inside_the_articles_tree_does_not_trigger_rebuilds(self):
        out = os.path.join(self.articles, "public")
        self.write_config(CONFIG + f'[output]\ndir = "{out}"\n')
        self.write_article("a.txt", article("Only Once"))
        self.start()
        self.until({TAG + "a": "Only Once"})
        time.sleep(1.0)
        self.assertNotIn("rebuilt", self.daemon.log())
        self.assertTrue(os.path.exists(os.path.join(out, "feed.rss")))

    def test_listens_on_ipv4_and_ipv6(self):
        self.write_article("a.txt", article("Both Families"))
        self.start(extra=["--listen", "[::1]:0"])
        self.assertEqual(2, len(self.daemon.urls), self.daemon.log())
        v6 = [u for u in self.daemon.urls if u.startswith("http://[::1]:")]
        self.assertEqual(1, len(v6))
        self.assertEqual(200, fetch(v6[0] + "feed.rss").status)
        self.assertEqual(200, fetch(self.daemon.url("/feed.rss")).status)


class StaticExportTest(ServeTestCase):
    def test_exported_files_equal_served_bytes(self):
        out = os.path.join(self.work, "public")
        self.write_config(CONFIG + f'[output]\ndir = "{out}"\n')
        self.write_article("world/a.txt", article("Exported Story"))
        os.makedirs(out)
        with open(os.path.join(out, ".feed.rss.feedd-tmp.999"), "w") as f:
            f.write("left over")
        self.start()
        self.until({TAG + "a": "Exported Story"})
        self.assertFalse(os.path.exists(os.path.join(out, ".feed.rss.feedd-tmp.999")))
        for route, name in [("/feed.rss", "feed.rss"), ("/feed.json", "feed.json"),
                            ("/category/world/feed.atom", "category/world/feed.atom"),
                            ("/", "index.html")]:
            with open(os.path.join(out, name), "rb") as f:
                self.assertEqual(fetch(self.daemon.url(route)).body, f.read(), route)
            with open(os.path.join(out, name + ".gz"), "rb") as f:
                gz = fetch(self.daemon.url(route), ["Accept-Encoding: gzip"])
                self.assertEqual("gzip", gz.header("content-encoding"))
                self.assertEqual(gz.body, f.read(), route)
        # A change is exported too.
        self.write_article("world/a.txt", article("Exported Story, Updated"))
        self.until({TAG + "a": "Exported Story, Updated"})
        def exported():
            with open(os.path.join(out, "feed.rss"), "rb") as f:
                return f.read() == fetch(self.daemon.url("/feed.rss")).body
        self.assertTrue(wait_for(exported))


if __name__ == "__main__":
    unittest.main()
