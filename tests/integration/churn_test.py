"""Under continuous churn and hard crashes nothing is torn and nothing lost.

- churn: a writer adds, edits, renames, moves and deletes articles without
  pause while clients poll every document, with and without gzip and
  validators. Every response is complete and parses, one ETag never names
  two different bodies, nothing answers 5xx; once the writer stops, the
  served feeds equal a fresh `feedd build` within 2 s.
- crash: the daemon is killed with SIGKILL mid-churn, again and again, and
  restarted. No id and no published date ever changes, the state store
  opens every time, no temporary file stays in the export folder, and a
  feed reader (newsboat) sees no new item after crashes with no edit."""

import gzip
import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import threading
import time
import unittest
import xml.dom.minidom

from feedd_daemon import TIME_SCALE, Daemon, fetch, free_port, wait_for
from feedd_testing import FeeddTestCase, documents, run_feedd
from incremental_test import CATEGORIES, Tree, routes_of

CONFIG = """
[site]
title = "Churn News"
tag_authority = "example.org"
[articles]
dir = "articles"
[feeds]
items = 30
[watch]
debounce_ms = 20
debounce_max_ms = 200
[output]
dir = "out"
"""


class Writer(threading.Thread):
    """Changes the tree continuously until stopped."""

    def __init__(self, tree, rng, pause=0.005):
        super().__init__(daemon=True)
        self.tree, self.rng, self.pause = tree, rng, pause
        self.stopped = threading.Event()
        self.operations = 0
        self.error = None

    def run(self):
        t = self.tree
        ops = [t.add] * 4 + [t.edit] * 5 + [t.rename] * 2 + [t.move] * 2 + [t.delete] * 2
        try:
            while not self.stopped.is_set():
                self.rng.choice(ops)()
                self.operations += 1
                time.sleep(self.rng.random() * self.pause)
        except Exception as e:  # surfaced by the test
            self.error = e

    def stop(self):
        self.stopped.set()
        self.join()
        if self.error:
            raise self.error


class Poller(threading.Thread):
    """Polls every route the index page lists, as readers and aggregators
    do, and checks every answer."""

    def __init__(self, daemon, seed):
        super().__init__(daemon=True)
        self.daemon, self.rng = daemon, random.Random(seed)
        self.stopped = threading.Event()
        self.checked = 0
        self.failures = []
        self.bodies_by_etag = {}

    def check(self, route):
        headers = []
        gz = self.rng.random() < 0.5
        if gz:
            headers.append("Accept-Encoding: gzip")
        etag = None
        r = fetch(self.daemon.url(route), headers)
        if r.status >= 500 or r.status not in (200, 304):
            self.failures.append(f"{route}: {r.status}")
            return
        body = r.body
        if r.header("content-encoding") == "gzip":
            body = gzip.decompress(body)
        if r.header("content-length") is not None and int(r.header("content-length")) != len(r.body):
            self.failures.append(f"{route}: Content-Length {r.header('content-length')} "
                                 f"but {len(r.body)} bytes")
        try:
            if route.endswith(".json"):
                json.loads(body)
            else:
                xml.dom.minidom.parseString(body)
        except Exception as e:
            self.failures.append(f"{route}: does not parse: {e}")
            return
        etag = r.header("etag")
        digest = hashlib.sha256(r.body).hexdigest()
        seen = self.bodies_by_etag.setdefault(etag, digest)
        if seen != digest:
            self.failures.append(f"{route}: ETag {etag} named two different bodies")
        self.checked += 1
        # Revalidate: the same ETag gives 304, or new bytes under a new ETag.
        again = fetch(self.daemon.url(route), headers + [f"If-None-Match: {etag}"])
        if again.status == 200 and again.header("etag") == etag:
            self.failures.append(f"{route}: 200 with the ETag sent in If-None-Match")
        elif again.status not in (200, 304):
            self.failures.append(f"{route}: revalidation answered {again.status}")
        else:
            self.checked += 1

    def run(self):
        while not self.stopped.is_set():
            try:
                index = fetch(self.daemon.url("/"))
                if index.status != 200:
                    self.failures.append(f"/: {index.status}")
                    continue
                self.checked += 1
                routes = routes_of(index.body.decode("utf-8"))
                for route in self.rng.sample(routes, min(6, len(routes))):
                    self.check(route)
            except Exception as e:
                self.failures.append(f"{type(e).__name__}: {e}")

    def stop(self):
        self.stopped.set()
        self.join()


def served(daemon):
    index = fetch(daemon.url("/"))
    docs = {"/": index.body}
    for route in routes_of(index.body.decode("utf-8")):
        docs[route] = fetch(daemon.url(route)).body
    return docs


