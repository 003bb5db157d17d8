"""Hostile but ordinary articles: a corpus of the files newsrooms, CMS exports
and scrapers really leave in the folder. Each gets a clear line naming the
file and the reason, never a crash; the feeds stay valid XML and JSON;
everything publishable is published.

Some cases need a file or folder root cannot read; the tests run feedd
without the capabilities that let root read anything (setpriv), as the
systemd unit's dynamic user would be."""

import json
import os
import re
import subprocess
import unittest
from urllib.parse import urlsplit

import feedparser

from feedd_daemon import Daemon, fetch, wait_for
from feedd_testing import AS_A_USER, ATOM_RNC, FEEDD, FeeddTestCase

CONFIG = """
[site]
link = "https://news.example.org/"
tag_authority = "example.org"
[articles]
dir = "articles"
"""


CP1251 = ("В городском театре покажут оперу\n\nВ субботу в городском театре "
          "состоится премьера оперы местного композитора.\n").encode("cp1251")
CP1252 = ("Café Reopens on the Square\n\nThe café near the cathedral reopened on "
          "Thursday after a long renovation — its façade restored.\n").encode("cp1252")


def agency(title, body="A paragraph of ordinary text."):
    return f"{title}\n\nAnn Lee Reporter\n\n{body}\n"


class Case:
    """One hostile file: how to make it, what feedd must say, whether it is
    published (and under which title)."""

    def __init__(self, name, make, says=None, published=None):
        self.name, self.make, self.says, self.published = name, make, says, published


def write(rel, data):
    def make(root):
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
    return make


def write_raw_name(rel, data):
    """A file whose path is bytes that are not UTF-8 (a legacy share)."""
    def make(root):
        path = os.path.join(os.fsencode(root), rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data.encode("utf-8"))
    return make


def symlink(rel, target):
    def make(root):
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        os.symlink(target, path)
    return make


def fifo(rel):
    def make(root):
        os.mkfifo(os.path.join(root, rel))
    return make


def unreadable_file(rel):
    def make(root):
        write(rel, agency("Secret Draft"))(root)
        os.chmod(os.path.join(root, rel), 0)
    return make


def unreadable_folder(rel):
    def make(root):
        write(rel + "/inside.txt", agency("Behind A Locked Door"))(root)
        os.chmod(os.path.join(root, rel), 0)
    return make


def both(*makes):
    def make(root):
        for m in makes:
            m(root)
    return make


MANY_AUTHORS = ("---\ntitle: Two Thousand Bylines\nauthors: ["
                + ", ".join(f"Writer {i}" for i in range(2000)) + "]\n---\n\nBody.\n")
SCRIPTED = """---
title: Raw HTML With Scripts
---

<p onclick="steal()">Text <a href="javascript:steal()">a link</a>
<img src="pics/a.jpg" srcset="pics/a-2x.jpg 2x, pics/a-3x.jpg 3x"></p>
<script>steal()</script><iframe srcdoc="<script>steal()</script>"></iframe>
"""

NESTED = "<div>" * 50000 + '<a href="/deep">deep</a>'

