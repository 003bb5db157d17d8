"""feedd build on the bundled examples: valid RSS, Atom and JSON Feed."""

import os
import shutil
import subprocess
import unittest

import feedparser

from feedd_testing import ATOM_RNC, FeeddTestCase, snapshot

EXPECTED_TITLES = {
    "100_5f1c0a9e2b7d4e31": "Riverside Tram Line Opens to Passengers After Three Years of Works",
    "101_8c3e6d0f4a2b9e17": "Regional Grain Harvest Beats Forecast Despite Dry Summer",
    "102_d4a7b2c9e0f13568": "Coastal States Agree on Joint Plan to Protect Migratory Birds",
    "103_2e9b7c4d1a6f0853": "City Library Extends Opening Hours for Exam Season",
    "104_7f0e3b8a5c2d9146": "В городском театре покажут оперу местного композитора",
    "harbour-bridge-inspection-2026": "Harbour Bridge to Close at Night for Safety Inspection",
    "observatory-new-telescope": "Hill Observatory Opens Its New Telescope to the Public",
    "2026-11-newsroom-feeds": "Our Newsroom Now Publishes Feeds in Three Formats",
}
TAG = "tag:northwind.example.org,2026-01-01:"


class BuildExamplesTest(FeeddTestCase):
    def setUp(self):
        super().setUp()
        self.use_examples()
        self.result = self.build()

    def test_prints_where_the_feeds_are(self):
        self.assertIn(self.out, self.result.stdout)
        self.assertIn("feed.rss", self.result.stdout)
        self.assertEqual("", self.result.stderr)

    def test_the_static_site_has_every_page_and_feeds_only_has_none(self):
        for slug, title in EXPECTED_TITLES.items():
            with open(self.out_path(f"articles/{slug}.html"), encoding="utf-8") as f:
                self.assertIn(f"<h1>{title}</h1>", f.read())
        # The article's own image, and the one inside a Markdown body.
        for image in ("harbour-bridge.svg", "dome.svg"):
            with open(os.path.join(self.articles, "images", image), "rb") as f:
                with open(self.out_path(f"articles/images/{image}"), "rb") as g:
                    self.assertEqual(f.read(), g.read())
        self.assertIn(f"{len(EXPECTED_TITLES) + 1} article pages", self.result.stdout)
        shutil.rmtree(self.out)
        result = self.build("--feeds-only")
        self.assertIn("0 article pages and 0 archive documents", result.stdout)
        self.assertFalse(os.path.exists(self.out_path("articles")))
        self.assertTrue(os.path.exists(self.out_path("feed.rss")))
        self.assertTrue(os.path.exists(self.out_path("feed.html")))
        self.assertTrue(os.path.exists(self.out_path("author/sara-lindqvist/feed.atom")))

    def test_atom_validates_against_rfc4287_schema(self):
        for rel in ["feed.atom", "category/world/feed.atom", "category/culture/feed.atom",
                    "author/sara-lindqvist/feed.atom"]:
            jing = subprocess.run(["jing", "-c", ATOM_RNC, self.out_path(rel)],
                                  capture_output=True, text=True)
            self.assertEqual(0, jing.returncode, f"{rel}: {jing.stdout}{jing.stderr}")

    def check_parsed(self, rel):
        parsed = feedparser.parse(self.out_path(rel))
        self.assertEqual(0, parsed.bozo, f"{rel}: {parsed.get('bozo_exception')}")
        ids = {e.id for e in parsed.entries}
        self.assertEqual({TAG + i for i in EXPECTED_TITLES}, ids)
        for entry in parsed.entries:
            self.assertEqual(EXPECTED_TITLES[entry.id[len(TAG):]], entry.title)
        return {e.id[len(TAG):]: e for e in parsed.entries}

    def test_rss_parses_with_expected_items(self):
        entries = self.check_parsed("feed.rss")
        tram = entries["100_5f1c0a9e2b7d4e31"]
        self.assertEqual("Dana Whitfield", tram.author)
        self.assertEqual("Fri, 20 Nov 2026 08:30:00 +0000", tram.published)
        self.assertEqual("City Transport Office", tram.media_credit[0]["content"])
        self.assertNotIn("Northwind News Agency is registered", tram.content[0].value)
        self.assertNotIn("2311", tram.content[0].value)
        self.assertIn("<h2>Why the line took three years</h2>", tram.content[0].value)

    def test_atom_parses_with_expected_items(self):
        entries = self.check_parsed("feed.atom")
        harvest = entries["101_8c3e6d0f4a2b9e17"]
        self.assertEqual("Marek Olsen", harvest.author)
        self.assertEqual("2026-11-18T14:00:00Z", harvest.published)
        self.assertEqual("2026-11-18T14:00:00Z", harvest.updated)
        library = entries["103_2e9b7c4d1a6f0853"]
        self.assertEqual("2026-11-10T00:00:00Z", library.published)  # first seen = mtime
        bridge = entries["harbour-bridge-inspection-2026"]
        self.assertEqual("Sara Lindqvist", bridge.author)
        self.assertEqual(["Transport", "infrastructure"], [t.term for t in bridge.tags])

    def test_json_feed_has_every_required_field(self):
        feed = self.read_json("feed.json")
        self.assertEqual("https://jsonfeed.org/version/1.1", feed["version"])
        for key in ["title", "home_page_url", "feed_url", "items"]:
            self.assertIn(key, feed)
        self.assertEqual(len(EXPECTED_TITLES), len(feed["items"]))
        for item in feed["items"]:
            self.assertTrue(item["id"].startswith(TAG))
            self.assertEqual(EXPECTED_TITLES[item["id"][len(TAG):]], item["title"])
            self.assertIn("content_html", item)
            self.assertIn("date_published", item)
            self.assertIn("date_modified", item)

    def test_same_items_in_every_format_newest_first(self):
        rss = [e.id for e in feedparser.parse(self.out_path("feed.rss")).entries]
        atom = [e.id for e in feedparser.parse(self.out_path("feed.atom")).entries]
        json_ids = [i["id"] for i in self.read_json("feed.json")["items"]]
        self.assertEqual(rss, atom)
        self.assertEqual(rss, json_ids)
        self.assertEqual(TAG + "harbour-bridge-inspection-2026", rss[0])  # 21 Nov, newest

    def test_category_feeds_hold_their_articles(self):
        world = self.read_json("category/world/feed.json")
        self.assertEqual([TAG + "102_d4a7b2c9e0f13568"], [i["id"] for i in world["items"]])
        culture = self.read_json("category/culture/feed.json")
        self.assertEqual("ru", culture["items"][0]["language"])
        self.assertTrue(os.path.exists(self.out_path("category/science/feed.rss")))

    def test_markdown_links_become_absolute(self):
        feed = self.read_json("feed.json")
        scope = [i for i in feed["items"] if i["id"].endswith("observatory-new-telescope")][0]
        self.assertIn('href="http://127.0.0.1:8080/observatory/visits"', scope["content_html"])
        self.assertIn('src="http://127.0.0.1:8080/articles/images/dome.svg"', scope["content_html"])

    def test_second_build_is_byte_identical(self):
        first = snapshot(self.out)
        self.build()
        self.assertEqual(first, snapshot(self.out))


if __name__ == "__main__":
    unittest.main()
