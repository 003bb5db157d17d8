#include "feeds/core/links.h"

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

TEST(LinksTest, AbsolutizeFindsAttributesAsABrowserDoes) {
  const std::string base = "https://e.org/news/1";
  EXPECT_EQ(R"(<a HREF="https://e.org/x">a</a>)", AbsolutizeUrls(R"(<a HREF="/x">a</a>)", base));
  EXPECT_EQ(R"(<img src="https://e.org/news/p.jpg">)", AbsolutizeUrls("<img src=p.jpg>", base));
  EXPECT_EQ(R"(<img src="https://e.org/news/p.jpg" alt='x'>)",
            AbsolutizeUrls("<img src='p.jpg' alt='x'>", base));
  // A decoded "&" goes back as a reference; other bytes are untouched.
  EXPECT_EQ(R"(<p>a &amp; b <a href="https://e.org/q?a=1&amp;b=2">q</a></p>)",
            AbsolutizeUrls(R"(<p>a &amp; b <a href="/q?a=1&amp;b=2">q</a></p>)", base));
  // Text that only looks like an attribute is not one.
  EXPECT_EQ("<p>href=\"/x\"</p>", AbsolutizeUrls("<p>href=\"/x\"</p>", base));
}

TEST(LinksTest, AbsolutizeRewritesTenThousandFlatLinks) {
  std::string html;
  for (int i = 0; i < 10000; ++i)
    html += "<li><a href=\"/s/" + std::to_string(i) + "\">s</a></li>\n";
  const std::string out = AbsolutizeUrls(html, "https://e.org/");
  std::size_t count = 0;
  for (std::size_t at = out.find("https://e.org/s/"); at != std::string::npos;
       at = out.find("https://e.org/s/", at + 1)) {
    ++count;
  }
  EXPECT_EQ(10000u, count);
}

TEST(LinksTest, AbsolutizeLeavesDeeplyNestedMarkupAsWritten) {
  // Gumbo would take seconds on this (its cost grows with depth squared).
  std::string html;
  for (int i = 0; i < 100000; ++i) html += "<div>";
  html += "<a href=\"/x\">x</a>";
  EXPECT_EQ(html, AbsolutizeUrls(html, "https://e.org/"));
}

TEST(LinksTest, PercentEncodingKeepsUnreservedCharactersAndSlashes) {
  EXPECT_EQ("category/world-news/feed", PercentEncodePath("category/world-news/feed"));
  EXPECT_EQ("a%20b/%D0%BA%D1%83%D0%BB%D1%8C%D1%82%D1%83%D1%80%D0%B0",
            PercentEncodePath("a b/культура"));
  EXPECT_EQ("100%25%3F%23", PercentEncodePath("100%?#"));  // a % is data, not an escape
}

TEST(LinksTest, ArticlePagesAreUnderArticlesWithTheSlugEncoded) {
  SiteInfo site;
  site.base_url = "https://e.org/news/";
  Article a;
  a.id = "x";
  a.slug = "ferry timetable";
  EXPECT_EQ("https://e.org/news/articles/ferry%20timetable.html", ArticlePageUrl(a, site));
  EXPECT_EQ(ArticlePageUrl(a, site), ItemLink(a, site));
}

TEST(LinksTest, AbsoluteUrlsAreParsedIncludingTheIrisOperatorsWrite) {
  const std::optional<UrlParts> parts = ParseUrl("https://news.example.org:8443/feeds/?x=1");
  ASSERT_TRUE(parts.has_value());
  EXPECT_EQ("news.example.org", parts->host);
  EXPECT_EQ("/feeds/", parts->path);
  EXPECT_EQ("/", ParseUrl("https://e.org")->path);
  EXPECT_EQ("/культура/", UrlPath("https://e.org/культура/"));
  EXPECT_FALSE(ParseUrl("/relative/path").has_value());
  EXPECT_FALSE(ParseUrl("not a url").has_value());
  EXPECT_EQ("/", UrlPath("not a url"));
}

// RFC 3986 §5.4: the results that keep resolution on libcurl, since
// Boost.URL 1.81 keeps ".." above the root and the base's fragment.
TEST(LinksTest, ReferencesResolveAsRfc3986Says) {
  const std::string base = "http://a/b/c/d;p?q";
  EXPECT_EQ("http://a/b/c/g", ResolveUrl(base, "g"));
  EXPECT_EQ("http://a/g", ResolveUrl(base, "/g"));
  EXPECT_EQ("http://g/", ResolveUrl(base, "//g"));  // "http://g", with the empty path as "/"
  EXPECT_EQ("http://a/b/c/d;p?y", ResolveUrl(base, "?y"));
  EXPECT_EQ("http://a/b/c/g;x?y#s", ResolveUrl(base, "g;x?y#s"));
  EXPECT_EQ("http://a/b/g", ResolveUrl(base, "../g"));
  EXPECT_EQ("http://a/g", ResolveUrl(base, "../../../g"));
  EXPECT_EQ("http://a/g", ResolveUrl(base, "../../../../g"));
  EXPECT_EQ("http://a/b/c/g", ResolveUrl(base, "./g"));
  EXPECT_EQ("https://e.org/x/y?q=1", ResolveUrl("https://e.org/x/y?p#frag", "?q=1"));
  // Left as they are: other schemes, fragments, and no usable base.
  EXPECT_EQ("mailto:a@b.c", ResolveUrl(base, "mailto:a@b.c"));
  EXPECT_EQ("#top", ResolveUrl(base, "#top"));
  EXPECT_EQ("g", ResolveUrl("not a url", "g"));
  // A space, as writers type it, is encoded.
  EXPECT_EQ("https://e.org/news/b%20c.jpg", ResolveUrl("https://e.org/news/1", "b c.jpg"));
}

TEST(LinksTest, SlugifyKeepsLettersAndDigits) {
  EXPECT_EQ("world-news", Slugify("  World  News! "));
  EXPECT_EQ("культура", Slugify("культура"));
  EXPECT_EQ("", Slugify("!!"));
}

TEST(LinksTest, ImageSourcesAreReadAsABrowserReadsThem) {
  EXPECT_EQ((std::vector<std::string>{"a.png", "b c.jpg", "x&y.gif"}),
            ImageSources("<p><IMG SRC=a.png alt=x><img src='b c.jpg'>"
                         "<a href=\"not-an-image.png\">l</a><img src=\"x&amp;y.gif\">"
                         "<script>var s = '<img src=no.png>';</script></p>"));
  EXPECT_TRUE(ImageSources("<p>no images</p>").empty());
}

}  // namespace
}  // namespace feedd
