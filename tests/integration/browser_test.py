"""What a person with a browser sees: headless Chromium (Debian's
`chromium`) loads the index page, a feed's HTML preview, an article page
and an RSS feed through feedd's XSL stylesheet, and its rendered DOM
(--dump-dom) shows the titles as text.

With FEEDD_SCREENSHOT_DIR set, a screenshot of each page is saved there
(docs/screenshots/ holds the ones the README shows).
"""

import os
import shutil
import subprocess
import tempfile
import unittest

from feedd_daemon import Daemon, free_port
from feedd_testing import FeeddTestCase

CONFIG = """
[site]
title = "Harbour Gazette"
description = "News from the harbour towns"
tag_authority = "example.org"
base_url = "{base}"
link = "{base}"
[articles]
dir = "articles"
[feeds]
items = 5
"""
HOSTILE = '<b>Bold</b> & "quoted" claims'

ARTICLES = {
    "ferry.txt": ("Night Ferry Returns to the Island Route\n\n"
                  "1204\nIda Berg Reporter\n\n"
                  "Category: Transport\nImage: pics/ferry.svg\nPhoto by: Harbour Gazette\n\n"
                  "The night ferry to the island will run again from Friday after a winter "
                  "without late crossings, the port authority said.\n\n"
                  "Timetable\n\n"
                  "Boats leave the harbour at eleven and return at half past midnight.\n"),
    "market.md": ("---\ntitle: 'Fish Market Opens Its New Hall'\ndate: 2026-11-20T08:00:00Z\n"
                  "authors: [Omar Haddad]\ncategories: [Business]\n---\n\n"
                  "The fish market moved into its new hall on the quay. "
                  "[The plan](docs/plan.html) was approved last year.\n"),
    "claims.md": (f"---\ntitle: '{HOSTILE}'\ndate: 2026-11-19T08:00:00Z\n"
                  "authors: [Ida Berg]\ncategories: [Business]\n---\n\nA story.\n"),
}

FERRY_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="600" height="300">'
             '<rect width="600" height="300" fill="#234"/>'
             '<rect x="150" y="170" width="300" height="50" fill="#eee"/></svg>\n')


class BrowserTest(FeeddTestCase):
    @classmethod
    def setUpClass(cls):
        cls.chromium = shutil.which("chromium")

    def setUp(self):
        super().setUp()
        self.assertIsNotNone(self.chromium, "chromium is not installed (scripts/install-deps.sh)")
        # Links point where the daemon listens, so the photo loads.
        port = free_port()
        self.base = f"http://127.0.0.1:{port}/"
        self.write_config(CONFIG.format(base=self.base))
        for rel, text in ARTICLES.items():
            self.write_article(rel, text)
        os.makedirs(os.path.join(self.articles, "pics"))
        with open(os.path.join(self.articles, "pics", "ferry.svg"), "w") as f:
            f.write(FERRY_SVG)
        self.daemon = Daemon(self.config, self.articles, self.state, port=port).start()
        self.profile = tempfile.mkdtemp(dir=self.work)

    def tearDown(self):
        self.daemon.stop()
        super().tearDown()

    def chromium_run(self, *args):
        run = subprocess.run(
            [self.chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             f"--user-data-dir={self.profile}", "--hide-scrollbars", *args],
            capture_output=True, text=True, timeout=120)
        self.assertEqual(0, run.returncode, run.stderr[-2000:])
        return run.stdout

    def dom(self, path, name):
        """The page at |path| as Chromium renders it; a screenshot too when
        FEEDD_SCREENSHOT_DIR is set."""
        url = self.daemon.url(path)
        shots = os.environ.get("FEEDD_SCREENSHOT_DIR")
        if shots:
            os.makedirs(shots, exist_ok=True)
            self.chromium_run("--window-size=1000,900",
                              f"--screenshot={os.path.join(shots, name + '.png')}", url)
        return self.chromium_run("--dump-dom", url)

    def test_the_index_page_lists_every_feed(self):
        dom = self.dom("/", "index")
        self.assertIn("<h1>Harbour Gazette feeds</h1>", dom)
        for title in ("Harbour Gazette", "Harbour Gazette: Transport", "Harbour Gazette: Business",
                      "Harbour Gazette: by Ida Berg"):
            self.assertIn(f">{title}</a>", dom)

    def test_a_feed_preview_shows_how_to_subscribe_and_the_headlines(self):
        dom = self.dom("/feed.html", "feed-preview")
        self.assertIn("This is a web feed.", dom)
        self.assertIn(self.base + "feed.atom", dom)
        self.assertIn(">Night Ferry Returns to the Island Route</a>", dom)
        self.assertIn(">Fish Market Opens Its New Hall</a>", dom)
        # The hostile title is text, not markup.
        self.assertIn("&lt;b&gt;Bold&lt;/b&gt; &amp; \"quoted\" claims", dom)
        self.assertNotIn("<b>Bold</b>", dom)

    def test_an_article_page_shows_the_story_and_its_photo(self):
        dom = self.dom("/articles/ferry.html", "article")
        self.assertIn("<h1>Night Ferry Returns to the Island Route</h1>", dom)
        self.assertIn("By Ida Berg, Reporter.", dom)
        self.assertIn(f'<img src="{self.base}articles/pics/ferry.svg"', dom)
        self.assertIn("<figcaption>Harbour Gazette</figcaption>", dom)
        self.assertIn("<h2>Timetable</h2>", dom)

    def test_an_rss_feed_opened_in_the_browser_is_rendered_by_the_stylesheet(self):
        dom = self.dom("/feed.rss", "feed-xsl")
        # Rendered by /feed.xsl, not shown as raw XML text.
        self.assertIn("<title>Harbour Gazette (web feed)</title>", dom)
        self.assertIn("<h1>Harbour Gazette</h1>", dom)
        self.assertIn(">Night Ferry Returns to the Island Route</a>", dom)
        self.assertNotIn("&lt;rss", dom)

    def test_an_atom_feed_opened_in_the_browser_is_rendered_by_the_same_stylesheet(self):
        dom = self.dom("/feed.atom", "feed-xsl-atom")
        self.assertIn("<h1>Harbour Gazette</h1>", dom)
        self.assertIn(">Night Ferry Returns to the Island Route</a>", dom)
        self.assertIn('href="' + self.base + 'articles/', dom)
        self.assertNotIn("&lt;feed", dom)


if __name__ == "__main__":
    unittest.main()
