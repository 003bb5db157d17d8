// daemon/http/server.h
//
// feedd's HTTP/1.1 server: Boost.Beast on an io_context run by several
// threads, one strand per connection, in the shape of Beast's example
// servers (listener -> session). It serves whatever snapshot the
// SnapshotHolder holds; it never builds documents itself.
//
// Idle connections cannot lock others out: at server.max_connections the
// connection idle longest between requests is closed to make room (as nginx
// does), one client address may hold at most max_connections_per_address,
// and accept errors (out of file descriptors) back off instead of spinning.
//
// Thread safety: Listen(), Adopt() and Start() before the io_context runs;
// Reconfigure(), Drain() and connections() from any thread.

#ifndef FEEDD_DAEMON_HTTP_SERVER_H_
#define FEEDD_DAEMON_HTTP_SERVER_H_

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/config.h"
#include "config/listen_address.h"
#include "daemon/base/metrics.h"
#include "daemon/base/snapshot_holder.h"
#include "daemon/http/header_blocks.h"
#include "daemon/http/router.h"
#include "feeds/core/status.h"

namespace feedd::http {

template <class Stream>
class BasicSession;
using Session = BasicSession<boost::beast::tcp_stream>;
class Listener;

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
  std::atomic<std::size_t> connections{0};
  std::atomic<bool> draining{false};

  std::shared_ptr<const ServerLimits> limits() const {
    std::lock_guard<std::mutex> lock(limits_mu_);
    return limits_;
  }
  void SetLimits(ServerLimits limits) {
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

class Server {
 public:
  /// |metrics| (may be null) counts connections, requests and bytes;
  /// |metrics_page| (may be null) makes the /metrics body.
  Server(boost::asio::io_context& ioc, const ServerConfig& config, bool access_log,
         SnapshotHolder* snapshots, Metrics* metrics = nullptr,
         std::function<std::string()> metrics_page = nullptr);
  ~Server();

  /// Binds |address|; returns the bound endpoint (the real port when 0 was
  /// asked for), or an I/O error naming the address.
  Result<boost::asio::ip::tcp::endpoint> Listen(const ListenAddress& address);

  /// Takes over |fd|, a listening stream socket passed in by the service
  /// manager (socket activation); returns its endpoint, or an I/O error
  /// when |fd| is not one.
  Result<boost::asio::ip::tcp::endpoint> Adopt(int fd);

  /// Starts accepting on every bound address.
  void Start();

  /// Applies new limits (a reload): to connections accepted from now on.
  void Reconfigure(const ServerConfig& config, bool access_log);

  /// Stops accepting; connections finish the response in flight and close,
  /// idle ones close now.
  void Drain();

  std::size_t connections() const { return state_->connections.load(); }

 private:
  boost::asio::io_context& ioc_;
  std::shared_ptr<ServerState> state_;
  std::vector<std::shared_ptr<Listener>> listeners_;
};

}  // namespace feedd::http

#endif  // FEEDD_DAEMON_HTTP_SERVER_H_
