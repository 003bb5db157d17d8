#include "daemon/http/header_blocks.h"

#include <gtest/gtest.h>

#include <vector>

namespace feedd::http {
namespace {

DocumentPtr Feed(std::string body = "<rss/>\n") {
  return MakeDocument("application/rss+xml; charset=utf-8", std::move(body), 1772323200,
                      "https://e.org/feed.rss", {"https://hub.example/"});
}

CacheHeaders Cache(int max_age, int stale_while_revalidate = 0, int stale_if_error = 0,
                   std::string key_header = "") {
  return CacheHeaders{max_age, stale_while_revalidate, stale_if_error, std::move(key_header)};
}

TEST(HeaderBlocksTest, ABlockCarriesTheDocumentsHeadersAndNoDate) {
  const DocumentPtr doc = Feed();
  const std::string ok =
      HeaderBlock(*doc, /*gzip=*/true, /*not_modified=*/false, CacheHeaders{}, doc->last_modified);
  EXPECT_TRUE(ok.starts_with("HTTP/1.1 200 OK\r\n"));
  EXPECT_NE(std::string::npos, ok.find("ETag: " + doc->gzip_etag + "\r\n"));
  EXPECT_NE(std::string::npos, ok.find("Last-Modified: Sun, 01 Mar 2026 00:00:00 GMT\r\n"));
  EXPECT_NE(std::string::npos, ok.find("Cache-Control: public, max-age=300\r\n"));
  EXPECT_NE(std::string::npos, ok.find("Vary: Accept-Encoding, Accept\r\n"));
  EXPECT_NE(std::string::npos, ok.find("Link: <https://hub.example/>; rel=\"hub\"\r\n"));
  EXPECT_NE(std::string::npos, ok.find("Content-Encoding: gzip\r\n"));
  EXPECT_NE(std::string::npos,
            ok.find("Content-Length: " + std::to_string(doc->gzip_body.size()) + "\r\n"));
  EXPECT_EQ(std::string::npos, ok.find("Date:"));

  const std::string not_modified =
      HeaderBlock(*doc, false, true, CacheHeaders{}, doc->last_modified);
  EXPECT_TRUE(not_modified.starts_with("HTTP/1.1 304 Not Modified\r\n"));
  EXPECT_NE(std::string::npos, not_modified.find("ETag: " + doc->etag + "\r\n"));
  EXPECT_EQ(std::string::npos, not_modified.find("Content-Length"));
}

TEST(HeaderBlocksTest, BrowsersGetXmlUnderTheirOwnEtag) {
  const DocumentPtr doc = Feed();
  const std::string block =
      HeaderBlock(*doc, false, false, CacheHeaders{}, doc->last_modified, true);
  EXPECT_NE(std::string::npos, block.find("Content-Type: application/xml; charset=utf-8\r\n"));
  EXPECT_NE(std::string::npos, block.find("ETag: " + BrowserEtag(doc->etag) + "\r\n"));
  EXPECT_TRUE(BrowserEtag("\"abc\"") == "\"abc-xml\"");
}

TEST(HeaderBlocksTest, TheCacheMakesEachDocumentsBlocksOnce) {
  HeaderBlockCache cache;
  const DocumentPtr doc = Feed();
  const auto first = cache.Get(doc, CacheHeaders{});
  EXPECT_EQ(first.get(), cache.Get(doc, CacheHeaders{}).get());
  EXPECT_EQ(HeaderBlock(*doc, true, false, CacheHeaders{}, doc->last_modified), first->ok[1]);
  EXPECT_EQ(HeaderBlock(*doc, false, true, CacheHeaders{}, doc->last_modified),
            first->not_modified[0]);
  // A reload changed max_age: new blocks, and the old ones stay valid for
  // replies still holding them.
  const auto after_reload = cache.Get(doc, Cache(60));
  EXPECT_NE(first.get(), after_reload.get());
  EXPECT_NE(std::string::npos, after_reload->ok[0].find("max-age=60\r\n"));
  EXPECT_NE(std::string::npos, first->ok[0].find("max-age=300\r\n"));
}

TEST(HeaderBlocksTest, FeedsAreCachedForBrowsersTooAndOtherDocumentsAreNot) {
  HeaderBlockCache cache;
  const DocumentPtr feed = Feed();
  const auto blocks = cache.Get(feed, CacheHeaders{});
  for (bool gzip : {false, true}) {
    EXPECT_EQ(BrowserEtag(gzip ? feed->gzip_etag : feed->etag), blocks->browser_etag[gzip]);
    EXPECT_EQ(HeaderBlock(*feed, gzip, false, CacheHeaders{}, feed->last_modified, true),
              blocks->Block(true, gzip, false));
    EXPECT_EQ(HeaderBlock(*feed, gzip, true, CacheHeaders{}, feed->last_modified, true),
              blocks->Block(true, gzip, true));
    EXPECT_EQ(blocks->ok[gzip], blocks->Block(false, gzip, false));
  }
  const auto page =
      cache.Get(MakeDocument("text/html; charset=utf-8", "<p>x</p>", 1), CacheHeaders{});
  EXPECT_TRUE(page->browser_etag[0].empty());
  EXPECT_TRUE(page->browser_ok[1].empty());
}

TEST(HeaderBlocksTest, ANewDocumentNeverGetsADeadOnesBlocks) {
  HeaderBlockCache cache;
  std::string seen;
  for (int i = 0; i < 50; ++i) {
    // Each document dies before the next is made, so its address may be
    // reused: the cache must still answer with the new one's ETag.
    const DocumentPtr doc = Feed("<rss>" + std::to_string(i) + "</rss>\n");
    const auto blocks = cache.Get(doc, CacheHeaders{});
    EXPECT_NE(std::string::npos, blocks->ok[0].find("ETag: " + doc->etag + "\r\n")) << i;
  }
}

TEST(HeaderBlocksTest, DeadDocumentsEntriesArePruned) {
  HeaderBlockCache cache;
  const DocumentPtr kept = Feed("kept");
  cache.Get(kept, CacheHeaders{});
  std::vector<DocumentPtr> live;
  for (int i = 0; i < 5000; ++i) {
    DocumentPtr doc = Feed(std::to_string(i));
    cache.Get(doc, CacheHeaders{});
    if (i % 1000 == 0) live.push_back(doc);
  }
  // At most the live documents plus one pruning period of dead ones.
  EXPECT_LT(cache.size(), 2100u);
  const auto blocks = cache.Get(kept, CacheHeaders{});
  EXPECT_NE(std::string::npos, blocks->ok[0].find(kept->etag));
}

TEST(HeaderBlocksTest, StaleDirectivesFollowMaxAgeWhenSet) {
  const DocumentPtr doc = Feed();
  const CacheHeaders cache = Cache(300, 30, 86400);
  EXPECT_NE(std::string::npos,
            HeaderBlock(*doc, false, false, cache, doc->last_modified)
                .find("Cache-Control: public, max-age=300, stale-while-revalidate=30, "
                      "stale-if-error=86400\r\n"));
  const CacheHeaders only_error = Cache(60, 0, 600);
  EXPECT_NE(std::string::npos,
            HeaderBlock(*doc, false, true, only_error, doc->last_modified)
                .find("Cache-Control: public, max-age=60, stale-if-error=600\r\n"));
}

TEST(HeaderBlocksTest, TheKeyHeaderNamesTheDocumentsKeysIn200And304) {
  const DocumentPtr doc = MakeDocument("application/rss+xml; charset=utf-8", "<rss/>\n", 1, "", {},
                                       -1, false, true, "doc:/feed.rss feed:main article:a");
  const CacheHeaders cache = Cache(300, 0, 0, "xkey");
  for (bool gzip : {false, true}) {
    for (bool not_modified : {false, true}) {
      const std::string block = HeaderBlock(*doc, gzip, not_modified, cache, doc->last_modified);
      EXPECT_NE(std::string::npos, block.find("\r\nxkey: doc:/feed.rss feed:main article:a\r\n"))
          << block;
    }
  }
  const CacheHeaders fastly = Cache(300, 0, 0, "Surrogate-Key");
  EXPECT_NE(std::string::npos, HeaderBlock(*doc, false, false, fastly, doc->last_modified)
                                   .find("\r\nSurrogate-Key: doc:/feed.rss feed:main"));
  // key_header = "": no key header at all.
  const std::string none = HeaderBlock(*doc, false, false, CacheHeaders{}, doc->last_modified);
  EXPECT_EQ(std::string::npos, none.find("doc:/feed.rss"));
}

TEST(HeaderBlocksTest, ManyKeysGoOnSeveralLinesSplitBetweenKeys) {
  std::string keys = "doc:/feed.rss feed:main";
  for (int i = 0; i < 500; ++i) keys += " article:story-number-" + std::to_string(i);
  const DocumentPtr doc = MakeDocument("application/rss+xml; charset=utf-8", "<rss/>\n", 1, "", {},
                                       -1, false, true, keys);
  const std::string block =
      HeaderBlock(*doc, false, false, Cache(300, 0, 0, "xkey"), doc->last_modified);
  std::string joined;
  int lines = 0;
  for (std::size_t at = block.find("\r\nxkey: "); at != std::string::npos;
       at = block.find("\r\nxkey: ", at + 1)) {
    const std::size_t start = at + 8, end = block.find("\r\n", start);
    const std::string line = block.substr(start, end - start);
    EXPECT_LE(line.size(), kMaxKeyLineBytes);
    EXPECT_FALSE(line.starts_with(" ") || line.ends_with(" ")) << line;
    joined += (joined.empty() ? "" : " ") + line;
    ++lines;
  }
  EXPECT_GE(lines, 3);
  EXPECT_EQ(keys, joined);
}

TEST(HeaderBlocksTest, ChangedCacheSettingsMakeNewBlocks) {
  HeaderBlockCache cache;
  const DocumentPtr doc = MakeDocument("text/html; charset=utf-8", "<p>x</p>", 1, "", {}, -1, false,
                                       true, "doc:/x.html");
  const auto plain = cache.Get(doc, CacheHeaders{});
  const auto keyed = cache.Get(doc, Cache(300, 0, 0, "xkey"));
  EXPECT_NE(plain.get(), keyed.get());
  EXPECT_EQ(std::string::npos, plain->ok[0].find("\r\nxkey: "));
  EXPECT_NE(std::string::npos, keyed->ok[0].find("\r\nxkey: doc:/x.html\r\n"));
}

}  // namespace
}  // namespace feedd::http
