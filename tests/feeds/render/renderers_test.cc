#include "feeds/render/renderers.h"

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "tests/testing/article_builder.h"

namespace feedd {
namespace {

constexpr UnixTime kPublished = 1772323200;  // 2026-03-01T00:00:00Z

class RenderersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    site_.title = "Example News";
    site_.link = "https://news.example.org/";
    site_.base_url = "https://news.example.org/";
    site_.tag_authority = "example.org";
    Article a;
    a.explicit_id = "000_e6e88a6cd37846ec";
    a.title = "Ferry & harbour <news>";
    a.authors = {"Jonas Eklund"};
    a.author_role = "Senior Editor";
    a.image_credit = "Port Authority";
    a.categories = {"World"};
    a.summary = "The lead.";
    a.content_html = "<p>The lead.</p>\n<h2>Sub</h2>";
    a.date = kPublished;
    a.lastmod = kPublished + 3600;
    article_ = a;
    Rebuild();
  }

  // The main feed's view of article_, as the daemon would render it.
  // The views point into the site, so it lives as long as they do.
  void Rebuild() {
    auto site = std::make_unique<testing::TestSite>(site_, settings_);
    site->Put(article_);
    site->Publish(kPublished + 86400);
    main_ = site->View("main");
    world_ = site->View("category/world");
    sites_.push_back(std::move(site));
  }

  const FeedView& Main() const { return main_; }

  SiteInfo site_;
  FeedSettings settings_;
  Article article_;
  std::vector<std::unique_ptr<testing::TestSite>> sites_;
  FeedView main_, world_;
};

pugi::xml_document ParseXml(const std::string& text) {
  pugi::xml_document doc;
  const pugi::xml_parse_result result = doc.load_string(text.c_str());
  EXPECT_TRUE(result) << result.description();
  return doc;
}

TEST_F(RenderersTest, RssCarriesEveryRequiredElement) {
  const pugi::xml_document doc = ParseXml(RenderRss(Main(), site_, settings_));
  const pugi::xml_node channel = doc.child("rss").child("channel");
  EXPECT_STREQ("2.0", doc.child("rss").attribute("version").value());
  EXPECT_STREQ("Example News", channel.child_value("title"));
  EXPECT_STREQ("https://news.example.org/feed.rss",
               channel.child("atom:link").attribute("href").value());
  EXPECT_STREQ("Sun, 01 Mar 2026 01:00:00 +0000", channel.child_value("lastBuildDate"));
  EXPECT_STREQ("60", channel.child_value("ttl"));
  EXPECT_STREQ("hourly", channel.child_value("sy:updatePeriod"));
  const pugi::xml_node item = channel.child("item");
  EXPECT_STREQ("Ferry & harbour <news>", item.child_value("title"));
  EXPECT_STREQ("false", item.child("guid").attribute("isPermaLink").value());
  EXPECT_STREQ("tag:example.org,2026-01-01:000_e6e88a6cd37846ec", item.child_value("guid"));
  EXPECT_STREQ("Sun, 01 Mar 2026 00:00:00 +0000", item.child_value("pubDate"));
  EXPECT_STREQ("Jonas Eklund", item.child_value("dc:creator"));
  EXPECT_STREQ("World", item.child_value("category"));
  EXPECT_STREQ("The lead.", item.child_value("description"));
  EXPECT_STREQ("<p>The lead.</p>\n<h2>Sub</h2>", item.child_value("content:encoded"));
  EXPECT_STREQ("Port Authority", item.child_value("media:credit"));
  EXPECT_STREQ("photographer", item.child("media:credit").attribute("role").value());
}

TEST_F(RenderersTest, RssImageGoesIntoMediaContentWithCredit) {
  article_.image_url = "/img/ferry.jpg";
  Rebuild();
  const pugi::xml_document doc = ParseXml(RenderRss(Main(), site_, settings_));
  const pugi::xml_node media =
      doc.child("rss").child("channel").child("item").child("media:content");
  EXPECT_STREQ("https://news.example.org/img/ferry.jpg", media.attribute("url").value());
  EXPECT_STREQ("image", media.attribute("medium").value());
  EXPECT_STREQ("Port Authority", media.child_value("media:credit"));
}

