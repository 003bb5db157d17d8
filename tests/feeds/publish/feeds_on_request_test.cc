#include "feeds/publish/feeds_on_request.h"

#include <gtest/gtest.h>

#include "tests/testing/article_builder.h"

namespace feedd {
namespace {

constexpr UnixTime kJan = 1767225600;  // 2026-01-01T00:00:00Z
constexpr UnixTime kDay = 86400;

struct FeedsOnRequestTest : ::testing::Test {
  FeedsOnRequestTest() {
    settings.items = 1;
    catalog = std::make_shared<Catalog>(SiteInfo{}, settings);
  }
  void Put(const std::string& id, UnixTime published, const std::string& title = "",
           const std::string& author = "") {
    Article a = testing::MakeArticle(id, published);
    if (!title.empty()) a.title = title;
    if (!author.empty()) a.authors = {author};
    a.body_hash = std::hash<std::string>()(a.title) | 1;
    std::vector<FileChange> changes;
    changes.push_back({FileChange::Kind::kParsed,
                       id + ".txt",
                       {1, published + ++stamp, 1},
                       std::make_unique<Article>(a)});
    std::unique_lock lock(catalog->mutex);
    catalog->registry.Update(catalog->index.Apply(std::move(changes), &problems).touched,
                             kJan + 400 * kDay);
    catalog->registry.TakeChanges();
  }
  FeedsOnRequest Archives() {
    return FeedsOnRequest(
        catalog, SiteInfo{}, settings,
        [this](const std::string& path) -> std::optional<ArticleBody> {
          ++loads;
          return ArticleBody{"Lead of " + path, "<p>never shown</p>", 0};
        },
        86400 * 30);
  }

