#include "feeds/article_parser.h"

#include <gtest/gtest.h>

namespace feedd {
namespace {

TEST(ArticleParserTest, FormatFollowsExtension) {
  EXPECT_EQ(ArticleFormat::kAgencyText, FormatForPath("a.txt"));
  EXPECT_EQ(ArticleFormat::kAgencyText, FormatForPath("world/A.TXT"));
  EXPECT_EQ(ArticleFormat::kMarkdown, FormatForPath("b.md"));
  EXPECT_EQ(ArticleFormat::kMarkdown, FormatForPath("x/b.markdown"));
}

TEST(ArticleParserTest, IgnoresDotfilesEditorFilesAndUnknownExtensions) {
  for (const char* path :
       {".hidden.txt", ".git/x.txt", "world/.x.md", "a.txt~", "a.txt.swp", ".a.txt.swp", "a.tmp",
        "a.txt.part", "#a.txt#", "a.html", "a.jpg", "noextension"}) {
    EXPECT_EQ(ArticleFormat::kIgnored, FormatForPath(path)) << path;
  }
}

ParsedFile Parse(const std::string& path, const std::string& bytes) {
  return ParseArticleFile(path, bytes, ParseOptions{});
}

TEST(ArticleParserTest, EmptyFileIsError) {
  const ParsedFile f = Parse("e.txt", " \n\n");
  EXPECT_FALSE(f.article);
  ASSERT_EQ(1u, f.problems.size());
  EXPECT_EQ("e.txt: file is empty", f.problems[0].ToString());
}

TEST(ArticleParserTest, BinaryFileIsError) {
  const ParsedFile f = Parse("b.txt", std::string("GIF89a\0\0\x01", 9));
  EXPECT_FALSE(f.article);
  ASSERT_EQ(1u, f.problems.size());
  EXPECT_EQ("b.txt: binary file (it contains NUL bytes), not an article", f.problems[0].ToString());
}

TEST(ArticleParserTest, OversizedFileIsError) {
  ParseOptions options;
  options.max_file_size = 10;
  const ParsedFile f = ParseArticleFile("big.txt", "Title\n\nBody text.\n", options);
  EXPECT_FALSE(f.article);
  ASSERT_EQ(1u, f.problems.size());
  EXPECT_EQ("big.txt: file is over the size limit of 10 bytes (articles.max_file_size)",
            f.problems[0].ToString());
}

TEST(ArticleParserTest, InvalidUtf8IsRepairedWithWarningNamingLine) {
  const ParsedFile f = Parse("u.txt", "Title\n\nBad \xFF\xFE bytes.\n");
  ASSERT_TRUE(f.article);
  EXPECT_EQ("<p>Bad \xEF\xBF\xBD bytes.</p>", f.article->content_html);
  ASSERT_EQ(1u, f.problems.size());
  EXPECT_EQ("u.txt:3: warning: invalid UTF-8 replaced with U+FFFD on line(s) 3",
            f.problems[0].ToString());
}

TEST(ArticleParserTest, ForbiddenControlCharactersRemovedWithWarning) {
  const ParsedFile f = Parse("c.txt",
                             "Ti\x01tle\n\nA\x0B"
                             "B\x1F.\n");
  ASSERT_TRUE(f.article);
  EXPECT_EQ("Title", f.article->title);
  EXPECT_EQ("<p>AB.</p>", f.article->content_html);
  ASSERT_EQ(1u, f.problems.size());
  EXPECT_EQ(Severity::kWarning, f.problems[0].severity);
  EXPECT_EQ("c.txt:1: warning: control characters XML does not allow removed on line(s) 1, 3",
            f.problems[0].ToString());
}

TEST(ArticleParserTest, CrlfLineEndsAreRead) {
  const ParsedFile f = Parse("w.txt", "Title\r\n\r\nName Reporter\r\n\r\nBody.\r\n");
  ASSERT_TRUE(f.article);
  EXPECT_EQ("Title", f.article->title);
  EXPECT_EQ("<p>Body.</p>", f.article->content_html);
}

TEST(ArticleParserTest, CategoryFromFirstSubfolder) {
  const ParsedFile f = Parse("world/europe/a.txt", "Title\n\nBody.\n");
  ASSERT_TRUE(f.article);
  EXPECT_EQ((std::vector<std::string>{"world"}), f.article->categories);
}

TEST(ArticleParserTest, FrontMatterCategoryWinsOverFolder) {
  const ParsedFile f = Parse("world/a.md", "---\ntitle: T\ncategories: [Sport]\n---\nBody.\n");
  ASSERT_TRUE(f.article);
  EXPECT_EQ((std::vector<std::string>{"Sport"}), f.article->categories);
}

TEST(ArticleParserTest, FileAtTopLevelHasNoCategory) {
  const ParsedFile f = Parse("a.txt", "Title\n\nBody.\n");
  ASSERT_TRUE(f.article);
  EXPECT_TRUE(f.article->categories.empty());
}

}  // namespace
}  // namespace feedd
