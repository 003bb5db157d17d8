"""Bad input gets a clear error naming the file and line; feeds stay valid."""

import os
import subprocess
import unittest

import feedparser

from feedd_testing import ATOM_RNC, FIXED_MTIME, FeeddTestCase, run_feedd

GOOD = "Good Article\n\nAnn Lee Reporter\n\nA paragraph of the good article.\n"


class BadInputTest(FeeddTestCase):
    def setUp(self):
        super().setUp()
        self.write_config('[site]\ntag_authority = "example.org"\n[articles]\ndir = "articles"\n')
        self.write_article("good.txt", GOOD, FIXED_MTIME)

    def assert_feeds_valid(self, expected_ids):
        jing = subprocess.run(["jing", "-c", ATOM_RNC, self.out_path("feed.atom")],
                              capture_output=True, text=True)
        self.assertEqual(0, jing.returncode, jing.stdout + jing.stderr)
        for rel in ["feed.rss", "feed.atom"]:
            parsed = feedparser.parse(self.out_path(rel))
            self.assertEqual(0, parsed.bozo, f"{rel}: {parsed.get('bozo_exception')}")
            self.assertEqual(sorted("tag:example.org,2026-01-01:" + i for i in expected_ids),
                             sorted(e.id for e in parsed.entries))
        json_ids = [i["id"] for i in self.read_json("feed.json")["items"]]
        self.assertEqual(len(expected_ids), len(json_ids))

    def check(self):
        return run_feedd("check", "--config", self.config, check=False)

    def test_empty_file_is_an_error_and_skipped(self):
        self.write_article("empty.txt", "")
        result = self.build(article_errors=True)
        self.assertIn("articles/empty.txt: file is empty", result.stderr)
        self.assert_feeds_valid(["good"])
        check = self.check()
        self.assertEqual(65, check.returncode)
        self.assertIn("articles/empty.txt: file is empty", check.stdout)

    def test_binary_file_is_an_error_and_skipped(self):
        self.write_article("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", mode="wb")
        result = self.build(article_errors=True)
        self.assertIn("articles/photo.txt: binary file (it contains NUL bytes), not an article",
                      result.stderr)
        self.assert_feeds_valid(["good"])

    def test_not_utf8_is_decoded_from_its_charset_with_a_warning(self):
        self.write_article("latin1.txt", b"Caf\xe9 Opens\n\nThe caf\xe9 opened today.\n", mode="wb")
        result = self.build()
        self.assertIn("articles/latin1.txt: warning: not UTF-8: read as ", result.stderr)
        self.assert_feeds_valid(["good", "latin1"])
        items = {i["id"]: i for i in self.read_json("feed.json")["items"]}
        self.assertEqual("Caf\u00e9 Opens", items["tag:example.org,2026-01-01:latin1"]["title"])
        self.assertEqual(0, self.check().returncode)  # a warning is not an error

    def test_control_characters_are_removed_with_a_warning(self):
        self.write_article("ctrl.txt", "Bell\x07 Title\n\nText with \x1b[31m escape.\n")
        result = self.build()
        self.assertIn("articles/ctrl.txt:1: warning: control characters, noncharacters and U+FFFD "
                      "removed on line(s) 1, 3", result.stderr)
        self.assert_feeds_valid(["good", "ctrl"])
        with open(self.out_path("feed.rss"), encoding="utf-8") as f:
            self.assertNotIn("&#", f.read())

    def test_broken_front_matter_is_an_error_naming_the_line(self):
        self.write_article("broken.md", "---\ntitle: Fine\ntags: [a, b\n---\nBody.\n")
        result = self.build(article_errors=True)
        self.assertRegex(result.stderr, r"articles/broken\.md:\d+: invalid YAML front matter")
        self.assert_feeds_valid(["good"])

    def test_file_that_breaks_keeps_its_last_good_version(self):
        self.build()
        self.write_article("good.txt", "")
        result = self.build(article_errors=True)
        self.assertIn("articles/good.txt: file is empty", result.stderr)
        self.assertIn("articles/good.txt: warning: the last version that parsed stays published",
                      result.stderr)
        self.assert_feeds_valid(["good"])

    def test_unknown_config_key_exits_78_naming_the_line(self):
        self.write_config('[site]\ntitle = "x"\ncolour = "blue"\n')
        for command in (["check"], ["build", "--out", self.out]):
            result = run_feedd(*command, "--config", self.config, check=False)
            self.assertEqual(78, result.returncode)
            self.assertIn(f"{self.config}:3: unknown key 'colour' in [site]", result.stderr)
        self.assertFalse(os.path.exists(self.out))


if __name__ == "__main__":
    unittest.main()
