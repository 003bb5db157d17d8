#include "daemon/http/access_log.h"

#include <gtest/gtest.h>

namespace feedd::http {
namespace {

TEST(AccessLogTest, CombinedFormat) {
  AccessRecord r;
  r.client = "192.0.2.7";
  r.time = 1795894220;  // 2026-11-28 19:30:20 UTC
  r.method = "GET";
  r.target = "/feed.rss";
  r.status = 200;
  r.body_bytes = 5120;
  r.user_agent = "curl/7.88.1";
  EXPECT_EQ(
      "192.0.2.7 - - [28/Nov/2026:19:30:20 +0000] \"GET /feed.rss HTTP/1.1\" 200 5120 \"-\" "
      "\"curl/7.88.1\"",
      FormatAccessLine(r));
}

TEST(AccessLogTest, ClientTextCannotForgeFieldsOrLines) {
  AccessRecord r;
  r.client = "::1";
  r.time = 0;
  r.method = "GET";
  r.target = "/a\" 200 1 \"x";
  r.version = 10;
  r.status = 404;
  r.referer = "line\nbreak";
  r.user_agent = "caf\xC3\xA9";
  EXPECT_EQ(
      "::1 - - [01/Jan/1970:00:00:00 +0000] \"GET /a\\x22 200 1 \\x22x HTTP/1.0\" 404 0 "
      "\"line\\x0Abreak\" \"caf\\xC3\\xA9\"",
      FormatAccessLine(r));
}

TEST(AccessLogTest, NoRequestLineIsADash) {
  AccessRecord r;
  r.client = "10.0.0.1";
  r.time = 0;
  r.status = 431;
  EXPECT_EQ("10.0.0.1 - - [01/Jan/1970:00:00:00 +0000] \"-\" 431 0 \"-\" \"-\"",
            FormatAccessLine(r));
}

}  // namespace
}  // namespace feedd::http
