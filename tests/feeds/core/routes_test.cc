#include "feeds/core/routes.h"

#include <gtest/gtest.h>

namespace feedd {
namespace {

TEST(RoutesTest, TagUriUsesAuthorityAndFixedDate) {
  SiteInfo site;
  site.tag_authority = "example.org";
  site.tag_date = "2026-01-01";
  EXPECT_EQ("tag:example.org,2026-01-01:000_e6e88a6cd37846ec",
            TagUri(site, "000_e6e88a6cd37846ec"));
  EXPECT_EQ("tag:example.org,2026-01-01:world/a%20b%C3%A9", TagUri(site, "world/a bé"));
}

TEST(RoutesTest, ItemLinkFillsTemplate) {
  SiteInfo site;
  site.item_link = "https://e.org/{category}/{slug}?id={id}";
  Article a;
  a.id = "x 1";
  a.slug = "nice-slug";
  a.categories = {"World News"};
  EXPECT_EQ("https://e.org/world-news/nice-slug?id=x%201", ItemLink(a, site));
}

TEST(RoutesTest, ItemLinkWithoutTemplateIsFeeddsOwnPage) {
  SiteInfo site;
  site.base_url = "https://e.org/feeds/";
  Article a;
  a.id = "abc";
  EXPECT_EQ("https://e.org/feeds/articles/abc.html", ItemLink(a, site));
}

TEST(RoutesTest, ArticleOwnLinkWinsAndIsResolved) {
  SiteInfo site;
  site.link = "https://e.org/";
  Article a;
  a.id = "abc";
  a.link = "/special/page";
  EXPECT_EQ("https://e.org/special/page", ItemLink(a, site));
}

TEST(RoutesTest, ArticlePagesAreUnderArticlesWithTheSlugEncoded) {
  SiteInfo site;
  site.base_url = "https://e.org/news/";
  Article a;
  a.id = "x";
  a.slug = "ferry timetable";
  EXPECT_EQ("https://e.org/news/articles/ferry%20timetable.html",
            Route::ArticlePage(EffectiveSlug(a)).Url(site));
  EXPECT_EQ(Route::ArticlePage(EffectiveSlug(a)).Url(site), ItemLink(a, site));
}

// Every kind of route, with names in several scripts and characters URLs
// must encode: built, printed, parsed back to the same value, and its URL
// read back from beneath base_url.
TEST(RoutesTest, EveryKindRoundTripsThroughItsPathAndItsUrl) {
  SiteInfo site;
  site.base_url = "https://e.org/новости/";
  const Month march = *ParseMonthName("2026-03");
  const std::vector<std::pair<Route, std::string>> cases = {
      {Route::Index(), "/"},
      {Route::Stylesheet(), "/feed.xsl"},
      {Route::Feed("feed", FeedFormat::kRss), "/feed.rss"},
      {Route::Feed("category/культура/feed", FeedFormat::kAtom), "/category/культура/feed.atom"},
      {Route::Feed("author/anne-marie-o-brien/feed", FeedFormat::kJson),
       "/author/anne-marie-o-brien/feed.json"},
      {Route::Feed("custom/économie et #marchés", FeedFormat::kRss),
       "/custom/économie et #marchés.rss"},
      {Route::Preview("category/الاقتصاد/feed"), "/category/الاقتصاد/feed.html"},
      {Route::Archive("category/world/feed", march, FeedFormat::kJson),
       "/category/world/feed/archive/2026-03.json"},
      {Route::Archive("feed", march, FeedFormat::kAtom), "/feed/archive/2026-03.atom"},
      {Route::ArticlePage("ferry timetable 100%"), "/articles/ferry timetable 100%.html"},
      {Route::ArticlePage("2026/03/政治"), "/articles/2026/03/政治.html"},
      {Route::Image("pics/quay ü.jpg"), "/articles/pics/quay ü.jpg"},
  };
  for (const auto& [route, path] : cases) {
    SCOPED_TRACE(path);
    EXPECT_EQ(path, route.path());
    EXPECT_EQ(route, Route::Parse(path));
    const std::string url = route.Url(site);
    EXPECT_TRUE(url.starts_with(site.base_url));
    EXPECT_EQ(std::string::npos, url.find(' ', site.base_url.size())) << url;
    EXPECT_EQ(route, Route::FromUrl(url, site)) << url;
    EXPECT_EQ(route, Route::FromUrl(url + "?utm=x#top", site)) << url;
  }
}

TEST(RoutesTest, UrlsAreBaseUrlAndTheEncodedRoute) {
  SiteInfo site;
  site.base_url = "https://e.org/news/";
  EXPECT_EQ("https://e.org/news/", Route::Index().Url(site));
  EXPECT_EQ("https://e.org/news/category/a%20b/feed.rss",
            Route::Feed("category/a b/feed", FeedFormat::kRss).Url(site));
  EXPECT_EQ("https://e.org/news/feed/archive/2026-01.json",
            Route::Archive("feed", *ParseMonthName("2026-01"), FeedFormat::kJson).Url(site));
  // The stylesheet is fetched from the origin that served the feed.
  EXPECT_EQ("/news/feed.xsl", Route::Stylesheet().Reference(site));
}

TEST(RoutesTest, PathsNoDocumentCouldHaveAreNotRoutes) {
  for (const char* path :
       {"", "feed.rss", "/.rss", "/.html", "/articles/", "/feed.txt", "/livez", "/a/b"}) {
    EXPECT_FALSE(Route::Parse(path).has_value()) << path;
  }
  // Not a month: an ordinary feed whose path ends in "archive/...".
  EXPECT_EQ(Route::Feed("feed/archive/2026-13", FeedFormat::kRss),
            Route::Parse("/feed/archive/2026-13.rss"));
  SiteInfo site;
  site.base_url = "https://e.org/news/";
  EXPECT_FALSE(Route::FromUrl("https://other.org/news/feed.rss", site).has_value());
  EXPECT_FALSE(Route::FromUrl("https://e.org/news/feed%zz.rss", site).has_value());
}

TEST(RoutesTest, FeedPathsFollowTheTemplates) {
  FeedSettings settings;
  settings.category_path = "topics/{category}";
  settings.author_path = "people/{author}/rss";
  EXPECT_EQ("feed", MainFeedPath(settings));
  EXPECT_EQ("topics/world", CategoryFeedPath(settings, "world"));
  EXPECT_EQ("people/ana-ruiz/rss", AuthorFeedPath(settings, "ana-ruiz"));
  const std::vector<Route> routes = FeedRoutes("topics/world");
  ASSERT_EQ(4u, routes.size());
  EXPECT_EQ("/topics/world.rss", routes[0].path());
  EXPECT_EQ("/topics/world.html", routes[3].path());
  EXPECT_EQ("/topics/world/archive/2026-02.atom",
            ArchiveRoutes("topics/world", *ParseMonthName("2026-02"))[1].path());
}

TEST(RoutesTest, AnArticleHasAPageOnlyWithASafeSlugAndNoLinkOfItsOwn) {
  Article a;
  a.id = "x";
  a.slug = "ok/slug";
  EXPECT_EQ(Route::ArticlePage("ok/slug"), ArticlePageRoute(a));
  a.slug = "../feed";
  EXPECT_FALSE(ArticlePageRoute(a).has_value());
  a.slug = "fine";
  a.link = "https://elsewhere.org/x";
  EXPECT_FALSE(ArticlePageRoute(a).has_value());
}

TEST(RoutesTest, FeedAndArchiveIdsAreTagUris) {
  SiteInfo site;
  site.tag_authority = "e.org";
  site.tag_date = "2026-01-01";
  EXPECT_EQ("tag:e.org,2026-01-01:feeds/main", FeedTagUri(site, "main"));
  EXPECT_EQ("tag:e.org,2026-01-01:feeds/category/world/archive/2026-03",
            ArchiveTagUri(site, "category/world", *ParseMonthName("2026-03")));
}

}  // namespace
}  // namespace feedd
