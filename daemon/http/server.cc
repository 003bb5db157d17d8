#include "daemon/http/server.h"

#include <sys/socket.h>

#include <algorithm>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <cerrno>
#include <system_error>

#include "daemon/base/log.h"
#include "daemon/http/session.h"

namespace feedd::http {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

/// Accepts connections on one address; each gets its own strand.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& ioc, std::shared_ptr<ServerState> state)
      : ioc_(ioc),
        acceptor_(net::make_strand(ioc)),
        retry_(acceptor_.get_executor()),
        state_(std::move(state)) {}

  /// The bound endpoint; |ec| set when any step fails.
  tcp::endpoint Bind(const tcp::endpoint& endpoint, boost::system::error_code& ec) {
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec && endpoint.address().is_v6()) acceptor_.set_option(net::ip::v6_only(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    return ec ? tcp::endpoint() : acceptor_.local_endpoint(ec);
  }

  tcp::endpoint Assign(int fd, boost::system::error_code& ec) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      ec.assign(errno, boost::system::generic_category());
      return {};
    }
    acceptor_.assign(address.ss_family == AF_INET6 ? tcp::v6() : tcp::v4(), fd, ec);
    return ec ? tcp::endpoint() : acceptor_.local_endpoint(ec);
  }

  void Start() { DoAccept(); }

  void Stop() {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
      beast::error_code ec;
      self->acceptor_.close(ec);
    });
  }

 private:
  void DoAccept() {
    acceptor_.async_accept(net::make_strand(ioc_),
                           beast::bind_front_handler(&Listener::OnAccept, shared_from_this()));
  }

  void OnAccept(beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
    if (ec) {
      // Out of file descriptors or memory: accepting again at once would
      // fail again at once. Wait, longer each time, until it works.
      if (backoff_.count() == 0) {
        Log(LogLevel::kError, "cannot accept connections: " + ec.message() + "; retrying");
      }
      backoff_ = std::min(std::max(backoff_ * 2, std::chrono::milliseconds(10)),
                          std::chrono::milliseconds(1000));
      retry_.expires_after(backoff_);
      retry_.async_wait([self = shared_from_this()](const beast::error_code& e) {
        if (!e) self->DoAccept();
      });
      return;
    }
    if (backoff_.count() != 0) {
      Log(LogLevel::kNotice, "accepting connections again");
      backoff_ = {};
    }
    Admit(std::move(socket));
    DoAccept();
  }

  void Admit(tcp::socket socket) {
    beast::error_code ec;
    if (state_->draining.load()) {
      socket.close(ec);
      return;
    }
    // At the cap, the connection idle longest makes room; when none is
    // idle, every slot is doing work and the newcomer is refused.
    auto limits = state_->limits();
    if (state_->connections.load() >= limits->max_connections && !state_->EvictOldestIdle()) {
      socket.close(ec);
      return;
    }
    const auto remote = socket.remote_endpoint(ec);
    const std::string address = ec ? std::string() : remote.address().to_string();
    if (!state_->Admit(address, limits->max_per_address)) {
      socket.close(ec);  // this address holds its share already
      return;
    }
    // Nagle would hold a response's last short segment until the client
    // ACKs the one before, and clients delay ACKs by up to 40 ms.
    socket.set_option(tcp::no_delay(true), ec);
    auto session = std::make_shared<Session>(beast::tcp_stream(std::move(socket)), state_,
                                             std::move(limits), address);
    state_->Register(session);
    session->Run();
  }

  net::io_context& ioc_;
  tcp::acceptor acceptor_;
  net::steady_timer retry_;
  std::chrono::milliseconds backoff_{0};
  std::shared_ptr<ServerState> state_;
};

Server::Server(net::io_context& ioc, const ServerConfig& config, bool access_log,
               SnapshotHolder* snapshots, Metrics* metrics,
               std::function<std::string()> metrics_page)
    : ioc_(ioc), state_(std::make_shared<ServerState>()) {
  state_->snapshots = snapshots;
  state_->metrics = metrics;
  state_->metrics_page = std::move(metrics_page);
  state_->SetLimits(LimitsFrom(config, access_log));
}

void Server::Reconfigure(const ServerConfig& config, bool access_log) {
  state_->SetLimits(LimitsFrom(config, access_log));
}

Server::~Server() = default;

Result<tcp::endpoint> Server::Listen(const ListenAddress& address) {
  boost::system::error_code ec;
  tcp::resolver resolver(ioc_);
  const auto results =
      resolver.resolve(address.host, std::to_string(address.port),
                       tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  tcp::endpoint bound;
  auto listener = std::make_shared<Listener>(ioc_, state_);
  if (!ec) bound = listener->Bind(results.begin()->endpoint(), ec);
  if (ec) {
    return Status::IoError("cannot listen on " + address.host + ":" + std::to_string(address.port) +
                           ": " + ec.message());
  }
  listeners_.push_back(std::move(listener));
  return bound;
}

Result<tcp::endpoint> Server::Adopt(int fd) {
  boost::system::error_code ec;
  auto listener = std::make_shared<Listener>(ioc_, state_);
  const tcp::endpoint bound = listener->Assign(fd, ec);
  if (ec) {
    return Status::IoError("cannot use inherited socket " + std::to_string(fd) + ": " +
                           ec.message());
  }
  listeners_.push_back(std::move(listener));
  return bound;
}

void Server::Start() {
  for (auto& listener : listeners_) listener->Start();
}

void Server::Drain() {
  state_->draining.store(true);
  for (auto& listener : listeners_) listener->Stop();
  for (auto& session : state_->LiveSessions()) session->Drain();
}

}  // namespace feedd::http
