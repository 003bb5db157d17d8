#include "feeds/render/content_links.h"

#include <gtest/gtest.h>

namespace feedd {
namespace {

TEST(ContentLinksTest, AbsolutizeLeavesAbsoluteAndFragmentUrlsAlone) {
  const std::string html =
      R"(<a href="https://other.org/x">a</a><a href="#top">b</a><a href="mailto:a@b.c">c</a>)";
  EXPECT_EQ(html, PrepareBody(html, "https://e.org/news/1"));
}

TEST(ContentLinksTest, AbsolutizeFindsAttributesAsABrowserDoes) {
  const std::string base = "https://e.org/news/1";
  EXPECT_EQ(R"(<a HREF="https://e.org/x">a</a>)", PrepareBody(R"(<a HREF="/x">a</a>)", base));
  EXPECT_EQ(R"(<img src="https://e.org/news/p.jpg">)", PrepareBody("<img src=p.jpg>", base));
  EXPECT_EQ(R"(<img src="https://e.org/news/p.jpg" alt='x'>)",
            PrepareBody("<img src='p.jpg' alt='x'>", base));
  // A decoded "&" goes back as a reference; other bytes are untouched.
  EXPECT_EQ(R"(<p>a &amp; b <a href="https://e.org/q?a=1&amp;b=2">q</a></p>)",
            PrepareBody(R"(<p>a &amp; b <a href="/q?a=1&amp;b=2">q</a></p>)", base));
  // Text that only looks like an attribute is not one.
  EXPECT_EQ("<p>href=\"/x\"</p>", PrepareBody("<p>href=\"/x\"</p>", base));
}

TEST(ContentLinksTest, AbsolutizeRewritesTenThousandFlatLinks) {
  std::string html;
  for (int i = 0; i < 10000; ++i)
    html += "<li><a href=\"/s/" + std::to_string(i) + "\">s</a></li>\n";
  const std::string out = PrepareBody(html, "https://e.org/");
  std::size_t count = 0;
  for (std::size_t at = out.find("https://e.org/s/"); at != std::string::npos;
       at = out.find("https://e.org/s/", at + 1)) {
    ++count;
  }
  EXPECT_EQ(10000u, count);
}

TEST(ContentLinksTest, DeeplyNestedMarkupIsPublishedAsText) {
  // Gumbo would take seconds on this (its cost grows with depth squared),
  // and markup not read cannot be known safe.
  std::string html;
  for (int i = 0; i < 100000; ++i) html += "<div>";
  html += "<a href=\"/x\" onclick=\"steal()\">x</a>";
  const std::string out = PrepareBody(html, "https://e.org/");
  EXPECT_EQ(std::string::npos, out.find("<div>"));
  EXPECT_EQ(std::string::npos, out.find("<a "));
  EXPECT_NE(std::string::npos, out.find("&lt;a href"));
}

TEST(ContentLinksTest, NothingThatRunsCodeIsPublished) {
  const std::string base = "https://e.org/news/1";
  EXPECT_EQ("<p>a</p><p>b</p>", PrepareBody("<p>a</p><script>alert(1)</script><p>b</p>", base));
  EXPECT_EQ("<p>a</p>", PrepareBody("<p>a</p><SCRIPT src=x.js></SCRIPT>", base));
  EXPECT_EQ("<p>a</p>", PrepareBody("<p>a</p><script>never closed", base));
  EXPECT_EQ("<p>x</p>", PrepareBody("<p>x</p><object data=a.swf></object><embed src=b.swf>", base));
  EXPECT_EQ("<p>x</p>", PrepareBody("<base href=\"https://evil.org/\"><p>x</p>", base));
  EXPECT_EQ("<p>x</p>", PrepareBody("<meta http-equiv=refresh content=\"0;url=x\"><p>x</p>", base));
  EXPECT_EQ("<img src=\"https://e.org/news/p.jpg\" >",
            PrepareBody("<img src=p.jpg onerror=\"steal()\">", base));
  EXPECT_EQ("<a >x</a>", PrepareBody("<a href=\"javascript:steal()\">x</a>", base));
  EXPECT_EQ("<a >x</a>", PrepareBody("<a href=\" JaVa&#x09;Script:steal()\">x</a>", base));
  EXPECT_EQ("<a >x</a>", PrepareBody("<a href=\"data:text/html,<script>1</script>\">x</a>", base));
  EXPECT_EQ("<iframe ></iframe>",
            PrepareBody("<iframe srcdoc=\"<script>1</script>\"></iframe>", base));
  EXPECT_EQ("<svg><a >x</a></svg>",
            PrepareBody("<svg><a xlink:href=\"javascript:1\">x</a></svg>", base));
  // What is safe stays as written.
  const std::string fine = R"(<p><img src="data:image/png;base64,iVBORw0KGgo=" alt="dot"></p>)";
  EXPECT_EQ(fine, PrepareBody(fine, base));
  EXPECT_EQ("<p>on stage</p>", PrepareBody("<p>on stage</p>", base));
  EXPECT_EQ("<a >x</a>", PrepareBody("<a href=\"data:image/svg+xml,<svg onload=1>\">x</a>", base));
}

TEST(ContentLinksTest, SrcsetCandidatesAreMadeAbsolute) {
  const std::string base = "https://e.org/news/1";
  EXPECT_EQ(
      R"(<img srcset="https://e.org/news/a.jpg 1x, https://e.org/b.jpg 2x" src="https://e.org/news/a.jpg">)",
      PrepareBody(R"(<img srcset="a.jpg 1x, /b.jpg 2x" src="a.jpg">)", base));
  EXPECT_EQ(
      R"(<picture><source srcset="https://e.org/news/w.webp 640w, https://cdn.org/x.webp 1280w"></picture>)",
      PrepareBody(
          R"(<picture><source srcset="w.webp 640w,https://cdn.org/x.webp 1280w"></picture>)",
          base));
  EXPECT_EQ(
      (std::vector<std::string>{"a.jpg", "/b.jpg", "c.jpg", "w.webp"}),
      ImageSources(
          R"(<img srcset="a.jpg 1x, /b.jpg 2x" src="c.jpg"><picture><source srcset="w.webp"></picture>)"));
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
