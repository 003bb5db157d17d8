"""The static export across runs: `feedd build` and `feedd serve` write only
what changed, delete what went, survive kill -9, report progress and say
with their exit code when articles have errors."""

import os
import pty
import random
import select
import shutil
import signal
import subprocess
import time
import unittest

from feedd_daemon import Daemon, fetch, wait_for
from feedd_testing import EXPORT_MARKER, FEEDD, FeeddTestCase, documents, run_feedd

CONFIG = """
[site]
tag_authority = "example.org"
[articles]
dir = "articles"
[watch]
debounce_ms = 50
"""
WORDS = ("harbour council budget bridge farmers ferry school library river station "
         "market festival museum stadium clinic tram port valley").split()
CATEGORIES = ["world", "economy", "sport", "culture", "science"]


def identities(root):
    """{relative path: (inode, mtime_ns)} of every file: what rsync sees."""
    seen = {}
    for dirpath, _, names in os.walk(root):
        for name in names:
            path = os.path.join(dirpath, name)
            st = os.stat(path)
            seen[os.path.relpath(path, root)] = (st.st_ino, st.st_mtime_ns)
    return seen


def rewritten(before, after):
    """Files new or replaced in |after|."""
    return sorted(p for p in after if before.get(p) != after[p])


def story(rng, title, byline="Ann Lee Reporter"):
    body = "\n\n".join(" ".join(rng.choice(WORDS) for _ in range(20)).capitalize() + "."
                       for _ in range(3))
    return f"{title}\n\n{byline}\n\n{body}\n"


class BuildRerunTest(FeeddTestCase):
    def setUp(self):
        super().setUp()
        self.use_examples()
        self.build()
        self.first = identities(self.out)

    def article(self, name):
        return os.path.join(self.articles, name)

    def test_a_rerun_with_nothing_changed_rewrites_no_file(self):
        result = self.build()
        self.assertIn(" 0 written, ", result.stdout)
        self.assertEqual([], rewritten(self.first, identities(self.out)))

    def test_an_edit_rewrites_only_the_documents_that_show_it(self):
        path = self.article("103_2e9b7c4d1a6f0853.txt")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        paragraph = text.index("\n\n", text.index("\n\n") + 2) + 2  # the body's first paragraph
        with open(path, "w", encoding="utf-8") as f:
            f.write(text[:paragraph] + "A correction was added to this story. " + text[paragraph:])
        self.build()
        changed = rewritten(self.first, identities(self.out))
        self.assertIn("articles/103_2e9b7c4d1a6f0853.html", changed)
        self.assertIn("feed.rss", changed)
        # Its page, the feeds that show it (main, its category, its
        # author), their previews, the index, each with its .gz; tens of
        # files, not the site.
        self.assertLess(len(changed), 50, changed)
        self.assertNotIn("articles/100_5f1c0a9e2b7d4e31.html", changed)
        self.assertNotIn("category/economy/feed.rss", changed)
        self.assertGreater(len(self.first), 2 * len(changed))

    def test_a_deleted_article_loses_its_page_and_leaves_its_feeds(self):
        os.remove(self.article("103_2e9b7c4d1a6f0853.txt"))
        result = self.build()
        self.assertRegex(result.stdout, r" [1-9]\d* removed")
        self.assertFalse(os.path.exists(self.out_path("articles/103_2e9b7c4d1a6f0853.html")))
        self.assertFalse(os.path.exists(self.out_path("articles/103_2e9b7c4d1a6f0853.html.gz")))
        with open(self.out_path("feed.rss"), encoding="utf-8") as f:
            self.assertNotIn("103_2e9b7c4d1a6f0853", f.read())
        self.assertTrue(os.path.exists(self.out_path("articles/100_5f1c0a9e2b7d4e31.html")))

    def test_an_emptied_folder_is_written_whole_and_rewrite_all_rewrites_everything(self):
        shutil.rmtree(self.out)
        self.build()
        self.assertEqual(sorted(self.first), sorted(identities(self.out)))
        again = identities(self.out)
        self.build("--rewrite-all")
        self.assertEqual(sorted(again), rewritten(again, identities(self.out)))

    def test_feeds_only_after_a_full_build_leaves_only_the_feeds(self):
        self.build("--feeds-only")
        self.assertFalse(os.path.exists(self.out_path("articles/100_5f1c0a9e2b7d4e31.html")))
        self.assertTrue(os.path.exists(self.out_path("feed.rss")))
        self.assertEqual([], [p for p in identities(self.out) if "/archive/" in p])
        self.build()
        self.assertTrue(os.path.exists(self.out_path("articles/100_5f1c0a9e2b7d4e31.html")))

    def test_an_image_is_rewritten_when_its_file_changes_and_deleted_when_it_goes(self):
        # dome.svg is shown inside a Markdown body, harbour-bridge.svg is an
        # article's own image: neither article changes.
        for image in ("dome.svg", "harbour-bridge.svg"):
            source = os.path.join(self.articles, "images", image)
            with open(source, "a", encoding="utf-8") as f:
                f.write("<!-- redrawn -->\n")
            self.build()
            with open(source, "rb") as f, open(self.out_path(f"articles/images/{image}"), "rb") as g:
                self.assertEqual(f.read(), g.read(), image)
            os.remove(source)
            self.build()
            self.assertFalse(os.path.exists(self.out_path(f"articles/images/{image}")), image)

    def test_files_feedd_did_not_write_are_left_alone(self):
        with open(self.out_path("robots.txt"), "w") as f:
            f.write("User-agent: *\n")
        os.remove(self.article("103_2e9b7c4d1a6f0853.txt"))
        self.build()
        self.assertTrue(os.path.exists(self.out_path("robots.txt")))
        self.assertTrue(os.path.exists(self.out_path(EXPORT_MARKER)))


