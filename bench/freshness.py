#!/usr/bin/env python3
"""Freshness: how long after a new article file lands it is in the served feed.

  bench/freshness.py --feedd URL --articles DIR [--hugo URL --hugo-content DIR]
                     [--trials 30] [--debounce-ms 100]

For each trial, writes a new agency article the way a CMS saves (a temporary
name, then a rename into place), then polls the main JSON feed over one
keep-alive connection (If-None-Match, so unchanged polls cost a 304) until
the new item is in it. Prints p50 and p95 of the delay, and the same minus
the debounce window (the quiet time feedd waits for a burst of saves to
end). With --hugo, does the same against `hugo server` with a Markdown file.
"""

import argparse
import http.client
import os
import statistics
import time
import urllib.parse


def poll_until(url, needle, timeout=60.0):
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    etag = None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        headers = {"If-None-Match": etag} if etag else {}
        conn.request("GET", parts.path, headers=headers)
        resp = conn.getresponse()
        body = resp.read()
        if resp.status == 200:
            etag = resp.getheader("ETag")
            if needle in body:
                conn.close()
                return time.monotonic()
        time.sleep(0.001)
    conn.close()
    raise TimeoutError(f"{needle!r} never appeared at {url}")


def write_atomically(path, text):
    tmp = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".part")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.rename(tmp, path)


def timed_write(path, text, url, token):
    """Milliseconds from writing |path| to |url| showing |token|."""
    start = time.monotonic()
    write_atomically(path, text)
    end = poll_until(url, token.encode())
    return (end - start) * 1000


def trial_feedd(args, i):
    token = f"Freshness{int(time.time() * 1e6)}x{i}"
    text = (f"{token} Reaches the Newsroom\n\n100\nBench Runner Reporter\n\n"
            f"The {token} article was written by the freshness benchmark.\n")
    return timed_write(os.path.join(args.articles, "world", f"fresh_{token}.txt"), text,
                       args.feedd, token)


def trial_hugo(args, i):
    token = f"Freshness{int(time.time() * 1e6)}x{i}"
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 1))
    text = (f'---\ntitle: "{token} Reaches the Newsroom"\ndate: {stamp}\n'
            f"categories: [world]\n---\n\nThe {token} article was written by the benchmark.\n")
    return timed_write(os.path.join(args.hugo_content, "world", f"fresh_{token}.md"), text,
                       args.hugo, token)


def report(name, samples, debounce):
    samples = sorted(samples)
    p50 = statistics.median(samples)
    p95 = samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]
    print(f"{name:14} trials {len(samples):3}  p50 {p50:8.1f} ms  p95 {p95:8.1f} ms"
          + (f"  | after the {debounce} ms debounce: p50 {p50 - debounce:7.1f} ms"
             f"  p95 {p95 - debounce:7.1f} ms" if debounce else ""))
    return p50


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feedd", required=True, help="URL of feedd's main JSON feed")
    parser.add_argument("--articles", required=True)
    parser.add_argument("--hugo", help="URL of hugo server's main RSS feed")
    parser.add_argument("--hugo-content")
    parser.add_argument("--trials", type=int, default=30)
    parser.add_argument("--debounce-ms", type=int, default=100)
    args = parser.parse_args()
    feedd = [trial_feedd(args, i) for i in range(args.trials)]
    f50 = report("feedd", feedd, args.debounce_ms)
    if args.hugo:
        hugo = [trial_hugo(args, i) for i in range(args.trials)]
        h50 = report("hugo server", hugo, 0)
        print(f"feedd / hugo p50: {f50 / h50:.3f}")


if __name__ == "__main__":
    main()
