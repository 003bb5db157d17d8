#include "feeds/parse/text_sanitizer.h"

#include <gtest/gtest.h>

namespace feedd {
namespace {

TEST(TextSanitizerTest, ValidTextPassesUnchanged) {
  const SanitizedText t = SanitizeText("Hello — Привет\tworld 😀\n");
  EXPECT_EQ("Hello — Привет\tworld 😀\n", t.text);
  EXPECT_TRUE(t.lines_with_invalid_utf8.empty());
  EXPECT_TRUE(t.lines_with_forbidden_chars.empty());
}

TEST(TextSanitizerTest, InvalidBytesAreRemoved) {
  const SanitizedText t = SanitizeText("a\n\xC3\x28 b \xF0\x28\x8C\xBC\n");
  EXPECT_EQ("a\n( b (\n", t.text);
  EXPECT_EQ(std::vector<int>{2}, t.lines_with_invalid_utf8);
}

TEST(TextSanitizerTest, OverlongAndSurrogateEncodingsAreInvalid) {
  const SanitizedText overlong = SanitizeText("x\xC0\xAFy");  // an overlong '/'
  EXPECT_EQ("xy", overlong.text);
  EXPECT_EQ(std::vector<int>{1}, overlong.lines_with_invalid_utf8);
  EXPECT_EQ("xy", SanitizeText("x\xED\xA0\x80y").text);  // U+D800 is a surrogate
}

TEST(TextSanitizerTest, XmlForbiddenCharactersAreRemoved) {
  const SanitizedText t = SanitizeText(
      "a\x01"
      "b\n\x7F ok\nc\xEF\xBF\xBE"
      "d\n");
  EXPECT_EQ("ab\n\x7F ok\ncd\n", t.text);  // DEL is allowed by XML 1.0; U+FFFE is not
  EXPECT_EQ((std::vector<int>{1, 3}), t.lines_with_forbidden_chars);
}

TEST(TextSanitizerTest, C1ControlsAndNoncharactersAreRemovedToo) {
  // U+0085 (NEL), U+009F, U+FDD0, U+1FFFE: XML allows them, feeds should not.
  const SanitizedText t = SanitizeText(
      "a\xC2\x85"
      "b\xC2\x9F"
      "c\xEF\xB7\x90"
      "d\xF0\x9F\xBF\xBE"
      "e\n");
  EXPECT_EQ("abcde\n", t.text);
  EXPECT_EQ(std::vector<int>{1}, t.lines_with_forbidden_chars);
  EXPECT_FALSE(IsCleanText("x\xC2\x85"));
  EXPECT_TRUE(IsCleanText("caf\xC3\xA9 \xE2\x80\x94 \xC2\xA0 ok"));
}

TEST(TextSanitizerTest, CleanDecodedTextReportsWhetherItChangedAnything) {
  std::string clean = "Plain text \xE2\x80\x94 fine.";
  EXPECT_FALSE(CleanDecodedText(&clean));
  std::string dirty = "Bad\xEF\xBF\xBE and \xED\xA0\x80 surrogate";
  EXPECT_TRUE(CleanDecodedText(&dirty));
  EXPECT_EQ("Bad and  surrogate", dirty);
}

TEST(TextSanitizerTest, ReplacementCharactersAreRemoved) {
  // U+FFFD marks text lost before feedd saw it (a lossy export, or a
  // renderer's repair of "&#0;"); the W3C validator flags it.
  const SanitizedText t = SanitizeText(
      "Ren\xEF\xBF\xBD"
      "e\n");
  EXPECT_EQ("Rene\n", t.text);
  EXPECT_EQ(std::vector<int>{1}, t.lines_with_forbidden_chars);
  EXPECT_FALSE(IsCleanText("\xEF\xBF\xBD"));
  std::string html = "<p>A \xEF\xBF\xBD and \xEF\xBF\xBD end.</p>";
  EXPECT_TRUE(CleanDecodedText(&html));
  EXPECT_EQ("<p>A  and  end.</p>", html);
}

TEST(TextSanitizerTest, CrAndCrlfBecomeLf) { EXPECT_EQ("a\nb\nc", SanitizeText("a\r\nb\rc").text); }

TEST(TextSanitizerTest, NulByteMeansBinary) {
  EXPECT_TRUE(LooksBinary(std::string("ab\0cd", 5)));
  EXPECT_FALSE(LooksBinary("plain text"));
}

}  // namespace
}  // namespace feedd
