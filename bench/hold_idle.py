#!/usr/bin/env python3
"""Holds N idle TCP connections to HOST:PORT open (never sending a byte)
until killed, and prints how many it opened. The servers under test must
keep them without refusing others.

  bench/hold_idle.py PORT N
"""
import resource
import signal
import socket
import sys
import time

port, count = int(sys.argv[1]), int(sys.argv[2])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, count + 100)), hard))
held = []
for _ in range(count):
    try:
        held.append(socket.create_connection(("127.0.0.1", port), timeout=5))
    except OSError as e:
        print(f"stopped at {len(held)}: {e}", file=sys.stderr)
        break
print(len(held), flush=True)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
while True:
    time.sleep(3600)
