#include "feeds/core/text_util.h"

#include <gtest/gtest.h>

namespace feedd {
namespace {

TEST(TextUtilTest, SlugifyKeepsLettersAndDigits) {
  EXPECT_EQ("world-news", Slugify("  World  News! "));
  EXPECT_EQ("культура", Slugify("культура"));
  EXPECT_EQ("", Slugify("!!"));
}

TEST(TextUtilTest, EscapeControlsKeepsOneLineOfUtf8) {
  EXPECT_EQ("a\\nfeedd: b\\t\\x1b", EscapeControls("a\nfeedd: b\t\x1b"));
  // UTF-8 stays as it is; a byte that is not UTF-8 (Latin-1 "é") is escaped.
  EXPECT_EQ("caf\xC3\xA9 \\xe9conomie", EscapeControls("caf\xC3\xA9 \xE9"
                                                       "conomie"));
  // Truncated, overlong and surrogate sequences are bytes, not characters.
  EXPECT_EQ("\\xe2\\x82", EscapeControls("\xE2\x82"));
  EXPECT_EQ("\\xc0\\xaf", EscapeControls("\xC0\xAF"));
  EXPECT_EQ("\\xed\\xa0\\x80", EscapeControls("\xED\xA0\x80"));
  EXPECT_EQ("\\x7f", EscapeControls("\x7F"));
}

TEST(TextUtilTest, SlugifySpellsPlusAndSharp) {
  EXPECT_EQ("c", Slugify("C"));
  EXPECT_EQ("c-plus-plus", Slugify("C++"));
  EXPECT_EQ("c-sharp", Slugify("C#"));
  EXPECT_EQ("c-plus-plus-20", Slugify("C++20"));
  EXPECT_EQ("a-plus-b", Slugify("a + b"));
  EXPECT_EQ("plus-one", Slugify("+one"));
  EXPECT_EQ("sharp", Slugify("#"));
}

TEST(TextUtilTest, SlugifyKeepsOtherSlugs) {
  // Public feed URLs: only '+' and '#' changed meaning.
  EXPECT_EQ("anne-marie-smith", Slugify("Anne-Marie Smith"));
  EXPECT_EQ("anne-marie-smith", Slugify("Anne Marie Smith"));
  EXPECT_EQ("r-d", Slugify("R&D"));
  EXPECT_EQ("world", Slugify("-World-"));
}

}  // namespace
}  // namespace feedd
