"""The HTTP rules of feedd serve, through libcurl and raw sockets."""

import gzip
import os
import socket
import time
import unittest

from feedd_daemon import Daemon, fetch, raw_exchange, statuses
from feedd_testing import FIXED_MTIME, FeeddTestCase


class HttpTest(FeeddTestCase):
    @classmethod
    def setUpClass(cls):
        # One daemon for the whole class: these tests only read.
        cls.case = FeeddTestCase()
        cls.case.setUp()
        cls.case.write_config('[site]\ntag_authority = "example.org"\n[articles]\ndir = "articles"\n')
        cls.case.write_article("a.txt", "A Story\n\nAnn Lee Reporter\n\n" + "Words. " * 400 + "\n",
                               FIXED_MTIME)
        cls.daemon = Daemon(cls.case.config, cls.case.articles, cls.case.state).start()
        cls.port = cls.daemon.port

    @classmethod
    def tearDownClass(cls):
        cls.daemon.stop()
        cls.case.tearDown()

    def get(self, path, *headers, method="GET"):
        return fetch(self.daemon.url(path), list(headers), method)

    # --- conditional GET, HEAD and gzip ---------------------------------

    def test_plain_get_has_every_header(self):
        r = self.get("/feed.rss")
        self.assertEqual(200, r.status)
        self.assertEqual("application/rss+xml; charset=utf-8", r.header("content-type"))
        self.assertEqual("public, max-age=300, stale-while-revalidate=30, stale-if-error=86400",
                         r.header("cache-control"))
        # Surrogate keys ([cache] key_header): the document, its feed, each item.
        keys = r.header("xkey").split(" ")
        self.assertEqual(["doc:/feed.rss", "feed:main"], keys[:2])
        self.assertTrue(keys[2:] and all(k.startswith("article:") for k in keys[2:]), keys)
        self.assertEqual("Accept-Encoding, Accept", r.header("vary"))
        self.assertRegex(r.header("etag"), r'^"[0-9a-f]{32}"$')
        self.assertEqual("Tue, 10 Nov 2026 00:00:00 GMT", r.header("last-modified"))
        self.assertIsNotNone(r.header("date"))
        self.assertEqual(str(len(r.body)), r.header("content-length"))
        self.assertEqual("application/atom+xml; charset=utf-8",
                         self.get("/feed.atom").header("content-type"))
        self.assertEqual("application/feed+json; charset=utf-8",
                         self.get("/feed.json").header("content-type"))
        self.assertEqual("text/html; charset=utf-8", self.get("/").header("content-type"))

    def test_head_has_get_length_and_no_body(self):
        get = self.get("/feed.atom")
        head = self.get("/feed.atom", method="HEAD")
        self.assertEqual(200, head.status)
        self.assertEqual(str(len(get.body)), head.header("content-length"))
        self.assertEqual(get.header("etag"), head.header("etag"))
        self.assertEqual(b"", head.body)

    def test_if_none_match_gives_304_with_validators_and_no_length(self):
        etag = self.get("/feed.rss").header("etag")
        for inm in [etag, f'"nope", {etag}', "*", "W/" + etag]:
            r = self.get("/feed.rss", f"If-None-Match: {inm}")
            self.assertEqual(304, r.status, inm)
            self.assertEqual(etag, r.header("etag"))
            self.assertEqual("Accept-Encoding, Accept", r.header("vary"))
            self.assertEqual("public, max-age=300, stale-while-revalidate=30, "
                             "stale-if-error=86400", r.header("cache-control"))
            self.assertTrue(r.header("xkey").startswith("doc:/feed.rss feed:main article:"))
            self.assertIsNotNone(r.header("date"))
            self.assertIsNotNone(r.header("last-modified"))
            self.assertIsNone(r.header("content-length"))
            self.assertEqual(b"", r.body)

    def test_if_none_match_wins_over_if_modified_since(self):
        etag = self.get("/feed.rss").header("etag")
        self.assertEqual(304, self.get("/feed.rss", f"If-None-Match: {etag}",
                                       "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT").status)
        self.assertEqual(200, self.get("/feed.rss", 'If-None-Match: "other"',
                                       "If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT").status)

    def test_if_modified_since(self):
        self.assertEqual(304, self.get("/feed.rss",
                                       "If-Modified-Since: Tue, 10 Nov 2026 00:00:00 GMT").status)
        self.assertEqual(200, self.get("/feed.rss",
                                       "If-Modified-Since: Mon, 09 Nov 2026 23:59:59 GMT").status)
        self.assertEqual(200, self.get("/feed.rss", "If-Modified-Since: garbage").status)

    def test_gzip_negotiation(self):
        plain = self.get("/feed.json")
        for ae in ["gzip", "x-gzip", "deflate, gzip;q=0.8", "*"]:
            r = self.get("/feed.json", f"Accept-Encoding: {ae}")
            self.assertEqual("gzip", r.header("content-encoding"), ae)
            self.assertEqual(plain.body, gzip.decompress(r.body), ae)
            self.assertEqual("Accept-Encoding", r.header("vary"))
            self.assertNotEqual(plain.header("etag"), r.header("etag"))
            self.assertEqual(str(len(r.body)), r.header("content-length"))
        for ae in ["gzip;q=0", "identity", "br", ""]:
            r = self.get("/feed.json", f"Accept-Encoding: {ae}")
            self.assertIsNone(r.header("content-encoding"), ae)
            self.assertEqual(plain.body, r.body, ae)
        self.assertEqual(406, self.get("/feed.json", "Accept-Encoding: identity;q=0").status)

    def test_gzip_etag_gives_304_only_for_gzip(self):
        gz = self.get("/feed.json", "Accept-Encoding: gzip")
        self.assertEqual(304, self.get("/feed.json", "Accept-Encoding: gzip",
                                       f"If-None-Match: {gz.header('etag')}").status)
        self.assertEqual(200, self.get("/feed.json", f"If-None-Match: {gz.header('etag')}").status)

    def test_routes(self):
        self.assertEqual(200, self.get("/livez").status)
        self.assertEqual(200, self.get("/healthz").status)
        self.assertEqual(200, self.get("/readyz").status)
        self.assertEqual(200, self.get("/feed.rss?utm_source=reader").status)
        self.assertEqual(404, self.get("/nope").status)
        self.assertEqual(404, self.get("/../../etc/passwd").status)
        index = self.get("/").body.decode()
        self.assertIn('<link rel="alternate" type="application/rss+xml"', index)
        self.assertIn("feed.json", index)

    def test_methods(self):
        r = self.get("/feed.rss", method="POST")
        self.assertEqual(405, r.status)
        self.assertEqual("GET, HEAD, OPTIONS", r.header("allow"))
        self.assertEqual(405, self.get("/feed.rss", method="DELETE").status)
        self.assertEqual(204, self.get("/feed.rss", method="OPTIONS").status)
        self.assertEqual(501, self.get("/feed.rss", method="BREW").status)

    # --- framing, through a raw socket (reliability.md §2.3) --------------

    def raw(self, data):
        return raw_exchange(self.port, data)

    def test_oversized_header_gets_431_and_close(self):
        out = self.raw(b"GET /feed.rss HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000 +
                       b"\r\n\r\nGET /feed.rss HTTP/1.1\r\nHost: x\r\n\r\n")
        self.assertEqual([431], statuses(out))

    def test_body_on_get_gets_413_and_close(self):
        out = self.raw(b"GET /feed.rss HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" +
                       b"a" * 5000)
        self.assertEqual([413], statuses(out))

    def test_transfer_encodings_get_400_and_the_smuggled_request_is_never_answered(self):
        for te in [b"chunked, gzip", b"identity", b"chunked", b"gzip, chunked"]:
            out = self.raw(b"GET /feed.rss HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + te +
                           b"\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n")
            self.assertEqual([400], statuses(out), te)

    def test_http10_with_transfer_encoding_gets_400(self):
        out = self.raw(b"GET /feed.rss HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
        self.assertEqual([400], statuses(out))

    def test_conflicting_content_lengths_get_400(self):
        out = self.raw(b"GET /feed.rss HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
                       b"Content-Length: 4\r\n\r\nabcd")
        self.assertEqual([400], statuses(out))

    def test_host_problems_get_400(self):
        self.assertEqual([400], statuses(self.raw(b"GET /feed.rss HTTP/1.1\r\nHost : a\r\n\r\n")))
        self.assertEqual([400], statuses(self.raw(b"GET /feed.rss HTTP/1.1\r\n\r\n")))
        self.assertEqual([400], statuses(self.raw(
            b"GET /feed.rss HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")))

    def test_a_folded_header_line_gets_400(self):
        # obs-fold (RFC 9112 5.2): rejected, as nginx does, not joined; and
        # nothing pipelined behind it is answered.
        for folded in (b"Host:\r\n x\r\n", b"Host: x\r\nAccept: a,\r\n\tb\r\n",
                       b"\r\n Host: x\r\n"):
            out = self.raw(b"GET /feed.rss HTTP/1.1\r\n" + folded +
                           b"\r\nGET /feed.rss HTTP/1.1\r\nHost: x\r\n\r\n")
            self.assertEqual([400], statuses(out), folded)
            self.assertIn(b"Connection: close", out)
        # A header value with spaces and tabs inside it is no fold.
        out = self.raw(b"GET /feed.rss HTTP/1.1\r\nHost: x\r\nAccept: a, \t b\r\n"
                       b"Connection: close\r\n\r\n")
        self.assertEqual([200], statuses(out))

    def test_unknown_method_gets_501_and_post_405(self):
        self.assertEqual(501, statuses(self.raw(b"BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n"))[0])
        out = self.raw(b"POST /feed.rss HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                       b"Connection: close\r\n\r\n")
        self.assertEqual([405], statuses(out))
        self.assertIn(b"Allow: GET, HEAD, OPTIONS", out)

    def test_nul_in_target_and_bad_version_get_400(self):
        self.assertEqual([400], statuses(self.raw(b"GET /fe\x00ed HTTP/1.1\r\nHost: x\r\n\r\n")))
        self.assertEqual([400], statuses(self.raw(b"GET / HTTP/2.0\r\nHost: x\r\n\r\n")))

    def test_long_target_gets_414(self):
        out = self.raw(b"GET /" + b"a" * 3000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        self.assertEqual(414, statuses(out)[0])

    def test_pipelined_requests_are_answered_in_order(self):
        out = self.raw(b"GET /feed.rss HTTP/1.1\r\nHost: x\r\n\r\n"
                       b"GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
                       b"HEAD /feed.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        self.assertEqual([200, 404, 200], statuses(out))

    def test_keep_alive_serves_several_requests_on_one_connection(self):
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as s:
            for _ in range(3):
                s.sendall(b"HEAD /feed.rss HTTP/1.1\r\nHost: x\r\n\r\n")
                data = b""
                while b"\r\n\r\n" not in data:
                    data += s.recv(4096)
                self.assertTrue(data.startswith(b"HTTP/1.1 200"))
            etag = [l for l in data.split(b"\r\n") if l.lower().startswith(b"etag:")][0][6:]
            s.sendall(b"GET /feed.rss HTTP/1.1\r\nHost: x\r\nIf-None-Match: " + etag + b"\r\n\r\n")
            data = b""
            while b"\r\n\r\n" not in data:
                data += s.recv(4096)
            self.assertTrue(data.startswith(b"HTTP/1.1 304"))
            s.sendall(b"GET /livez HTTP/1.1\r\nHost: x\r\n\r\n")
            data = b""
            while b"ok\n" not in data:
                data += s.recv(4096)
            self.assertIn(b"HTTP/1.1 200", data)

    def test_slow_client_does_not_block_others(self):
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as slow:
            slow.sendall(b"GET /feed.rss HTTP/1.1\r\nHo")  # and never finishes
            start = time.time()
            self.assertEqual(200, self.get("/feed.rss").status)
            self.assertLess(time.time() - start, 2.0)


if __name__ == "__main__":
    unittest.main()
