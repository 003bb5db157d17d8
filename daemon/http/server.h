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

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/listen_address.h"
#include "daemon/base/metrics.h"
#include "daemon/base/snapshot_holder.h"
#include "daemon/http/server_state.h"
#include "feeds/core/status.h"

namespace feedd::http {

class Listener;

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
  /// (client, feed) pairs the poller policy remembers.
  std::size_t poller_clients() const { return state_->pollers.clients(); }

 private:
  boost::asio::io_context& ioc_;
  std::shared_ptr<ServerState> state_;
  std::vector<std::shared_ptr<Listener>> listeners_;
};

}  // namespace feedd::http

#endif  // FEEDD_DAEMON_HTTP_SERVER_H_
