"""The incremental core: what a running daemon serves after any sequence of
changes equals what a fresh `feedd build` makes of the final folder, only
the documents a change touches change, and no change is missed."""

import os
import random
import re
import shutil
import time
import unittest

from feedd_daemon import TIME_SCALE, Daemon, fetch, wait_for
from feedd_testing import FeeddTestCase, documents

CONFIG = """
[site]
title = "Churn News"
tag_authority = "example.org"
[articles]
dir = "articles"
[feeds]
items = 20
[watch]
debounce_ms = 30
"""
CATEGORIES = ["world", "economy", "sport", "culture", "science"]
WORDS = ("harbour council budget bridge farmers ferry school library river station "
         "market festival museum stadium clinic tram port valley").split()


def agency_text(rng, title):
    body = "\n\n".join(
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30))).capitalize() + "."
        for _ in range(rng.randint(1, 4)))
    return f"{title}\n\n{rng.randint(1, 9999)}\nAnn Lee Reporter\n\n{body}\n"


def markdown_text(rng, title, category):
    body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30)))
    return f"---\ntitle: \"{title}\"\ncategories: [{category}]\n---\n\n{body}.\n"


class Tree:
    """The articles folder, changed the way editors and CMS exports change it."""

    def __init__(self, root, rng):
        self.root = root
        self.rng = rng
        self.files = {}  # relative path -> True
        self.counter = 0

    def path(self, rel):
        return os.path.join(self.root, rel)

    def write(self, rel, text):
        full = self.path(rel)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        tmp = os.path.join(os.path.dirname(full), ".tmp-" + os.path.basename(full))
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.rename(tmp, full)  # as a CMS saves: never half a file
        self.files[rel] = True

    def new_name(self):
        self.counter += 1
        return f"{self.counter:05d}_{self.rng.getrandbits(40):010x}"

    def add(self):
        category = self.rng.choice(CATEGORIES)
        name = self.new_name()
        title = f"Story {name}"
        if self.rng.random() < 0.3:
            self.write(f"{category}/{name}.md", markdown_text(self.rng, title, category))
        else:
            self.write(f"{category}/{name}.txt", agency_text(self.rng, title))

    def pick(self):
        return self.rng.choice(sorted(self.files)) if self.files else None

    def edit(self):
        rel = self.pick()
        if rel is None:
            return
        title = f"Story {os.path.splitext(os.path.basename(rel))[0]} v{self.rng.randint(2, 99)}"
        category = rel.split("/")[0]
        if rel.endswith(".md"):
            self.write(rel, markdown_text(self.rng, title, self.rng.choice(CATEGORIES)))
        else:
            self.write(rel, agency_text(self.rng, title))
        del category

    def rename(self):
        rel = self.pick()
        if rel is None:
            return
        folder, ext = rel.split("/")[0], os.path.splitext(rel)[1]
        to = f"{folder}/{self.new_name()}{ext}"
        os.rename(self.path(rel), self.path(to))
        del self.files[rel]
        self.files[to] = True

    def move(self):
        rel = self.pick()
        if rel is None:
            return
        to = f"{self.rng.choice(CATEGORIES)}/{os.path.basename(rel)}"
        if to in self.files:
            return
        os.makedirs(os.path.dirname(self.path(to)), exist_ok=True)
        os.rename(self.path(rel), self.path(to))
        del self.files[rel]
        self.files[to] = True

    def delete(self):
        rel = self.pick()
        if rel is None:
            return
        os.remove(self.path(rel))
        del self.files[rel]

    def touch(self):
        rel = self.pick()
        if rel is not None:
            os.utime(self.path(rel))


def routes_of(index_html):
    return sorted(set(re.findall(r'href="http://127\.0\.0\.1:\d+(/[^"]+\.(?:rss|atom|json|html))"',
                                 index_html)))


