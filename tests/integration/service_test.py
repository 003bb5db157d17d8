"""feedd under a service manager, without one running: the sd_notify
protocol seen through an AF_UNIX datagram socket as NOTIFY_SOCKET (READY,
WATCHDOG, RELOADING/READY around SIGHUP, STOPPING), reloads while a client
keeps polling, and socket activation through systemd-socket-activate."""

import os
import re
import signal
import socket
import subprocess
import threading
import time
import unittest

from feedd_daemon import TIME_SCALE, Daemon, fetch, wait_for
from feedd_testing import FEEDD, FeeddTestCase


def config(title, extra=""):
    return f"""
[site]
title = "{title}"
base_url = "http://news.example.org/"
tag_authority = "example.org"
[articles]
dir = "articles"
{extra}"""


class NotifySocket:
    """The service manager's end: records each message with its time."""

    def __init__(self, path):
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        self.sock.settimeout(0.2)
        self.messages = []  # (time, text)
        self.closed = False
        self.thread = threading.Thread(target=self._receive, daemon=True)
        self.thread.start()

    def _receive(self):
        while not self.closed:
            try:
                data = self.sock.recv(4096)
            except socket.timeout:
                continue
            except OSError:
                return
            self.messages.append((time.time(), data.decode()))

    def close(self):
        self.closed = True
        self.thread.join(timeout=2)
        self.sock.close()

    def texts(self):
        return [text for _, text in self.messages]

    def index_of(self, needle, start=0):
        """The index of the first message from |start| containing |needle|, or -1."""
        for i, text in enumerate(self.texts()[start:], start):
            if needle in text.split("\n"):
                return i
        return -1


