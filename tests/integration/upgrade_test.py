"""A state store written by feedd 0.1 opens in today's feedd with every id and
date kept (tests/data/upgrade_v1/README.md says how it was made)."""

import json
import os
import shutil
import sqlite3
import time
import unittest

from feedd_testing import SOURCE_DIR, FeeddTestCase

FIXTURE = os.path.join(SOURCE_DIR, "tests", "data", "upgrade_v1")
TAG = "tag:upgrade.example.org,2026-01-01:"


class UpgradeTest(FeeddTestCase):
    def setUp(self):
        super().setUp()
        shutil.copytree(os.path.join(FIXTURE, "articles"), self.articles)
        # The files now carry other mtimes than when the store was written:
        # any date taken from a file time instead of the store would show.
        now = time.time()
        for dirpath, _, names in os.walk(self.articles):
            for name in names:
                os.utime(os.path.join(dirpath, name), (now, now))
        os.makedirs(self.state)
        shutil.copy(os.path.join(FIXTURE, "state-v1.sqlite3"),
                    os.path.join(self.state, "state.sqlite3"))
        self.write_config(
            '[site]\ntitle = "Upgrade Fixture"\nlink = "http://127.0.0.1:8080/"\n'
            'tag_authority = "upgrade.example.org"\n[articles]\ndir = "articles"\n')
        with open(os.path.join(FIXTURE, "expected_dates.json"), encoding="utf-8") as f:
            self.expected = json.load(f)

    def dates(self):
        items = self.read_json("feed.json")["items"]
        return {i["id"][len(TAG):]: {"published": i["date_published"],
                                     "updated": i["date_modified"]} for i in items}

    def test_every_id_and_date_survives_the_upgrade(self):
        self.build()
        self.assertEqual(self.expected, self.dates())
        db = sqlite3.connect(os.path.join(self.state, "state.sqlite3"))
        self.assertEqual(4, db.execute("PRAGMA user_version").fetchone()[0])
        db.close()
        # A second run reads the migrated store as its own.
        self.build()
        self.assertEqual(self.expected, self.dates())

    def test_a_deleted_article_coming_back_keeps_its_first_date(self):
        with open(os.path.join(self.articles, "205_ff06.txt"), "w", encoding="utf-8") as f:
            f.write("School Roof Repairs Finished\n\n1204\nMira Holt Correspondent\n\n"
                    "Repairs to the roof of the old grammar school were finished ahead of term.\n")
        self.build()
        self.assertEqual("2026-11-10T00:00:00Z", self.dates()["205_ff06"]["published"])

    def test_an_edit_after_the_upgrade_moves_only_that_update(self):
        self.build()
        path = os.path.join(self.articles, "200_aa01.txt")
        with open(path, "a", encoding="utf-8") as f:
            f.write("\nA late correction was added.\n")
        edited_at = 1795000000  # 2026-11-18T11:06:40Z
        os.utime(path, (edited_at, edited_at))
        self.build()
        after = self.dates()
        self.assertEqual("2026-11-10T00:00:00Z", after["200_aa01"]["published"])
        self.assertEqual("2026-11-18T11:06:40Z", after["200_aa01"]["updated"])
        for id_, dates in self.expected.items():
            if id_ != "200_aa01":
                self.assertEqual(dates, after[id_], id_)


if __name__ == "__main__":
    unittest.main()