class BuildFaultsTest(FeeddTestCase):
    def write_many(self, count):
        rng = random.Random(19)
        for i in range(count):
            self.write_article(f"{CATEGORIES[i % 5]}/story-{i:05d}.txt",
                               story(rng, f"Story number {i}"))

    def test_kill_9_mid_export_then_a_rerun_leaves_the_tree_a_fresh_build_writes(self):
        self.write_config(CONFIG)
        self.write_many(3000)
        run_feedd("build", "--config", self.config, "--state-dir", self.state, "--out",
                  os.path.join(self.work, "warm"))  # identities and dates in the store
        shutil.rmtree(os.path.join(self.work, "warm"))
        build = subprocess.Popen([FEEDD, "build", "--config", self.config, "--state-dir",
                                  self.state, "--out", self.out],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        pages = os.path.join(self.out, "articles")
        self.assertTrue(wait_for(lambda: os.path.isdir(pages) and len(os.listdir(pages)) > 100,
                                 timeout=60, interval=0.005))
        build.send_signal(signal.SIGKILL)
        self.assertEqual(-signal.SIGKILL, build.wait(), "the build ended before it was killed")
        self.assertLess(len(os.listdir(pages)), 6000, "the build had finished its pages")
        # One article changes meanwhile, one goes.
        self.write_article("world/story-00000.txt", story(random.Random(1), "Story zero, edited"))
        os.remove(os.path.join(self.articles, "economy/story-00001.txt"))
        self.build()
        fresh = os.path.join(self.work, "fresh")
        run_feedd("build", "--config", self.config, "--state-dir", self.state, "--out", fresh)
        self.assertEqual(documents(fresh), documents(self.out))
        leftovers = [n for _, _, names in os.walk(self.out) for n in names if ".feedd-tmp." in n]
        self.assertEqual([], leftovers)

    def test_article_errors_exit_65_with_the_site_written_and_a_summary(self):
        self.write_config(CONFIG)
        self.write_article("world/good.txt", story(random.Random(2), "A Good Story"))
        self.write_article("world/empty.txt", "")
        result = self.build(check=False)
        self.assertEqual(65, result.returncode, result.stderr)
        self.assertIn("world/empty.txt: file is empty", result.stderr)
        self.assertIn("feedd: 1 error and 0 warnings in the articles (listed above)", result.stderr)
        with open(self.out_path("feed.rss"), encoding="utf-8") as f:
            self.assertIn("A Good Story", f.read())

    def test_a_terminal_shows_a_progress_line_that_is_erased_at_the_end(self):
        self.write_config(CONFIG)
        self.write_many(200)
        pid, fd = pty.fork()
        if pid == 0:
            os.execv(shutil.which(FEEDD) or FEEDD, [FEEDD, "build", "--config", self.config, "--state-dir", self.state,
                             "--out", self.out])
        output = b""
        while True:
            ready, _, _ = select.select([fd], [], [], 60)
            if not ready:
                break
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
        _, status = os.waitpid(pid, 0)
        self.assertEqual(0, os.waitstatus_to_exitcode(status), output)
        text = output.decode("utf-8", "replace")
        self.assertIn("\r\x1b[Kfeedd: ", text)
        self.assertRegex(text, r"feedd: [\d,]+ files read")
        # Erased before the summary, so the summary starts a clean line.
        self.assertIn("\r\x1b[Kfeedd: 200 articles", text.replace("\r\n", "\n"))


class ServeExportTest(FeeddTestCase):
    def setUp(self):
        super().setUp()
        self.public = os.path.join(self.work, "public")
        self.write_config(CONFIG + f'[output]\ndir = "{self.public}"\n')
        rng = random.Random(5)
        for name in ("a", "b", "c"):
            self.write_article(f"world/{name}.txt", story(rng, f"Story {name.upper()}"))
        self.daemon = None

    def tearDown(self):
        if self.daemon:
            self.daemon.stop()
        super().tearDown()

    def exported(self, rel):
        return os.path.exists(os.path.join(self.public, rel))

    def start(self):
        self.daemon = Daemon(self.config, self.articles, self.state).start()
        self.assertTrue(wait_for(lambda: "static export up to date" in self.daemon.log(),
                                 timeout=10), self.daemon.log())

    def test_a_restart_rewrites_nothing_and_removes_what_went_while_stopped(self):
        self.start()
        self.assertTrue(self.exported("articles/b.html"))
        before = identities(self.public)
        self.daemon.stop()
        self.daemon = None

        self.start()
        self.assertIn("written=0", self.daemon.log())
        self.assertEqual([], rewritten(before, identities(self.public)))
        self.daemon.stop()
        self.daemon = None

        os.remove(os.path.join(self.articles, "world/b.txt"))
        self.start()
        self.assertFalse(self.exported("articles/b.html"))
        self.assertTrue(self.exported("articles/a.html"))
        with open(os.path.join(self.public, "feed.rss"), "rb") as f:
            self.assertEqual(fetch(self.daemon.url("/feed.rss")).body, f.read())
            self.assertNotIn(b"Story B", fetch(self.daemon.url("/feed.rss")).body)


if __name__ == "__main__":
    unittest.main()
