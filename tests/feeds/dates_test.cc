#include "feeds/dates.h"

#include <gtest/gtest.h>

namespace feedd {
namespace {

TEST(DatesTest, ParsesDateOnlyAsUtcMidnight) {
  EXPECT_EQ(1772323200, ParseDate("2026-03-01").value_or(0));
}

TEST(DatesTest, ParsesOffsetsAndSeparators) {
  EXPECT_EQ(1772359200, ParseDate("2026-03-01T10:00:00Z").value_or(0));
  EXPECT_EQ(1772359200, ParseDate("2026-03-01 16:00:00+06:00").value_or(0));
  EXPECT_EQ(1772359200, ParseDate("2026-03-01T05:00-0500").value_or(0));
  EXPECT_EQ(1772359200, ParseDate(" 2026-03-01T10:00:00.250Z ").value_or(0));
}

TEST(DatesTest, RejectsNonDatesAndImpossibleDates) {
  for (const char* s : {"", "yesterday", "2026-13-01", "2026-02-30", "2026-03-01T25:00",
                        "2026-03-01T10:00:00Q", "01.03.2026"}) {
    EXPECT_FALSE(ParseDate(s).has_value()) << s;
  }
}

TEST(DatesTest, FormatsForEachStandard) {
  EXPECT_EQ("Sun, 01 Mar 2026 10:00:00 +0000", FormatRfc822(1772359200));
  EXPECT_EQ("2026-03-01T10:00:00Z", FormatRfc3339(1772359200));
  EXPECT_EQ("Sun, 01 Mar 2026 10:00:00 GMT", FormatHttpDate(1772359200));
}

}  // namespace
}  // namespace feedd