  FeedSettings settings;
  std::shared_ptr<Catalog> catalog;
  Problems problems;
  int loads = 0;
  int stamp = 0;
};

TEST_F(FeedsOnRequestTest, AMonthsArchiveHoldsItsUnshownItemsWithHistoryLinks) {
  Put("jan", kJan + kDay);
  Put("feb", kJan + 40 * kDay);
  Put("mar", kJan + 70 * kDay);  // shown
  const FeedsOnRequest archives = Archives();
  const DocumentPtr feb = archives.Find("/feed/archive/2026-02.atom");
  ASSERT_NE(nullptr, feb);
  EXPECT_EQ("application/atom+xml; charset=utf-8", feb->content_type);
  EXPECT_EQ("http://127.0.0.1:8080/feed/archive/2026-02.atom", feb->self_url);
  const std::string& body = feb->body;
  EXPECT_NE(std::string::npos, body.find("<fh:archive />"));
  EXPECT_NE(std::string::npos, body.find("tag:localhost,2026-01-01:feb"));
  EXPECT_EQ(std::string::npos, body.find("tag:localhost,2026-01-01:jan"));
  EXPECT_EQ(std::string::npos, body.find("tag:localhost,2026-01-01:mar"));
  EXPECT_NE(std::string::npos, body.find("rel=\"current\" type=\"application/atom+xml\" "
                                         "href=\"http://127.0.0.1:8080/feed.atom\""));
  EXPECT_NE(std::string::npos,
            body.find("rel=\"prev-archive\" type=\"application/atom+xml\" "
                      "href=\"http://127.0.0.1:8080/feed/archive/2026-01.atom\""));
  EXPECT_EQ(std::string::npos, body.find("next-archive"));  // the newest archive
  EXPECT_NE(std::string::npos, body.find("Lead of feb.txt"));
  EXPECT_EQ(std::string::npos, body.find("never shown"));  // summaries only
  EXPECT_EQ(-1, feb->max_age);                             // the newest archive is open
  EXPECT_FALSE(feb->immutable);

  const DocumentPtr jan = archives.Find("/feed/archive/2026-01.json");
  ASSERT_NE(nullptr, jan);
  EXPECT_NE(
      std::string::npos,
      jan->body.find("\"next_archive\": \"http://127.0.0.1:8080/feed/archive/2026-02.json\""));
  EXPECT_EQ(86400 * 30, jan->max_age);  // closed
  EXPECT_TRUE(jan->immutable);
  ASSERT_NE(nullptr, archives.Find("/feed/archive/2026-01.rss"));
  EXPECT_NE(std::string::npos,
            archives.Find("/feed/archive/2026-01.rss")->body.find("<fh:archive />"));
}

TEST_F(FeedsOnRequestTest, UnknownFeedsMonthsAndNamesAreNotFound) {
  Put("jan", kJan + kDay);
  Put("feb", kJan + 40 * kDay);
  const FeedsOnRequest archives = Archives();
  EXPECT_NE(nullptr, archives.Find("/feed/archive/2026-01.rss"));
  for (const char* path : {"/feed/archive/2026-02.rss",  // shown: no archive
                           "/feed/archive/2025-12.rss", "/feed/archive/2026-1.rss",
                           "/feed/archive/2026-01.html", "/nope/archive/2026-01.rss",
                           "/archive/2026-01.rss", "feed/archive/2026-01.rss", "/feed.rss", ""}) {
    EXPECT_EQ(nullptr, archives.Find(path)) << path;
  }
}

TEST_F(FeedsOnRequestTest, RenderedOnceUntilTheMonthChanges) {
  Put("jan", kJan + kDay);
  Put("feb", kJan + 40 * kDay);
  Put("mar", kJan + 70 * kDay);
  const FeedsOnRequest archives = Archives();
  const DocumentPtr first = archives.Find("/feed/archive/2026-01.atom");
  EXPECT_EQ(1, loads);
  EXPECT_EQ(first, archives.Find("/feed/archive/2026-01.atom"));
  EXPECT_EQ(1, loads);
  // A new article: March joins the archives and February links it;
  // January, closed, is not touched.
  const DocumentPtr february = archives.Find("/feed/archive/2026-02.atom");
  Put("mar2", kJan + 71 * kDay);
  EXPECT_NE(february->etag, archives.Find("/feed/archive/2026-02.atom")->etag);
  EXPECT_NE(nullptr, archives.Find("/feed/archive/2026-03.atom"));
  EXPECT_EQ(first, archives.Find("/feed/archive/2026-01.atom"));
  Put("jan", kJan + kDay, "Edited");
  const DocumentPtr edited = archives.Find("/feed/archive/2026-01.atom");
  EXPECT_NE(first->etag, edited->etag);
  EXPECT_NE(std::string::npos, edited->body.find("Edited"));
}

TEST_F(FeedsOnRequestTest, AuthorFeedsAreRenderedWhenAskedForWithTheirBodies) {
  Put("a1", kJan + kDay, "", "Ann Lee");
  Put("a2", kJan + 40 * kDay, "", "Ann Lee");
  Put("b1", kJan + 41 * kDay, "", "Bo Chen");
  const FeedsOnRequest feeds = Archives();
  const DocumentPtr ann = feeds.Find("/author/ann-lee/feed.atom");
  ASSERT_NE(nullptr, ann);
  EXPECT_EQ(1, loads);  // items = 1: one body read, for all formats
  EXPECT_NE(std::string::npos, ann->body.find("tag:localhost,2026-01-01:a2"));
  EXPECT_EQ(std::string::npos, ann->body.find("tag:localhost,2026-01-01:b1"));
  EXPECT_NE(std::string::npos, ann->body.find("never shown"));  // bodies, not summaries
  EXPECT_NE(
      std::string::npos,
      ann->body.find("href=\"http://127.0.0.1:8080/author/ann-lee/feed/archive/2026-01.atom\""));
  EXPECT_EQ("http://127.0.0.1:8080/author/ann-lee/feed.atom", ann->self_url);
  ASSERT_NE(nullptr, feeds.Find("/author/ann-lee/feed.json"));
  ASSERT_NE(nullptr, feeds.Find("/author/ann-lee/feed.html"));
  EXPECT_EQ(1, loads);  // the other formats and the preview came with the first
  EXPECT_NE(nullptr, feeds.Find("/author/ann-lee/feed/archive/2026-01.rss"));
  // Feeds rendered ahead are the snapshot's, not found here.
  EXPECT_EQ(nullptr, feeds.Find("/feed.atom"));
  EXPECT_EQ(nullptr, feeds.Find("/author/nobody/feed.atom"));
  EXPECT_EQ(nullptr, feeds.Find("/author/ann-lee/feed/archive/2026-01.html"));
}

}  // namespace
}  // namespace feedd
