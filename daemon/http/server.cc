#include "daemon/http/server.h"

#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>

#include "daemon/http/session.h"

namespace feedd::http {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

/// Accepts connections on one address; each gets its own strand.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& ioc, std::shared_ptr<ServerState> state)
      : ioc_(ioc), acceptor_(net::make_strand(ioc)), state_(std::move(state)) {}

  tcp::endpoint Bind(const tcp::endpoint& endpoint) {
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    if (endpoint.address().is_v6()) acceptor_.set_option(net::ip::v6_only(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(net::socket_base::max_listen_connections);
    return acceptor_.local_endpoint();
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
    if (!ec) {
      if (state_->connections.load() >= state_->max_connections || state_->draining.load()) {
        socket.close(ec);  // over the cap: refuse rather than starve the others
      } else {
        // Nagle would hold a response's last short segment until the client
        // ACKs the one before, and clients delay ACKs by up to 40 ms.
        socket.set_option(tcp::no_delay(true), ec);
        auto session = std::make_shared<Session>(std::move(socket), state_);
        state_->Register(session);
        session->Run();
      }
    }
    DoAccept();
  }

  net::io_context& ioc_;
  tcp::acceptor acceptor_;
  std::shared_ptr<ServerState> state_;
};

void ServerState::Register(const std::shared_ptr<Session>& session) {
  std::lock_guard<std::mutex> lock(mu_);
  if (sessions_.size() > 64 && sessions_.size() > 2 * connections.load()) {
    std::erase_if(sessions_, [](const std::weak_ptr<Session>& s) { return s.expired(); });
  }
  sessions_.push_back(session);
}

std::vector<std::shared_ptr<Session>> ServerState::LiveSessions() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::shared_ptr<Session>> live;
  for (const auto& weak : sessions_) {
    if (auto s = weak.lock()) live.push_back(std::move(s));
  }
  return live;
}

Server::Server(net::io_context& ioc, const ServerConfig& config, SnapshotHolder* snapshots)
    : ioc_(ioc), state_(std::make_shared<ServerState>()) {
  state_->snapshots = snapshots;
  state_->router.max_age = config.max_age;
  state_->router.max_target_bytes = static_cast<std::size_t>(config.max_target_bytes);
  state_->max_header_bytes = static_cast<std::size_t>(config.max_header_bytes);
  state_->pipeline_limit = static_cast<std::size_t>(config.pipeline_limit);
  state_->header_timeout = std::chrono::seconds(config.header_timeout);
  state_->idle_timeout = std::chrono::seconds(config.idle_timeout);
  state_->write_timeout = std::chrono::seconds(config.write_timeout);
  state_->max_connections = static_cast<std::size_t>(config.max_connections);
}

Server::~Server() = default;

tcp::endpoint Server::Listen(const ListenAddress& address) {
  try {
    tcp::resolver resolver(ioc_);
    const auto results = resolver.resolve(address.host, std::to_string(address.port),
                                          tcp::resolver::passive | tcp::resolver::numeric_service);
    auto listener = std::make_shared<Listener>(ioc_, state_);
    const tcp::endpoint bound = listener->Bind(results.begin()->endpoint());
    listeners_.push_back(std::move(listener));
    return bound;
  } catch (const boost::system::system_error& e) {
    throw std::system_error(
        e.code(), "cannot listen on " + address.host + ":" + std::to_string(address.port));
  }
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
