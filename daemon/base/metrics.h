// daemon/base/metrics.h
//
// The daemon's counters and histograms, and their rendering in the
// Prometheus text exposition format (version 0.0.4) for /metrics. Debian
// packages no C++ Prometheus client, so the format is written here; every
// name and label value is one of ours (no user text), and promtool checks
// the output in the tests.
//
// Thread safety: every method may be called from any thread; updates are
// relaxed atomics, so a scrape may see one counter a request ahead of
// another.

#ifndef FEEDD_DAEMON_BASE_METRICS_H_
#define FEEDD_DAEMON_BASE_METRICS_H_

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace feedd {

class Histogram {
 public:
  /// |bounds|: the buckets' upper bounds in seconds, ascending.
  explicit Histogram(std::vector<double> bounds);
  void Observe(std::chrono::duration<double> value);
  /// Appends the _bucket, _sum and _count lines.
  void Render(std::string* out, std::string_view name, std::string_view help) const;

 private:
  std::vector<double> bounds_;
  std::vector<std::atomic<std::uint64_t>> counts_;  // per bucket, +Inf last
  std::atomic<std::uint64_t> sum_ns_{0};
};

class Metrics {
 public:
  /// Route classes and methods requests are counted by.
  static constexpr std::array<std::string_view, 6> kRoutes = {"feed",    "index", "health",
                                                              "metrics", "other", "error"};
  static constexpr std::array<std::string_view, 3> kMethods = {"GET", "HEAD", "other"};
  /// Feed readers by User-Agent (daemon/http/poller_policy.h), and what
  /// their polls did.
  static constexpr std::array<std::string_view, 19> kClientFamilies = {
      "tt-rss",   "freshrss",    "miniflux",       "feedly",     "inoreader",
      "newsblur", "feedbin",     "nextcloud-news", "liferea",    "netnewswire",
      "newsboat", "thunderbird", "feeder",         "feedparser", "curl",
      "browser",  "other",       "none",           "exempt"};
  static constexpr std::array<std::string_view, 4> kPollerBehaviours = {
      "conditional", "unconditional", "invented_validator", "too_early"};

  Metrics();

  void CountRequest(std::string_view route, std::string_view method, unsigned status);
  void CountBytesSent(std::size_t bytes) { bytes_sent_.fetch_add(bytes, kRelaxed); }
  void CountConnection() { connections_.fetch_add(1, kRelaxed); }
  /// A policed feed request, by indexes into kClientFamilies and
  /// kPollerBehaviours.
  void CountPoll(std::size_t family, std::size_t behaviour) {
    polls_[std::min(family, kClientFamilies.size() - 1)]
          [std::min(behaviour, kPollerBehaviours.size() - 1)]
              .fetch_add(1, kRelaxed);
  }
  void CountWatchEvent() { watch_events_.fetch_add(1, kRelaxed); }
  void CountWatchOverflow() { watch_overflows_.fetch_add(1, kRelaxed); }
  void CountReload(bool ok) { (ok ? reloads_ : reload_failures_).fetch_add(1, kRelaxed); }
  /// One rebuild: how long it took, whether it failed, the problems it
  /// logged, and the export failures it met.
  void CountRebuild(std::chrono::duration<double> took, bool failed, std::size_t errors,
                    std::size_t warnings, std::size_t export_failures);
  /// From the first file event of a change to its documents being served.
  void ObserveChangeToServed(std::chrono::duration<double> latency) {
    change_to_served_.Observe(latency);
  }

  /// One ping to |endpoint|: "sent" (a request made), "delivered" (a topic
  /// acknowledged), "retried" (a topic to try again), "failed" (a topic
  /// given up).
  void CountPing(const std::string& endpoint, std::string_view what);
  /// From a change to a hub or ping service acknowledging it.
  void ObservePingLatency(std::chrono::duration<double> latency) { ping_latency_.Observe(latency); }

  /// One purge request to the cache endpoint |endpoint|: "sent" (a request
  /// made), "failed" (it failed: no answer, or not 2xx; retried or given
  /// up), "given_up" (its keys were dropped: a 4xx, or the retries ran out).
  void CountPurge(const std::string& endpoint, std::string_view what);
  /// From a change to a cache endpoint acknowledging its purge.
  void ObservePurgeLatency(std::chrono::duration<double> latency) {
    purge_latency_.Observe(latency);
  }

  /// What only the daemon knows at scrape time.
  struct Gauges {
    std::size_t articles = 0;
    std::size_t documents = 0;
    std::size_t open_connections = 0;
    std::size_t poller_clients = 0;  ///< (client, feed) pairs the poller policy remembers
    bool ready = false;
  };
  std::string Render(const Gauges& gauges) const;

 private:
  // The sections of the page, in order.
  void RenderHttp(std::string* out, const Gauges& g) const;
  void RenderRebuilds(std::string* out) const;
  void RenderPings(std::string* out) const;
  void RenderPurges(std::string* out) const;

  static constexpr auto kRelaxed = std::memory_order_relaxed;
  static constexpr std::array<unsigned, 15> kStatuses = {200, 204, 304, 400, 403, 404, 405, 406,
                                                         413, 414, 429, 431, 501, 503, 0};

  // [route][method][status index]
  std::array<std::array<std::array<std::atomic<std::uint64_t>, kStatuses.size()>, kMethods.size()>,
             kRoutes.size()>
      requests_{};
  // [family][behaviour]
  std::array<std::array<std::atomic<std::uint64_t>, kPollerBehaviours.size()>,
             kClientFamilies.size()>
      polls_{};
  std::atomic<std::uint64_t> bytes_sent_{0};
  std::atomic<std::uint64_t> connections_{0};
  std::atomic<std::uint64_t> watch_events_{0};
  std::atomic<std::uint64_t> watch_overflows_{0};
  std::atomic<std::uint64_t> reloads_{0};
  std::atomic<std::uint64_t> reload_failures_{0};
  std::atomic<std::uint64_t> rebuilds_{0};
  std::atomic<std::uint64_t> rebuild_failures_{0};
  std::atomic<std::uint64_t> problems_error_{0};
  std::atomic<std::uint64_t> problems_warning_{0};
  std::atomic<std::uint64_t> export_failures_{0};
  Histogram rebuild_duration_;
  Histogram change_to_served_;
  Histogram ping_latency_;
  mutable std::mutex pings_mu_;
  /// endpoint -> sent, delivered, retried, failed
  std::map<std::string, std::array<std::uint64_t, 4>> pings_;
  Histogram purge_latency_;
  /// endpoint -> sent, failed, given_up (guarded by pings_mu_)
  std::map<std::string, std::array<std::uint64_t, 3>> purges_;
};

}  // namespace feedd

#endif  // FEEDD_DAEMON_BASE_METRICS_H_
