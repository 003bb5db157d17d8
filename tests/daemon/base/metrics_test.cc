#include "daemon/base/metrics.h"

#include <gtest/gtest.h>

#include <chrono>

namespace feedd {
namespace {

using std::chrono::milliseconds;

bool Has(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos;
}

TEST(MetricsTest, HistogramBucketsAreCumulativeWithSumAndCount) {
  Metrics m;
  m.ObserveChangeToServed(milliseconds(20));
  m.ObserveChangeToServed(milliseconds(120));
  m.ObserveChangeToServed(std::chrono::seconds(100));
  const std::string text = m.Render({});
  EXPECT_TRUE(Has(text, "feedd_change_to_served_seconds_bucket{le=\"0.01\"} 0"));
  EXPECT_TRUE(Has(text, "feedd_change_to_served_seconds_bucket{le=\"0.025\"} 1"));
  EXPECT_TRUE(Has(text, "feedd_change_to_served_seconds_bucket{le=\"0.125\"} 2"));
  EXPECT_TRUE(Has(text, "feedd_change_to_served_seconds_bucket{le=\"30\"} 2"));
  EXPECT_TRUE(Has(text, "feedd_change_to_served_seconds_bucket{le=\"+Inf\"} 3"));
  EXPECT_TRUE(Has(text, "feedd_change_to_served_seconds_sum 100.14"));
  EXPECT_TRUE(Has(text, "feedd_change_to_served_seconds_count 3"));
}

TEST(MetricsTest, RequestsAreCountedByRouteMethodAndCode) {
  Metrics m;
  m.CountRequest("feed", "GET", 200);
  m.CountRequest("feed", "GET", 200);
  m.CountRequest("feed", "GET", 304);
  m.CountRequest("index", "HEAD", 200);
  m.CountRequest("nonsense", "PATCH", 418);  // outside every list: other
  const std::string text = m.Render({});
  EXPECT_TRUE(Has(text, "feedd_http_requests_total{route=\"feed\",method=\"GET\",code=\"200\"} 2"));
  EXPECT_TRUE(Has(text, "feedd_http_requests_total{route=\"feed\",method=\"GET\",code=\"304\"} 1"));
  EXPECT_TRUE(
      Has(text, "feedd_http_requests_total{route=\"index\",method=\"HEAD\",code=\"200\"} 1"));
  EXPECT_TRUE(
      Has(text, "feedd_http_requests_total{route=\"other\",method=\"other\",code=\"other\"} 1"));
  EXPECT_TRUE(Has(text, "feedd_http_not_modified_total 1"));
}

TEST(MetricsTest, GaugesComeFromTheCaller) {
  Metrics m;
  m.CountRebuild(milliseconds(3), true, 2, 5, 1);
  Metrics::Gauges g;
  g.articles = 7;
  g.ready = true;
  const std::string text = m.Render(g);
  EXPECT_TRUE(Has(text, "feedd_articles 7"));
  EXPECT_TRUE(Has(text, "feedd_ready 1"));
  EXPECT_TRUE(Has(text, "feedd_rebuild_failures_total 1"));
  EXPECT_TRUE(Has(text, "feedd_article_problems_total{severity=\"error\"} 2"));
  EXPECT_TRUE(Has(text, "feedd_article_problems_total{severity=\"warning\"} 5"));
  EXPECT_TRUE(Has(text, "feedd_export_failures_total 1"));
}

}  // namespace
}  // namespace feedd
