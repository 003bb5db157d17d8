#include "feeds/render/content_links.h"

#include <gtest/gtest.h>

namespace feedd {
namespace {

TEST(ContentLinksTest, AbsolutizeLeavesAbsoluteAndFragmentUrlsAlone) {
  const std::string html =
      R"(<a href="https://other.org/x">a</a><a href="#top">b</a><a href="mailto:a@b.c">c</a>)";
  EXPECT_EQ(html, AbsolutizeUrls(html, "https://e.org/news/1"));
}

TEST(ContentLinksTest, AbsolutizeFindsAttributesAsABrowserDoes) {
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

TEST(ContentLinksTest, AbsolutizeRewritesTenThousandFlatLinks) {
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

TEST(ContentLinksTest, AbsolutizeLeavesDeeplyNestedMarkupAsWritten) {
  // Gumbo would take seconds on this (its cost grows with depth squared).
  std::string html;
  for (int i = 0; i < 100000; ++i) html += "<div>";
  html += "<a href=\"/x\">x</a>";
  EXPECT_EQ(html, AbsolutizeUrls(html, "https://e.org/"));
}

TEST(ContentLinksTest, ImageSourcesAreReadAsABrowserReadsThem) {
  EXPECT_EQ((std::vector<std::string>{"a.png", "b c.jpg", "x&y.gif"}),
            ImageSources("<p><IMG SRC=a.png alt=x><img src='b c.jpg'>"
                         "<a href=\"not-an-image.png\">l</a><img src=\"x&amp;y.gif\">"
                         "<script>var s = '<img src=no.png>';</script></p>"));
  EXPECT_TRUE(ImageSources("<p>no images</p>").empty());
}

}  // namespace
}  // namespace feedd