class IncrementalTest(FeeddTestCase):
    def setUp(self):
        super().setUp()
        self.write_config(CONFIG)
        os.makedirs(self.articles)
        self.daemon = None

    def tearDown(self):
        if self.daemon:
            self.daemon.stop()
        super().tearDown()

    def served(self):
        """Every document the daemon serves, by route."""
        index = fetch(self.daemon.url("/"))
        docs = {"/": index.body}
        for route in routes_of(index.body.decode("utf-8")):
            docs[route] = fetch(self.daemon.url(route)).body
        return docs

    def settled(self):
        """The served documents once two reads 0.3 s apart agree."""
        previous = None
        deadline = time.time() + 20 * TIME_SCALE
        while time.time() < deadline:
            current = self.served()
            if current == previous:
                return current
            previous = current
            time.sleep(0.3 * TIME_SCALE)
        self.fail("the feeds never settled")

    def built(self):
        """A fresh `feedd build` of the folder, with the daemon's state store."""
        shutil.rmtree(self.out, ignore_errors=True)
        self.build()
        return documents(self.out)

    def test_any_sequence_of_changes_ends_as_a_fresh_build(self):
        rng = random.Random(20261128)
        tree = Tree(self.articles, rng)
        for _ in range(60):
            tree.add()
        self.daemon = Daemon(self.config, self.articles, self.state).start()
        operations = [tree.add] * 5 + [tree.edit] * 5 + [tree.rename] * 2 + [tree.move] * 2 + \
                     [tree.delete] * 3 + [tree.touch] * 2
        for step in range(300):
            rng.choice(operations)()
            if step % 7 == 0:
                time.sleep(rng.random() * 0.05)  # bursts, and pauses between them
        served = self.settled()
        self.daemon.stop()
        self.daemon = None
        # Every document the build wrote (feeds, previews, every article's
        # page, the stylesheet) is served with the same bytes, and the
        # index links nothing the build did not write.
        built = self.built()
        self.daemon = Daemon(self.config, self.articles, self.state).start()
        self.assertEqual([], sorted(set(served) - set(built)))
        for route in built:
            self.assertEqual(built[route].decode("utf-8"),
                             fetch(self.daemon.url(route)).body.decode("utf-8"), route)
        self.assertGreater(len([r for r in built if r.startswith("/articles/")]), 30)
        self.assertGreater(len(served), 10)

    def test_an_edit_changes_exactly_the_documents_that_show_it(self):
        rng = random.Random(7)
        tree = Tree(self.articles, rng)
        for category in CATEGORIES:
            for _ in range(3):
                tree.write(f"{category}/{tree.new_name()}.txt",
                           agency_text(rng, f"Story in {category} {tree.counter}"))
        self.daemon = Daemon(self.config, self.articles, self.state).start()
        before = self.settled()
        etags = {r: fetch(self.daemon.url(r)).header("etag") for r in before}

        edited = sorted(p for p in tree.files if p.startswith("sport/"))[0]
        tree.write(edited, agency_text(rng, "An edited sport story"))
        later = time.time() + 60  # so the story's updated date moves
        os.utime(tree.path(edited), (later, later))
        self.assertTrue(wait_for(lambda: fetch(self.daemon.url("/feed.json")).header("etag")
                                 != etags["/feed.json"]))
        after = self.settled()
        changed = sorted(r for r in after if fetch(self.daemon.url(r)).header("etag") != etags[r])
        # The main feed, sport's and its author's, in three formats and a
        # preview page each, and the index page (it shows each feed's last
        # update).
        self.assertEqual(["/"] + [f"/{feed}feed.{ext}"
                                  for feed in ["author/ann-lee/", "category/sport/", ""]
                                  for ext in ["atom", "html", "json", "rss"]],
                         changed)

    def test_a_same_size_edit_in_the_same_second_is_seen_in_poll_mode(self):
        self.write_config(CONFIG + "mode = \"poll\"\npoll_interval = 1\n")
        path = self.write_article("world/a.txt", "Title AAAA\n\nA paragraph.\n")
        second = int(time.time()) - 5
        os.utime(path, ns=(second * 10**9 + 100, second * 10**9 + 100))
        self.daemon = Daemon(self.config, self.articles, self.state).start()
        self.assertIn(b"Title AAAA", fetch(self.daemon.url("/feed.json")).body)
        with open(path, "r+", encoding="utf-8") as f:  # same inode, same size
            f.write("Title BBBB")
        os.utime(path, ns=(second * 10**9 + 200, second * 10**9 + 200))  # same second
        self.assertTrue(wait_for(lambda: b"Title BBBB" in fetch(self.daemon.url("/feed.json")).body,
                                 timeout=5), self.daemon.log())


if __name__ == "__main__":
    unittest.main()
