#include "feeds/parse/front_matter.h"

#include <gtest/gtest.h>

namespace feedd {
namespace {

TEST(FrontMatterTest, NoFenceMeansNoFrontMatter) {
  const FrontMatterSplit split = SplitFrontMatter("Title\n---\nbody\n");
  EXPECT_EQ(FrontMatterKind::kNone, split.kind);
  EXPECT_EQ("Title\n---\nbody\n", split.body);
}

TEST(FrontMatterTest, YamlFenceSplitsHeaderAndBody) {
  const FrontMatterSplit split = SplitFrontMatter("---\ntitle: A\n---\nBody\n");
  EXPECT_EQ(FrontMatterKind::kYaml, split.kind);
  EXPECT_EQ("title: A\n", split.header);
  EXPECT_EQ("Body\n", split.body);
  EXPECT_EQ(4, split.body_first_line);
}

TEST(FrontMatterTest, TomlFenceSplitsHeaderAndBody) {
  const FrontMatterSplit split = SplitFrontMatter("+++\ntitle = 'A'\n+++\nBody");
  EXPECT_EQ(FrontMatterKind::kToml, split.kind);
  EXPECT_EQ("Body", split.body);
}

TEST(FrontMatterTest, ByteOrderMarkBeforeFenceIsIgnored) {
  EXPECT_EQ(FrontMatterKind::kYaml, SplitFrontMatter("\xEF\xBB\xBF---\na: b\n---\n").kind);
}

TEST(FrontMatterTest, UnterminatedFenceIsError) {
  Problems problems;
  Article a;
  EXPECT_FALSE(ApplyFrontMatter(SplitFrontMatter("---\ntitle: A\nBody\n"), "f.md", &a, &problems));
  ASSERT_EQ(1u, problems.size());
  EXPECT_EQ("f.md:1: front matter opened with '---' is never closed", problems[0].ToString());
}

TEST(FrontMatterTest, BrokenYamlIsErrorNamingLine) {
  Problems problems;
  Article a;
  EXPECT_FALSE(ApplyFrontMatter(SplitFrontMatter("---\ntitle: A\ntags: [a, b\n---\n"), "f.md", &a,
                                &problems));
  ASSERT_EQ(1u, problems.size());
  EXPECT_EQ("f.md", problems[0].file);
  EXPECT_GE(problems[0].line, 3);
  EXPECT_NE(std::string::npos, problems[0].message.find("invalid YAML front matter"));
}

TEST(FrontMatterTest, BrokenTomlIsErrorNamingLine) {
  Problems problems;
  Article a;
  EXPECT_FALSE(ApplyFrontMatter(SplitFrontMatter("+++\ntitle = 'A'\ndate = \n+++\n"), "f.md", &a,
                                &problems));
  ASSERT_EQ(1u, problems.size());
  EXPECT_EQ(3, problems[0].line);
}

TEST(FrontMatterTest, YamlFieldsAreMapped) {
  Problems problems;
  Article a;
  ASSERT_TRUE(ApplyFrontMatter(
      SplitFrontMatter("---\ntitle: T\ndate: 2026-03-01\nupdated: 2026-03-02T00:00:00Z\n"
                       "authors: [Ann, Bo]\ncategory: World\ntags: x\ndescription: D\n"
                       "slug: s\nguid: g\ndraft: true\nimage: i.jpg\ncredit: C\nurl: "
                       "https://e.org/a\nlang: de\n---\n"),
      "f.md", &a, &problems));
  EXPECT_EQ("T", a.title);
  EXPECT_EQ(1772323200, a.date.value_or(0));
  EXPECT_EQ(1772409600, a.lastmod.value_or(0));
  EXPECT_EQ((std::vector<std::string>{"Ann", "Bo"}), a.authors);
  EXPECT_EQ((std::vector<std::string>{"World"}), a.categories);
  EXPECT_EQ((std::vector<std::string>{"x"}), a.tags);
  EXPECT_EQ("D", a.summary);
  EXPECT_EQ("s", a.slug);
  EXPECT_EQ("g", a.explicit_id);
  EXPECT_TRUE(a.draft);
  EXPECT_EQ("i.jpg", a.image_url);
  EXPECT_EQ("C", a.image_credit);
  EXPECT_EQ("https://e.org/a", a.link);
  EXPECT_EQ("de", a.language);
}

TEST(FrontMatterTest, TomlNativeDatesAreRead) {
  Problems problems;
  Article a;
  ASSERT_TRUE(ApplyFrontMatter(
      SplitFrontMatter("+++\ndate = 2026-03-01T06:00:00+06:00\nlastmod = 2026-03-02\n+++\n"),
      "f.md", &a, &problems));
  EXPECT_EQ(1772323200, a.date.value_or(0));
  EXPECT_EQ(1772409600, a.lastmod.value_or(0));
}

TEST(FrontMatterTest, UnparsableDateIsErrorNamingLine) {
  Problems problems;
  Article a;
  EXPECT_FALSE(ApplyFrontMatter(SplitFrontMatter("---\ntitle: T\ndate: soon\n---\n"), "f.md", &a,
                                &problems));
  ASSERT_EQ(1u, problems.size());
  EXPECT_EQ(3, problems[0].line);
  EXPECT_NE(std::string::npos, problems[0].message.find("'date' is not a date"));
}

TEST(FrontMatterTest, ListWhereStringBelongsIsError) {
  Problems problems;
  Article a;
  EXPECT_FALSE(
      ApplyFrontMatter(SplitFrontMatter("---\ntitle: [a, b]\n---\n"), "f.md", &a, &problems));
  ASSERT_EQ(1u, problems.size());
  EXPECT_EQ("f.md:2: front matter 'title' must be a single value, not a list",
            problems[0].ToString());
}

}  // namespace
}  // namespace feedd
