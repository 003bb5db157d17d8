#include "feeds/parse/html_entity.h"

#include <gtest/gtest.h>

namespace feedd {
namespace {

TEST(HtmlEntityTest, NamedAndNumericReferencesDecodeAsInABrowser) {
  EXPECT_EQ("\xC3\xA9", DecodeCharacterReference("&eacute;"));
  EXPECT_EQ("&", DecodeCharacterReference("&amp;"));
  EXPECT_EQ("\xE2\x80\x94", DecodeCharacterReference("&#8212;"));
  EXPECT_EQ("A", DecodeCharacterReference("&#x41;"));
  EXPECT_EQ("\xF0\x9F\x98\x80", DecodeCharacterReference("&#x1F600;"));
  // HTML's repairs: a surrogate, zero and numbers past U+10FFFF become U+FFFD.
  EXPECT_EQ("\xEF\xBF\xBD", DecodeCharacterReference("&#xD800;"));
  EXPECT_EQ("\xEF\xBF\xBD", DecodeCharacterReference("&#0;"));
  EXPECT_EQ("\xEF\xBF\xBD", DecodeCharacterReference("&#x110000;"));
}

TEST(HtmlEntityTest, WhatIsNotAReferenceComesBackAsWritten) {
  EXPECT_EQ("&notanentity;", DecodeCharacterReference("&notanentity;"));
  EXPECT_EQ("&", DecodeCharacterReference("&"));
  EXPECT_EQ("&<b>x</b>;", DecodeCharacterReference("&<b>x</b>;"));
  EXPECT_EQ("plain", DecodeCharacterReference("plain"));
}

}  // namespace
}  // namespace feedd
