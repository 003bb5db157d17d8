#include "feeds/core/text_util.h"

#include <gtest/gtest.h>

namespace feedd {
namespace {

TEST(TextUtilTest, SlugifyKeepsLettersAndDigits) {
  EXPECT_EQ("world-news", Slugify("  World  News! "));
  EXPECT_EQ("культура", Slugify("культура"));
  EXPECT_EQ("", Slugify("!!"));
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
