#include "feeds/parse/agency_text_parser.h"

#include <gtest/gtest.h>

namespace feedd {
namespace {

// An article in the agency export's shape, written for these tests.
constexpr const char* kArticle =
    "Ferry Service Resumes After Winter Storms\n"
    "\n"
    "4821\n"
    "Jonas Eklund Senior Editor\n"
    "Photo by: Port Authority\n"
    "\n"
    "The island ferry sailed again on Monday after storms kept it in port for nine days.\n"
    "\n"
    "Crews repaired the landing ramp over the weekend, the operator said.\n"
    "\n"
    "A timetable for the holidays\n"
    "\n"
    "Extra crossings will run on the last two Fridays of December.\n"
    "\n"
    "Example Agency is registered with the Ministry of Information.\n"
    "Theme\n";

AgencyRules Rules() {
  AgencyRules rules;
  std::size_t bad;
  std::string error;
  EXPECT_TRUE(rules.boilerplate.SetCutFrom({"^Example Agency is registered"}, &bad, &error));
  return rules;
}

Article Parse(const std::string& text, const AgencyRules& rules = Rules()) {
  Problems problems;
  auto article = ParseAgencyText(text, "a.txt", rules, ParseDepth::kFull, &problems);
  EXPECT_TRUE(article.has_value());
  EXPECT_TRUE(problems.empty()) << (problems.empty() ? "" : problems[0].ToString());
  return article.value_or(Article{});
}

TEST(AgencyTextParserTest, TitleIsFirstNonEmptyLine) {
  EXPECT_EQ("Ferry Service Resumes After Winter Storms",
            Parse(std::string("\n\n") + kArticle).title);
}

TEST(AgencyTextParserTest, ViewCounterLineIsNotContent) {
  const Article a = Parse(kArticle);
  EXPECT_EQ(std::string::npos, a.content_html.find("4821"));
  EXPECT_EQ(std::string::npos, a.summary.find("4821"));
}

TEST(AgencyTextParserTest, BylineEndingInKnownRoleSplitsNameAndRole) {
  const Article a = Parse(kArticle);
  ASSERT_EQ(1u, a.authors.size());
  EXPECT_EQ("Jonas Eklund", a.authors[0]);
  EXPECT_EQ("Senior Editor", a.author_role);  // the longest role wins over "Editor"
}

TEST(AgencyTextParserTest, BylineWithoutKnownRoleIsAllName) {
  const Article a = Parse("Title here\n\nMaria Costa\n\nA first paragraph that ends.\n");
  ASSERT_EQ(1u, a.authors.size());
  EXPECT_EQ("Maria Costa", a.authors[0]);
  EXPECT_EQ("", a.author_role);
}

TEST(AgencyTextParserTest, RoleListIsConfigurable) {
  AgencyRules rules;
  rules.roles = {"Night Desk"};
  const Article a =
      Parse("Title here\n\nMaria Costa Night Desk\n\nA paragraph that ends.\n", rules);
  EXPECT_EQ("Maria Costa", a.authors.at(0));
  EXPECT_EQ("Night Desk", a.author_role);
}

TEST(AgencyTextParserTest, SplitBylineDropsLeadingByAndCommas) {
  std::string name, role;
  SplitByline("By Ada Lind, Correspondent", {"Correspondent"}, &name, &role);
  EXPECT_EQ("Ada Lind", name);
  EXPECT_EQ("Correspondent", role);
}

TEST(AgencyTextParserTest, PhotoByLineIsImageCredit) {
  EXPECT_EQ("Port Authority", Parse(kArticle).image_credit);
}

TEST(AgencyTextParserTest, PhotoColonLineIsImageCredit) {
  const Article a = Parse("Title here\n\nPhoto: Jane Roe\n\nA paragraph that ends.\n");
  EXPECT_EQ("Jane Roe", a.image_credit);
  EXPECT_TRUE(a.authors.empty());
}

TEST(AgencyTextParserTest, KeyValueHeaderLinesAreMetadata) {
  const Article a = Parse(
      "Title here\n\nDate: 2026-03-01T10:00:00Z\nTags: ports, weather\nCategory: Local\n"
      "Image: /img/ferry.jpg\nLanguage: sv\n\nA paragraph that ends.\n");
  EXPECT_EQ(1772359200, a.date.value_or(0));
  EXPECT_EQ((std::vector<std::string>{"ports", "weather"}), a.tags);
  EXPECT_EQ((std::vector<std::string>{"Local"}), a.categories);
  EXPECT_EQ("/img/ferry.jpg", a.image_url);
  EXPECT_EQ("sv", a.language);
  EXPECT_EQ("<p>A paragraph that ends.</p>", a.content_html);
}

TEST(AgencyTextParserTest, BadDateHeaderIsErrorNamingLine) {
  Problems problems;
  auto a = ParseAgencyText("Title\n\nDate: next Tuesday\n\nA paragraph.\n", "x.txt", Rules(),
                           ParseDepth::kFull, &problems);
  EXPECT_FALSE(a.has_value());
  ASSERT_EQ(1u, problems.size());
  EXPECT_EQ("x.txt:3: header 'Date' is not a date: 'next Tuesday'", problems[0].ToString());
}

TEST(AgencyTextParserTest, ShortUnpunctuatedLineBeforeParagraphBecomesSubheading) {
  const Article a = Parse(kArticle);
  EXPECT_NE(std::string::npos, a.content_html.find("<h2>A timetable for the holidays</h2>"));
}

TEST(AgencyTextParserTest, SubheadingWordLimitIsConfigurable) {
  AgencyRules rules = Rules();
  rules.subheading_max_words = 3;
  const Article a = Parse(kArticle, rules);
  EXPECT_EQ(std::string::npos, a.content_html.find("<h2>"));
  EXPECT_NE(std::string::npos, a.content_html.find("<p>A timetable for the holidays</p>"));
}

TEST(AgencyTextParserTest, ShortLastLineIsNotSubheading) {
  const Article a = Parse("Title\n\nA paragraph that ends.\n\nSigned off\n");
  EXPECT_EQ("<p>A paragraph that ends.</p>\n<p>Signed off</p>", a.content_html);
}

TEST(AgencyTextParserTest, SummaryIsLeadParagraph) {
  EXPECT_EQ("The island ferry sailed again on Monday after storms kept it in port for nine days.",
            Parse(kArticle).summary);
}

TEST(AgencyTextParserTest, CutFromDropsMatchingLineAndEverythingAfter) {
  const Article a = Parse(kArticle);
  EXPECT_EQ(std::string::npos, a.content_html.find("registered"));
  EXPECT_EQ(std::string::npos, a.content_html.find("Theme"));
}

TEST(AgencyTextParserTest, DropLinesRemovesOnlyMatchingLines) {
  AgencyRules rules;
  std::size_t bad;
  std::string error;
  ASSERT_TRUE(rules.boilerplate.SetDropLines({"^Share$"}, &bad, &error));
  const Article a = Parse("Title\n\nFirst paragraph.\n\nShare\n\nLast paragraph.\n", rules);
  EXPECT_EQ("<p>First paragraph.</p>\n<p>Last paragraph.</p>", a.content_html);
}

TEST(AgencyTextParserTest, WithoutRulesBoilerplateStays) {
  const Article a = Parse(kArticle, AgencyRules{});
  EXPECT_NE(std::string::npos, a.content_html.find("registered"));
}

TEST(AgencyTextParserTest, ContentIsEscapedHtml) {
  const Article a = Parse("Title\n\nSmith & Sons <b>bold</b> said \"yes\".\n");
  EXPECT_EQ("<p>Smith &amp; Sons &lt;b&gt;bold&lt;/b&gt; said \"yes\".</p>", a.content_html);
}

TEST(AgencyTextParserTest, LinesOfOneParagraphAreJoined) {
  const Article a = Parse("Title\n\nFirst half of a sentence\nand its second half.\n");
  EXPECT_EQ("<p>First half of a sentence and its second half.</p>", a.content_html);
}

TEST(AgencyTextParserTest, YamlFrontMatterWinsOverInferredFields) {
  const Article a = Parse(
      "---\ntitle: Chosen Title\nauthor: Front Matter Author\nid: chosen-id\n"
      "categories: [Harbour]\n---\n" +
      std::string(kArticle));
  EXPECT_EQ("Chosen Title", a.title);
  EXPECT_EQ((std::vector<std::string>{"Front Matter Author"}), a.authors);
  EXPECT_EQ("chosen-id", a.explicit_id);
  EXPECT_EQ((std::vector<std::string>{"Harbour"}), a.categories);
  EXPECT_EQ("Port Authority", a.image_credit);  // not in the front matter: inferred
}

TEST(AgencyTextParserTest, NoTitleIsErrorNamingLine) {
  Problems problems;
  EXPECT_FALSE(
      ParseAgencyText("---\nid: x\n---\n\n\n", "x.txt", Rules(), ParseDepth::kFull, &problems));
  ASSERT_EQ(1u, problems.size());
  EXPECT_EQ("x.txt:4: article has no title", problems[0].ToString());
}

TEST(AgencyTextParserTest, TomlFrontMatterIsRejected) {
  Problems problems;
  EXPECT_FALSE(ParseAgencyText("+++\ntitle = 'x'\n+++\nTitle\n", "x.txt", Rules(),
                               ParseDepth::kFull, &problems));
  ASSERT_EQ(1u, problems.size());
  EXPECT_EQ(1, problems[0].line);
}

TEST(AgencyTextParserTest, OneParagraphArticleKeepsItsParagraph) {
  const Article a = Parse("Title\n\nShort body line\n");
  EXPECT_TRUE(a.authors.empty());
  EXPECT_EQ("<p>Short body line</p>", a.content_html);
}

TEST(AgencyTextParserTest, MetadataDepthSkipsTheBodyButHashesIt) {
  Problems problems;
  auto meta = ParseAgencyText(kArticle, "a.txt", Rules(), ParseDepth::kMetadata, &problems);
  auto full = ParseAgencyText(kArticle, "a.txt", Rules(), ParseDepth::kFull, &problems);
  ASSERT_TRUE(meta && full);
  EXPECT_TRUE(meta->content_html.empty());
  EXPECT_TRUE(meta->summary.empty());
  EXPECT_FALSE(full->content_html.empty());
  EXPECT_EQ(meta->title, full->title);
  EXPECT_EQ(meta->authors, full->authors);
  EXPECT_EQ(meta->body_hash, full->body_hash);
  EXPECT_EQ(ContentHash(*meta), ContentHash(*full));
}

TEST(AgencyTextParserTest, BodyHashIgnoresViewCounterAndBoilerplateButNotWords) {
  const Article a =
      Parse("Title\n\n120\nAnn Lee Reporter\n\nBody one.\n\nExample Agency is registered\n");
  const Article b =
      Parse("Title\n\n987\nAnn Lee Reporter\n\nBody one.\n\nExample Agency is registered, v2\n");
  const Article c =
      Parse("Title\n\n120\nAnn Lee Reporter\n\nBody two.\n\nExample Agency is registered\n");
  EXPECT_EQ(a.body_hash, b.body_hash);
  EXPECT_NE(a.body_hash, c.body_hash);
}

TEST(AgencyTextParserTest, AMegabyteOnOneLineParses) {
  const std::string line(1 << 20, 'x');
  const Article a = Parse("Title\n\n" + line + ".\n");
  EXPECT_EQ("Title", a.title);
  EXPECT_EQ(line.size() + 1 + 7, a.content_html.size());  // <p>...</p>
}

}  // namespace
}  // namespace feedd
