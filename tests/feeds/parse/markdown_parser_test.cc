#include "feeds/parse/markdown_parser.h"

#include <gtest/gtest.h>

namespace feedd {
namespace {

Article Parse(const std::string& text) {
  Problems problems;
  auto article = ParseMarkdown(text, "post.md", ParseDepth::kFull, &problems);
  EXPECT_TRUE(problems.empty()) << (problems.empty() ? "" : problems[0].ToString());
  return article.value_or(Article{});
}

TEST(MarkdownParserTest, YamlFrontMatterTitleAndBodyRendered) {
  const Article a = Parse("---\ntitle: Hello\n---\nSome *emphasis* here.\n");
  EXPECT_EQ("Hello", a.title);
  EXPECT_EQ("<p>Some <em>emphasis</em> here.</p>", a.content_html);
}

TEST(MarkdownParserTest, TomlFrontMatterIsRead) {
  const Article a = Parse("+++\ntitle = \"Hi\"\ncategories = [\"Science\"]\n+++\nBody.\n");
  EXPECT_EQ("Hi", a.title);
  EXPECT_EQ((std::vector<std::string>{"Science"}), a.categories);
}

TEST(MarkdownParserTest, FirstParagraphTextIsSummaryWhenFrontMatterHasNone) {
  const Article a = Parse(
      "---\ntitle: T\n---\n## Heading\n\nFirst **bold** [link](/x) &amp; more\ntext.\n\n"
      "Second.\n");
  EXPECT_EQ("First bold link & more text.", a.summary);
}

TEST(MarkdownParserTest, SummaryDecodesEveryReferenceAndLeavesOutInlineTags) {
  // The summary is plain text: what a reader sees, not the source.
  const Article a =
      Parse("---\ntitle: T\n---\nCaf&eacute; &#8212; <b>bold</b> &#x41;<br/>&notanentity; end.\n");
  EXPECT_EQ("Caf\xC3\xA9 \xE2\x80\x94 bold A&notanentity; end.", a.summary);
}

TEST(MarkdownParserTest, FrontMatterSummaryWins) {
  EXPECT_EQ("Given.", Parse("---\ntitle: T\nsummary: Given.\n---\nFirst.\n").summary);
}

TEST(MarkdownParserTest, LeadingH1IsTitleWhenFrontMatterHasNone) {
  const Article a = Parse("# The Title #\n\nBody text.\n");
  EXPECT_EQ("The Title", a.title);
  EXPECT_EQ("<p>Body text.</p>", a.content_html);
}

TEST(MarkdownParserTest, GithubTablesAreRendered) {
  const Article a = Parse("# T\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
  EXPECT_NE(std::string::npos, a.content_html.find("<table>"));
}

TEST(MarkdownParserTest, NoTitleIsError) {
  Problems problems;
  EXPECT_FALSE(ParseMarkdown("---\ndate: 2026-01-01\n---\nJust text.\n", "p.md", ParseDepth::kFull,
                             &problems));
  ASSERT_EQ(1u, problems.size());
  EXPECT_EQ(4, problems[0].line);
  EXPECT_NE(std::string::npos, problems[0].message.find("article has no title"));
}

TEST(MarkdownParserTest, BrokenFrontMatterIsError) {
  Problems problems;
  EXPECT_FALSE(
      ParseMarkdown("---\ntitle: [unclosed\n---\nText.\n", "p.md", ParseDepth::kFull, &problems));
  ASSERT_EQ(1u, problems.size());
  EXPECT_EQ("p.md", problems[0].file);
  EXPECT_GT(problems[0].line, 0);
}

TEST(MarkdownParserTest, DraftIsRead) {
  EXPECT_TRUE(Parse("---\ntitle: T\ndraft: true\n---\nx\n").draft);
}

}  // namespace
}  // namespace feedd
