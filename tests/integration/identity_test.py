"""Ids and dates across rebuilds: touch, edit, move, view counter, restart."""

import os
import time
import unittest

import feedparser

from feedd_testing import FIXED_MTIME, FeeddTestCase


class IdentityTest(FeeddTestCase):
    def entries(self):
        parsed = feedparser.parse(self.out_path("feed.atom"))
        self.assertEqual(0, parsed.bozo)
        return {e.id: (e.published, e.updated) for e in parsed.entries}

    def json_items(self):
        return {i["id"]: i for i in self.read_json("feed.json")["items"]}

    def test_only_the_edited_article_changes_its_updated_date(self):
        self.use_examples()
        self.build()
        before = self.entries()
        before_json = self.json_items()
        later = FIXED_MTIME + 86400

        # Touch every file.
        for dirpath, _, names in os.walk(self.articles):
            for n in names:
                os.utime(os.path.join(dirpath, n), (later, later))
        # Edit one article's body.
        library = os.path.join(self.articles, "103_2e9b7c4d1a6f0853.txt")
        with open(library, "a", encoding="utf-8") as f:
            f.write("\nThe library also opens on Sundays in January.\n")
        os.utime(library, (later + 60, later + 60))
        # Move one to another folder.
        os.makedirs(os.path.join(self.articles, "europe"))
        os.rename(os.path.join(self.articles, "world", "102_d4a7b2c9e0f13568.txt"),
                  os.path.join(self.articles, "europe", "102_d4a7b2c9e0f13568.txt"))
        # Change one view counter.
        tram = os.path.join(self.articles, "100_5f1c0a9e2b7d4e31.txt")
        with open(tram, encoding="utf-8") as f:
            text = f.read()
        with open(tram, "w", encoding="utf-8") as f:
            f.write(text.replace("\n2311\n", "\n9876\n"))
        os.utime(tram, (later + 120, later + 120))

        self.build()
        after = self.entries()
        self.assertEqual(set(before), set(after))  # ids never change
        edited = "tag:northwind.example.org,2026-01-01:103_2e9b7c4d1a6f0853"
        for id_, (published, updated) in before.items():
            self.assertEqual(published, after[id_][0], id_)  # published never changes
            if id_ == edited:
                self.assertEqual("2026-11-11T00:01:00Z", after[id_][1])
            else:
                self.assertEqual(updated, after[id_][1], id_)
        after_json = self.json_items()
        for id_, item in before_json.items():
            self.assertEqual(item["date_published"], after_json[id_]["date_published"])
        # The moved article now sits in its new folder's category feed.
        europe = self.read_json("category/europe/feed.json")
        self.assertEqual(["tag:northwind.example.org,2026-01-01:102_d4a7b2c9e0f13568"],
                         [i["id"] for i in europe["items"]])

    def test_rename_with_same_content_keeps_id_and_dates(self):
        self.write_config('[site]\ntag_authority = "example.org"\n[articles]\ndir = "articles"\n')
        self.write_article("old-name.txt", "Title\n\nBody of the article.\n", FIXED_MTIME)
        self.build()
        os.rename(os.path.join(self.articles, "old-name.txt"),
                  os.path.join(self.articles, "new-name.txt"))
        os.utime(os.path.join(self.articles, "new-name.txt"), (FIXED_MTIME + 500,) * 2)
        self.build()
        items = self.read_json("feed.json")["items"]
        self.assertEqual(["tag:example.org,2026-01-01:old-name"], [i["id"] for i in items])
        self.assertEqual("2026-11-10T00:00:00Z", items[0]["date_published"])

    def test_state_store_survives_and_decides_dates(self):
        self.write_config('[articles]\ndir = "articles"\n')
        self.write_article("a.txt", "Title\n\nBody.\n", FIXED_MTIME)
        self.build()
        self.assertTrue(os.path.exists(os.path.join(self.state, "state.sqlite3")))
        # The file's mtime moves later; the recorded first sighting wins.
        os.utime(os.path.join(self.articles, "a.txt"), (time.time(), time.time()))
        self.build()
        self.assertEqual("2026-11-10T00:00:00Z",
                         self.read_json("feed.json")["items"][0]["date_published"])


if __name__ == "__main__":
    unittest.main()
