// daemon/http/server_state.h
//
// What every connection of the HTTP server shares: the limits in force (a
// reload swaps them; a connection keeps those it was accepted with), the
// snapshot and metrics it serves from, the live sessions and the
// per-address counts, the poller policy's memory. The listener (server.cc) and the sessions
// (session_impl.h) both use it, so neither includes the other.
//
// Thread safety: every member from any thread.

#ifndef FEEDD_DAEMON_HTTP_SERVER_STATE_H_
#define FEEDD_DAEMON_HTTP_SERVER_STATE_H_

#include <atomic>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/config.h"
#include "daemon/base/metrics.h"
#include "daemon/base/snapshot_holder.h"
#include "daemon/http/header_blocks.h"
#include "daemon/http/poller_policy.h"
#include "daemon/http/router.h"

namespace feedd::http {

template <class Stream>
class BasicSession;
using Session = BasicSession<boost::beast::tcp_stream>;

/// What a reload may change. A connection keeps the limits in force when
/// it was accepted; new connections get the new ones.
struct ServerLimits {
  RouterOptions router;
  std::size_t max_header_bytes;
  std::size_t pipeline_limit;
  std::chrono::seconds header_timeout;
  std::chrono::seconds idle_timeout;
  std::chrono::seconds write_timeout;
  std::size_t max_connections;
  std::size_t max_per_address;  ///< 0: no limit
  bool access_log = false;      ///< a combined-format line per request
};

ServerLimits LimitsFrom(const ServerConfig& config, bool access_log);

/// What every connection shares.
struct ServerState {
  SnapshotHolder* snapshots;
  Metrics* metrics = nullptr;                 ///< null: nothing counted
  std::function<std::string()> metrics_page;  ///< null: no /metrics
  HeaderBlockCache header_blocks;             ///< of the documents served
  PollerPolicy pollers;                       ///< kept across reloads
  std::atomic<std::size_t> connections{0};
  std::atomic<bool> draining{false};

  std::shared_ptr<const ServerLimits> limits() const {
    std::lock_guard<std::mutex> lock(limits_mu_);
    return limits_;
  }
  void SetLimits(ServerLimits limits) {
    pollers.SetMaxClients(limits.router.pollers.max_clients);
    auto next = std::make_shared<const ServerLimits>(std::move(limits));
    std::lock_guard<std::mutex> lock(limits_mu_);
    limits_ = std::move(next);
  }

  void Register(const std::shared_ptr<Session>& session);
  /// Every live session, for a drain.
  std::vector<std::shared_ptr<Session>> LiveSessions();

  /// Counts a connection from |address|; false (nothing counted) when that
  /// address has |max_per_address| already (0: no limit).
  bool Admit(const std::string& address, std::size_t max_per_address);
  void Release(const std::string& address);

  /// Asks the connection that has been idle the longest between requests to
  /// close, to make room; false when no connection is idle.
  bool EvictOldestIdle();

 private:
  mutable std::mutex limits_mu_;
  std::shared_ptr<const ServerLimits> limits_;
  std::mutex mu_;
  std::vector<std::weak_ptr<Session>> sessions_;
  std::unordered_map<std::string, std::size_t> per_address_;
};

}  // namespace feedd::http

#endif  // FEEDD_DAEMON_HTTP_SERVER_STATE_H_
