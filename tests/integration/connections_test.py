"""Slow and abusive clients cannot stop others being served: silent
connections are dropped after the header timeout, the longest-idle
keep-alive connection makes room at the connection cap, one address cannot
take every slot, and running out of file descriptors does not spin."""

import os
import resource
import socket
import subprocess
import time
import unittest

from feedd_daemon import TIME_SCALE, Daemon, cpu_seconds, fetch, wait_for
from feedd_testing import FeeddTestCase

CONFIG = """
[site]
tag_authority = "example.org"
[articles]
dir = "articles"
[server]
max_connections = 40
max_connections_per_address = 15
header_timeout = 2
idle_timeout = 60
"""


def connect(port, source="127.0.0.1"):
    s = socket.socket()
    s.bind((source, 0))
    s.settimeout(5)
    s.connect(("127.0.0.1", port))
    return s


def closed_by_server(s, timeout=0.5):
    """True when the server closed |s| (reading gives EOF or a reset)."""
    s.settimeout(timeout)
    try:
        return s.recv(1) == b""
    except socket.timeout:
        return False
    except ConnectionResetError:
        return True


def closed_now(s):
    """True when the server has already closed |s|; never waits."""
    s.setblocking(False)
    try:
        return s.recv(1, socket.MSG_PEEK) == b""
    except BlockingIOError:
        return False
    except ConnectionResetError:
        return True
    finally:
        s.setblocking(True)


def keep_alive_request(s):
    s.sendall(b"GET /livez HTTP/1.1\r\nHost: x\r\n\r\n")
    data = b""
    while b"ok\n" not in data:
        chunk = s.recv(4096)
        if not chunk:
            raise AssertionError("closed instead of answering")
        data += chunk


class ConnectionsTest(FeeddTestCase):
    def setUp(self):
        super().setUp()
        self.write_config(CONFIG)
        self.write_article("a.txt", "Title\n\nAnn Lee Reporter\n\nBody.\n")
        self.daemon = None
        self.sockets = []

    def tearDown(self):
        for s in self.sockets:
            s.close()
        if self.daemon:
            self.daemon.stop()
        super().tearDown()

    def start(self, **kwargs):
        self.daemon = Daemon(self.config, self.articles, self.state, **kwargs).start()
        return self.daemon

    def test_a_silent_connection_is_closed_after_the_header_timeout(self):
        self.start()
        s = connect(self.daemon.port)
        self.sockets.append(s)
        started = time.time()
        self.assertTrue(closed_by_server(s, timeout=10 * TIME_SCALE))
        elapsed = time.time() - started
        self.assertGreater(elapsed, 1.5)
        self.assertLess(elapsed, 6 * TIME_SCALE)  # header_timeout (2 s), not idle_timeout (60 s)

    def test_one_address_cannot_take_every_slot(self):
        self.start()
        from_one = [connect(self.daemon.port, "127.0.0.2") for _ in range(20)]
        self.sockets += from_one
        time.sleep(0.3)
        refused = [s for s in from_one if closed_now(s)]
        self.assertEqual(5, len(refused))  # 20 tried, 15 allowed
        self.assertEqual(200, fetch(self.daemon.url("/feed.json")).status)  # others still served

    def test_at_the_cap_the_longest_idle_connection_makes_room(self):
        self.start()
        # 40 keep-alive connections from three addresses, each having made a
        # request, then idle: every slot is taken.
        idle = []
        for i in range(40):
            s = connect(self.daemon.port, f"127.0.0.{3 + i % 3}")
            keep_alive_request(s)
            idle.append(s)
            time.sleep(0.01)
        self.sockets += idle
        # A newcomer is served at once, and the oldest idle one was closed.
        started = time.time()
        self.assertEqual(200, fetch(self.daemon.url("/feed.json")).status)
        self.assertLess(time.time() - started, 2 * TIME_SCALE)
        self.assertTrue(wait_for(lambda: closed_now(idle[0]), timeout=2))
        self.assertFalse(closed_now(idle[-1]))

    def test_a_low_open_file_limit_lowers_the_cap_so_idle_ones_still_make_room(self):
        # 40 connections asked for, 96 descriptors allowed (the hard limit
        # too, so it cannot be raised): 64 are kept for the daemon itself, so
        # it serves at most 32 and says so. Before, accept() hit EMFILE below
        # the cap and backed off without ever evicting an idle connection.
        def few_fds():
            resource.setrlimit(resource.RLIMIT_NOFILE, (96, 96))
        self.daemon = Daemon(self.config, self.articles, self.state)
        self.daemon.preexec = few_fds
        self.daemon.start()
        log = self.daemon.log()
        self.assertIn("(RLIMIT_NOFILE) is 96 (hard limit 96)", log)
        self.assertIn("server.max_connections = 40", log)
        self.assertIn("serving at most 32 connections", log)
        idle = []
        for i in range(40):  # from three addresses: the per-address limit is 15
            s = connect(self.daemon.port, f"127.0.0.{7 + i % 3}")
            keep_alive_request(s)  # each one served: the idle longest made room
            idle.append(s)
            time.sleep(0.01)
        self.sockets += idle
        before = cpu_seconds(self.daemon.proc.pid)
        time.sleep(1)
        self.assertLess(cpu_seconds(self.daemon.proc.pid) - before, 0.5, "the accept loop spun")
        self.assertEqual(200, fetch(self.daemon.url("/feed.json")).status)
        self.assertTrue(wait_for(lambda: closed_now(idle[0]), timeout=2))
        self.assertFalse(closed_now(idle[-1]))
        self.assertNotIn("cannot accept connections", self.daemon.log())

    def test_a_soft_open_file_limit_below_the_need_is_raised(self):
        def low_soft_limit():
            resource.setrlimit(resource.RLIMIT_NOFILE, (48, 4096))
        self.daemon = Daemon(self.config, self.articles, self.state)
        self.daemon.preexec = low_soft_limit
        self.daemon.start()
        with open(f"/proc/{self.daemon.proc.pid}/limits") as f:
            limits = f.read()
        self.assertRegex(limits, r"Max open files\s+104\s+4096")  # 40 + 64
        self.assertNotIn("RLIMIT_NOFILE", self.daemon.log())

    def test_a_slow_reader_of_a_large_feed_is_not_cut_off(self):
        # write_timeout bounds each write, not the whole response: a reader
        # that keeps taking bytes gets all of a feed that takes longer than
        # write_timeout to read. About 7 MB at about 2 MB/s: the kernel's send
        # buffer (at most 4 MB here) frees room well within each 2 s.
        self.write_config(CONFIG + "write_timeout = 2\n")
        self.write_article("long.txt", "A Long Story\n\nAnn Lee Reporter\n\n" +
                           "word " * 700000 + "end.\n")
        self.start()
        s = socket.create_connection(("127.0.0.1", self.daemon.port), timeout=10)
        self.sockets.append(s)
        s.sendall(b"GET /feed.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        received = bytearray()
        started = time.time()
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            received += chunk
            time.sleep(0.03)  # a slow but steady reader
        elapsed = time.time() - started
        head, _, body = bytes(received).partition(b"\r\n\r\n")
        length = int(next(l.split(b":")[1] for l in head.split(b"\r\n")
                          if l.lower().startswith(b"content-length")))
        self.assertGreater(length, 6_000_000)
        self.assertEqual(length, len(body), f"cut off after {elapsed:.1f} s")
        self.assertGreater(elapsed, 2, "the read was not slower than write_timeout")


if __name__ == "__main__":
    unittest.main()