class ServiceTest(FeeddTestCase):
    def setUp(self):
        super().setUp()
        self.write_config(config("Harbour News"))
        self.write_article("a.txt", "First Story\n\nAnn Lee Reporter\n\nBody one.\n")
        self.write_article("b.txt", "Second Story\n\nAnn Lee Reporter\n\nBody two.\n")
        self.notify = NotifySocket(os.path.join(self.work, "notify"))
        self.daemon = None

    def tearDown(self):
        if self.daemon:
            self.daemon.stop()
        self.notify.close()
        super().tearDown()

    def start(self, watchdog_usec=None):
        self.daemon = Daemon(self.config, self.articles, self.state)
        env = dict(os.environ, NOTIFY_SOCKET=self.notify.path)
        if watchdog_usec:
            env["WATCHDOG_USEC"] = str(watchdog_usec)
        self.daemon.env = env
        return self.daemon.start()

    def title(self):
        return fetch(self.daemon.url("/feed.json")).body.decode()

    def test_ready_is_sent_once_every_item_is_served(self):
        self.start()
        self.assertTrue(wait_for(lambda: self.notify.index_of("READY=1") >= 0, timeout=5))
        # The moment READY=1 arrives, the feed is complete.
        feed = fetch(self.daemon.url("/feed.json"))
        self.assertEqual(200, feed.status)
        self.assertIn(b"First Story", feed.body)
        self.assertIn(b"Second Story", feed.body)
        ready = self.notify.texts()[self.notify.index_of("READY=1")]
        self.assertRegex(ready, r"STATUS=serving 2 articles in 2 feeds \(6 documents\)")

    def test_watchdog_heartbeats_come_at_half_the_interval(self):
        self.start(watchdog_usec=1_000_000)
        time.sleep(3)
        beats = [t for t, text in self.notify.messages if text == "WATCHDOG=1"]
        self.assertGreaterEqual(len(beats), 4, self.notify.texts())  # one per 0.5 s
        gaps = [b - a for a, b in zip(beats, beats[1:])]
        self.assertLess(max(gaps), 0.9 * TIME_SCALE, gaps)
        # A stopped process sends none: the manager would restart it.
        os.kill(self.daemon.proc.pid, signal.SIGSTOP)
        try:
            count = len(self.notify.messages)
            time.sleep(1.2)
            self.assertEqual(count, len(self.notify.messages))
        finally:
            os.kill(self.daemon.proc.pid, signal.SIGCONT)
        self.assertTrue(wait_for(
            lambda: self.notify.texts()[-1:] == ["WATCHDOG=1"] and
            len(self.notify.messages) > count, timeout=2))

    def test_no_watchdog_without_watchdog_usec(self):
        self.start()
        time.sleep(1)
        self.assertNotIn("WATCHDOG=1", self.notify.texts())

    def test_sighup_reloads_between_reloading_and_ready(self):
        self.start()
        self.assertTrue(wait_for(lambda: self.notify.index_of("READY=1") >= 0, timeout=5))
        self.assertIn('"title": "Harbour News"', self.title())
        self.write_config(config("Harbour News Daily"))
        mark = len(self.notify.messages)
        self.daemon.proc.send_signal(signal.SIGHUP)
        self.assertTrue(wait_for(lambda: self.notify.index_of("READY=1", mark) >= 0, timeout=2))
        reloading = self.notify.index_of("RELOADING=1", mark)
        self.assertGreaterEqual(reloading, mark)
        self.assertLess(reloading, self.notify.index_of("READY=1", mark))
        self.assertRegex(self.notify.texts()[reloading], r"MONOTONIC_USEC=\d+")
        # READY=1 comes once the documents carry the new config.
        self.assertIn('"title": "Harbour News Daily"', self.title())
        self.assertRegex(self.daemon.log(), r"feedd: reloaded: articles=2 documents=\d+ ms=\d+")

    def test_a_broken_config_is_refused_with_its_line_and_the_old_one_serves(self):
        self.start()
        self.assertTrue(wait_for(lambda: self.notify.index_of("READY=1") >= 0, timeout=5))
        self.write_config(config("Harbour News Daily", "[server]\nmax_age = -5\n"))
        mark = len(self.notify.messages)
        self.daemon.proc.send_signal(signal.SIGHUP)
        self.assertTrue(wait_for(lambda: self.notify.index_of("READY=1", mark) >= 0, timeout=2))
        self.assertRegex(self.daemon.log(),
                         r"error: reload refused, the config in force stays: \S*feedd\.toml:\d+")
        self.assertIn('"title": "Harbour News"', self.title())
        self.assertEqual(200, fetch(self.daemon.url("/feed.rss")).status)

    def test_keys_that_need_a_restart_keep_their_value(self):
        self.start()
        port = self.daemon.port
        self.write_config(config("Harbour News", "[server]\nthreads = 3\n"))
        self.daemon.proc.send_signal(signal.SIGHUP)
        self.assertTrue(wait_for(lambda: "server.threads changes only on restart"
                                 in self.daemon.log(), timeout=2))
        self.assertEqual(200, fetch(f"http://127.0.0.1:{port}/feed.rss").status)

    def test_reload_changes_max_age_in_the_headers(self):
        self.start()
        self.assertEqual("public, max-age=300, stale-while-revalidate=30, stale-if-error=86400",
                         fetch(self.daemon.url("/feed.rss")).header("cache-control"))
        self.write_config(config("Harbour News", "[server]\nmax_age = 60\n"
                                 "[cache]\nstale_while_revalidate = 0\nkey_header = \"\"\n"))
        self.daemon.proc.send_signal(signal.SIGHUP)
        self.assertTrue(wait_for(lambda: fetch(self.daemon.url("/feed.rss"))
                                 .header("cache-control") ==
                                 "public, max-age=60, stale-if-error=86400", timeout=2))
        self.assertIsNone(fetch(self.daemon.url("/feed.rss")).header("xkey"))

    def test_reload_moves_to_another_articles_folder(self):
        self.start()
        other = os.path.join(self.work, "desk")
        os.makedirs(other)
        with open(os.path.join(other, "c.txt"), "w") as f:
            f.write("Third Story\n\nAnn Lee Reporter\n\nBody three.\n")
        # --articles on the command line wins over the file; drop it.
        self.daemon.stop()
        self.daemon.args = [a for a in self.daemon.args]
        i = self.daemon.args.index("--articles")
        del self.daemon.args[i:i + 2]
        self.daemon.start()
        self.assertIn("First Story", self.title())
        self.write_config(config("Harbour News").replace('dir = "articles"', f'dir = "{other}"'))
        self.daemon.proc.send_signal(signal.SIGHUP)
        self.assertTrue(wait_for(lambda: "Third Story" in self.title(), timeout=3))
        self.assertNotIn("First Story", self.title())
        # The new folder is watched.
        with open(os.path.join(other, "d.txt"), "w") as f:
            f.write("Fourth Story\n\nAnn Lee Reporter\n\nBody four.\n")
        self.assertTrue(wait_for(lambda: "Fourth Story" in self.title(), timeout=3))

    def test_reload_while_a_client_keeps_polling_fails_no_request(self):
        self.start()
        failures, done, count = [], threading.Event(), [0]

        def poll():
            while not done.is_set():
                try:
                    r = fetch(self.daemon.url("/feed.atom"))
                    if r.status != 200 or not r.body.endswith(b"</feed>\n"):
                        failures.append(r.status)
                except Exception as e:  # a refused or cut connection
                    failures.append(repr(e))
                count[0] += 1

        poller = threading.Thread(target=poll)
        poller.start()
        try:
            for i in range(6):
                broken = i % 3 == 2
                self.write_config(config(f"Title {i}", "[server]\nnot_a_key = 1\n" if broken else ""))
                self.daemon.proc.send_signal(signal.SIGHUP)
                time.sleep(0.3)
        finally:
            done.set()
            poller.join()
        self.assertEqual([], failures)
        self.assertGreater(count[0], 20)
        self.assertTrue(wait_for(lambda: "<title type=\"text\">Title 4</title>" in
                                 fetch(self.daemon.url("/feed.atom")).body.decode(), timeout=2))
        self.assertEqual(2, self.daemon.log().count("unknown key"))

    def test_sigterm_sends_stopping_and_exits_0(self):
        self.start()
        self.assertEqual(0, self.daemon.stop())
        self.assertIn("STOPPING=1", self.notify.texts())


