#include "feeds/parse/article_parser.h"

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

TEST(ArticleParserTest, NotUtf8IsDecodedFromTheConfiguredCharset) {
  ParseOptions options;
  options.fallback_encoding = "WINDOWS-1252";
  const ParsedFile f =
      ParseArticleFile("u.txt", "Caf\xE9 Opens\n\nThe caf\xE9 opened \x96 at last.\n", options);
  ASSERT_TRUE(f.article);
  EXPECT_EQ("Caf\xC3\xA9 Opens", f.article->title);
  EXPECT_EQ("<p>The caf\xC3\xA9 opened \xE2\x80\x93 at last.</p>", f.article->content_html);
  ASSERT_EQ(1u, f.problems.size());
  EXPECT_EQ("u.txt: warning: not UTF-8: read as WINDOWS-1252 (articles.fallback_encoding)",
            f.problems[0].ToString());
}

TEST(ArticleParserTest, NotUtf8IsDecodedFromTheDetectedCharset) {
  // Windows-1251, as legacy Cyrillic exports are saved.
  const std::string cp1251 =
      "\xC2 \xE3\xEE\xF0\xEE\xE4\xF1\xEA\xEE\xEC \xF2\xE5\xE0\xF2\xF0\xE5 "
      "\xEF\xEE\xEA\xE0\xE6\xF3\xF2 \xEE\xEF\xE5\xF0\xF3\n\n"
      "\xC2 \xF1\xF3\xE1\xE1\xEE\xF2\xF3 \xE2 \xE3\xEE\xF0\xEE\xE4\xF1\xEA\xEE\xEC "
      "\xF2\xE5\xE0\xF2\xF0\xE5 \xF1\xEE\xF1\xF2\xEE\xE8\xF2\xF1\xFF "
      "\xEF\xF0\xE5\xEC\xFC\xE5\xF0\xE0 \xEE\xEF\xE5\xF0\xFB \xEC\xE5\xF1\xF2\xED"
      "\xEE\xE3\xEE \xEA\xEE\xEC\xEF\xEE\xE7\xE8\xF2\xEE\xF0\xE0.\n";
  const ParsedFile f = Parse("ru.txt", cp1251);
  ASSERT_TRUE(f.article);
  EXPECT_EQ("В городском театре покажут оперу", f.article->title);
  ASSERT_EQ(1u, f.problems.size());
  EXPECT_EQ(
      "ru.txt: warning: not UTF-8: read as WINDOWS-1251 (detected; set "
      "articles.fallback_encoding to choose)",
      f.problems[0].ToString());
}

TEST(ArticleParserTest, CharactersDecodedFromReferencesAndEscapesAreCleanedToo) {
  const ParsedFile md = Parse("r.md",
                              "---\ntitle: \"Bad \\uFFFE title\\x85\"\n---\n\n"
                              "A &#xFFFF; and &#x85; and &#xFDD0; paragraph.\n");
  ASSERT_TRUE(md.article);
  EXPECT_EQ("Bad  title", md.article->title);
  EXPECT_EQ("<p>A  and  and  paragraph.</p>", md.article->content_html);
  ASSERT_EQ(1u, md.problems.size());
  EXPECT_EQ(Severity::kWarning, md.problems[0].severity);
}

TEST(ArticleParserTest, ReferencesToSurrogatesAndNulLeaveNoReplacementCharacter) {
  // CommonMark and HTML turn these into U+FFFD; a feed carries neither.
  const ParsedFile md = Parse("r.md", "---\ntitle: Refs\n---\n\nA &#xD800; and &#0; end.\n");
  ASSERT_TRUE(md.article);
  EXPECT_EQ("<p>A  and  end.</p>", md.article->content_html);
  EXPECT_EQ("A  and  end.", md.article->summary);
  ASSERT_EQ(1u, md.problems.size());
  EXPECT_EQ(Severity::kWarning, md.problems[0].severity);
}

TEST(ArticleParserTest, AnyExceptionFromAParserIsAProblemForThatFile) {
  // yaml-cpp throws on a key that is not a scalar.
  const ParsedFile f = Parse("k.md", "---\n? :\n---\nBody.\n");
  EXPECT_FALSE(f.article);
  ASSERT_FALSE(f.problems.empty());
  EXPECT_EQ(Severity::kError, f.problems.back().severity);
  EXPECT_EQ("k.md", f.problems.back().file);
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
  EXPECT_EQ(
      "c.txt:1: warning: control characters, noncharacters and U+FFFD removed on line(s) 1, 3",
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
