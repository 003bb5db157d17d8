#include "feeds/core/dates.h"

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
TEST(DatesTest, ParsesAllThreeHttpDateFormats) {
  EXPECT_EQ(784111777, ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT").value_or(0));
  EXPECT_EQ(784111777, ParseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT").value_or(0));
  EXPECT_EQ(784111777, ParseHttpDate("Sun Nov  6 08:49:37 1994").value_or(0));
  EXPECT_EQ(1795894220, ParseHttpDate("Sat, 28 Nov 2026 19:30:20 GMT").value_or(0));
  EXPECT_EQ(1795894220, ParseHttpDate("Saturday, 28-Nov-26 19:30:20 GMT").value_or(0));
  EXPECT_EQ(1795894220, ParseHttpDate("Sat Nov 28 19:30:20 2026").value_or(0));
  EXPECT_EQ(1795894220, ParseHttpDate(" Sat, 28 Nov 2026 19:30:20 GMT ").value_or(0));
}

TEST(DatesTest, RejectsWhatIsNotAnHttpDate) {
  for (const char* bad : {"yesterday", "", "Sun, 06 Nov 1994 08:49:37",
                          "Sun, 06 Nov 1994 08:49 GMT", "Sun, 30 Feb 1994 08:49:37 GMT",
                          "Sun, 06 Nov 1994 25:49:37 GMT", "Sun, 6 Nov 1994 08:49:37 GMT",
                          "Sun Nov 6 08:49:37 1994", "Sun, 06 Nov 1994 08:49:37 GMT trailing",
                          "Sun, 06 Nv 1994 08:49:37 GMT", "sun, 06 nov 1994 08:49:37 gmt"}) {
    EXPECT_FALSE(ParseHttpDate(bad).has_value()) << bad;
  }
}

TEST(DatesTest, HttpDatesRoundTrip) {
  for (UnixTime t : {0LL, 784111777LL, 1795894220LL, 4102444799LL}) {
    EXPECT_EQ(t, ParseHttpDate(FormatHttpDate(t)).value_or(-1)) << t;
  }
}

}  // namespace feedd
