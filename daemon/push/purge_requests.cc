#include "daemon/push/purge_requests.h"

namespace feedd {
namespace {

constexpr std::string_view kPurgePrefix = "purge ";

}  // namespace

std::string PurgeEndpointId(std::string_view url) {
  return std::string(kPurgePrefix) + std::string(url);
}

std::optional<std::string> PurgeUrlOf(std::string_view endpoint) {
  if (!endpoint.starts_with(kPurgePrefix)) return std::nullopt;
  return std::string(endpoint.substr(kPurgePrefix.size()));
}

PingRequest PurgeRequest(const PurgeConfig& purge, const std::vector<std::string>& keys) {
  PingRequest r;
  r.url = purge.url;
  r.method = purge.method;
  // A purge is meant for this cache: a redirect is its answer (and would
  // carry the secret to another host).
  r.follow_redirects = false;
  std::string line = purge.key_header + ":";
  for (const std::string& key : keys) line += " " + key;
  r.headers.push_back(std::move(line));
  if (!purge.secret.empty()) r.headers.push_back(purge.secret_header + ": " + purge.secret);
  return r;
}

}  // namespace feedd
