// daemon/push/ping_sender.h
//
// Tells WebSub hubs (and, optionally, legacy XML-RPC ping services) that
// feeds changed, and the caches in front of feedd ([[purge]]) which
// documents did. The daemon calls Enqueue() and Purge() after a snapshot
// whose documents changed is being served; the sender sends from a thread
// of its own, so serving never waits for a hub or an edge.
//
// Every hub gets one publish request per burst naming all the changed
// feeds it has not been told of yet (a feed that changes again before its
// ping went out is pinged once). Each endpoint is on its own: a request
// goes out through a PingTransport (daemon/push/ping_transport.h) as soon
// as it is due, next to those in flight, each with its own timeout, so a hub
// or cache that accepts and never answers delays neither another endpoint's
// answer nor its next request. At most one request per endpoint and topic
// (or key) is in flight: a change to it meanwhile is sent once that request
// is answered, whatever the answer. Failures (no connection, a timeout,
// 5xx, 408, 429) are retried with exponential backoff and jitter,
// honouring Retry-After, up to retry_limit attempts; other 4xx are given
// up at once, as is an XML-RPC flerror. Each failure and give-up is logged.
// Pending pings live in the state store, so a restart or a crash delivers
// them afterwards.
//
// Purges are the same kind of queued request: one entry per endpoint and
// surrogate key, sent as PURGE or BAN requests of at most 4,000 bytes of
// keys each (daemon/push/purge_requests.h), retried, given up and stored by
// the same rules.
//
// The transport and the clock are parameters: tests give a fake transport
// and a set time, and run rounds with SendDue() instead of the thread.
//
// Thread safety: Enqueue(), Purge(), Reconfigure() and Stop() from any
// thread; SendDue() only while the thread is not started.

#ifndef FEEDD_DAEMON_PUSH_PING_SENDER_H_
#define FEEDD_DAEMON_PUSH_PING_SENDER_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "config/config.h"
#include "daemon/base/metrics.h"
#include "daemon/push/ping_requests.h"
#include "daemon/push/ping_transport.h"
#include "daemon/state/state_store.h"

namespace feedd {

struct PingSettings {
  std::vector<std::string> hubs;
  std::vector<std::string> xmlrpc_pings;
  std::string site_name;  ///< for extendedPing
  std::string site_url;
  std::string main_feed_url;                 ///< what ping services are told changed
  std::chrono::milliseconds timeout{10000};  ///< per request
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds retry_min{1000};
  std::chrono::milliseconds retry_max{300000};
  int retry_limit = 12;
  std::vector<PurgeConfig> purges;  ///< cache endpoints ([[purge]])
};

/// The ping sender's settings from a config.
PingSettings PingSettingsFrom(const Config& config);

class PingSender {
 public:
  /// Unix time in milliseconds.
  using NowMs = std::function<std::int64_t()>;

  /// |store| is the sender's own connection to the state store; |transport|
  /// sends its requests. |metrics| may be null. |now_ms| tells the time
  /// (the system clock when empty).
  PingSender(std::unique_ptr<StateStore> store, PingSettings settings, Metrics* metrics,
             std::unique_ptr<PingTransport> transport, NowMs now_ms = {});
  ~PingSender();

  /// Reads the pings the store holds (sent once Start() runs) and drops
  /// those for endpoints no longer configured; once, before Start(). A
  /// store error when they cannot be read.
  Status Load();

  void Start();
  /// The feeds at |topics| (self URLs) changed and are being served; the
  /// change began at |changed_ms| (Unix ms). Queued and stored before this
  /// returns; a store error when they could be queued but not stored.
  Status Enqueue(const std::vector<std::string>& topics, std::int64_t changed_ms);
  /// The documents with surrogate keys |keys| (doc:<path>) changed or are
  /// gone, and the change is served; it began at |changed_ms|. Queued for
  /// every purge endpoint and stored before this returns.
  Status Purge(const std::vector<std::string>& keys, std::int64_t changed_ms);
  /// New endpoints and limits; pings for endpoints no longer configured
  /// are dropped.
  void Reconfigure(PingSettings settings);
  /// Stops the thread; a request in flight is abandoned and stays pending.
  void Stop();

  /// Sends every ping due now (those not in flight already) together,
  /// waits for their answers and records them (in memory and in the
  /// store). Returns the number of requests sent. For tests that do not
  /// Start().
  std::size_t SendDue();

