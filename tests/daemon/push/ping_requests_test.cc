#include "daemon/push/ping_requests.h"

#include <gtest/gtest.h>

#include <pugixml.hpp>

namespace feedd {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(PingRequestsTest, PublishFormNamesEveryTopicPercentEncoded) {
  EXPECT_EQ(
      "hub.mode=publish&hub.url=https%3A%2F%2Fe.org%2Ffeed.rss"
      "&hub.url=https%3A%2F%2Fe.org%2Fcategory%2F%D0%BA%2Ffeed.atom%3Fa%3D1%26b",
      PublishForm({"https://e.org/feed.rss", "https://e.org/category/\xD0\xBA/feed.atom?a=1&b"}));
}

TEST(PingRequestsTest, ExtendedPingIsAWellFormedCall) {
  const std::string call = ExtendedPingCall("News & <Views>", "https://e.org/", "https://e.org/",
                                            "https://e.org/feed.rss");
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(call.c_str()));
  EXPECT_STREQ("weblogUpdates.extendedPing",
               doc.child("methodCall").child("methodName").child_value());
  auto params = doc.select_nodes("/methodCall/params/param/value/string");
  ASSERT_EQ(4u, params.size());
  EXPECT_STREQ("News & <Views>", params[0].node().child_value());
  EXPECT_STREQ("https://e.org/feed.rss", params[3].node().child_value());
}

TEST(PingRequestsTest, XmlRpcAnswers) {
  const char* ok =
      "<?xml version=\"1.0\"?><methodResponse><params><param><value><struct>"
      "<member><name>flerror</name><value><boolean>0</boolean></value></member>"
      "<member><name>message</name><value>Thanks for the ping.</value></member>"
      "</struct></value></param></params></methodResponse>";
  EXPECT_FALSE(XmlRpcFailure(ok));
  const char* refused =
      "<methodResponse><params><param><value><struct>"
      "<member><name>flerror</name><value><boolean>1</boolean></value></member>"
      "<member><name>message</name><value><string>Blog not found</string></value></member>"
      "</struct></value></param></params></methodResponse>";
  EXPECT_EQ("flerror: Blog not found", XmlRpcFailure(refused).value_or(""));
  const char* fault =
      "<methodResponse><fault><value><struct><member><name>faultCode</name><value><int>4"
      "</int></value></member><member><name>faultString</name><value><string>Too many "
      "params</string></value></member></struct></value></fault></methodResponse>";
  EXPECT_EQ("fault: Too many params", XmlRpcFailure(fault).value_or(""));
  EXPECT_TRUE(XmlRpcFailure("<html>busy</html>"));
  EXPECT_TRUE(XmlRpcFailure("not xml at all <"));
}

TEST(PingRequestsTest, OutcomeByStatus) {
  EXPECT_EQ(PingOutcome::kDelivered, OutcomeOf(200));
  EXPECT_EQ(PingOutcome::kDelivered, OutcomeOf(204));
  EXPECT_EQ(PingOutcome::kRetry, OutcomeOf(0));  // no answer
  EXPECT_EQ(PingOutcome::kRetry, OutcomeOf(429));
  EXPECT_EQ(PingOutcome::kRetry, OutcomeOf(503));
  EXPECT_EQ(PingOutcome::kGiveUp, OutcomeOf(400));
  EXPECT_EQ(PingOutcome::kGiveUp, OutcomeOf(404));
}

TEST(PingRequestsTest, RetryDelaysGrowWithJitterUpToTheCeiling) {
  const milliseconds min(1000), max(60000);
  EXPECT_EQ(milliseconds(800), RetryDelay(1, min, max, 0.0, std::nullopt));
  EXPECT_EQ(milliseconds(1200), RetryDelay(1, min, max, 1.0, std::nullopt));
  EXPECT_EQ(milliseconds(2000), RetryDelay(2, min, max, 0.5, std::nullopt));
  EXPECT_EQ(milliseconds(8000), RetryDelay(4, min, max, 0.5, std::nullopt));
  EXPECT_EQ(milliseconds(60000), RetryDelay(30, min, max, 0.5, std::nullopt));
  // Retry-After wins when it asks for longer.
  EXPECT_EQ(milliseconds(5000), RetryDelay(1, min, max, 0.5, seconds(5)));
  EXPECT_EQ(milliseconds(8000), RetryDelay(4, min, max, 0.5, seconds(1)));
}

TEST(PingRequestsTest, RetryAfterInSecondsOrAsADate) {
  const UnixTime now = 1795894220;  // Sat, 28 Nov 2026 19:30:20 GMT
  EXPECT_EQ(seconds(1), ParseRetryAfter("1", now));
  EXPECT_EQ(seconds(120), ParseRetryAfter(" 120 ", now));
  EXPECT_EQ(seconds(40), ParseRetryAfter("Sat, 28 Nov 2026 19:31:00 GMT", now));
  EXPECT_EQ(seconds(0), ParseRetryAfter("Sat, 28 Nov 2026 19:00:00 GMT", now));
  EXPECT_FALSE(ParseRetryAfter("soon", now));
  EXPECT_FALSE(ParseRetryAfter("-5", now));
}

}  // namespace
}  // namespace feedd
