#include "feeds/publish/publication.h"

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

TEST(PublicationTest, EveryFeedInEveryFormatAndPreviewPlusIndexPageAndStylesheet) {
  testing::TestSite site;
  site.Put(MakeArticle("a", kNow, {"World"}));
  const Publication& p = site.Publish(kNow);
  std::vector<std::string> routes;
  for (const auto& [route, doc] : p.snapshot->routes) routes.push_back(route);
  EXPECT_EQ((std::vector<std::string>{"/", "/category/world/feed.atom", "/category/world/feed.html",
                                      "/category/world/feed.json", "/category/world/feed.rss",
                                      "/feed.atom", "/feed.html", "/feed.json", "/feed.rss",
                                      "/feed.xsl"}),
            routes);
  EXPECT_EQ("text/html; charset=utf-8", p.snapshot->Find("/feed.html")->content_type);
  EXPECT_EQ("application/xslt+xml; charset=utf-8", p.snapshot->Find("/feed.xsl")->content_type);
  EXPECT_EQ(routes, p.changed_routes);
}

TEST(PublicationTest, EachDocumentNamesItselfItsFeedAndTheArticlesItShows) {
  testing::TestSite site;
  site.Put(MakeArticle("a", kNow, {"World"}));
  site.Put(MakeArticle("b c", kNow - 10, {"Sport"}));
  const SnapshotPtr s = site.Publish(kNow).snapshot;
  EXPECT_EQ("doc:/feed.rss feed:main article:a article:b%20c", s->Find("/feed.rss")->keys);
  EXPECT_EQ("doc:/feed.html feed:main article:a article:b%20c", s->Find("/feed.html")->keys);
  EXPECT_EQ("doc:/category/world/feed.json feed:category/world article:a",
            s->Find("/category/world/feed.json")->keys);
  EXPECT_EQ("doc:/", s->Find("/")->keys);
  EXPECT_EQ("doc:/feed.xsl", s->Find("/feed.xsl")->keys);
}

TEST(PublicationTest, DocumentCarriesGzipOfBodyAndDistinctEtags) {
  testing::TestSite site;
  site.Put(MakeArticle("a", kNow));
  const DocumentPtr doc = site.Publish(kNow).snapshot->Find("/feed.rss");
  ASSERT_NE(nullptr, doc);
  EXPECT_EQ(doc->body, Gunzip(doc->gzip_body));
  EXPECT_NE(doc->etag, doc->gzip_etag);
  EXPECT_EQ('"', doc->etag.front());
  EXPECT_EQ(kNow, doc->last_modified);
  EXPECT_EQ("application/rss+xml; charset=utf-8", doc->content_type);
}

TEST(PublicationTest, UnchangedDocumentsKeepTheirObjectAndAreNotListed) {
  testing::TestSite site;
  site.Put(MakeArticle("a", kNow, {"World"}));
  site.Put(MakeArticle("b", kNow - 10, {"Sport"}));
  const SnapshotPtr first = site.Publish(kNow).snapshot;
  Article changed = MakeArticle("b", kNow - 10, {"Sport"});
  changed.title = "Changed";
  site.Put(changed);
  const Publication& second = site.Publish(kNow);
  EXPECT_EQ(first->Find("/category/world/feed.rss"),
            second.snapshot->Find("/category/world/feed.rss"));
  EXPECT_NE(first->Find("/feed.rss"), second.snapshot->Find("/feed.rss"));
  for (const std::string& route : second.changed_routes) {
    EXPECT_EQ(std::string::npos, route.find("world")) << route;
  }
}

TEST(PublicationTest, NothingChangedMeansNothingListed) {
  testing::TestSite site;
  site.Put(MakeArticle("a", kNow));
  const SnapshotPtr first = site.Publish(kNow).snapshot;
  site.Put(MakeArticle("a", kNow));  // a touch: same content
  const Publication& second = site.Publish(kNow);
  EXPECT_TRUE(second.changed_routes.empty());
  EXPECT_EQ(first->Find("/feed.atom"), second.snapshot->Find("/feed.atom"));
}

TEST(PublicationTest, VanishedCategoryIsListedAsRemoved) {
  testing::TestSite site;
  site.Put(MakeArticle("a", kNow, {"World"}));
  site.Publish(kNow);
  site.Put(MakeArticle("a", kNow));
  const Publication& second = site.Publish(kNow);
  EXPECT_EQ((std::vector<std::string>{"/category/world/feed.atom", "/category/world/feed.html",
                                      "/category/world/feed.json", "/category/world/feed.rss"}),
            second.removed_routes);
  EXPECT_EQ(nullptr, second.snapshot->Find("/category/world/feed.rss"));
}

TEST(PublicationTest, DeletedArticleLeavesEveryFeed) {
  testing::TestSite site;
  site.Put(MakeArticle("a", kNow, {"World"}));
  site.Put(MakeArticle("b", kNow - 5, {"World"}));
  site.Publish(kNow);
  site.Remove("a");
  const Publication& p = site.Publish(kNow);
  EXPECT_EQ(1u, p.snapshot->articles);
  EXPECT_EQ(std::string::npos, p.snapshot->Find("/feed.json")->body.find("Title a"));
  EXPECT_EQ(std::string::npos, p.snapshot->Find("/category/world/feed.json")->body.find("Title a"));
}

TEST(PublicationTest, NextEmbargoIsTheEarliestFutureDate) {
  testing::TestSite site;
  site.Put(MakeArticle("a", kNow + 500));
  site.Put(MakeArticle("b", kNow + 100));
  site.Put(MakeArticle("c", kNow));
  const Publication& p = site.Publish(kNow);
  EXPECT_EQ(kNow + 100, p.next_embargo.value_or(0));
  EXPECT_EQ(1u, p.snapshot->articles);
}

TEST(PublicationTest, IndexPageListsFeedsWithAutodiscovery) {
  testing::TestSite site;
  site.Put(MakeArticle("a", kNow, {"World"}));
  const std::string& html = site.Publish(kNow).snapshot->Find("/")->body;
  EXPECT_EQ(0u, html.find("<!DOCTYPE html>"));
  EXPECT_NE(
      std::string::npos,
      html.find("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"feedd (Atom)\" "
                "href=\"http://127.0.0.1:8080/feed.atom\" />"));
  EXPECT_NE(std::string::npos, html.find("category/world/feed.json"));
}

}  // namespace
}  // namespace feedd
