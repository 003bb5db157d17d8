"""What readers and browsers get: article pages, author feeds, archives
(RFC 5005), images and absolute links, checked against the real daemon with
libcurl, python3-feedparser, html5lib and jing.

The site: ten articles over four months by two authors (items = 3, so most
of each feed is in its archives), one with a hostile title, one with a local
image, one in Markdown with relative links.
"""

import json
import os
import re
import struct
import subprocess
import time
import unittest
import zlib

import feedparser
import html5lib

from feedd_daemon import Daemon, fetch, wait_for
from feedd_testing import ATOM_RNC, FeeddTestCase

CONFIG = """
[site]
title = "Reader News"
tag_authority = "example.org"
[articles]
dir = "articles"
[feeds]
items = 3
[[feeds.custom]]
name = "World by Ann"
path = "topics/ann-world/feed"
categories = ["world"]
authors = ["ann lee"]
content = "summary"
items = 2
[watch]
debounce_ms = 30
"""
HOSTILE = '<script>alert(1)</script> & "quotes"'
TAG = "tag:example.org,2026-01-01:"


def png(width, height):
    """A small valid PNG (one grey pixel row repeated)."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def article(title, date, author, category, extra="", body="A paragraph of the story."):
    return (f"---\ntitle: '{title}'\ndate: {date}\nauthors: [{author}]\n"
            f"categories: [{category}]\n{extra}---\n\n{body}\n")


ARTICLES = {
    "s01.md": article("January one", "2026-01-05T10:00:00Z", "Ann Lee", "World"),
    "s02.md": article("January two", "2026-01-20T10:00:00Z", "Bo Chen", "Sport"),
    "s03.md": article(HOSTILE.replace("'", "''"), "2026-02-03T10:00:00Z", "Ann Lee", "World"),
    "s04.md": article("February two", "2026-02-14T10:00:00Z", "Bo Chen", "World",
                      extra="image: pics/harbour.png\ncredit: 'Photo: R. Reader'\n"),
    "s05.md": article("February three", "2026-02-25T10:00:00Z", "Ann Lee", "Sport",
                      body="See [the map](maps/route.html) and ![a chart](charts/c.png)."),
    "s06.md": article("March one", "2026-03-02T10:00:00Z", "Bo Chen", "World"),
    "s07.md": article("March two", "2026-03-18T10:00:00Z", "Ann Lee", "World"),
    "s08.md": article("April one", "2026-04-01T10:00:00Z", "Bo Chen", "Sport"),
    "s09.md": article("April two", "2026-04-09T10:00:00Z", "Ann Lee", "World"),
    "s10.md": article("April three", "2026-04-22T10:00:00Z", "Bo Chen", "World"),
}
NEWEST_FIRST = [f"s{i:02d}" for i in range(10, 0, -1)]


class ReadersTest(FeeddTestCase):
    @classmethod
    def setUpClass(cls):
        cls.image = png(40, 20)

    def setUp(self):
        super().setUp()
        self.write_config(CONFIG)
        for rel, text in ARTICLES.items():
            self.write_article(rel, text)
        os.makedirs(os.path.join(self.articles, "pics"))
        with open(os.path.join(self.articles, "pics", "harbour.png"), "wb") as f:
            f.write(self.image)
        self.daemon = Daemon(self.config, self.articles, self.state).start()

    def tearDown(self):
        self.daemon.stop()
        super().tearDown()

    def get(self, path):
        r = fetch(self.daemon.url(path))
        self.assertEqual(200, r.status, path)
        return r

    def feed_paths(self):
        index = self.get("/").body.decode()
        return sorted(set(re.findall(r'href="http://127\.0\.0\.1:8080/([^"]+)\.rss"', index)))

    def walk(self, path, ext):
        """Ids in the document at |path| and every archive before it, in the
        order a reader walking prev-archive meets them; also the documents."""
        ids, docs = [], []
        url = f"/{path}.{ext}"
        while url:
            body = self.get(url).body
            docs.append(url)
            if ext == "json":
                feed = json.loads(body)
                ids += [item["id"][len(TAG):] for item in feed["items"]]
                nxt = feed.get("next_url")
            else:
                parsed = feedparser.parse(body)
                self.assertFalse(parsed.bozo, f"{url}: {parsed.get('bozo_exception')}")
                ids += [e.id[len(TAG):] for e in parsed.entries]
                nxt = next((l.href for l in parsed.feed.get("links", [])
                            if l.rel == "prev-archive"), None)
            url = nxt[len("http://127.0.0.1:8080"):] if nxt else None
            self.assertLess(len(docs), 20, "prev-archive loops")
        return ids, docs

    # --- Article pages ---------------------------------------------------

    def test_every_item_link_of_every_feed_answers_with_its_title(self):
        paths = self.feed_paths()
        self.assertIn("feed", paths)
        self.assertIn("author/ann-lee/feed", paths)
        self.assertIn("category/world/feed", paths)
        checked = set()
        for path in paths:
            for ext in ("rss", "atom", "json"):
                _, docs = self.walk(path, ext)
                for doc in docs:
                    if ext == "json":
                        continue
                    for entry in feedparser.parse(self.get(doc).body).entries:
                        link = entry.link[len("http://127.0.0.1:8080"):]
                        if link in checked:
                            continue
                        page = self.get(link)
                        self.assertEqual("text/html; charset=utf-8", page.header("content-type"))
                        html5lib.HTMLParser(strict=True).parse(page.body)  # well-formed
                        self.assertIn(f"<h1>{html_escape(entry.title)}</h1>", page.body.decode())
                        checked.add(link)
        self.assertEqual(10, len(checked))

    def test_a_hostile_title_is_text_on_every_page(self):
        page = self.get("/articles/s03.html")
        body = page.body.decode()
        self.assertNotIn("<script>", body)
        self.assertIn("<h1>&lt;script&gt;alert(1)&lt;/script&gt; &amp; \"quotes\"</h1>", body)
        self.assertIn("default-src 'none'", page.header("content-security-policy"))
        for path in ("/", "/feed.html", "/author/ann-lee/feed.html"):
            html = self.get(path).body
            html5lib.HTMLParser(strict=True).parse(html)
            self.assertNotIn(b"<script>", html)

    def test_an_article_page_has_byline_canonical_link_and_its_feeds(self):
        body = self.get("/articles/s04.html").body.decode()
        self.assertIn('<link rel="canonical" href="http://127.0.0.1:8080/articles/s04.html" />',
                      body)
        for feed in ("feed", "category/world/feed", "author/bo-chen/feed"):
            self.assertIn(f'type="application/atom+xml" title="Reader News', body)
            self.assertIn(f'href="http://127.0.0.1:8080/{feed}.atom"', body)
        self.assertIn("By Bo Chen.", body)
        self.assertIn('<time datetime="2026-02-14T10:00:00Z">14 Feb 2026, 10:00 UTC</time>', body)
        self.assertIn('<img src="http://127.0.0.1:8080/articles/pics/harbour.png"', body)
        self.assertIn("<figcaption>Photo: R. Reader</figcaption>", body)

    def test_a_page_changes_only_when_its_article_does(self):
        before = {p: self.get(p).header("etag") for p in ("/articles/s01.html", "/articles/s09.html")}
        self.write_article("s11.md", article("May one", "2026-05-01T10:00:00Z", "Ann Lee", "World"))
        self.assertTrue(wait_for(lambda: fetch(self.daemon.url("/articles/s11.html")).status == 200))
        self.write_article("s09.md", ARTICLES["s09.md"].replace("April two", "April two, edited"))
        self.assertTrue(wait_for(lambda: b"edited" in self.get("/articles/s09.html").body))
        self.assertEqual(before["/articles/s01.html"], self.get("/articles/s01.html").header("etag"))
        self.assertNotEqual(before["/articles/s09.html"],
                            self.get("/articles/s09.html").header("etag"))
        os.remove(os.path.join(self.articles, "s11.md"))
        self.assertTrue(wait_for(lambda: fetch(self.daemon.url("/articles/s11.html")).status == 404))

    # --- Author feeds ----------------------------------------------------

    def test_an_authors_feed_holds_exactly_that_authors_articles(self):
        for slug, name in (("ann-lee", "Ann Lee"), ("bo-chen", "Bo Chen")):
            expected = [i for i in NEWEST_FIRST if f"[{name}]" in ARTICLES[i + ".md"]]
            for ext in ("rss", "atom", "json"):
                ids, _ = self.walk(f"author/{slug}/feed", ext)
                self.assertEqual(expected, ids, f"{slug} {ext}")
        parsed = feedparser.parse(self.get("/author/ann-lee/feed.atom").body)
        self.assertEqual("Reader News: by Ann Lee", parsed.feed.title)
        self.assertTrue(all(e.author == "Ann Lee" for e in parsed.entries))

    def test_a_defined_feed_holds_exactly_what_its_filters_select(self):
        self.assertIn("topics/ann-world/feed", self.feed_paths())  # on the index page
        expected = [i for i in NEWEST_FIRST
                    if "[Ann Lee]" in ARTICLES[i + ".md"] and "[World]" in ARTICLES[i + ".md"]]
        self.assertEqual(["s09", "s07", "s03", "s01"], expected)
        for ext in ("rss", "atom", "json"):
            ids, docs = self.walk("topics/ann-world/feed", ext)
            self.assertEqual(expected, ids, ext)
        parsed = feedparser.parse(self.get("/topics/ann-world/feed.atom").body)
        self.assertEqual("Reader News: World by Ann", parsed.feed.title)
        self.assertEqual(2, len(parsed.entries))  # its own item count
        self.assertTrue(all("content" not in e for e in parsed.entries))  # summaries only
        self.assertIn("World by Ann", self.get("/topics/ann-world/feed.html").body.decode())

    # --- Archives ----------------------------------------------------------

    def test_walking_prev_archive_yields_every_article_once_newest_first(self):
        for ext in ("rss", "atom", "json"):
            ids, docs = self.walk("feed", ext)
            self.assertEqual(NEWEST_FIRST, ids, ext)
            self.assertEqual([f"/feed.{ext}", f"/feed/archive/2026-03.{ext}",
                              f"/feed/archive/2026-02.{ext}", f"/feed/archive/2026-01.{ext}"], docs)
        ids, _ = self.walk("category/sport/feed", "atom")
        self.assertEqual(["s08", "s05", "s02"], ids)

    def test_archive_documents_are_marked_linked_and_valid(self):
        atom = self.get("/feed/archive/2026-02.atom").body.decode()
        self.assertIn("<fh:archive />", atom)
        for rel, month in (("current", None), ("prev-archive", "2026-01"),
                           ("next-archive", "2026-03")):
            href = "/feed.atom" if month is None else f"/feed/archive/{month}.atom"
            self.assertIn(f'<link rel="{rel}" type="application/atom+xml" '
                          f'href="http://127.0.0.1:8080{href}" />', atom)
        rss = self.get("/feed/archive/2026-02.rss").body.decode()
        self.assertIn('rel="prev-archive"', rss)
        self.assertIn("<fh:archive />", rss)
        self.assertIn('"archive": true', self.get("/feed/archive/2026-02.json").body.decode())
        # The category with every item shown says so.
        self.write_article("solo.md", article("Solo", "2026-04-02T10:00:00Z", "Cy Dee", "Solo"))
        self.assertTrue(wait_for(lambda: fetch(self.daemon.url("/category/solo/feed.atom")).status
                                 == 200))
        self.assertIn(b"<fh:complete />", self.get("/category/solo/feed.atom").body)
        self.assertNotIn(b"<fh:complete />", self.get("/feed.atom").body)
        # Every Atom document, subscription and archive, validates.
        for path in ("/feed.atom", "/feed/archive/2026-01.atom", "/feed/archive/2026-02.atom",
                     "/author/bo-chen/feed/archive/2026-02.atom", "/category/solo/feed.atom"):
            target = os.path.join(self.work, "doc.atom")
            with open(target, "wb") as f:
                f.write(self.get(path).body)
            jing = subprocess.run(["jing", "-c", ATOM_RNC, target], capture_output=True, text=True)
            self.assertEqual(0, jing.returncode, f"{path}: {jing.stdout}{jing.stderr}")

    def test_a_closed_archive_is_byte_identical_after_a_new_article(self):
        closed = "/feed/archive/2026-01.atom"
        before = self.get(closed)
        self.assertIn("immutable", before.header("cache-control"))
        self.assertIn("max-age=2592000", before.header("cache-control"))
        self.assertNotIn("immutable", self.get("/feed/archive/2026-03.atom").header("cache-control"))
        self.write_article("s11.md", article("May one", "2026-05-01T10:00:00Z", "Ann Lee", "World"))
        self.assertTrue(wait_for(lambda: b"May one" in self.get("/feed.atom").body))
        # April's oldest item moved into a new April archive; January holds.
        self.assertEqual(200, self.get("/feed/archive/2026-04.atom").status)
        after = self.get(closed)
        self.assertEqual(before.body, after.body)
        self.assertEqual(before.header("etag"), after.header("etag"))
        ids, _ = self.walk("feed", "atom")
        self.assertEqual(["s11"] + NEWEST_FIRST, ids)

    def test_editing_an_old_article_changes_its_months_archives_and_nothing_else(self):
        routes = ["/", "/feed.xsl"]
        for path in self.feed_paths():
            for ext in ("rss", "atom", "json"):
                routes += self.walk(path, ext)[1]
            routes.append(f"/{path}.html")
        routes += [f"/articles/{i}.html" for i in NEWEST_FIRST]
        before = {r: self.get(r).header("etag") for r in routes}
        self.assertGreater(len(routes), 40)
        # s01, January, by Ann Lee in World: in the archives of all three.
        self.write_article("s01.md", ARTICLES["s01.md"].replace("January one", "January one (fixed)"))
        self.assertTrue(wait_for(lambda: b"(fixed)" in self.get("/feed/archive/2026-01.atom").body))
        time.sleep(0.3)
        changed = sorted(r for r in routes if self.get(r).header("etag") != before[r])
        expected = sorted([f"/{feed}/archive/2026-01.{ext}"
                           for feed in ("feed", "author/ann-lee/feed", "category/world/feed",
                                        "topics/ann-world/feed")
                           for ext in ("rss", "atom", "json")] + ["/articles/s01.html"])
        self.maxDiff = None
        self.assertEqual(expected, changed)

    # --- Images and links ----------------------------------------------------

    def test_a_local_image_and_its_credit_appear_in_every_format(self):
        url = "http://127.0.0.1:8080/articles/pics/harbour.png"
        image = self.get("/articles/pics/harbour.png")
        self.assertEqual("image/png", image.header("content-type"))
        self.assertEqual(self.image, image.body)
        length = str(len(self.image))
        # RSS: enclosure, media:content with type and size, media:credit.
        rss = self.get("/feed/archive/2026-02.rss").body.decode()
        parsed = feedparser.parse(rss)
        entry = next(e for e in parsed.entries if e.id == TAG + "s04")
        self.assertEqual([{"href": url, "length": length, "type": "image/png"}],
                         [dict(e) for e in entry.enclosures])
        self.assertIn(f'<media:content url="{url}" medium="image" type="image/png" '
                      f'fileSize="{length}">', rss)
        self.assertIn('<media:credit role="photographer">Photo: R. Reader</media:credit>', rss)
        # Atom: link rel="enclosure".
        atom = self.get("/feed/archive/2026-02.atom").body.decode()
        self.assertIn(f'<link rel="enclosure" type="image/png" href="{url}" length="{length}" />',
                      atom)
        # JSON Feed: image and attachments.
        items = json.loads(self.get("/feed/archive/2026-02.json").body)["items"]
        item = next(i for i in items if i["id"] == TAG + "s04")
        self.assertEqual(url, item["image"])
        self.assertEqual([{"url": url, "mime_type": "image/png", "title": "Photo: R. Reader",
                           "size_in_bytes": len(self.image)}], item["attachments"])

    def test_relative_links_and_images_in_markdown_come_out_absolute(self):
        # s05 is an archive item (summary only) in the main feed; its
        # author's feed and its page show the body.
        self.write_config(CONFIG.replace("items = 3", "items = 20"))
        self.daemon.stop()
        self.daemon = Daemon(self.config, self.articles, self.state).start()
        base = "http://127.0.0.1:8080/articles/"
        expected = [f'href="{base}maps/route.html"', f'src="{base}charts/c.png"']
        for ext in ("rss", "atom"):
            entry = next(e for e in feedparser.parse(self.get(f"/feed.{ext}").body).entries
                         if e.id == TAG + "s05")
            for want in expected:
                self.assertIn(want, entry.content[0].value, ext)
        item = next(i for i in json.loads(self.get("/feed.json").body)["items"]
                    if i["id"] == TAG + "s05")
        for want in expected:
            self.assertIn(want, item["content_html"])
            self.assertIn(want, self.get("/articles/s05.html").body.decode())


def html_escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


if __name__ == "__main__":
    unittest.main()
