#include "feeds/publish/surrogate_keys.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace feedd {
namespace {

TEST(SurrogateKeysTest, NamesKeepUnreservedBytesAndSlashesAndEncodeTheRest) {
  EXPECT_EQ("doc:/feed.rss", DocKey("/feed.rss"));
  EXPECT_EQ("article:my%20story", SurrogateKey("article", "my story"));
  EXPECT_EQ("article:a%2Cb%3Ac_d~e-f.g", SurrogateKey("article", "a,b:c_d~e-f.g"));
  // UTF-8 bytes, uppercase hex, as feedd.vcl's contract shows.
  EXPECT_EQ("doc:/category/%D0%BA%D1%83/feed.rss", DocKey("/category/\xD0\xBA\xD1\x83/feed.rss"));
  EXPECT_EQ("feed:%25", SurrogateKey("feed", "%"));
}

TEST(SurrogateKeysTest, ADocumentNamesItselfItsFeedsAndItsArticlesInThatOrder) {
  EXPECT_EQ("doc:/", DocumentKeys("/"));
  EXPECT_EQ("doc:/feed.rss feed:main feed:category/world article:a article:b%20c",
            DocumentKeys("/feed.rss", {"main", "category/world"}, {"a", "b c"}));
}

TEST(SurrogateKeysTest, ArticleKeysPastTheBudgetAreLeftOutAndTheRestStay) {
  std::vector<std::string> ids;
  for (int i = 0; i < 3000; ++i) ids.push_back("an-article-with-a-long-id-" + std::to_string(i));
  const std::vector<std::string_view> views(ids.begin(), ids.end());
  const std::string keys = DocumentKeys("/feed.rss", {"main"}, views);
  EXPECT_LE(keys.size(), kMaxDocumentKeyBytes);
  EXPECT_TRUE(keys.starts_with("doc:/feed.rss feed:main article:an-article-with-a-long-id-0 "));
  EXPECT_NE(std::string::npos, keys.find(" article:an-article-with-a-long-id-100 "));
  EXPECT_EQ(std::string::npos, keys.find("id-2999"));
  EXPECT_NE(' ', keys.back());
  EXPECT_EQ(std::string::npos, keys.find("  "));
}

}  // namespace
}  // namespace feedd
