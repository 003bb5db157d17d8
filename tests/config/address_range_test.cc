#include "config/address_range.h"

#include <gtest/gtest.h>

namespace feedd {
namespace {

bool In(const char* range, const char* address) {
  return ParseAddressRange(range)->Contains(*ParseIpAddress(address));
}

TEST(AddressRangeTest, ContainsByPrefix) {
  EXPECT_TRUE(In("127.0.0.0/8", "127.1.2.3"));
  EXPECT_FALSE(In("127.0.0.0/8", "128.0.0.1"));
  EXPECT_TRUE(In("10.1.2.0/23", "10.1.3.255"));
  EXPECT_FALSE(In("10.1.2.0/23", "10.1.4.0"));
  EXPECT_TRUE(In("0.0.0.0/0", "203.0.113.9"));
  EXPECT_TRUE(In("::1", "::1"));
  EXPECT_FALSE(In("::1", "::2"));
  EXPECT_TRUE(In("2001:db8::/32", "2001:db8:ffff::1"));
  EXPECT_TRUE(In("::/0", "fe80::1"));
}

TEST(AddressRangeTest, FamiliesDoNotMixButMappedIpv4IsIpv4) {
  EXPECT_FALSE(In("::/0", "127.0.0.1"));
  EXPECT_FALSE(In("0.0.0.0/0", "::1"));
  EXPECT_TRUE(In("127.0.0.0/8", "::ffff:127.0.0.1"));
}

TEST(AddressRangeTest, RejectsWhatIsNotARange) {
  for (const char* bad : {"", "/8", "127.0.0.1/", "127.0.0.1/33", "::/129", "10.0.0.0/-1",
                          "10.0.0.0/8x", "localhost", "10.0.0", "1.2.3.4/ 8"}) {
    EXPECT_FALSE(ParseAddressRange(bad)) << bad;
  }
}

}  // namespace
}  // namespace feedd
