"""Large but ordinary articles publish, under the sanitizers too: a pasted
data: image, a megabyte on one line, ten thousand links. (std::regex once
recursed per character and crashed on the first of these.)"""

import json
import os
import subprocess
import unittest

import feedparser

from feedd_daemon import Daemon, fetch
from feedd_testing import ATOM_RNC, FeeddTestCase

CONFIG = """
[site]
link = "https://news.example.org/"
tag_authority = "example.org"
[articles]
dir = "articles"
"""


class LargeInputTest(FeeddTestCase):
    def setUp(self):
        super().setUp()
        self.write_config(CONFIG)
        image = "data:image/png;base64," + "iVBORw0KGgo" * 4000  # about 44 KB
        self.write_article("blog/pasted-image.md",
                           f"---\ntitle: A pasted image\n---\n\nLook: ![chart]({image})\n")
        self.write_article("world/one-line.txt",
                           "One very long line\n\n" + "word " * 200000 + "end.\n")  # 1 MB
        links = "\n".join(f"- [source {i}](/sources/{i}.html)" for i in range(10000))
        self.write_article("science/many-links.md",
                           f"---\ntitle: Ten thousand links\n---\n\n{links}\n")

    def check_feeds(self, read):
        items = {i["title"]: i for i in json.loads(read("feed.json"))["items"]}
        self.assertEqual({"A pasted image", "One very long line", "Ten thousand links"},
                         set(items))
        # (assertTrue: a failing assertIn would print megabytes)
        self.assertTrue("data:image/png;base64,iVBORw0KGgo" in items["A pasted image"]["content_html"])
        links = items["Ten thousand links"]["content_html"]
        self.assertEqual(10000, links.count('href="https://news.example.org/sources/'),
                         "every relative link made absolute")
        self.assertGreater(len(items["One very long line"]["content_html"]), 1000000)
        for fmt in ("rss", "atom"):
            parsed = feedparser.parse(read("feed." + fmt))
            self.assertEqual(0, parsed.bozo, f"{fmt}: {parsed.get('bozo_exception')}")
            self.assertEqual(3, len(parsed.entries))

    def test_build_publishes_them(self):
        self.build()

        def read(rel):
            with open(self.out_path(rel), "rb") as f:
                return f.read()

        self.check_feeds(read)
        jing = subprocess.run(["jing", "-c", ATOM_RNC, self.out_path("feed.atom")],
                              capture_output=True, text=True)
        self.assertEqual(0, jing.returncode, jing.stdout + jing.stderr)

    def test_serve_publishes_them(self):
        daemon = Daemon(self.config, self.articles, self.state).start(timeout=60)
        try:
            self.check_feeds(lambda rel: fetch(daemon.url("/" + rel)).body)
        finally:
            daemon.stop()


if __name__ == "__main__":
    unittest.main()
