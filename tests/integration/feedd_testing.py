"""Shared helpers for feedd's integration tests.

Each test runs the real feedd binary (FEEDD_BIN) on a temporary copy of
articles and checks what it wrote with real clients: jing for the Atom
schema, python3-feedparser for RSS and Atom, json for JSON Feed.
"""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

FEEDD = os.environ.get("FEEDD_BIN", "feedd")
SOURCE_DIR = os.environ.get(
    "FEEDD_SOURCE_DIR",
    os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
EXAMPLES = os.path.join(SOURCE_DIR, "examples")
ATOM_RNC = os.path.join(SOURCE_DIR, "tests", "data", "atom.rnc")

# Runs a command as a process without the capabilities that let root read
# and write anything (as the systemd unit's dynamic user): mode 000 then
# means unreadable, mode 555 read-only.
AS_A_USER = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-all"]

# 2026-11-10T00:00:00Z: every example file gets this mtime, so dates that
# come from "first seen" are the same on every run.
FIXED_MTIME = 1794268800


def run_feedd(*args, check=True, expect=0):
    """Runs feedd; returns the CompletedProcess (text mode). With |check|,
    an exit code other than |expect| fails the test."""
    result = subprocess.run([FEEDD, *args], capture_output=True, text=True, timeout=120)
    if check and result.returncode != expect:
        raise AssertionError(
            f"feedd {' '.join(args)} exited {result.returncode}\n"
            f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}")
    return result


def set_mtimes(root, mtime):
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            os.utime(os.path.join(dirpath, name), (mtime, mtime))


class FeeddTestCase(unittest.TestCase):
    """A temporary workspace: articles/, state/, out/ and a config."""

    def setUp(self):
        self.work = tempfile.mkdtemp(prefix="feedd-it-")
        self.articles = os.path.join(self.work, "articles")
        self.state = os.path.join(self.work, "state")
        self.out = os.path.join(self.work, "out")
        self.config = os.path.join(self.work, "feedd.toml")

    def tearDown(self):
        shutil.rmtree(self.work, ignore_errors=True)

    def use_examples(self):
        """Copies the bundled examples and their config into the workspace."""
        shutil.copytree(os.path.join(EXAMPLES, "articles"), self.articles)
        with open(os.path.join(EXAMPLES, "feedd.toml"), encoding="utf-8") as f:
            config = f.read()
        config = config.replace('dir = "../build/example-state"', 'dir = "state"')
        self.write_config(config)
        set_mtimes(self.articles, FIXED_MTIME)

    def write_config(self, text, pollers=False):
        """Writes the config. The tests fetch the same feed again and again,
        unconditionally, to see what it holds now: to the poller policy
        (pollers_test.py) they are one impatient client, so it is off unless
        |pollers| or the text has a [pollers] table of its own."""
        if not pollers and "[pollers]" not in text:
            text += "\n[pollers]\nenabled = false\n"
        with open(self.config, "w", encoding="utf-8") as f:
            f.write(text)

    def write_article(self, rel_path, text, mtime=None, mode="w"):
        path = os.path.join(self.articles, rel_path)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, mode) as f:
            f.write(text)
        if mtime is not None:
            os.utime(path, (mtime, mtime))
        return path

    def build(self, *extra, check=True, article_errors=False):
        """`feedd build` into out/; with |article_errors|, the articles have
        errors and it must exit 65 (having written the site)."""
        return run_feedd("build", "--config", self.config, "--state-dir", self.state,
                         "--out", self.out, *extra, check=check,
                         expect=65 if article_errors else 0)

    def out_path(self, rel):
        return os.path.join(self.out, rel)

    def read_json(self, rel):
        with open(self.out_path(rel), encoding="utf-8") as f:
            return json.load(f)


# The static export's marker at the top of its folder: not a document.
EXPORT_MARKER = ".feedd-export"


def documents(out):
    """{route: bytes} of what `feedd build` wrote to |out| (no .gz files;
    index.html is "/")."""
    docs = {}
    for dirpath, _, names in os.walk(out):
        for name in names:
            if name.endswith(".gz") or (dirpath == out and name == EXPORT_MARKER):
                continue
            rel = os.path.relpath(os.path.join(dirpath, name), out)
            with open(os.path.join(dirpath, name), "rb") as f:
                docs["/" if rel == "index.html" else "/" + rel] = f.read()
    return docs


def snapshot(root):
    """{relative path: bytes} of every file under |root| (but the export's
    marker)."""
    files = {}
    for dirpath, _, names in os.walk(root):
        for name in names:
            if dirpath == root and name == EXPORT_MARKER:
                continue
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                files[os.path.relpath(path, root)] = f.read()
    return files
