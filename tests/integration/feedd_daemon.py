"""Runs the real `feedd serve` for integration tests and talks to it.

The daemon listens on 127.0.0.1 (port 0 unless a port is given) and logs
"listening on http://ADDR:PORT/" and "ready: ..." on stderr; Daemon reads
both. HTTP goes through libcurl (pycurl); framing tests use raw sockets.
"""

import io
import os
import re
import signal
import socket
import subprocess
import threading
import time

import pycurl

from feedd_testing import FEEDD, FeeddTestCase


class Daemon:
    def __init__(self, config, articles, state, port=0, extra=()):
        self.args = [FEEDD, "serve", "--config", config, "--articles", articles,
                     "--state-dir", state, "--listen", f"127.0.0.1:{port}", *extra]
        self.proc = None
        self.lines = []
        self.port = None
        self.preexec = None  # run in the child before exec (resource limits)
        self.env = None  # the child's environment; None: this process's

    def start(self, timeout=15):
        timeout *= TIME_SCALE
        self.lines = []
        self.proc = subprocess.Popen(self.args, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                     text=True, preexec_fn=self.preexec, env=self.env)
        self.reader = threading.Thread(target=self._drain, daemon=True)
        self.reader.start()
        deadline = time.time() + timeout
        while time.time() < deadline:
            log = self.log()
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)/", log)
            if m and "ready:" in log:
                self.port = int(m.group(1))
                self.urls = re.findall(r"listening on (http://\S+/)", log)
                return self
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        raise AssertionError(f"feedd serve did not become ready:\n{self.log()}")

    def _drain(self):
        for line in self.proc.stderr:
            self.lines.append(line)

    def log(self):
        return "".join(self.lines)

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self, sig=signal.SIGTERM, timeout=15):
        timeout *= TIME_SCALE
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError("feedd did not stop in time")
            finally:
                self.reader.join(timeout=5)
                self.proc.stderr.close()
        return self.proc.returncode if self.proc else None


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # lower-case name -> list of values
        self.body = body

    def header(self, name):
        values = self.headers.get(name.lower())
        return values[0] if values else None


def fetch(url, headers=(), method="GET"):
    """One request with libcurl; the body is returned as sent (no decoding)."""
    body = io.BytesIO()
    raw_headers = []
    c = pycurl.Curl()
    c.setopt(pycurl.URL, url)
    c.setopt(pycurl.HTTPHEADER, list(headers))
    c.setopt(pycurl.WRITEDATA, body)
    c.setopt(pycurl.HEADERFUNCTION, lambda h: raw_headers.append(h.decode("latin-1")))
    c.setopt(pycurl.TIMEOUT, 10)
    if method == "HEAD":
        c.setopt(pycurl.NOBODY, True)
    elif method != "GET":
        c.setopt(pycurl.CUSTOMREQUEST, method)
    c.perform()
    status = c.getinfo(pycurl.RESPONSE_CODE)
    c.close()
    parsed = {}
    for line in raw_headers:
        if ":" in line:
            name, value = line.split(":", 1)
            parsed.setdefault(name.strip().lower(), []).append(value.strip())
    return Response(status, parsed, body.getvalue())


def raw_exchange(port, data, timeout=5.0):
    """Sends |data| on a fresh connection and reads until the server closes
    or |timeout| passes; returns the bytes received."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        chunks = []
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)


def statuses(raw):
    """The status codes of every response in a raw byte stream."""
    return [int(m.group(1)) for m in re.finditer(rb"HTTP/1\.[01] (\d{3}) ", raw)]


# Sanitizer builds run several times slower; their test preset sets this so
# the time budgets below stay meaningful (the default build uses 1).
TIME_SCALE = float(os.environ.get("FEEDD_TEST_TIME_SCALE", "1"))


def wait_for(predicate, timeout=2.0, interval=0.02):
    """Polls |predicate| until it is true, for |timeout| seconds times
    TIME_SCALE; returns whether it became true."""
    deadline = time.time() + timeout * TIME_SCALE
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def cpu_seconds(pid):
    """User plus system CPU time process |pid| has used so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class DaemonTestCase(FeeddTestCase):
    """A workspace with one article, a.txt, and at most one running daemon,
    stopped after each test."""

    ARTICLE = "First Story\n\nAnn Lee Reporter\n\nBody one.\n"

    def setUp(self):
        super().setUp()
        self.write_article("a.txt", self.ARTICLE)
        self.daemon = None

    def tearDown(self):
        if self.daemon:
            self.daemon.stop()
        super().tearDown()

    def start_daemon(self, config_text):
        self.write_config(config_text)
        self.daemon = Daemon(self.config, self.articles, self.state).start()
        return self.daemon
