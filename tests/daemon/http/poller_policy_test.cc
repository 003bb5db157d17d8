#include "daemon/http/poller_policy.h"

#include <gtest/gtest.h>

#include "daemon/base/metrics.h"
#include "feeds/core/dates.h"

namespace feedd::http {
namespace {

constexpr UnixTime kNow = 1772330000;
constexpr const char* kRss = "/feed.rss";

std::string_view FamilyName(std::string_view agent) {
  return Metrics::kClientFamilies[ClientFamily(agent)];
}

IpAddress Ip(const char* text) { return *ParseIpAddress(text); }

struct PollerPolicyTest : ::testing::Test {
  PollerPolicy::Verdict Get(std::string_view client, std::string_view agent, UnixTime at,
                            std::optional<std::string_view> inm = std::nullopt,
                            std::optional<std::string_view> ims = std::nullopt,
                            bool not_modified = false) {
    return policy.Decide(client, agent, kRss, *doc, inm, ims, not_modified, at, 300);
  }
  PollerPolicy policy{1000};
  DocumentPtr doc = MakeDocument("application/rss+xml", "<rss>one</rss>", kNow - 3600);
};

TEST_F(PollerPolicyTest, AnUnconditionalRepeatInsideTheWindowIsRefusedUntilItEnds) {
  EXPECT_EQ(0, Get("192.0.2.1", "Reader/1", kNow).retry_after);
  const PollerPolicy::Verdict again = Get("192.0.2.1", "Reader/1", kNow + 60);
  EXPECT_EQ(PollerBehaviour::kTooEarly, again.behaviour);
  EXPECT_EQ(240, again.retry_after);
  // Refusals do not move the window.
  EXPECT_EQ(1, Get("192.0.2.1", "Reader/1", kNow + 299).retry_after);
  const PollerPolicy::Verdict later = Get("192.0.2.1", "Reader/1", kNow + 300);
  EXPECT_EQ(PollerBehaviour::kUnconditional, later.behaviour);
  EXPECT_EQ(0, later.retry_after);
}

TEST_F(PollerPolicyTest, ConditionalRequestsAreNeverRefused) {
  Get("192.0.2.1", "Reader/1", kNow);
  for (int i = 1; i <= 10; ++i) {
    const PollerPolicy::Verdict v =
        Get("192.0.2.1", "Reader/1", kNow + i, doc->etag, std::nullopt, /*not_modified=*/true);
    EXPECT_EQ(PollerBehaviour::kConditional, v.behaviour);
    EXPECT_EQ(0, v.retry_after);
  }
  // The feed changed: the old ETag is one feedd issued, so the new bytes go out.
  const DocumentPtr old = doc;
  doc = MakeDocument("application/rss+xml", "<rss>two</rss>", kNow);
  const PollerPolicy::Verdict changed = Get("192.0.2.1", "Reader/1", kNow + 20, old->etag);
  EXPECT_EQ(PollerBehaviour::kConditional, changed.behaviour);
  EXPECT_EQ(0, changed.retry_after);
  const PollerPolicy::Verdict by_date =
      Get("192.0.2.9", "Reader/1", kNow + 20, std::nullopt, FormatHttpDate(old->last_modified));
  EXPECT_EQ(PollerBehaviour::kConditional, by_date.behaviour);
}

TEST_F(PollerPolicyTest, ValidatorsFeeddNeverIssuedCountAsUnconditional) {
  const PollerPolicy::Verdict etag = Get("192.0.2.1", "Reader/1", kNow, "\"invented\"");
  EXPECT_EQ(PollerBehaviour::kInventedValidator, etag.behaviour);
  EXPECT_EQ(0, etag.retry_after);
  const PollerPolicy::Verdict date =
      Get("192.0.2.1", "Reader/1", kNow + 5, std::nullopt, "Mon, 01 Jan 2001 00:00:00 GMT");
  EXPECT_EQ(PollerBehaviour::kTooEarly, date.behaviour);
  EXPECT_EQ(295, date.retry_after);
}

TEST_F(PollerPolicyTest, ClientsAreAnAddressAndAUserAgentPerDocument) {
  Get("192.0.2.1", "Reader/1", kNow);
  EXPECT_EQ(0, Get("192.0.2.1", "Reader/2", kNow).retry_after);  // behind one NAT
  EXPECT_EQ(0, Get("192.0.2.2", "Reader/1", kNow).retry_after);
  EXPECT_EQ(0, policy
                   .Decide("192.0.2.1", "Reader/1", "/feed.atom", *doc, std::nullopt, std::nullopt,
                           false, kNow, 300)
                   .retry_after);
  EXPECT_GT(Get("192.0.2.1", "Reader/1", kNow).retry_after, 0);
  EXPECT_EQ(0, policy
                   .Decide("192.0.2.1", "Reader/1", kRss, *doc, std::nullopt, std::nullopt, false,
                           kNow, /*window=*/0)
                   .retry_after);
}

TEST_F(PollerPolicyTest, MemoryIsBoundedLeastRecentlySeenFirst) {
  PollerPolicy small(2);
  auto get = [&](const char* client) {
    return small.Decide(client, "R", kRss, *doc, std::nullopt, std::nullopt, false, kNow, 300)
        .retry_after;
  };
  get("192.0.2.1");
  get("192.0.2.2");
  get("192.0.2.3");  // forgets .1
  EXPECT_EQ(2u, small.clients());
  EXPECT_GT(get("192.0.2.3"), 0);
  EXPECT_EQ(0, get("192.0.2.1"));
  small.SetMaxClients(1);
  EXPECT_EQ(1u, small.clients());
}

TEST(PollingClientTest, XForwardedForCountsOnlyFromTrustedAddresses) {
  const std::vector<AddressRange> trusted = {*ParseAddressRange("10.0.0.0/8")};
  EXPECT_EQ("192.0.2.1",
            PollingClient(Ip("192.0.2.1"), "192.0.2.1", "198.51.100.1", trusted).value_or(""));
  EXPECT_EQ(std::nullopt, PollingClient(Ip("10.0.0.5"), "10.0.0.5", std::nullopt, trusted));
  EXPECT_EQ("198.51.100.1", PollingClient(Ip("10.0.0.5"), "10.0.0.5",
                                          "203.0.113.9, 198.51.100.1, 10.0.0.7", trusted)
                                .value_or(""));
  EXPECT_EQ(std::nullopt, PollingClient(Ip("10.0.0.5"), "10.0.0.5", "10.1.1.1, 10.2.2.2", trusted));
  EXPECT_EQ("unknown", PollingClient(Ip("10.0.0.5"), "10.0.0.5", "unknown", trusted).value_or(""));
}

TEST(ClientFamilyTest, KnownReadersBrowsersOthersAndNone) {
  EXPECT_EQ("tt-rss", FamilyName("Tiny Tiny RSS/23.04 (Unsupported) (https://tt-rss.org/)"));
  EXPECT_EQ("newsboat", FamilyName("Newsboat/2.30 (Linux x86_64)"));
  EXPECT_EQ("feedparser",
            FamilyName("feedparser/6.0.10 +https://github.com/kurtmckee/feedparser/"));
  EXPECT_EQ("thunderbird",
            FamilyName("Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Thunderbird/115"));
  EXPECT_EQ("browser", FamilyName("Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"));
  EXPECT_EQ("other", FamilyName("SomeBot/1.0"));
  EXPECT_EQ("none", FamilyName(""));
}

}  // namespace
}  // namespace feedd::http