CASES = [
    Case("empty", write("empty.txt", b""), r"empty\.txt: file is empty"),
    Case("whitespace", write("blank.txt", " \n\t\n  \n"), r"blank\.txt: file is empty"),
    Case("front matter only", write("fm-only.md", "---\nauthor: Ann\n---\n"),
         r"fm-only\.md:\d+: article has no title"),
    Case("broken YAML", write("yaml.md", "---\ntitle: [unclosed\n---\nBody.\n"),
         r"yaml\.md:\d+: invalid YAML front matter"),
    Case("broken TOML", write("toml.md", "+++\ntitle = \n+++\nBody.\n"),
         r"toml\.md:\d+: invalid TOML front matter"),
    Case("non-scalar YAML key", write("key.md", "---\n? :\n---\nBody.\n"), r"key\.md:\d+: "),
    Case("YAML list for a title", write("list.md", "---\ntitle: [a, b]\n---\nBody.\n"),
         r"list\.md:\d+: front matter 'title' must be a single value"),
    Case("unclosed front matter", write("open.md", "---\ntitle: Never closed\nBody.\n"),
         r"open\.md:1: front matter opened with '---' is never closed"),
    Case("NUL bytes", write("nul.txt", b"Title\n\nA\x00B\n"), r"nul\.txt: binary file"),
    Case("Windows-1251", write("cp1251.txt", CP1251), r"cp1251\.txt: warning: not UTF-8: read as",
         published="В городском театре покажут оперу"),
    Case("Windows-1252", write("cp1252.txt", CP1252), r"cp1252\.txt: warning: not UTF-8: read as",
         published="Café Reopens on the Square"),
    Case("a BOM", write("bom.txt", "\ufeff" + agency("Title After A BOM")), None,
         published="Title After A BOM"),
    Case("CRLF", write("crlf.txt", agency("Windows Line Ends").replace("\n", "\r\n")), None,
         published="Windows Line Ends"),
    Case("control characters", write("ctrl.txt", agency("Bell\x07 Title", "Esc \x1b[31m red.")),
         r"ctrl\.txt:1: warning: control characters, noncharacters and U\+FFFD removed",
         published="Bell Title"),
    Case("C1 controls", write("c1.txt", agency("Next\u0085Line Title")),
         r"c1\.txt:1: warning: control characters, noncharacters and U\+FFFD removed",
         published="NextLine Title"),
    Case("references to illegal characters",
         write("refs.md", "---\ntitle: References\n---\n\nA &#xFFFF; and &#xD800; and &#x0; end.\n"),
         r"refs\.md: warning: characters a feed cannot carry", published="References"),
    Case("escapes to noncharacters in YAML",
         write("escape.md", '---\ntitle: "Escaped \\uFFFE title"\n---\n\nBody.\n'),
         r"escape\.md: warning: characters a feed cannot carry", published="Escaped  title"),
    Case("10 MB file", write("huge.txt", "Huge\n\n" + "word " * (2 * 1024 * 1024)),
         r"huge\.txt: file is over the size limit"),
    Case("1 MB line", write("oneline.txt", "One Long Line\n\n" + "x" * (1 << 20) + ".\n"), None,
         published="One Long Line"),
    Case("5,000-character title", write("longtitle.txt", agency("T" * 5000)), None,
         published="T" * 5000),
    Case("symlink loop", both(symlink("loop-a.txt", "loop-b.txt"), symlink("loop-b.txt", "loop-a.txt")),
         r"loop-a\.txt: warning: a symbolic link that leads nowhere"),
    Case("symlink outside", symlink("passwd.txt", "/etc/passwd"),
         r"passwd\.txt: warning: a symbolic link to /etc/passwd, outside the articles folder"),
    Case("symlink inside", both(write("real/target.txt", agency("Linked Inside")),
                                symlink("alias.txt", "real/target.txt")), None,
         published="Linked Inside"),
    Case("FIFO", fifo("pipe.txt"), r"pipe\.txt: warning: not a regular file"),
    Case("directory named like an article", write("folder.txt/inner.txt", agency("Inside A Folder")),
         None, published="Inside A Folder"),
    Case("unreadable file", unreadable_file("locked.txt"), r"locked\.txt: cannot open: Permission denied"),
    Case("unreadable folder", unreadable_folder("aaa-locked"),
         r"aaa-locked: cannot list this folder: Permission denied"),
    Case("same name in two folders", both(write("east/same.txt", agency("Same Name East")),
                                         write("west/same.txt", agency("Same Name West"))),
         r"west/same\.txt: warning: id 'same' belongs to east/same\.txt", published="Same Name West"),
    Case("same front matter id", both(write("id1.md", "---\ntitle: First Id\nid: shared\n---\nx\n"),
                                      write("id2.md", "---\ntitle: Second Id\nid: shared\n---\nx\n")),
         r"id2\.md: warning: id 'shared' is already used by id1\.md", published="Second Id"),
    Case("far-future date", write("future.md", "---\ntitle: From 2926\ndate: 2926-01-01\n---\nx\n"),
         None),
    Case("unparseable date", write("baddate.md", "---\ntitle: Bad Date\ndate: next Tuesday\n---\nx\n"),
         r"baddate\.md:\d+: front matter 'date' is not a date"),
    Case("unparseable Date header", write("baddate.txt", "Title\n\nDate: soon\n\nBody.\n"),
         r"baddate\.txt:3: header 'Date' is not a date"),
    Case("deeply nested markup", write("nested.md", "---\ntitle: Nested\n---\n\n" + NESTED + "\n"),
         None, published="Nested"),
    Case("a Latin-1 folder name", write_raw_name(b"\xe9conomie/eco.txt", agency("Legacy Share Folder")),
         r"conomie/eco\.txt: warning: its folder's name is not UTF-8", published="Legacy Share Folder"),
    Case("2,000 authors", write("bylines.md", MANY_AUTHORS),
         r"bylines\.md: warning: 2000 authors: only the first 20 are published \(articles\.max_authors\)",
         published="Two Thousand Bylines"),
    Case("javascript: link", write("jslink.md", "---\ntitle: Script Link\nlink: javascript:alert(1)\n"
                                                "image: ' JaVa\tScRiPt:alert(1)'\n---\n\nBody.\n"),
         r"jslink\.md: warning: link \"javascript:alert\(1\)\" is not an http\(s\) or relative URL",
         published="Script Link"),
    Case("slug leaving articles/", write("slug.md", "---\ntitle: Escaping Slug\nslug: ../feed.rss\n---\n\nx\n"),
         r"slug\.md: warning: slug \"\.\./feed\.rss\" would leave articles/", published="Escaping Slug"),
    Case("scripts in a Markdown body", write("scripted.md", SCRIPTED), None,
         published="Raw HTML With Scripts"),
    Case("story.md beside story.txt", both(write("story.txt", agency("Story As Text")),
                                          write("story.md", "---\ntitle: Story As Markdown\n---\n\nx\n")),
         r"story\.txt: warning: id 'story' belongs to story\.md; this file gets 'story\.txt'",
         published="Story As Markdown"),
    Case("a newline in a file name", write("evil\nfeedd: error: forged.txt", b""),
         r"evil\\nfeedd: error: forged\.txt: file is empty"),
]


