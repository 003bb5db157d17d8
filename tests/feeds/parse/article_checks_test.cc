// Hostile article files: what a file cannot make feedd publish, whatever it
// holds (folder names that are not UTF-8, thousands of authors, scripts in
// URLs, slugs that climb out of articles/), read through the one entry
// point as the daemon reads them.

#include "feeds/parse/article_checks.h"

#include <gtest/gtest.h>

#include "feeds/parse/article_parser.h"
#include "feeds/parse/text_sanitizer.h"

namespace feedd {
namespace {

bool Mentions(const Problems& problems, const std::string& text) {
  for (const Problem& p : problems) {
    if (p.ToString().find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(ArticleChecksTest, ALatin1FolderNameBecomesUtf8Text) {
  ParseOptions options;
  options.fallback_encoding = "ISO-8859-1";
  const ParsedFile f = ParseArticleFile(
      "\xE9"
      "conomie/a.txt",
      "Harbour fees rise\n\nThe port raised its fees.\n", options);
  ASSERT_TRUE(f.article);
  ASSERT_EQ(1u, f.article->categories.size());
  EXPECT_EQ(
      "\xC3\xA9"
      "conomie",
      f.article->categories[0]);
  EXPECT_TRUE(f.article->categories_from_folder);
  EXPECT_TRUE(Mentions(f.problems, "folder's name is not UTF-8"));
}

TEST(ArticleChecksTest, AFolderNameNoFeedCanCarryIsCleaned) {
  // U+FFFE, a noncharacter XML forbids, and invalid UTF-8 without a
  // charset that decodes it.
  bool repaired = false;
  const std::string category = FolderCategory("news\xEF\xBF\xBE/a.txt", ParseOptions{}, &repaired);
  EXPECT_EQ("news", category);
  EXPECT_TRUE(repaired);
  EXPECT_TRUE(IsCleanText(category));
  EXPECT_EQ("world", FolderCategory("world/a.txt", ParseOptions{}, &repaired));
  EXPECT_FALSE(repaired);
  EXPECT_EQ("", FolderCategory("a.txt", ParseOptions{}, &repaired));
}

TEST(ArticleChecksTest, AuthorsCategoriesAndTagsAreLimited) {
  std::string authors, categories;
  for (int i = 0; i < 2000; ++i) {
    authors += (i ? ", " : "") + std::string("Writer ") + std::to_string(i);
    categories += (i ? ", " : "") + std::string("c") + std::to_string(i);
  }
  const std::string file = "---\ntitle: Crowd\nauthors: [" + authors + "]\ncategories: [" +
                           categories + "]\n---\nBody.\n";
  ParseOptions options;
  options.max_authors = 3;
  const ParsedFile f = ParseArticleFile("crowd.md", file, options);
  ASSERT_TRUE(f.article);
  EXPECT_EQ(3u, f.article->authors.size());
  EXPECT_EQ("Writer 0", f.article->authors[0]);
  EXPECT_EQ(20u, f.article->categories.size());
  EXPECT_TRUE(Mentions(f.problems,
                       "crowd.md: warning: 2000 authors: only the first 3 are published "
                       "(articles.max_authors)"));
  EXPECT_TRUE(Mentions(f.problems, "(articles.max_categories)"));
}

TEST(ArticleChecksTest, OnlyHttpAndRelativeUrlsMayBeALinkOrImage) {
  for (const char* url :
       {"https://e.org/x", "http://e.org/x", "/x", "pics/a.jpg", "//cdn.org/a", "?q=1", "#top"}) {
    EXPECT_TRUE(AllowedArticleUrl(url)) << url;
  }
  for (const char* url :
       {"javascript:alert(1)", "JavaScript:alert(1)", " javascript:x", "java\tscript:x",
        "data:text/html,x", "vbscript:x", "file:///etc/passwd"}) {
    EXPECT_FALSE(AllowedArticleUrl(url)) << url;
  }
  const ParsedFile f =
      ParseArticleFile("x.md",
                       "---\ntitle: T\nlink: \"javascript:alert(document.domain)\"\nimage: "
                       "'data:text/html,<b>'\n---\nB.\n",
                       ParseOptions{});
  ASSERT_TRUE(f.article);
  EXPECT_EQ("", f.article->link);
  EXPECT_EQ("", f.article->image_url);
  EXPECT_TRUE(Mentions(f.problems,
                       "x.md: warning: link \"javascript:alert(document.domain)\" is not an "
                       "http(s) or relative URL: ignored"));
  EXPECT_TRUE(Mentions(f.problems, "image \"data:text/html,<b>\""));
}

TEST(ArticleChecksTest, ASlugThatWouldLeaveArticlesIsRefused) {
  for (const char* slug : {"../feed.rss", "a/../../b", "./x", "a//b", "a\\\\b", "/abs"}) {
    const ParsedFile f = ParseArticleFile(
        "s.md", std::string("---\ntitle: T\nslug: \"") + slug + "\"\n---\nB.\n", ParseOptions{});
    ASSERT_TRUE(f.article) << slug;
    EXPECT_EQ("", f.article->slug) << slug;
    EXPECT_TRUE(Mentions(f.problems, "would leave articles/")) << slug;
  }
  const ParsedFile fine =
      ParseArticleFile("s.md", "---\ntitle: T\nslug: 2026/ferry-times\n---\nB.\n", ParseOptions{});
  EXPECT_EQ("2026/ferry-times", fine.article->slug);
  EXPECT_TRUE(fine.problems.empty());
}

}  // namespace
}  // namespace feedd
