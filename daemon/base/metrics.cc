#include "daemon/base/metrics.h"

#include <algorithm>
#include <cstdio>

namespace feedd {
namespace {

void Line(std::string* out, std::string_view name, std::string_view labels, double value) {
  char number[32];
  std::snprintf(number, sizeof number, "%.9g", value);
  out->append(name);
  if (!labels.empty()) out->append("{").append(labels).append("}");
  out->append(" ").append(number).append("\n");
}

void Line(std::string* out, std::string_view name, std::string_view labels, std::uint64_t value) {
  out->append(name);
  if (!labels.empty()) out->append("{").append(labels).append("}");
  out->append(" ").append(std::to_string(value)).append("\n");
}

void Header(std::string* out, std::string_view name, std::string_view type, std::string_view help) {
  out->append("# HELP ").append(name).append(" ").append(help).append("\n");
  out->append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void Counter(std::string* out, std::string_view name, std::string_view help,
             const std::atomic<std::uint64_t>& value) {
  Header(out, name, "counter", help);
  Line(out, name, "", value.load(std::memory_order_relaxed));
}

void Gauge(std::string* out, std::string_view name, std::string_view help, std::uint64_t value) {
  Header(out, name, "gauge", help);
  Line(out, name, "", value);
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(bounds_.size() + 1) {}

void Histogram::Observe(std::chrono::duration<double> value) {
  const double seconds = std::max(0.0, value.count());
  const std::size_t bucket =
      std::lower_bound(bounds_.begin(), bounds_.end(), seconds) - bounds_.begin();
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_ns_.fetch_add(static_cast<std::uint64_t>(seconds * 1e9), std::memory_order_relaxed);
}

void Histogram::Render(std::string* out, std::string_view name, std::string_view help) const {
  Header(out, name, "histogram", help);
  const std::string bucket = std::string(name) + "_bucket";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    cumulative += counts_[i].load(std::memory_order_relaxed);
    char le[40];
    if (i < bounds_.size()) {
      std::snprintf(le, sizeof le, "le=\"%g\"", bounds_[i]);
    } else {
      std::snprintf(le, sizeof le, "le=\"+Inf\"");
    }
    Line(out, bucket, le, cumulative);
  }
  Line(out, std::string(name) + "_sum", "",
       static_cast<double>(sum_ns_.load(std::memory_order_relaxed)) / 1e9);
  Line(out, std::string(name) + "_count", "", cumulative);
}

Metrics::Metrics()
    : rebuild_duration_(
          {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}),
      change_to_served_({0.01, 0.025, 0.05, 0.1, 0.125, 0.15, 0.2, 0.3, 0.5, 1, 2, 5, 10, 30}),
      ping_latency_({0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600}),
      purge_latency_({0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600}) {}

namespace {

constexpr std::array<std::string_view, 4> kPingCounts = {"sent", "delivered", "retried", "failed"};
constexpr std::array<std::string_view, 3> kPurgeCounts = {"sent", "failed", "given_up"};

// A label value in the text format: backslash, quote and newline escaped.
std::string LabelValue(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace

void Metrics::CountPing(const std::string& endpoint, std::string_view what) {
  const std::size_t i =
      std::find(kPingCounts.begin(), kPingCounts.end(), what) - kPingCounts.begin();
  if (i >= kPingCounts.size()) return;
  std::lock_guard<std::mutex> lock(pings_mu_);
  ++pings_[endpoint][i];
}

void Metrics::CountPurge(const std::string& endpoint, std::string_view what) {
  const std::size_t i =
      std::find(kPurgeCounts.begin(), kPurgeCounts.end(), what) - kPurgeCounts.begin();
  if (i >= kPurgeCounts.size()) return;
  std::lock_guard<std::mutex> lock(pings_mu_);
  ++purges_[endpoint][i];
}

void Metrics::CountRequest(std::string_view route, std::string_view method, unsigned status) {
  const std::size_t r = std::find(kRoutes.begin(), kRoutes.end(), route) - kRoutes.begin();
  const std::size_t m = std::find(kMethods.begin(), kMethods.end() - 1, method) - kMethods.begin();
  const std::size_t s =
      std::find(kStatuses.begin(), kStatuses.end() - 1, status) - kStatuses.begin();
  requests_[std::min(r, kRoutes.size() - 2)][m][s].fetch_add(1, kRelaxed);
}

void Metrics::CountRebuild(std::chrono::duration<double> took, bool failed, std::size_t errors,
                           std::size_t warnings, std::size_t export_failures) {
  rebuilds_.fetch_add(1, kRelaxed);
  if (failed) rebuild_failures_.fetch_add(1, kRelaxed);
  problems_error_.fetch_add(errors, kRelaxed);
  problems_warning_.fetch_add(warnings, kRelaxed);
  export_failures_.fetch_add(export_failures, kRelaxed);
  rebuild_duration_.Observe(took);
}

std::string Metrics::Render(const Gauges& g) const {
  std::string out;
  out.reserve(16 * 1024);
  Header(&out, "feedd_build_info", "gauge", "The running feedd's version.");
  Line(&out, "feedd_build_info", "version=\"" FEEDD_VERSION "\"", std::uint64_t{1});
  Gauge(&out, "feedd_ready", "1 once the first full index is served.", g.ready ? 1 : 0);
  Gauge(&out, "feedd_articles", "Articles published.", g.articles);
  Gauge(&out, "feedd_documents", "Documents served (feeds in every format, and pages).",
        g.documents);
  RenderHttp(&out, g);
  RenderRebuilds(&out);
  RenderPings(&out);
  RenderPurges(&out);
  Counter(&out, "feedd_reload_failures_total", "Config reloads refused.", reload_failures_);
  return out;
}

void Metrics::RenderHttp(std::string* out_ptr, const Gauges& g) const {
  std::string& out = *out_ptr;
  Header(&out, "feedd_http_requests_total", "counter",
         "HTTP requests answered, by route class, method and status code.");
  for (std::size_t r = 0; r < kRoutes.size(); ++r) {
    for (std::size_t m = 0; m < kMethods.size(); ++m) {
      for (std::size_t s = 0; s < kStatuses.size(); ++s) {
        const std::uint64_t n = requests_[r][m][s].load(kRelaxed);
        if (n == 0) continue;
        const std::string code = kStatuses[s] ? std::to_string(kStatuses[s]) : "other";
        Line(&out, "feedd_http_requests_total",
             "route=\"" + std::string(kRoutes[r]) + "\",method=\"" + std::string(kMethods[m]) +
                 "\",code=\"" + code + "\"",
             n);
      }
    }
  }
  std::uint64_t not_modified = 0;
  for (const auto& by_method : requests_) {
    for (const auto& by_status : by_method) not_modified += by_status[2].load(kRelaxed);
  }
  Header(&out, "feedd_http_not_modified_total", "counter",
         "Conditional requests answered 304 Not Modified.");
  Line(&out, "feedd_http_not_modified_total", "", not_modified);
  Counter(&out, "feedd_http_sent_bytes_total", "Bytes written to HTTP clients.", bytes_sent_);
  Counter(&out, "feedd_http_connections_total", "HTTP connections accepted.", connections_);
  Gauge(&out, "feedd_http_open_connections", "HTTP connections open now.", g.open_connections);
  Header(&out, "feedd_poller_requests_total", "counter",
         "GETs of feed documents under the poller policy, by client family (from User-Agent; "
         "exempt: trusted addresses) and behaviour (too_early: refused with 429).");
  for (std::size_t f = 0; f < kClientFamilies.size(); ++f) {
    for (std::size_t b = 0; b < kPollerBehaviours.size(); ++b) {
      const std::uint64_t n = polls_[f][b].load(kRelaxed);
      if (n == 0) continue;
      Line(&out, "feedd_poller_requests_total",
           "family=\"" + std::string(kClientFamilies[f]) + "\",behaviour=\"" +
               std::string(kPollerBehaviours[b]) + "\"",
           n);
    }
  }
  Gauge(&out, "feedd_poller_clients",
        "Client and feed pairs the poller policy remembers (at most pollers.max_clients).",
        g.poller_clients);
}

void Metrics::RenderRebuilds(std::string* out_ptr) const {
  std::string& out = *out_ptr;
  Counter(&out, "feedd_watch_events_total", "Article file events the watcher reported.",
          watch_events_);
  Counter(&out, "feedd_watch_overflows_total",
          "inotify queue overflows, each answered by a full rescan.", watch_overflows_);
  Counter(&out, "feedd_rebuilds_total", "Rebuilds run.", rebuilds_);
  Counter(&out, "feedd_rebuild_failures_total", "Rebuilds that failed; the last good feeds stayed.",
          rebuild_failures_);
  rebuild_duration_.Render(&out, "feedd_rebuild_duration_seconds",
                           "Time from a rebuild's start to its snapshot being served.");
  change_to_served_.Render(&out, "feedd_change_to_served_seconds",
                           "Time from the first file event of a change to the documents it "
                           "changed being served (the debounce window included).");
  Header(&out, "feedd_article_problems_total", "counter",
         "Problems found in article files, by severity.");
  Line(&out, "feedd_article_problems_total", "severity=\"error\"", problems_error_.load(kRelaxed));
  Line(&out, "feedd_article_problems_total", "severity=\"warning\"",
       problems_warning_.load(kRelaxed));
  Counter(&out, "feedd_export_failures_total",
          "Static export writes that failed and wait for a retry.", export_failures_);
  Counter(&out, "feedd_reloads_total", "Config reloads that took effect.", reloads_);
}

void Metrics::RenderPings(std::string* out_ptr) const {
  std::string& out = *out_ptr;
  {
    std::lock_guard<std::mutex> lock(pings_mu_);
    static constexpr std::array<std::string_view, 4> kHelp = {
        "Ping requests made to a WebSub hub or ping service.",
        "Changed feeds a hub or ping service acknowledged.",
        "Changed feeds whose ping failed and waits for a retry.",
        "Changed feeds whose ping was given up."};
    for (std::size_t i = 0; i < kPingCounts.size(); ++i) {
      const std::string name = "feedd_pings_" + std::string(kPingCounts[i]) + "_total";
      Header(&out, name, "counter", kHelp[i]);
      for (const auto& [endpoint, counts] : pings_) {
        Line(&out, name, "endpoint=\"" + LabelValue(endpoint) + "\"", counts[i]);
      }
    }
  }
  ping_latency_.Render(&out, "feedd_ping_latency_seconds",
                       "Time from a file change to a hub or ping service acknowledging it.");
}

void Metrics::RenderPurges(std::string* out_ptr) const {
  std::string& out = *out_ptr;
  {
    std::lock_guard<std::mutex> lock(pings_mu_);
    static constexpr std::array<std::string_view, 3> kHelp = {
        "Purge requests made to a cache endpoint ([[purge]]).",
        "Purge requests that failed (no answer or not 2xx), retried or given up.",
        "Purge requests whose keys were given up (a 4xx, or no retries left)."};
    for (std::size_t i = 0; i < kPurgeCounts.size(); ++i) {
      const std::string name = "feedd_purges_" + std::string(kPurgeCounts[i]) + "_total";
      Header(&out, name, "counter", kHelp[i]);
      for (const auto& [endpoint, counts] : purges_) {
        Line(&out, name, "endpoint=\"" + LabelValue(endpoint) + "\"", counts[i]);
      }
    }
  }
  purge_latency_.Render(&out, "feedd_purge_latency_seconds",
                        "Time from a file change to a cache endpoint acknowledging its purge.");
}

}  // namespace feedd