class HostileArticlesTest(FeeddTestCase):
    def setUp(self):
        super().setUp()
        self.write_config(CONFIG)
        os.makedirs(self.articles)
        self.write_article("good.txt", agency("An Ordinary Article"))
        for case in CASES:
            case.make(self.articles)

    def tearDown(self):
        for dirpath, dirnames, _ in os.walk(self.articles):
            for d in dirnames:
                os.chmod(os.path.join(dirpath, d), 0o755)
        super().tearDown()

    def run_as_user(self, *args):
        os.chmod(self.work, 0o755)
        return subprocess.run(AS_A_USER + [FEEDD, *args], capture_output=True, text=True,
                              timeout=300)

    def test_the_corpus_is_large_enough(self):
        self.assertGreaterEqual(len(CASES), 30)

    def test_every_case_is_named_and_everything_publishable_is_published(self):
        result = self.run_as_user("build", "--config", self.config, "--state-dir", self.state,
                                  "--out", self.out)
        # Some cases are errors: the site is written all the same, and the
        # exit code says so.
        self.assertEqual(65, result.returncode, result.stderr)
        self.assertIn(" in the articles (listed above)", result.stderr)
        log = result.stderr
        for case in CASES:
            if case.says:
                self.assertRegex(log, case.says, case.name)
        # One message is one line: nothing forged a line of its own.
        self.assertFalse(any(line.startswith("feedd: error: forged") for line in log.splitlines()))

        items = json.load(open(os.path.join(self.out, "feed.json"), encoding="utf-8"))["items"]
        titles = {i["title"] for i in items}
        self.assertIn("An Ordinary Article", titles)
        for case in CASES:
            if case.published:
                self.assertIn(case.published, titles, case.name)
        self.assertNotIn("From 2926", titles)  # embargoed, not lost
        self.assertNotIn("Behind A Locked Door", titles)
        self.assertFalse(any("root:" in i.get("content_html", "") for i in items))
        # A summary is plain text: references decoded (and cleaned), not shown.
        refs = next(i for i in items if i["title"] == "References")
        self.assertEqual("A  and  and  end.", refs["summary"])
        self.assertIn("Story As Text", titles)
        # A log line stays UTF-8: the folder's Latin-1 byte is escaped.
        self.assertRegex(log, r"\\xe9conomie/eco\.txt: warning")
        self.assertIn("économie", {t for i in items for t in i.get("tags", [])})
        self.assertEqual(20, len(next(i for i in items
                                      if i["title"] == "Two Thousand Bylines")["authors"]))
        script_link = next(i for i in items if i["title"] == "Script Link")
        self.assertNotIn("javascript", json.dumps(script_link).lower())
        scripted = next(i for i in items if i["title"] == "Raw HTML With Scripts")["content_html"]
        for bad in ("<script", "onclick", "javascript:", "srcdoc", "steal"):
            self.assertNotIn(bad, scripted)
        self.assertIn("https://news.example.org/articles/pics/a-2x.jpg 2x", scripted)
        escaping = next(i for i in items if i["title"] == "Escaping Slug")
        self.assertNotIn("feed.rss", escaping["url"])

        for fmt in ("rss", "atom"):
            with open(os.path.join(self.out, "feed." + fmt), "rb") as f:
                data = f.read()
            parsed = feedparser.parse(data)
            self.assertEqual(0, parsed.bozo, f"{fmt}: {parsed.get('bozo_exception')}")
            text = data.decode("utf-8")
            for bad in ("\ufffe", "\uffff", "\x85", "\ufdd0", "\ufffd", "&#", "&amp;#"):
                self.assertNotIn(bad, text, fmt)
        jing = subprocess.run(["jing", "-c", ATOM_RNC, os.path.join(self.out, "feed.atom")],
                              capture_output=True, text=True)
        self.assertEqual(0, jing.returncode, jing.stdout + jing.stderr)

    def test_check_lists_the_errors_and_fails(self):
        result = self.run_as_user("check", "--config", self.config)
        self.assertEqual(65, result.returncode, result.stdout + result.stderr)
        for case in CASES:
            if case.says:
                self.assertRegex(result.stdout, case.says, case.name)
        self.assertRegex(result.stdout, r"\d+ files, \d+ articles, \d+ errors, \d+ warnings")