class ChurnTest(FeeddTestCase):
    def setUp(self):
        super().setUp()
        self.write_config(CONFIG)
        os.makedirs(self.articles)
        self.daemon = None

    def tearDown(self):
        if self.daemon:
            self.daemon.stop(sig=signal.SIGKILL)
        super().tearDown()

    def built_with_a_copy_of_the_store(self):
        """A fresh `feedd build` of the folder, with a consistent copy of the
        running daemon's state store (SQLite's backup API)."""
        copy = os.path.join(self.work, "state-copy")
        shutil.rmtree(copy, ignore_errors=True)
        os.makedirs(copy)
        src = sqlite3.connect(os.path.join(self.state, "state.sqlite3"))
        dst = sqlite3.connect(os.path.join(copy, "state.sqlite3"))
        src.backup(dst)
        src.close()
        dst.close()
        out = os.path.join(self.work, "built")
        shutil.rmtree(out, ignore_errors=True)
        run_feedd("build", "--config", self.config, "--state-dir", copy, "--out", out)
        return documents(out)

    def test_churn_never_serves_a_torn_or_invalid_document(self):
        rng = random.Random(1128)
        tree = Tree(self.articles, rng)
        for _ in range(80):
            tree.add()
        self.daemon = Daemon(self.config, self.articles, self.state).start()
        writer = Writer(tree, rng)
        pollers = [Poller(self.daemon, seed) for seed in range(3)]
        writer.start()
        for p in pollers:
            p.start()
        time.sleep(8 * TIME_SCALE)
        writer.stop()
        for p in pollers:
            p.stop()
        failures = [f for p in pollers for f in p.failures]
        checked = sum(p.checked for p in pollers)
        self.assertEqual([], failures[:10])
        self.assertGreater(writer.operations, 200)
        self.assertGreater(checked, 300)
        print(f"\nchurn: {writer.operations} changes, {checked} responses checked", flush=True)

        deadline = time.time() + 2 * TIME_SCALE + 1  # + the build's own time
        while True:
            # Every document a fresh build writes (feeds, previews, article
            # pages, the stylesheet) is served with the same bytes, and the
            # index links nothing more.
            now_served = served(self.daemon)
            built = self.built_with_a_copy_of_the_store()
            if set(now_served) <= set(built) and all(
                    fetch(self.daemon.url(r)).body == body for r, body in built.items()):
                break
            self.assertLess(time.time(), deadline, "the feeds never matched a fresh build")
            time.sleep(0.2)

    def test_kill_9_mid_churn_loses_no_id_and_no_date(self):
        rng = random.Random(99)
        tree = Tree(self.articles, rng)
        for _ in range(60):
            tree.add()
        port = free_port()
        known = {}  # id -> date_published, as first served

        def record():
            r = fetch(self.daemon.url("/feed.json"))
            if r.status != 200:
                return
            for item in json.loads(r.body)["items"]:
                first = known.setdefault(item["id"], item["date_published"])
                self.assertEqual(first, item["date_published"], item["id"])

        rounds = 0
        writer = Writer(tree, rng, pause=0.02)
        writer.start()
        for _ in range(8):
            self.daemon = Daemon(self.config, self.articles, self.state, port=port).start()
            record()
            time.sleep(rng.random() * 0.8)
            self.daemon.stop(sig=signal.SIGKILL)
            rounds += 1
        writer.stop()
        print(f"\ncrash: {rounds} kill -9 rounds during {writer.operations} changes", flush=True)

        # The store opens; ids and dates are those served before the crashes.
        self.daemon = Daemon(self.config, self.articles, self.state, port=port).start()
        self.assertTrue(wait_for(lambda: record() is None, timeout=5))
        record()
        db = sqlite3.connect(os.path.join(self.state, "state.sqlite3"))
        self.assertEqual("ok", db.execute("PRAGMA integrity_check").fetchone()[0])
        db.close()
        out = os.path.join(self.work, "out")
        leftovers = [n for _, _, names in os.walk(out) for n in names if ".feedd-tmp." in n]
        self.assertEqual([], leftovers)

        # A reader subscribed now sees nothing new after more crashes.
        urls = os.path.join(self.work, "urls")
        cache = os.path.join(self.work, "cache.db")
        nb_config = os.path.join(self.work, "newsboat.conf")
        with open(urls, "w") as f:
            f.write(f"{self.daemon.url('/feed.rss')}\n{self.daemon.url('/feed.atom')}\n")
        open(nb_config, "w").close()
        env = dict(os.environ, HOME=self.work, XDG_CONFIG_HOME=self.work, XDG_DATA_HOME=self.work)

        def reload_and_count():
            subprocess.run(["newsboat", "-x", "reload", "-u", urls, "-c", cache, "-C", nb_config],
                           check=True, capture_output=True, timeout=60, env=env)
            with sqlite3.connect(cache) as nb:
                return nb.execute("SELECT COUNT(*), COUNT(DISTINCT guid) FROM rss_item").fetchone()

        before = reload_and_count()
        for _ in range(3):
            self.daemon.stop(sig=signal.SIGKILL)
            self.daemon = Daemon(self.config, self.articles, self.state, port=port).start()
        self.assertEqual(before, reload_and_count())
        record()


if __name__ == "__main__":
    unittest.main()
