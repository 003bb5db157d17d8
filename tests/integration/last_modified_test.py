"""Last-Modified never goes back, for documents rendered ahead and on request.

A reader that revalidates by date alone (Tiny Tiny RSS sends only
If-Modified-Since) must see every change: an article added with an older
date than the newest, the newest deleted, a page edited under a fixed
lastmod; and across a restart. Checked on an author feed and an archive
(rendered on request), a custom feed and the main feed (rendered ahead),
and an article page, over HTTP with libcurl.
"""

import email.utils
import os
import unittest

from feedd_daemon import Daemon, fetch, wait_for
from feedd_testing import FeeddTestCase

CONFIG = """
[site]
tag_authority = "example.org"
[articles]
dir = "articles"
[watch]
debounce_ms = 50
[feeds]
items = 3
[[feeds.custom]]
name = "World desk"
path = "topics/world/feed"
categories = ["World"]
"""

AUTHOR = "/author/ann-lee/feed.rss"
ARCHIVE = "/feed/archive/2026-01.rss"
CUSTOM = "/topics/world/feed.atom"
MAIN = "/feed.json"
PAGE = "/articles/n2.html"
DOCUMENTS = [AUTHOR, "/author/ann-lee/feed.html", ARCHIVE, CUSTOM, MAIN, PAGE]


def story(title, date, lastmod=None, body="A paragraph."):
    extra = f"lastmod: {lastmod}\n" if lastmod else ""
    return (f"---\ntitle: {title}\ndate: {date}\n{extra}author: Ann Lee\n"
            f"categories: [World]\n---\n\n{body}\n")


def seconds(http_date):
    return email.utils.parsedate_to_datetime(http_date).timestamp()


class LastModifiedTest(FeeddTestCase):
    def setUp(self):
        super().setUp()
        self.write_config(CONFIG)
        self.write_article("n0.md", story("Zero", "2026-01-03T10:00:00Z"))
        self.write_article("n1.md", story("One", "2026-01-20T10:00:00Z"))
        self.write_article("n2.md", story("Two", "2026-02-10T10:00:00Z", "2026-02-10T10:00:00Z"))
        self.write_article("n3.md", story("Three", "2026-03-10T10:00:00Z"))
        self.daemon = None

    def tearDown(self):
        if self.daemon:
            self.daemon.stop()
        super().tearDown()

    def start(self):
        self.daemon = Daemon(self.config, self.articles, self.state).start()

    def served(self):
        """{path: (etag, last-modified)} of every document checked."""
        seen = {}
        for path in DOCUMENTS:
            r = fetch(self.daemon.url(path))
            self.assertEqual(200, r.status, path)
            seen[path] = (r.header("etag"), r.header("last-modified"))
        return seen

    def change(self, act, expect_changed):
        """Does |act|, waits until each of |expect_changed| has a new ETag,
        and checks every document: Last-Modified not earlier than before,
        later where the bytes changed, and the old date no longer 304."""
        before = self.served()
        act()
        self.assertTrue(wait_for(lambda: all(
            fetch(self.daemon.url(p)).header("etag") != before[p][0] for p in expect_changed),
            timeout=5), self.daemon.log())
        after = self.served()
        for path in DOCUMENTS:
            (old_etag, old_date), (new_etag, new_date) = before[path], after[path]
            self.assertGreaterEqual(seconds(new_date), seconds(old_date), path)
            ims = fetch(self.daemon.url(path), [f"If-Modified-Since: {old_date}"])
            if new_etag != old_etag:
                self.assertGreater(seconds(new_date), seconds(old_date), path)
                self.assertEqual(200, ims.status, path)
            else:
                self.assertEqual(old_date, new_date, path)
                self.assertEqual(304, ims.status, path)
        return after

    def test_if_modified_since_sees_every_change(self):
        self.start()
        # Older than the newest: the feeds show it, their newest item stays.
        self.change(lambda: self.write_article("older.md", story("Older", "2026-02-01T10:00:00Z")),
                    [AUTHOR, CUSTOM, MAIN, ARCHIVE])
        # Older than everything in January's archive.
        self.change(lambda: self.write_article("oldest.md", story("Oldest", "2026-01-01T10:00:00Z")),
                    [ARCHIVE])
        # The newest deleted: the feeds' newest item is older now, and so is
        # the archive's (n1 is shown again).
        self.change(lambda: os.remove(os.path.join(self.articles, "n3.md")),
                    [AUTHOR, CUSTOM, MAIN, ARCHIVE])
        # A page edited under its fixed lastmod.
        self.change(lambda: self.write_article(
            "n2.md", story("Two", "2026-02-10T10:00:00Z", "2026-02-10T10:00:00Z", "Corrected.")),
            [PAGE])

    def test_a_restart_keeps_every_date_and_moves_past_changes_made_while_down(self):
        self.start()
        self.change(lambda: self.write_article("older.md", story("Older", "2026-02-01T10:00:00Z")),
                    [AUTHOR, CUSTOM, MAIN, ARCHIVE])
        kept = self.served()
        self.daemon.stop()
        self.start()
        self.assertEqual(kept, self.served())
        for path, (_, date) in kept.items():
            self.assertEqual(304, fetch(self.daemon.url(path),
                                        [f"If-Modified-Since: {date}"]).status, path)
        # Deleted while feedd was down: later than before, after the restart.
        self.daemon.stop()
        os.remove(os.path.join(self.articles, "n3.md"))
        self.write_article(
            "n2.md", story("Two", "2026-02-10T10:00:00Z", "2026-02-10T10:00:00Z", "Corrected."))
        self.start()
        now = self.served()
        for path in DOCUMENTS:
            self.assertNotEqual(kept[path][0], now[path][0], path)
            self.assertGreater(seconds(now[path][1]), seconds(kept[path][1]), path)
            self.assertEqual(200, fetch(self.daemon.url(path),
                                        [f"If-Modified-Since: {kept[path][1]}"]).status, path)


if __name__ == "__main__":
    unittest.main()
