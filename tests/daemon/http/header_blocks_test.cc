#include "daemon/http/header_blocks.h"

#include <gtest/gtest.h>

#include <vector>

namespace feedd::http {
namespace {

DocumentPtr Feed(std::string body = "<rss/>\n") {
  return MakeDocument("application/rss+xml; charset=utf-8", std::move(body), 1772323200,
                      "https://e.org/feed.rss", {"https://hub.example/"});
}

TEST(HeaderBlocksTest, ABlockCarriesTheDocumentsHeadersAndNoDate) {
  const DocumentPtr doc = Feed();
  const std::string ok =
      HeaderBlock(*doc, /*gzip=*/true, /*not_modified=*/false, 300, doc->last_modified);
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

  const std::string not_modified = HeaderBlock(*doc, false, true, 300, doc->last_modified);
  EXPECT_TRUE(not_modified.starts_with("HTTP/1.1 304 Not Modified\r\n"));
  EXPECT_NE(std::string::npos, not_modified.find("ETag: " + doc->etag + "\r\n"));
  EXPECT_EQ(std::string::npos, not_modified.find("Content-Length"));
}

TEST(HeaderBlocksTest, BrowsersGetXmlUnderTheirOwnEtag) {
  const DocumentPtr doc = Feed();
  const std::string block = HeaderBlock(*doc, false, false, 300, doc->last_modified, true);
  EXPECT_NE(std::string::npos, block.find("Content-Type: application/xml; charset=utf-8\r\n"));
  EXPECT_NE(std::string::npos, block.find("ETag: " + BrowserEtag(doc->etag) + "\r\n"));
  EXPECT_TRUE(BrowserEtag("\"abc\"") == "\"abc-xml\"");
}

TEST(HeaderBlocksTest, TheCacheMakesEachDocumentsBlocksOnce) {
  HeaderBlockCache cache;
  const DocumentPtr doc = Feed();
  const auto first = cache.Get(doc, 300);
  EXPECT_EQ(first.get(), cache.Get(doc, 300).get());
  EXPECT_EQ(HeaderBlock(*doc, true, false, 300, doc->last_modified), first->ok[1]);
  EXPECT_EQ(HeaderBlock(*doc, false, true, 300, doc->last_modified), first->not_modified[0]);
  // A reload changed max_age: new blocks, and the old ones stay valid for
  // replies still holding them.
  const auto after_reload = cache.Get(doc, 60);
  EXPECT_NE(first.get(), after_reload.get());
  EXPECT_NE(std::string::npos, after_reload->ok[0].find("max-age=60\r\n"));
  EXPECT_NE(std::string::npos, first->ok[0].find("max-age=300\r\n"));
}

TEST(HeaderBlocksTest, FeedsAreCachedForBrowsersTooAndOtherDocumentsAreNot) {
  HeaderBlockCache cache;
  const DocumentPtr feed = Feed();
  const auto blocks = cache.Get(feed, 300);
  for (bool gzip : {false, true}) {
    EXPECT_EQ(BrowserEtag(gzip ? feed->gzip_etag : feed->etag), blocks->browser_etag[gzip]);
    EXPECT_EQ(HeaderBlock(*feed, gzip, false, 300, feed->last_modified, true),
              blocks->Block(true, gzip, false));
    EXPECT_EQ(HeaderBlock(*feed, gzip, true, 300, feed->last_modified, true),
              blocks->Block(true, gzip, true));
    EXPECT_EQ(blocks->ok[gzip], blocks->Block(false, gzip, false));
  }
  const auto page = cache.Get(MakeDocument("text/html; charset=utf-8", "<p>x</p>", 1), 300);
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
    const auto blocks = cache.Get(doc, 300);
    EXPECT_NE(std::string::npos, blocks->ok[0].find("ETag: " + doc->etag + "\r\n")) << i;
  }
}

TEST(HeaderBlocksTest, DeadDocumentsEntriesArePruned) {
  HeaderBlockCache cache;
  const DocumentPtr kept = Feed("kept");
  cache.Get(kept, 300);
  std::vector<DocumentPtr> live;
  for (int i = 0; i < 5000; ++i) {
    DocumentPtr doc = Feed(std::to_string(i));
    cache.Get(doc, 300);
    if (i % 1000 == 0) live.push_back(doc);
  }
  // At most the live documents plus one pruning period of dead ones.
  EXPECT_LT(cache.size(), 2100u);
  const auto blocks = cache.Get(kept, 300);
  EXPECT_NE(std::string::npos, blocks->ok[0].find(kept->etag));
}

}  // namespace
}  // namespace feedd::http