TEST_F(RenderersTest, AtomFeedUpdatedIsNewestItemNotWallClock) {
  const pugi::xml_document doc = ParseXml(RenderAtom(Main(), site_));
  const pugi::xml_node feed = doc.child("feed");
  EXPECT_STREQ("http://www.w3.org/2005/Atom", feed.attribute("xmlns").value());
  EXPECT_STREQ("2026-03-01T01:00:00Z", feed.child_value("updated"));
  EXPECT_STREQ("tag:example.org,2026-01-01:feeds/main", feed.child_value("id"));
  const pugi::xml_node entry = feed.child("entry");
  EXPECT_STREQ("tag:example.org,2026-01-01:000_e6e88a6cd37846ec", entry.child_value("id"));
  EXPECT_STREQ("2026-03-01T00:00:00Z", entry.child_value("published"));
  EXPECT_STREQ("2026-03-01T01:00:00Z", entry.child_value("updated"));
  EXPECT_STREQ("Jonas Eklund", entry.child("author").child_value("name"));
  EXPECT_STREQ("html", entry.child("content").attribute("type").value());
  EXPECT_STREQ("The lead.", entry.child_value("summary"));
}

TEST_F(RenderersTest, EmptyFeedUpdatedIsTheTagDate) {
  testing::TestSite empty(site_, settings_);
  empty.Publish(kPublished);
  const FeedView view = empty.View("main");
  const pugi::xml_document doc = ParseXml(RenderAtom(view, site_));
  EXPECT_STREQ("2026-01-01T00:00:00Z", doc.child("feed").child_value("updated"));
}

TEST_F(RenderersTest, JsonFeedHasEveryRequiredField) {
  const nlohmann::json feed = nlohmann::json::parse(RenderJsonFeed(Main(), site_));
  EXPECT_EQ("https://jsonfeed.org/version/1.1", feed["version"]);
  EXPECT_EQ("Example News", feed["title"]);
  EXPECT_EQ("https://news.example.org/", feed["home_page_url"]);
  EXPECT_EQ("https://news.example.org/feed.json", feed["feed_url"]);
  const nlohmann::json& item = feed["items"][0];
  EXPECT_EQ("tag:example.org,2026-01-01:000_e6e88a6cd37846ec", item["id"]);
  EXPECT_EQ("<p>The lead.</p>\n<h2>Sub</h2>", item["content_html"]);
  EXPECT_EQ("The lead.", item["summary"]);
  EXPECT_EQ("2026-03-01T00:00:00Z", item["date_published"]);
  EXPECT_EQ("2026-03-01T01:00:00Z", item["date_modified"]);
  EXPECT_EQ("Jonas Eklund", item["authors"][0]["name"]);
  EXPECT_EQ("Jonas Eklund", item["author"]["name"]);
}

TEST_F(RenderersTest, SameInputGivesSameBytes) {
  const FeedView first = Main();
  Rebuild();
  for (FeedFormat format : kAllFormats) {
    EXPECT_EQ(RenderFeed(format, first, site_, settings_),
              RenderFeed(format, Main(), site_, settings_));
  }
}

TEST_F(RenderersTest, ControlCharactersNeverReachXml) {
  article_.title = "Bad\x01title\x1F";
  Rebuild();
  for (FeedFormat format : {FeedFormat::kRss, FeedFormat::kAtom}) {
    const std::string xml = RenderFeed(format, Main(), site_, settings_);
    EXPECT_EQ(std::string::npos, xml.find("&#"));
    EXPECT_EQ(std::string::npos, xml.find('\x01'));
  }
}

TEST_F(RenderersTest, CategoryFeedTitleAndSelfLinkNameTheCategory) {
  const nlohmann::json feed = nlohmann::json::parse(RenderJsonFeed(world_, site_));
  EXPECT_EQ("Example News: World", feed["title"]);
  EXPECT_EQ("https://news.example.org/category/world/feed.json", feed["feed_url"]);
  EXPECT_EQ(1u, feed["items"].size());
}

}  // namespace
}  // namespace feedd
