#include "daemon/http/negotiation.h"

#include <gtest/gtest.h>

namespace feedd::http {
namespace {

TEST(NegotiationTest, NoAcceptEncodingMeansIdentity) {
  EXPECT_EQ(Coding::kIdentity, ChooseCoding(std::nullopt));
  EXPECT_EQ(Coding::kIdentity, ChooseCoding(""));
}

TEST(NegotiationTest, GzipAndXGzipAreAcceptedCaseInsensitively) {
  EXPECT_EQ(Coding::kGzip, ChooseCoding("gzip"));
  EXPECT_EQ(Coding::kGzip, ChooseCoding("deflate, GZIP;q=0.5"));
  EXPECT_EQ(Coding::kGzip, ChooseCoding("x-gzip"));
  EXPECT_EQ(Coding::kGzip, ChooseCoding("br;q=1.0, *;q=0.1"));
}

TEST(NegotiationTest, QZeroMeansNotAcceptable) {
  EXPECT_EQ(Coding::kIdentity, ChooseCoding("gzip;q=0"));
  EXPECT_EQ(Coding::kIdentity, ChooseCoding("gzip;q=0.000, identity"));
  EXPECT_EQ(Coding::kIdentity, ChooseCoding("*;q=0, identity;q=0.5"));
}

TEST(NegotiationTest, IdentityPreferredOverGzipWins) {
  EXPECT_EQ(Coding::kIdentity, ChooseCoding("gzip;q=0.4, identity;q=0.9"));
}

TEST(NegotiationTest, IdentityRefusedGivesGzipOrNothing) {
  EXPECT_EQ(Coding::kGzip, ChooseCoding("identity;q=0, gzip"));
  EXPECT_EQ(Coding::kNoneAcceptable, ChooseCoding("*;q=0"));
  EXPECT_EQ(Coding::kNoneAcceptable, ChooseCoding("identity;q=0, gzip;q=0"));
}

TEST(NegotiationTest, AMemberWithAMalformedQIsIgnoredNeitherYesNorNo) {
  EXPECT_EQ(Coding::kIdentity, ChooseCoding("gzip;q=2"));
  EXPECT_EQ(Coding::kIdentity, ChooseCoding("gzip;q=abc"));
  // Not a refusal either: identity stays acceptable, so no 406.
  EXPECT_EQ(Coding::kIdentity, ChooseCoding("identity;q=abc"));
  EXPECT_EQ(Coding::kIdentity, ChooseCoding("*;q=0.x"));
  EXPECT_EQ(Coding::kGzip, ChooseCoding("identity;q=-1, gzip"));
}

TEST(NegotiationTest, IfNoneMatchUsesWeakComparisonListsAndStar) {
  EXPECT_TRUE(IfNoneMatchHits("\"abc\"", "\"abc\""));
  EXPECT_TRUE(IfNoneMatchHits("W/\"abc\"", "\"abc\""));
  EXPECT_TRUE(IfNoneMatchHits("\"x\", \"abc\" , \"y\"", "\"abc\""));
  EXPECT_TRUE(IfNoneMatchHits("*", "\"abc\""));
  EXPECT_FALSE(IfNoneMatchHits("\"abc-gz\"", "\"abc\""));
  EXPECT_FALSE(IfNoneMatchHits("", "\"abc\""));
}

TEST(NegotiationTest, IfNoneMatchReadsEntityTagsNotCommaSeparatedText) {
  // etagc allows a comma: it is inside the quotes, not a list separator.
  EXPECT_TRUE(IfNoneMatchHits("\"a,b\"", "\"a,b\""));
  EXPECT_FALSE(IfNoneMatchHits("\"a,b\"", "\"a\""));
  EXPECT_TRUE(IfNoneMatchHits("W/\"x\",W/\"a,b\"", "\"a,b\""));
  // Unquoted text is not an entity tag, and a malformed member ends the list.
  EXPECT_FALSE(IfNoneMatchHits("abc", "\"abc\""));
  EXPECT_FALSE(IfNoneMatchHits("\"x\" junk, \"abc\"", "\"abc\""));
  EXPECT_FALSE(IfNoneMatchHits("\"abc", "\"abc\""));
  EXPECT_TRUE(IfNoneMatchHits(" , \"abc\" ,", "\"abc\""));
}

TEST(NegotiationTest, AcceptEncodingIsAnRfc9110ListWithParameters) {
  EXPECT_EQ(Coding::kGzip, ChooseCoding("identity ; q=0.1 , gzip ; Q=0.9"));
  EXPECT_EQ(Coding::kIdentity, ChooseCoding("gzip;level=9;q=0"));
  EXPECT_EQ(Coding::kGzip, ChooseCoding(",, gzip"));
  // At a malformed byte the list ends: the gzip after it is not read.
  EXPECT_EQ(Coding::kIdentity, ChooseCoding("br/1, gzip"));
}

TEST(NegotiationTest, IfNoneMatchWinsOverIfModifiedSince) {
  const char* long_ago = "Sun, 06 Nov 1994 08:49:37 GMT";
  const char* future = "Fri, 01 Jan 2100 00:00:00 GMT";
  EXPECT_TRUE(NotModified("\"e\"", long_ago, "\"e\"", 1772323200));
  EXPECT_FALSE(NotModified("\"other\"", future, "\"e\"", 1772323200));
}

TEST(NegotiationTest, IfModifiedSinceComparesSeconds) {
  EXPECT_TRUE(NotModified(std::nullopt, "Sun, 01 Mar 2026 00:00:00 GMT", "\"e\"", 1772323200));
  EXPECT_FALSE(NotModified(std::nullopt, "Sat, 28 Feb 2026 23:59:59 GMT", "\"e\"", 1772323200));
  EXPECT_FALSE(NotModified(std::nullopt, "not a date", "\"e\"", 1772323200));
}

}  // namespace
}  // namespace feedd::http
