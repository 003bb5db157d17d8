#include "daemon/http/server_state.h"

#include <algorithm>

#include "daemon/http/session.h"

namespace feedd::http {

void ServerState::Register(const std::shared_ptr<Session>& session) {
  std::lock_guard<std::mutex> lock(mu_);
  if (sessions_.size() > 64 && sessions_.size() > 2 * connections.load()) {
    std::erase_if(sessions_, [](const std::weak_ptr<Session>& s) { return s.expired(); });
  }
  sessions_.push_back(session);
}

bool ServerState::Admit(const std::string& address, std::size_t max_per_address) {
  std::lock_guard<std::mutex> lock(mu_);
  std::size_t& count = per_address_[address];
  if (max_per_address > 0 && count >= max_per_address) {
    if (count == 0) per_address_.erase(address);
    return false;
  }
  ++count;
  return true;
}

void ServerState::Release(const std::string& address) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = per_address_.find(address);
  if (it != per_address_.end() && --it->second == 0) per_address_.erase(it);
}

bool ServerState::EvictOldestIdle() {
  std::vector<std::shared_ptr<Session>> idle;
  for (auto& session : LiveSessions()) {
    if (session->idle()) idle.push_back(std::move(session));
  }
  std::sort(idle.begin(), idle.end(),
            [](const auto& a, const auto& b) { return a->idle_since() < b->idle_since(); });
  for (auto& session : idle) {
    if (session->Evict()) return true;  // else it woke up meanwhile: the next
  }
  return false;
}

std::vector<std::shared_ptr<Session>> ServerState::LiveSessions() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::shared_ptr<Session>> live;
  for (const auto& weak : sessions_) {
    if (auto s = weak.lock()) live.push_back(std::move(s));
  }
  return live;
}

ServerLimits LimitsFrom(const ServerConfig& config, bool access_log) {
  ServerLimits limits;
  limits.access_log = access_log;
  limits.router.cache.max_age = config.max_age;
  limits.router.cache.stale_while_revalidate = config.cache.stale_while_revalidate;
  limits.router.cache.stale_if_error = config.cache.stale_if_error;
  limits.router.cache.key_header = config.cache.key_header;
  limits.router.max_target_bytes = static_cast<std::size_t>(config.max_target_bytes);
  limits.max_header_bytes = static_cast<std::size_t>(config.max_header_bytes);
  limits.pipeline_limit = static_cast<std::size_t>(config.pipeline_limit);
  limits.header_timeout = std::chrono::seconds(config.header_timeout);
  limits.idle_timeout = std::chrono::seconds(config.idle_timeout);
  limits.write_timeout = std::chrono::seconds(config.write_timeout);
  limits.max_connections = static_cast<std::size_t>(config.max_connections);
  limits.max_per_address = static_cast<std::size_t>(config.max_connections_per_address);
  // The loader checked every entry.
  for (const std::string& range : config.metrics_allow) {
    if (auto r = ParseAddressRange(range)) limits.router.metrics_allow.push_back(*r);
  }
  for (const std::string& range : config.health_allow) {
    if (auto r = ParseAddressRange(range)) limits.router.health_allow.push_back(*r);
  }
  PollerOptions& pollers = limits.router.pollers;
  pollers.enabled = config.pollers.enabled;
  pollers.window = config.pollers.window > 0 ? config.pollers.window : -1;
  pollers.max_clients = static_cast<std::size_t>(config.pollers.max_clients);
  for (const std::string& range : config.pollers.trusted) {
    if (auto r = ParseAddressRange(range)) pollers.trusted.push_back(*r);
  }
  return limits;
}

}  // namespace feedd::http
