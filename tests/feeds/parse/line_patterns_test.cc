#include "feeds/parse/line_patterns.h"

#include <gtest/gtest.h>

namespace feedd {
namespace {

Boilerplate Make(std::vector<std::string> cut, std::vector<std::string> drop) {
  Boilerplate b;
  std::size_t bad = 0;
  std::string error;
  EXPECT_TRUE(b.SetCutFrom(std::move(cut), &bad, &error)) << error;
  EXPECT_TRUE(b.SetDropLines(std::move(drop), &bad, &error)) << error;
  return b;
}

TEST(LinePatternsTest, BadPatternNamesItsIndexAndLeavesTheListAlone) {
  LinePatterns p;
  std::size_t bad = 0;
  std::string error;
  ASSERT_TRUE(p.Compile({"^ok$"}, &bad, &error));
  EXPECT_FALSE(p.Compile({"fine", "(unclosed"}, &bad, &error));
  EXPECT_EQ(1u, bad);
  EXPECT_FALSE(error.empty());
  EXPECT_EQ(std::vector<std::string>{"^ok$"}, p.sources());
}

TEST(LinePatternsTest, AnchorsMatchLineStartAndEnd) {
  const Boilerplate b = Make({}, {"^Theme$"});
  const Boilerplate::Found f = b.Find("Theme\nA Theme park\nTheme\n");
  EXPECT_EQ((std::vector<std::size_t>{0, 19}), f.dropped);
}

TEST(LinePatternsTest, CutStopsAtTheFirstMatchingLineAndDropsOnlyBefore) {
  const Boilerplate b = Make({"^Footer"}, {"©"});
  const std::string text = "one\n© a\ntwo\nFooter line\n© b\n";
  const Boilerplate::Found f = b.Find(text);
  EXPECT_EQ(text.find("Footer"), f.cut);
  EXPECT_EQ((std::vector<std::size_t>{4}), f.dropped);
}

TEST(LinePatternsTest, AMatchRunningAcrossLinesDoesNotCount) {
  // In the whole text "a[^x]*b" can match "a\nb"; no single line holds it.
  const Boilerplate b = Make({}, {"a[^x]*b"});
  EXPECT_TRUE(b.Find("a\nb\n").dropped.empty());
  EXPECT_EQ((std::vector<std::size_t>{2}), b.Find("a\nab\n").dropped);
}

TEST(LinePatternsTest, EveryMatchingLineIsFoundWhateverThePatternOrder) {
  const Boilerplate b = Make({}, {"^z", "^a", "mid"});
  EXPECT_EQ((std::vector<std::size_t>{0, 2, 10, 16}), b.Find("a\nzz\nnone\nxmidx\na\n").dropped);
}

TEST(LinePatternsTest, LongLinesAndNestedPatternsAreLinearNotRecursive) {
  const std::string nested = std::string(5000, '(') + "x" + std::string(5000, ')');
  const Boilerplate b = Make({nested}, {});
  const std::string line(1 << 20, 'y');
  EXPECT_EQ(std::string::npos, b.Find(line + "\n").cut);
  EXPECT_EQ(line.size() + 1, b.Find(line + "\nx\n").cut);
}

}  // namespace
}  // namespace feedd
