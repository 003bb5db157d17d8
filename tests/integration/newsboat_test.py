"""A real feed reader: newsboat never sees a duplicate across reloads and restarts."""

import os
import sqlite3
import subprocess
import unittest

from feedd_daemon import Daemon, free_port
from feedd_testing import FeeddTestCase


class NewsboatTest(FeeddTestCase):
    def newsboat_reload(self):
        env = dict(os.environ, HOME=self.work, XDG_CONFIG_HOME=self.work, XDG_DATA_HOME=self.work)
        result = subprocess.run(
            ["newsboat", "-x", "reload", "-u", self.urls, "-c", self.cache, "-C", self.nb_config],
            capture_output=True, text=True, timeout=60, env=env)
        self.assertEqual(0, result.returncode, result.stdout + result.stderr)

    def item_counts(self):
        """(feeds subscribed, item rows, distinct guids). newsboat keeps one row
        per guid across feeds, and feedd's RSS and Atom items share their ids."""
        with sqlite3.connect(self.cache) as db:
            feeds = db.execute("SELECT COUNT(*) FROM rss_feed").fetchone()[0]
            rows, guids = db.execute("SELECT COUNT(*), COUNT(DISTINCT guid) FROM rss_item").fetchone()
        return feeds, rows, guids

    def test_reload_restart_reload_adds_no_item(self):
        self.use_examples()
        port = free_port()
        daemon = Daemon(self.config, self.articles, self.state, port=port).start()
        try:
            self.urls = os.path.join(self.work, "urls")
            self.cache = os.path.join(self.work, "cache.db")
            self.nb_config = os.path.join(self.work, "newsboat.conf")
            with open(self.urls, "w") as f:
                f.write(f"{daemon.url('/feed.rss')}\n{daemon.url('/feed.atom')}\n")
            open(self.nb_config, "w").close()

            self.newsboat_reload()
            first = self.item_counts()
            self.assertEqual((2, 8, 8), first)

            self.newsboat_reload()
            self.assertEqual(first, self.item_counts())

            self.assertEqual(0, daemon.stop())
            daemon = Daemon(self.config, self.articles, self.state, port=port).start()
            self.newsboat_reload()
            self.assertEqual(first, self.item_counts())
        finally:
            daemon.stop()


if __name__ == "__main__":
    unittest.main()
