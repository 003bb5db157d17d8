#include "feeds/render/body_cache.h"

#include <gtest/gtest.h>

namespace feedd {
namespace {

IndexRecord Record(std::uint64_t hash) {
  IndexRecord r;
  r.id = "a";
  r.path = "a.txt";
  r.hash = hash;
  r.article.emplace();
  r.article->summary = "what the index knows";
  return r;
}

TEST(BodyCacheTest, ABodyIsReadOnceWhileTheArticleStaysTheSame) {
  BodyCache cache;
  int loads = 0;
  const BodyLoader load = [&](const std::string&) {
    ++loads;
    return std::optional<ArticleBody>(ArticleBody{"s", "<a href=\"/x\">x</a>"});
  };
  const IndexRecord r = Record(1);
  EXPECT_EQ("<a href=\"https://e.org/x\">x</a>",
            cache.Get(r, "https://e.org/a", load)->content_html);
  cache.Get(r, "https://e.org/a", load);
  EXPECT_EQ(1, loads);
  cache.Get(Record(2), "https://e.org/a", load);  // new content: read again
  EXPECT_EQ(2, loads);
}

TEST(BodyCacheTest, TheLastGoodBodyStandsInWhenTheFileBreaks) {
  BodyCache cache;
  bool broken = false;
  const BodyLoader load = [&](const std::string&) -> std::optional<ArticleBody> {
    if (broken) return std::nullopt;
    return ArticleBody{"s", "<p>good</p>"};
  };
  const IndexRecord r = Record(1);
  cache.Get(r, "https://e.org/a", load);
  broken = true;
  // (Another link forces a read; the file no longer parses.)
  EXPECT_EQ("<p>good</p>", cache.Get(r, "https://e.org/b", load)->content_html);
}

TEST(BodyCacheTest, AFileNotReadableYetIsReadAgainNextTime) {
  // A file moved away between indexing and rendering: the index's summary
  // stands in once, and is not kept as the body.
  BodyCache cache;
  bool readable = false;
  const BodyLoader load = [&](const std::string&) -> std::optional<ArticleBody> {
    if (!readable) return std::nullopt;
    return ArticleBody{"s", "<p>the body</p>"};
  };
  const IndexRecord r = Record(1);
  EXPECT_EQ("what the index knows", cache.Get(r, "https://e.org/a", load)->summary);
  EXPECT_EQ(0u, cache.size());
  readable = true;
  EXPECT_EQ("<p>the body</p>", cache.Get(r, "https://e.org/a", load)->content_html);
}

}  // namespace
}  // namespace feedd
