// daemon/push/ping_sender.h
//
// Tells WebSub hubs (and, optionally, legacy XML-RPC ping services) that
// feeds changed. The daemon calls Enqueue() after a snapshot whose feed
// documents changed is being served; the sender sends from a thread of
// its own, so serving never waits for a hub.
//
// Every hub gets one publish request per burst naming all the changed
// feeds it has not acknowledged yet (a feed that changes again before its
// ping went out is pinged once). Failures (no connection, a timeout, 5xx,
// 408, 429) are retried with exponential backoff and jitter, honouring
// Retry-After, up to retry_limit attempts; other 4xx are given up at once,
// as is an XML-RPC flerror. Each failure and give-up is logged. Pending
// pings live in the state store, so a restart or a crash delivers them
// afterwards.
//
// Thread safety: Enqueue(), Reconfigure() and Stop() from any thread.

#ifndef FEEDD_DAEMON_PUSH_PING_SENDER_H_
#define FEEDD_DAEMON_PUSH_PING_SENDER_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "config/config.h"
#include "daemon/base/metrics.h"
#include "daemon/state/state_store.h"

namespace feedd {

struct PingSettings {
  std::vector<std::string> hubs;
  std::vector<std::string> xmlrpc_pings;
  std::string site_name;  ///< for extendedPing
  std::string site_url;
  std::string main_feed_url;  ///< what ping services are told changed
  std::chrono::milliseconds timeout{10000};
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds retry_min{1000};
  std::chrono::milliseconds retry_max{300000};
  int retry_limit = 12;
};

/// The ping sender's settings from a config.
PingSettings PingSettingsFrom(const Config& config);

class PingSender {
 public:
  /// |store| is the sender's own connection to the state store. |metrics|
  /// may be null.
  PingSender(std::unique_ptr<StateStore> store, PingSettings settings, Metrics* metrics);
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
  /// New endpoints and limits; pings for endpoints no longer configured
  /// are dropped.
  void Reconfigure(PingSettings settings);
  /// Stops the thread; a request in flight is abandoned and stays pending.
  void Stop();

 private:
  struct Entry {
    int attempts = 0;
    std::int64_t due_ms = 0;
    std::int64_t changed_ms = 0;
    std::uint64_t generation = 0;  ///< bumped by each Enqueue()
    bool in_flight = false;
  };
  using Key = std::pair<std::string, std::string>;  // endpoint, topic
  struct Request;

  void Loop();
  /// The requests due now; marks their entries in flight. Under mu_.
  std::vector<Request> TakeDue(std::int64_t now_ms);
  void Perform(std::vector<Request>* requests);
  void Finish(const std::vector<Request>& requests);
  /// Drops entries whose endpoint is not configured. Under mu_.
  std::vector<PendingPing> DropUnconfigured();
  bool IsXmlRpc(const std::string& endpoint) const;
  PendingPing Row(const Key& key, const Entry& entry) const;

  Metrics* metrics_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::unique_ptr<StateStore> store_;  // guarded by mu_
  PingSettings settings_;              // guarded by mu_
  std::map<Key, Entry> pending_;       // guarded by mu_
  bool stop_ = false;                  // guarded by mu_
  std::mt19937_64 random_;             // sender thread only
  std::thread thread_;
};

}  // namespace feedd

#endif  // FEEDD_DAEMON_PUSH_PING_SENDER_H_