class SocketActivationTest(FeeddTestCase):
    def test_serves_on_the_socket_it_is_given_and_opens_none(self):
        self.write_config(config("Harbour News"))
        self.write_article("a.txt", "First Story\n\nAnn Lee Reporter\n\nBody one.\n")
        with socket.socket() as probe:  # two free ports
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            unused = probe.getsockname()[1]
        proc = subprocess.Popen(
            ["systemd-socket-activate", "-l", f"127.0.0.1:{port}", "--fdname=http",
             FEEDD, "serve", "--config", self.config, "--articles", self.articles,
             "--state-dir", self.state, "--listen", f"127.0.0.1:{unused}"],
            stderr=subprocess.PIPE, text=True)
        self.addCleanup(proc.stderr.close)
        try:
            self.assertTrue(wait_for(lambda: _connects(port), timeout=5))
            self.assertTrue(wait_for(
                lambda: b"First Story" in fetch(f"http://127.0.0.1:{port}/feed.json").body,
                timeout=10))
            self.assertFalse(_connects(unused), "feedd opened a listener of its own")
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=15)
        log = proc.stderr.read()
        self.assertEqual(0, proc.returncode, log)
        self.assertRegex(log, rf"socket-activated: serving on http://127\.0\.0\.1:{port}/ "
                              r"\(fd 3, http\)")
        self.assertNotIn("listening on", log)


def _connects(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


if __name__ == "__main__":
    unittest.main()
