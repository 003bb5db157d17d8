#include "feeds/index/feed_registry.h"

#include <gtest/gtest.h>

#include <set>

#include "tests/testing/article_builder.h"

namespace feedd {
namespace {

constexpr UnixTime kNow = 1772323200;

using testing::MakeArticle;
using testing::TestSite;

std::vector<std::string> Ids(const FeedView& feed) {
  std::vector<std::string> ids;
  for (const FeedItem& item : feed.items) ids.push_back(item.article->id);
  return ids;
}

std::vector<std::string> Keys(const FeedRegistry& registry) {
  std::vector<std::string> keys;
  for (const auto& [order, feed] : registry.feeds()) {
    if (feed.published) keys.push_back(feed.key);
  }
  return keys;
}

TEST(FeedRegistryTest, NewestFirstWithTiesBrokenById) {
  TestSite site;
  site.Put(MakeArticle("b", kNow - 10));
  site.Put(MakeArticle("c", kNow - 5));
  site.Put(MakeArticle("a", kNow - 10));
  site.Publish(kNow);
  EXPECT_EQ((std::vector<std::string>{"c", "a", "b"}), Ids(site.View("main")));
  EXPECT_EQ(kNow - 5, site.View("main").updated);
}

TEST(FeedRegistryTest, ShowsOnlyTheNewestN) {
  FeedSettings settings;
  settings.items = 3;
  TestSite site({}, settings);
  for (int i = 0; i < 10; ++i) site.Put(MakeArticle("id" + std::to_string(i), kNow - i));
  site.Publish(kNow);
  EXPECT_EQ((std::vector<std::string>{"id0", "id1", "id2"}), Ids(site.View("main")));
}

TEST(FeedRegistryTest, DraftsAndEmbargoedArticlesAreLeftOutUntilTheirTime) {
  TestSite site;
  Article draft = MakeArticle("draft", kNow - 1);
  draft.draft = true;
  site.Put(draft);
  site.Put(MakeArticle("future", kNow + 60));
  site.Put(MakeArticle("live", kNow));
  const Publication& before = site.Publish(kNow);
  EXPECT_EQ((std::vector<std::string>{"live"}), Ids(site.View("main")));
  EXPECT_EQ(kNow + 60, before.next_embargo.value_or(0));
  EXPECT_EQ(1u, before.snapshot->articles);
  site.Publish(kNow + 60);
  EXPECT_EQ((std::vector<std::string>{"future", "live"}), Ids(site.View("main")));
  EXPECT_EQ(2u, site.registry().published());
}

TEST(FeedRegistryTest, OneFeedPerCategorySlugAfterMain) {
  TestSite site;
  site.Put(MakeArticle("a", kNow, {"World News"}));
  site.Put(MakeArticle("b", kNow - 1, {"world news"}));
  site.Put(MakeArticle("c", kNow - 2, {"Sport"}));
  site.Publish(kNow);
  EXPECT_EQ((std::vector<std::string>{"main", "category/sport", "category/world-news"}),
            Keys(site.registry()));
  const FeedView world = site.View("category/world-news");
  EXPECT_EQ("category/world-news/feed", world.path);
  EXPECT_EQ("feedd: World News", world.title);  // spelled as the newest item spells it
  EXPECT_EQ((std::vector<std::string>{"a", "b"}), Ids(world));
}

TEST(FeedRegistryTest, CategoryFeedsCanBeTurnedOff) {
  FeedSettings settings;
  settings.category_feeds = false;
  TestSite site({}, settings);
  site.Put(MakeArticle("a", kNow, {"World"}));
  site.Publish(kNow);
  EXPECT_EQ((std::vector<std::string>{"main"}), Keys(site.registry()));
}

Article ByAuthors(const std::string& id, UnixTime published, std::vector<std::string> authors) {
  Article a = MakeArticle(id, published, {"World"});
  a.authors = std::move(authors);
  return a;
}

TEST(FeedRegistryTest, EachAuthorHasAFeedOfExactlyTheirArticles) {
  TestSite site;
  site.Put(ByAuthors("a", kNow, {"Ann Lee"}));
  site.Put(ByAuthors("b", kNow - 1, {"Ann Lee", "Bo Chen"}));
  site.Put(ByAuthors("c", kNow - 2, {"Bo Chen"}));
  site.Put(ByAuthors("d", kNow - 3, {}));
  site.Put(ByAuthors("e", kNow - 4, {"ann lee"}));  // the same slug
  site.Publish(kNow);
  EXPECT_EQ(
      (std::vector<std::string>{"main", "author/ann-lee", "author/bo-chen", "category/world"}),
      Keys(site.registry()));
  const FeedView ann = site.View("author/ann-lee");
  EXPECT_EQ("author/ann-lee/feed", ann.path);
  EXPECT_EQ("feedd: by Ann Lee", ann.title);
  EXPECT_EQ((std::vector<std::string>{"a", "b", "e"}), Ids(ann));
  EXPECT_EQ((std::vector<std::string>{"b", "c"}), Ids(site.View("author/bo-chen")));

  // A new byline moves the article between author feeds.
  site.Put(ByAuthors("c", kNow - 2, {"Ann Lee"}));
  site.Publish(kNow);
  EXPECT_EQ((std::vector<std::string>{"a", "b", "c", "e"}), Ids(site.View("author/ann-lee")));
  EXPECT_EQ((std::vector<std::string>{"b"}), Ids(site.View("author/bo-chen")));
}

TEST(FeedRegistryTest, PlusAndSharpKeepCategoriesApart) {
  TestSite site;
  site.Put(MakeArticle("a", kNow, {"C++"}));
  site.Put(MakeArticle("b", kNow - 1, {"C"}));
  site.Put(MakeArticle("c", kNow - 2, {"C#"}));
  site.Publish(kNow);
  EXPECT_EQ(
      (std::vector<std::string>{"main", "category/c", "category/c-plus-plus", "category/c-sharp"}),
      Keys(site.registry()));
  EXPECT_EQ((std::vector<std::string>{"a"}), Ids(site.View("category/c-plus-plus")));
  EXPECT_EQ((std::vector<std::string>{"b"}), Ids(site.View("category/c")));
  EXPECT_EQ((std::vector<std::string>{"c"}), Ids(site.View("category/c-sharp")));
  EXPECT_EQ("category/c-plus-plus/feed", site.View("category/c-plus-plus").path);
  EXPECT_TRUE(site.problems().empty());
}

TEST(FeedRegistryTest, TwoSpellingsOfOneSlugShareAFeedWithOneWarning) {
  TestSite site;
  site.Put(ByAuthors("a", kNow, {"Anne-Marie Smith"}));
  site.Put(ByAuthors("b", kNow - 1, {"Anne Marie Smith"}));
  site.Put(ByAuthors("c", kNow - 2, {"Anne Marie Smith"}));
  site.Publish(kNow);
  EXPECT_EQ((std::vector<std::string>{"a", "b", "c"}), Ids(site.View("author/anne-marie-smith")));
  ASSERT_EQ(1u, site.problems().size());
  const Problem& p = site.problems()[0];
  EXPECT_EQ(Severity::kWarning, p.severity);
  EXPECT_EQ("b.txt", p.file);  // the file that brought the second spelling
  EXPECT_NE(std::string::npos, p.message.find("'Anne Marie Smith'")) << p.message;
  EXPECT_NE(std::string::npos, p.message.find("'Anne-Marie Smith'")) << p.message;
  EXPECT_NE(std::string::npos, p.message.find("author/anne-marie-smith/feed")) << p.message;

  // Once per pair: later articles and edits spelling either way say nothing.
  site.Put(ByAuthors("d", kNow - 3, {"Anne-Marie Smith"}));
  site.Put(ByAuthors("b", kNow - 1, {"Anne Marie Smith", "Bo Chen"}));
  site.Publish(kNow);
  EXPECT_EQ(1u, site.problems().size());
  EXPECT_EQ((std::vector<std::string>{"a", "b", "c", "d"}),
            Ids(site.View("author/anne-marie-smith")));
}

TEST(FeedRegistryTest, TwoArticlesWithOneSlugLinkTwoPages) {
  TestSite site;
  Article a = MakeArticle("a", kNow - 5);
  a.slug = "x";
  Article b = MakeArticle("b", kNow - 10);
  b.slug = "x";
  site.Put(a);
  site.Put(b);
  site.Publish(kNow);
  FeedView main = site.View("main");
  ASSERT_EQ(2u, main.items.size());
  EXPECT_EQ("http://127.0.0.1:8080/articles/x-a.html", main.items[0].link);
  EXPECT_EQ("http://127.0.0.1:8080/articles/x.html", main.items[1].link);  // the earliest
  ASSERT_EQ(1u, site.problems().size());
  EXPECT_EQ("a.txt", site.problems()[0].file);

  // The owner goes: the other article's link is the plain slug now.
  site.Remove("b");
  site.Publish(kNow);
  main = site.View("main");
  ASSERT_EQ(1u, main.items.size());
  EXPECT_EQ("http://127.0.0.1:8080/articles/x.html", main.items[0].link);
}

TEST(FeedRegistryTest, AuthorFeedsCanBeTurnedOffOrMoved) {
  FeedSettings off;
  off.author_feeds = false;
  TestSite without({}, off);
  without.Put(ByAuthors("a", kNow, {"Ann Lee"}));
  without.Publish(kNow);
  EXPECT_EQ((std::vector<std::string>{"main", "category/world"}), Keys(without.registry()));

  FeedSettings moved;
  moved.author_path = "people/{author}";
  TestSite site({}, moved);
  site.Put(ByAuthors("a", kNow, {"Ann Lee"}));
  site.Publish(kNow);
  EXPECT_EQ("people/ann-lee", site.View("author/ann-lee").path);
}

TEST(FeedRegistryTest, FeedRefsNameTheFeedsAnArticleIsIn) {
  Article a = ByAuthors("a", kNow, {"Ann Lee", ""});
  a.categories = {"World", "world", "!!"};
  std::vector<std::string> paths;
  for (const FeedRef& ref : FeedRefsOf(a, "a.txt", SiteInfo{}, FeedSettings{}))
    paths.push_back(ref.path);
  EXPECT_EQ((std::vector<std::string>{"feed", "category/world/feed", "author/ann-lee/feed"}),
            paths);
}

TEST(FeedRegistryTest, OnlyFeedsWhoseShownItemsChangeAreReported) {
  TestSite site;
  site.Put(MakeArticle("w", kNow - 10, {"World"}));
  site.Put(MakeArticle("s", kNow - 20, {"Sport"}));
  site.Publish(kNow);
  Article edited = MakeArticle("w", kNow - 10, {"World"});
  edited.title = "Edited";
  site.Put(edited);
  const Publication& p = site.Publish(kNow);
  for (const std::string& route : p.changed_routes) {
    EXPECT_EQ(std::string::npos, route.find("sport")) << route;
  }
  EXPECT_NE(p.changed_routes.end(), std::find(p.changed_routes.begin(), p.changed_routes.end(),
                                              "/category/world/feed.rss"));
}

TEST(FeedRegistryTest, AnArticleMovingCategoryLeavesTheOldFeed) {
  TestSite site;
  site.Put(MakeArticle("a", kNow, {"World"}));
  site.Put(MakeArticle("b", kNow - 1, {"World"}));
  site.Publish(kNow);
  site.Put(MakeArticle("a", kNow, {"Sport"}));
  site.Publish(kNow);
  EXPECT_EQ((std::vector<std::string>{"b"}), Ids(site.View("category/world")));
  EXPECT_EQ((std::vector<std::string>{"a"}), Ids(site.View("category/sport")));
}

TEST(FeedRegistryTest, ItemLinksAndContentUrlsAreAbsolute) {
  SiteInfo info;
  info.item_link = "https://news.example.org/news/{slug}";
  TestSite site(info);
  Article a = MakeArticle("a", kNow);
  a.content_html = R"(<p><a href="/x">x</a> <img src="pic.jpg"></p>)";
  a.image_url = "/img/a.jpg";
  site.Put(a);
  site.Publish(kNow);
  const FeedView view = site.View("main");
  const FeedItem& item = view.items.at(0);
  EXPECT_EQ("https://news.example.org/news/a", item.link);
  EXPECT_EQ(
      R"(<p><a href="https://news.example.org/x">x</a> <img src="https://news.example.org/news/pic.jpg"></p>)",
      item.content_html);
  EXPECT_EQ("https://news.example.org/img/a.jpg", item.image_url);
}

// --- Archives (RFC 5005) ---------------------------------------------------

constexpr UnixTime kJan = 1767225600;  // 2026-01-01T00:00:00Z
constexpr UnixTime kDay = 86400;

TEST(FeedRegistryTest, MonthsAreNamedAndParsed) {
  EXPECT_EQ("2026-01", MonthName(MonthOf(kJan)));
  EXPECT_EQ("2025-12", MonthName(MonthOf(kJan - 1)));
  EXPECT_EQ(MonthOf(kJan), ParseMonthName("2026-01").value_or(0));
  for (const char* bad : {"2026-1", "2026-13", "2026-00", "2026_01", "20x6-01", "2026-011"}) {
    EXPECT_FALSE(ParseMonthName(bad)) << bad;
  }
}

// The ids of |feed|'s document followed by its archives, walked through
// prev-archive as a reader would.
std::vector<std::string> Walk(const FeedRegistry& registry, const Feed& feed) {
  std::vector<std::string> ids;
  for (const IndexRecord* r : feed.shown) ids.push_back(r->id);
  std::optional<Month> month = feed.newest_archive;
  std::optional<Month> newer;
  while (month) {
    const std::optional<FeedRegistry::Archive> archive = registry.ArchiveOf(feed, *month);
    EXPECT_TRUE(archive) << MonthName(*month);
    if (!archive) break;
    EXPECT_EQ(newer, archive->newer) << MonthName(*month);
    for (const IndexRecord* r : archive->records) ids.push_back(r->id);
    newer = month;
    month = archive->older;
  }
  return ids;
}

const Feed& MainFeed(const FeedRegistry& registry) { return registry.feeds().begin()->second; }

TEST(FeedRegistryTest, DocumentAndArchivesHoldEveryArticleOnceNewestFirst) {
  FeedSettings settings;
  settings.items = 4;
  TestSite site({}, settings);
  std::vector<std::string> expected;
  // 30 articles, one every 5 days from January on; the last of each ties.
  for (int i = 29; i >= 0; --i) {
    const std::string id = "a" + std::to_string(100 + i);
    site.Put(MakeArticle(id, kJan + i * 5 * kDay));
    expected.push_back(id);
  }
  site.Publish(kJan + 200 * kDay);
  const Feed& main = MainFeed(site.registry());
  EXPECT_EQ(expected, Walk(site.registry(), main));
  EXPECT_EQ((std::vector<Month>{MonthOf(kJan) + 4, MonthOf(kJan) + 3, MonthOf(kJan) + 2,
                                MonthOf(kJan) + 1, MonthOf(kJan)}),
            site.registry().ArchiveMonths(main));
  // The month the document reaches into is open; older ones are closed.
  EXPECT_FALSE(site.registry().ArchiveOf(main, MonthOf(kJan) + 4)->closed);
  EXPECT_TRUE(site.registry().ArchiveOf(main, MonthOf(kJan) + 3)->closed);
  EXPECT_FALSE(site.registry().ArchiveOf(main, MonthOf(kJan) + 5));  // all shown
  EXPECT_FALSE(site.registry().ArchiveOf(main, MonthOf(kJan) - 1));  // nothing then
}

TEST(FeedRegistryTest, AFeedThatShowsEverythingHasNoArchive) {
  TestSite site;
  site.Put(MakeArticle("a", kJan));
  site.Publish(kJan + kDay);
  const Feed& main = MainFeed(site.registry());
  EXPECT_FALSE(main.newest_archive);
  EXPECT_TRUE(site.registry().ArchiveMonths(main).empty());
  EXPECT_TRUE(site.View("main").complete);
  EXPECT_FALSE(site.View("main").prev_archive.has_value());
}

std::set<std::pair<std::string, bool>> ArchiveChanges(const FeedRegistry::Changes& changes) {
  std::set<std::pair<std::string, bool>> out;
  for (const auto& c : changes.archives) {
    out.insert({c.feed->key + " " + MonthName(c.month), c.exists});
  }
  return out;
}

TEST(FeedRegistryTest, ANewArticleLeavesClosedArchivesAlone) {
  FeedSettings settings;
  settings.items = 2;
  FeedRegistry registry(SiteInfo{}, settings);
  ArticleIndex index;
  Problems problems;
  auto put = [&](const std::string& id, UnixTime published) {
    std::vector<FileChange> changes;
    changes.push_back({FileChange::Kind::kParsed,
                       id + ".txt",
                       {1, published, 1},
                       std::make_unique<Article>(MakeArticle(id, published))});
    registry.Update(index.Apply(std::move(changes), &problems).touched, kJan + 400 * kDay);
    return registry.TakeChanges();
  };
  put("jan", kJan + 3 * kDay);
  put("feb", kJan + 35 * kDay);
  put("mar1", kJan + 65 * kDay);
  put("mar2", kJan + 66 * kDay);
  // Shown: mar2, mar1. Archives: February (the newest, open) and January
  // (closed).
  EXPECT_TRUE(registry.ArchiveOf(MainFeed(registry), MonthOf(kJan))->closed);
  EXPECT_FALSE(registry.ArchiveOf(MainFeed(registry), MonthOf(kJan) + 1)->closed);
  // An article in April pushes mar1 into March's archive, which is new; it
  // links February, whose next-archive changes. January is untouched.
  const auto changes = put("apr", kJan + 95 * kDay);
  EXPECT_EQ(
      (std::set<std::pair<std::string, bool>>{{"main 2026-02", true}, {"main 2026-03", true}}),
      ArchiveChanges(changes));
  EXPECT_TRUE(registry.ArchiveOf(MainFeed(registry), MonthOf(kJan) + 1)->closed);  // now
  // An edit in an old month touches only that month's archive.
  std::vector<FileChange> edit;
  Article edited = MakeArticle("jan", kJan + 3 * kDay);
  edited.title = "Edited";
  edited.body_hash = 2;
  edit.push_back({FileChange::Kind::kParsed,
                  "jan.txt",
                  {1, kJan + 300 * kDay, 1},
                  std::make_unique<Article>(edited)});
  registry.Update(index.Apply(std::move(edit), &problems).touched, kJan + 400 * kDay);
  const auto after_edit = registry.TakeChanges();
  EXPECT_EQ((std::set<std::pair<std::string, bool>>{{"main 2026-01", true}}),
            ArchiveChanges(after_edit));
  EXPECT_TRUE(after_edit.changed.empty());  // the document shows nothing of January
}

TEST(FeedRegistryTest, AnArchiveThatEmptiesIsReportedGone) {
  FeedSettings settings;
  settings.items = 1;
  TestSite site({}, settings);
  site.Put(MakeArticle("old", kJan));
  site.Put(MakeArticle("new", kJan + 40 * kDay));
  site.Publish(kJan + 100 * kDay);
  const Feed& main = MainFeed(site.registry());
  ASSERT_EQ(std::vector<Month>{MonthOf(kJan)}, site.registry().ArchiveMonths(main));
  site.Remove("old");
  const Publication& p = site.Publish(kJan + 100 * kDay);
  EXPECT_TRUE(site.registry().ArchiveMonths(main).empty());
  EXPECT_TRUE(site.View("main").complete);
  // The document no longer links an archive: it was rendered again.
  EXPECT_EQ(std::string::npos, p.snapshot->Find("/feed.atom")->body.find("prev-archive"));
}

// --- Feeds the publisher defines ---------------------------------------------

TEST(FeedRegistryTest, DefinedFeedsSelectExactlyTheMatchingArticles) {
  FeedSettings settings;
  settings.custom = {
      {"Harbour sport", "topics/harbour-sport", {"Sport"}, {"harbour"}, {}, {}, 0, false},
      {"Ann in World", "ann-world", {"World News"}, {}, {"ann lee"}, {}, 2, true},
      {"From the desk", "desk", {}, {}, {}, {"desk/"}, 0, false},
  };
  TestSite site({}, settings);
  auto put = [&](const std::string& id, UnixTime published, std::vector<std::string> categories,
                 std::vector<std::string> tags, std::vector<std::string> authors) {
    Article a = MakeArticle(id, published, std::move(categories));
    a.tags = std::move(tags);
    a.authors = std::move(authors);
    site.Put(a);
  };
  put("s1", kNow - 1, {"Sport"}, {"Harbour", "ferry"}, {"Bo Chen"});
  put("s2", kNow - 2, {"sport"}, {"football"}, {"Bo Chen"});  // no harbour tag
  put("s3", kNow - 3, {"World"}, {"harbour"}, {"Ann Lee"});   // not sport
  put("w1", kNow - 4, {"world news"}, {}, {"Ann Lee", "Bo Chen"});
  put("w2", kNow - 5, {"World News"}, {}, {"Ann Lee"});
  put("w3", kNow - 6, {"World News"}, {}, {"Ann Lee"});
  put("w4", kNow - 7, {"World News"}, {}, {"Cy Dee"});
  site.Publish(kNow);
  EXPECT_EQ((std::vector<std::string>{"s1"}), Ids(site.View("custom/topics/harbour-sport")));
  const FeedView ann = site.View("custom/ann-world");
  EXPECT_EQ((std::vector<std::string>{"w1", "w2"}), Ids(ann));  // items = 2
  EXPECT_TRUE(ann.summary_only);
  EXPECT_EQ("ann-world", ann.path);
  EXPECT_EQ("feedd: Ann in World", ann.title);
  EXPECT_EQ(MonthOf(kNow - 6), ann.prev_archive);
  EXPECT_EQ("http://127.0.0.1:8080/ann-world/archive/" + MonthName(MonthOf(kNow - 6)) + ".rss",
            ann.HistoryUrls(SiteInfo(), FeedFormat::kRss).prev_archive);
  // Nothing under desk/ yet: the feed exists, empty, for early subscribers.
  EXPECT_TRUE(Ids(site.View("custom/desk")).empty());
  EXPECT_FALSE(site.View("custom/desk").summary_only);
}

TEST(FeedRegistryTest, FolderFiltersMatchWholeSubfolders) {
  FeedDefinition desk{"Desk", "desk", {}, {}, {}, {"desk", "wire/in/"}, 0, false};
  const Article a = MakeArticle("a", kNow);
  EXPECT_TRUE(Selects(desk, a, "desk/a.txt"));
  EXPECT_TRUE(Selects(desk, a, "desk/2026/a.txt"));
  EXPECT_TRUE(Selects(desk, a, "wire/in/a.txt"));
  EXPECT_FALSE(Selects(desk, a, "desktop/a.txt"));
  EXPECT_FALSE(Selects(desk, a, "desk.txt"));
  EXPECT_FALSE(Selects(desk, a, "wire/a.txt"));
  FeedDefinition all{"All", "all", {}, {}, {}, {}, 0, false};
  EXPECT_TRUE(Selects(all, a, "x.txt"));
}

}  // namespace
}  // namespace feedd
