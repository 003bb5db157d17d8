#include "feeds/links.h"

#include <gtest/gtest.h>

namespace feedd {
namespace {

TEST(LinksTest, TagUriUsesAuthorityAndFixedDate) {
  SiteInfo site;
  site.tag_authority = "example.org";
  site.tag_date = "2026-01-01";
  EXPECT_EQ("tag:example.org,2026-01-01:000_e6e88a6cd37846ec",
            TagUri(site, "000_e6e88a6cd37846ec"));
  EXPECT_EQ("tag:example.org,2026-01-01:world/a%20b%C3%A9", TagUri(site, "world/a bé"));
}

TEST(LinksTest, ItemLinkFillsTemplate) {
  SiteInfo site;
  site.item_link = "https://e.org/{category}/{slug}?id={id}";
  Article a;
  a.id = "x 1";
  a.slug = "nice-slug";
  a.categories = {"World News"};
  EXPECT_EQ("https://e.org/world-news/nice-slug?id=x%201", ItemLink(a, site));
}

TEST(LinksTest, ItemLinkWithoutTemplateIsFeeddsOwnPage) {
  SiteInfo site;
  site.base_url = "https://e.org/feeds/";
  Article a;
  a.id = "abc";
  EXPECT_EQ("https://e.org/feeds/articles/abc.html", ItemLink(a, site));
}

TEST(LinksTest, ArticleOwnLinkWinsAndIsResolved) {
  SiteInfo site;
  site.link = "https://e.org/";
  Article a;
  a.id = "abc";
  a.link = "/special/page";
  EXPECT_EQ("https://e.org/special/page", ItemLink(a, site));
}

TEST(LinksTest, AbsolutizeLeavesAbsoluteAndFragmentUrlsAlone) {
  const std::string html =
      R"(<a href="https://other.org/x">a</a><a href="#top">b</a><a href="mailto:a@b.c">c</a>)";
  EXPECT_EQ(html, AbsolutizeUrls(html, "https://e.org/news/1"));
}

TEST(LinksTest, SlugifyKeepsLettersAndDigits) {
  EXPECT_EQ("world-news", Slugify("  World  News! "));
  EXPECT_EQ("культура", Slugify("культура"));
  EXPECT_EQ("", Slugify("!!"));
}

}  // namespace
}  // namespace feedd
