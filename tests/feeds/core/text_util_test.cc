#include "feeds/core/text_util.h"

#include <gtest/gtest.h>

namespace feedd {
namespace {

TEST(TextUtilTest, SlugifyKeepsLettersAndDigits) {
  EXPECT_EQ("world-news", Slugify("  World  News! "));
  EXPECT_EQ("культура", Slugify("культура"));
  EXPECT_EQ("", Slugify("!!"));
}

}  // namespace
}  // namespace feedd
