#include "feeds/core/urls.h"

#include <gtest/gtest.h>

namespace feedd {
namespace {

TEST(UrlsTest, PercentEncodingKeepsUnreservedCharactersAndSlashes) {
  EXPECT_EQ("category/world-news/feed", PercentEncodePath("category/world-news/feed"));
  EXPECT_EQ("a%20b/%D0%BA%D1%83%D0%BB%D1%8C%D1%82%D1%83%D1%80%D0%B0",
            PercentEncodePath("a b/культура"));
  EXPECT_EQ("100%25%3F%23", PercentEncodePath("100%?#"));  // a % is data, not an escape
}

TEST(UrlsTest, AbsoluteUrlsAreParsedIncludingTheIrisOperatorsWrite) {
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
TEST(UrlsTest, ReferencesResolveAsRfc3986Says) {
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

}  // namespace
}  // namespace feedd