 private:
  struct Entry {
    int attempts = 0;
    std::int64_t due_ms = 0;
    std::int64_t changed_ms = 0;   ///< when the oldest change not acknowledged began
    std::uint64_t generation = 0;  ///< bumped by each Enqueue()
    bool in_flight = false;
    /// When the first change queued while in flight began: what the next
    /// request reports if this one is acknowledged or given up.
    std::optional<std::int64_t> changed_in_flight_ms;
  };
  using Key = std::pair<std::string, std::string>;  // endpoint, topic (or purge key)
  /// What an endpoint is: a hub, a ping service or a cache (its id is
  /// PurgeEndpointId(url)).
  enum class Kind { kHub, kXmlRpc, kPurge };
  using Pending = std::map<Key, Entry>;
  using Rows = std::vector<PendingPing>;
  /// One HTTP request: a publish for several topics of one hub, one
  /// extendedPing, or a purge of several keys at one cache.
  struct Request {
    std::string endpoint;
    Kind kind = Kind::kHub;
    std::vector<std::pair<std::string, std::uint64_t>> topics;  ///< topic, generation sent
    std::size_t key_bytes = 0;  ///< kPurge: the keys and the spaces between them
    PingRequest http;
  };
  /// What an answer means, and why when it is not a delivery.
  struct Verdict {
    PingOutcome outcome;
    std::string why;
  };
  /// When a failed request's topics are tried again: one jitter roll for
  /// the whole request (its topics stay together), and the endpoint's
  /// Retry-After.
  struct Backoff {
    double roll;
    std::optional<std::chrono::seconds> retry_after;
  };

  /// A request handed to the transport, under its ticket.
  using Started = std::pair<std::uint64_t, PingRequest>;

  void Loop();
  /// The requests due at |now_ms|, as many as each endpoint may have in
  /// flight; marks their entries in flight and keeps them in in_flight_.
  /// |next_due| (may be null) gets when the next entry not taken falls
  /// due, if one does later. Under mu_.
  std::vector<Started> TakeDue(std::int64_t now_ms, std::optional<std::int64_t>* next_due);
  /// The answers applied to their requests' entries and written to the
  /// store.
  void Record(std::vector<PingAnswer> answers);
  /// One request's answer applied to each of its topics' entries; the rows
  /// to write go to |save|, those to delete to |done|. Under mu_. Returns
  /// the attempts made so far (0 when delivered).
  int Apply(const Request& request, PingOutcome outcome, const Backoff& backoff,
            std::int64_t now_ms, Rows* save, Rows* done);
  void RecordDelivered(Pending::iterator it, std::uint64_t generation_sent, std::int64_t now_ms,
                       Rows* save, Rows* done);
  void RecordFailed(Pending::iterator it, std::uint64_t generation_sent, PingOutcome outcome,
                    const Backoff& backoff, std::int64_t now_ms, Rows* save, Rows* done);
  /// Queued again for a change made while it was in flight. Under mu_.
  void SendAgain(Pending::iterator it, std::int64_t now_ms, Rows* save);
  /// Queues |topic| for |endpoint|; the row to store goes to |save|. Under mu_.
  void Queue(const std::string& endpoint, const std::string& topic, std::int64_t changed_ms,
             std::int64_t now_ms, Rows* save);
  static Verdict Judge(Kind kind, const PingResponse& answer);
  /// A purge request's answer in the metrics (sent, failed, latency);
  /// before Apply(). Under mu_.
  void CountPurge(const Request& request, const Verdict& verdict, std::int64_t now_ms) const;
  void LogAnswer(const Request& request, const PingResponse& answer, const Verdict& verdict,
                 int attempts) const;
  /// Drops entries whose endpoint is not configured. Under mu_.
  Rows DropUnconfigured();
  /// Nothing when |endpoint| is no longer configured. Under mu_.
  std::optional<Kind> KindOf(const std::string& endpoint) const;
  const PurgeConfig* PurgeConfigOf(const std::string& endpoint) const;
  PendingPing Row(const Key& key, const Entry& entry) const;

  Metrics* metrics_;
  const std::unique_ptr<PingTransport> transport_;  // Wake() from any thread, the rest from one
  const NowMs now_ms_;
  std::mutex mu_;
  std::unique_ptr<StateStore> store_;           // guarded by mu_
  PingSettings settings_;                       // guarded by mu_
  Pending pending_;                             // guarded by mu_
  std::map<std::uint64_t, Request> in_flight_;  // by ticket; guarded by mu_
  std::uint64_t last_ticket_ = 0;               // guarded by mu_
  bool stop_ = false;                           // guarded by mu_
  std::mt19937_64 random_;                      // guarded by mu_
  std::thread thread_;
};

}  // namespace feedd

#endif  // FEEDD_DAEMON_PUSH_PING_SENDER_H_
