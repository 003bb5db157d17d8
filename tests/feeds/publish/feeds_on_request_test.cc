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
    Apply(std::move(changes));
  }
  void Remove(const std::string& id) {
    std::vector<FileChange> changes;
    changes.push_back({FileChange::Kind::kRemoved, id + ".txt", {}, nullptr});
    Apply(std::move(changes));
  }
  // As the publisher does: the registry's changes move |advancing|'s floors,
  // which the served history remembers.
  void Apply(std::vector<FileChange> changes) {
    std::unique_lock lock(catalog->mutex);
    catalog->registry.Update(catalog->index.Apply(std::move(changes), &problems).touched,
                             kJan + 400 * kDay);
    const FeedRegistry::Changes taken = catalog->registry.TakeChanges();
    if (!advancing) return;
    ServedHistory floors;
    advancing->Advance(taken, served, &floors);
    for (auto& [route, doc] : floors) served[route] = doc;
  }
  UnixTime LastModified(const FeedsOnRequest& feeds, const std::string& path) {
    const DocumentPtr doc = feeds.Find(path);
    return doc ? doc->last_modified : -1;
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
  FeedsOnRequest* advancing = nullptr;
  ServedHistory served;
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

TEST_F(FeedsOnRequestTest, AnArticleInSeveralArchivesIsReadOnceUntilItChanges) {
  Put("jan", kJan + kDay, "", "Ann Lee");
  Put("feb", kJan + 40 * kDay, "", "Ann Lee");
  Put("mar", kJan + 70 * kDay, "", "Ann Lee");  // shown
  const FeedsOnRequest archives = Archives();
  ASSERT_NE(nullptr, archives.Find("/feed/archive/2026-01.rss"));
  EXPECT_EQ(1, loads);
  const DocumentPtr author = archives.Find("/author/ann-lee/feed/archive/2026-01.rss");
  ASSERT_NE(nullptr, author);
  EXPECT_NE(std::string::npos, author->body.find("Lead of jan.txt"));
  EXPECT_EQ(1, loads) << "the summary the main feed's archive read was read again";
  Put("jan", kJan + kDay, "Edited", "Ann Lee");  // new content: its summary is read again
  ASSERT_NE(nullptr, archives.Find("/author/ann-lee/feed/archive/2026-01.rss"));
  EXPECT_EQ(2, loads);
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

TEST_F(FeedsOnRequestTest, AnAuthorFeedsLastModifiedMovesWithEveryChangeAndNeverBack) {
  settings.items = 10;
  catalog = std::make_shared<Catalog>(SiteInfo{}, settings);
  FeedsOnRequest feeds = Archives();
  advancing = &feeds;
  const std::string atom = "/author/ann-lee/feed.atom";
  Put("a2", kJan + 40 * kDay, "", "Ann Lee");
  const DocumentPtr first = feeds.Find(atom);
  ASSERT_NE(nullptr, first);
  EXPECT_EQ(kJan + 40 * kDay, first->last_modified);

  // An older article: the newest item's date stays, the document moves.
  Put("a1", kJan + kDay, "", "Ann Lee");
  const DocumentPtr added = feeds.Find(atom);
  EXPECT_NE(first->etag, added->etag);
  EXPECT_EQ(kJan + 40 * kDay + 1, added->last_modified);
  EXPECT_EQ(kJan + 40 * kDay + 1, LastModified(feeds, "/author/ann-lee/feed.html"));
  EXPECT_EQ(kJan + 40 * kDay + 1, served.at(atom).last_modified);

  // The newest deleted: never back to a1's date.
  Remove("a2");
  const DocumentPtr deleted = feeds.Find(atom);
  EXPECT_EQ(std::string::npos, deleted->body.find(":a2<"));
  EXPECT_EQ(kJan + 40 * kDay + 2, deleted->last_modified);

  // A restart (or a reload): the history carries the date.
  FeedsOnRequest restarted = Archives();
  ServedHistory floors;
  {
    std::unique_lock lock(catalog->mutex);
    FeedRegistry::Changes all;
    all.changed.push_back(catalog->registry.FeedAt("author/ann-lee/feed"));
    restarted.Advance(all, served, &floors);
  }
  EXPECT_EQ(kJan + 40 * kDay + 2, LastModified(restarted, atom));
  EXPECT_TRUE(floors.empty());  // nothing moved
}

TEST_F(FeedsOnRequestTest, AnArchivesLastModifiedNeverGoesBack) {
  FeedsOnRequest archives = Archives();
  advancing = &archives;
  const std::string jan = "/feed/archive/2026-01.rss";
  Put("jan", kJan + 10 * kDay);
  Put("feb", kJan + 40 * kDay);  // shown
  EXPECT_EQ(kJan + 10 * kDay, LastModified(archives, jan));
  Put("early", kJan + 2 * kDay);  // backdated into January
  EXPECT_EQ(kJan + 10 * kDay + 1, LastModified(archives, jan));
  Remove("jan");
  EXPECT_EQ(kJan + 10 * kDay + 2, LastModified(archives, jan));
  EXPECT_EQ(kJan + 10 * kDay + 2, served.at("/feed/archive/2026-01.json").last_modified);
  // Gone, then back: later than it went.
  Remove("early");
  EXPECT_EQ(-1, LastModified(archives, jan));
  Put("early", kJan + 2 * kDay);
  EXPECT_EQ(kJan + 10 * kDay + 3, LastModified(archives, jan));
}

}  // namespace
}  // namespace feedd