SERVE_CONFIG = """
[site]
tag_authority = "example.org"
[articles]
dir = "articles"
[watch]
debounce_ms = 50
"""


def with_slug(title, slug, date):
    return f"---\ntitle: {title}\nslug: {slug}\ndate: {date}\n---\n{title}: the body.\n"


class DuplicateSlugTest(FeeddTestCase):
    """Two articles asking for one slug: two pages, and no link 404s when the
    one that owns it goes."""

    def setUp(self):
        super().setUp()
        self.write_config(SERVE_CONFIG)
        os.makedirs(self.articles)
        self.write_article("early.md", with_slug("Early", "same", "2026-03-01T00:00:00Z"))
        self.write_article("late.md", with_slug("Late", "same", "2026-03-02T00:00:00Z"))
        self.daemon = Daemon(self.config, self.articles, self.state).start()

    def tearDown(self):
        self.daemon.stop()
        super().tearDown()

    def links(self):
        r = fetch(self.daemon.url("/feed.json"))
        self.assertEqual(200, r.status)
        return {i["title"]: urlsplit(i["url"]).path for i in json.loads(r.body)["items"]}

    def test_two_pages_and_no_link_404s_after_the_owner_goes(self):
        links = self.links()
        self.assertEqual({"Early": "/articles/same.html", "Late": "/articles/same-late.html"},
                         links)
        bodies = []
        for title, path in links.items():
            r = fetch(self.daemon.url(path))
            self.assertEqual(200, r.status, path)
            self.assertIn(f"<h1>{title}</h1>", r.body.decode("utf-8"))
            bodies.append(r.body)
        self.assertNotEqual(bodies[0], bodies[1])
        self.assertRegex(self.daemon.log(),
                         r"late\.md: slug 'same' is already used by early\.md; "
                         r"this article's page is /articles/same-late\.html")

        os.remove(os.path.join(self.articles, "early.md"))
        self.assertTrue(wait_for(lambda: self.links() == {"Late": "/articles/same.html"},
                                 timeout=5), self.daemon.log())
        r = fetch(self.daemon.url("/articles/same.html"))
        self.assertEqual(200, r.status)
        self.assertIn("<h1>Late</h1>", r.body.decode("utf-8"))


class SlugCollisionTest(FeeddTestCase):
    """Categories that only '+' and '#' tell apart get feeds of their own;
    two spellings of one byline share a feed, with one warning."""

    def test_c_cpp_and_csharp_get_three_feeds_and_spellings_one(self):
        self.write_config(CONFIG)
        for name, category, author in [("cpp", "C++", "Anne-Marie Smith"),
                                       ("c", "C", "Anne Marie Smith"),
                                       ("cs", "C#", "Anne Marie Smith")]:
            self.write_article(f"{name}.md",
                               f"---\ntitle: On {category}\ncategories: [{category}]\n"
                               f"author: {author}\n---\nBody.\n")
        result = self.build()
        for slug, title in [("c-plus-plus", "On C++"), ("c", "On C"), ("c-sharp", "On C#")]:
            items = self.read_json(f"category/{slug}/feed.json")["items"]
            self.assertEqual([title], [i["title"] for i in items], slug)
        authors = self.read_json("author/anne-marie-smith/feed.json")["items"]
        self.assertEqual(3, len(authors))
        warnings = [line for line in result.stderr.splitlines() if "shares the feed" in line]
        self.assertEqual(1, len(warnings), result.stderr)
        self.assertIn("'Anne Marie Smith'", warnings[0])
        self.assertIn("'Anne-Marie Smith'", warnings[0])


if __name__ == "__main__":
    unittest.main()
