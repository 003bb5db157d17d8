#include "feeds/publication.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include "tests/testing/article_builder.h"

namespace feedd {
namespace {

constexpr UnixTime kNow = 1772323200;

using testing::MakeArticle;

std::string Gunzip(const std::string& data) {
  z_stream z{};
  inflateInit2(&z, 15 + 16);
  std::string out(1 << 20, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  inflate(&z, Z_FINISH);
  out.resize(z.total_out);
  inflateEnd(&z);
  return out;
}

TEST(PublicationTest, EveryFeedInEveryFormatPlusIndexPage) {
  const Publication p =
      Publish({MakeArticle("a", kNow, {"World"})}, SiteInfo{}, FeedSettings{}, kNow, nullptr);
  std::vector<std::string> routes;
  for (const auto& [route, doc] : p.snapshot->routes) routes.push_back(route);
  EXPECT_EQ((std::vector<std::string>{"/", "/category/world/feed.atom", "/category/world/feed.json",
                                      "/category/world/feed.rss", "/feed.atom", "/feed.json",
                                      "/feed.rss"}),
            routes);
  EXPECT_EQ(routes, p.changed_routes);
  EXPECT_EQ(1u, p.snapshot->generation);
}

TEST(PublicationTest, DocumentCarriesGzipOfBodyAndDistinctEtags) {
  const Publication p =
      Publish({MakeArticle("a", kNow)}, SiteInfo{}, FeedSettings{}, kNow, nullptr);
  const DocumentPtr doc = p.snapshot->Find("/feed.rss");
  ASSERT_NE(nullptr, doc);
  EXPECT_EQ(doc->body, Gunzip(doc->gzip_body));
  EXPECT_NE(doc->etag, doc->gzip_etag);
  EXPECT_EQ('"', doc->etag.front());
  EXPECT_EQ(kNow, doc->last_modified);
  EXPECT_EQ("application/rss+xml; charset=utf-8", doc->content_type);
}

TEST(PublicationTest, UnchangedDocumentsKeepTheirObjectAndAreNotListed) {
  const std::vector<Article> one = {MakeArticle("a", kNow, {"World"}),
                                    MakeArticle("b", kNow - 10, {"Sport"})};
  const Publication first = Publish(one, SiteInfo{}, FeedSettings{}, kNow, nullptr);
  std::vector<Article> two = one;
  two[1].title = "Changed";
  const Publication second = Publish(two, SiteInfo{}, FeedSettings{}, kNow, first.snapshot.get());
  EXPECT_EQ(first.snapshot->Find("/category/world/feed.rss"),
            second.snapshot->Find("/category/world/feed.rss"));
  EXPECT_NE(first.snapshot->Find("/feed.rss"), second.snapshot->Find("/feed.rss"));
  for (const std::string& route : second.changed_routes) {
    EXPECT_EQ(std::string::npos, route.find("world")) << route;
  }
  EXPECT_EQ(2u, second.snapshot->generation);
}

TEST(PublicationTest, VanishedCategoryIsListedAsRemoved) {
  const Publication first =
      Publish({MakeArticle("a", kNow, {"World"})}, SiteInfo{}, FeedSettings{}, kNow, nullptr);
  const Publication second =
      Publish({MakeArticle("a", kNow)}, SiteInfo{}, FeedSettings{}, kNow, first.snapshot.get());
  EXPECT_EQ((std::vector<std::string>{"/category/world/feed.atom", "/category/world/feed.json",
                                      "/category/world/feed.rss"}),
            second.removed_routes);
}

TEST(PublicationTest, NextEmbargoIsTheEarliestFutureDate) {
  const Publication p =
      Publish({MakeArticle("a", kNow + 500), MakeArticle("b", kNow + 100), MakeArticle("c", kNow)},
              SiteInfo{}, FeedSettings{}, kNow, nullptr);
  EXPECT_EQ(kNow + 100, p.next_embargo.value_or(0));
  EXPECT_EQ(1u, p.snapshot->articles);
}

TEST(PublicationTest, IndexPageListsFeedsWithAutodiscovery) {
  const Publication p =
      Publish({MakeArticle("a", kNow, {"World"})}, SiteInfo{}, FeedSettings{}, kNow, nullptr);
  const std::string& html = p.snapshot->Find("/")->body;
  EXPECT_EQ(0u, html.find("<!DOCTYPE html>"));
  EXPECT_NE(
      std::string::npos,
      html.find("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"feedd (Atom)\" "
                "href=\"http://127.0.0.1:8080/feed.atom\" />"));
  EXPECT_NE(std::string::npos, html.find("category/world/feed.json"));
}

}  // namespace
}  // namespace feedd
