"""What the deploy/ checks share: a free loopback port, and PASS/FAIL lines
with their counts. Standard library only; imported by nginx/check_static.py
and varnish/check_vcl.py from the folder above them."""

import socket


def free_port(host="127.0.0.1"):
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class Checks:
    def __init__(self):
        self.failed = 0
        self.passed = 0

    def report(self, name, ok, detail=""):
        print("%s %s%s" % ("PASS" if ok else "FAIL", name, (": " + detail) if detail else ""),
              flush=True)
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        return ok

    def run(self, name, fn):
        try:
            ok, detail = fn()
        except Exception as e:  # a check that crashes is a failed check
            ok, detail = False, "%s: %s" % (type(e).__name__, e)
        return self.report(name, ok, detail)
