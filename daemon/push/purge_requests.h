// daemon/push/purge_requests.h
//
// The purge requests feedd sends to the caches in front of it ([[purge]]):
// one PURGE (or BAN) per endpoint naming changed documents' surrogate keys
// in a header, at most kMaxPurgeKeyBytes of keys each, with an optional
// secret header and no body (deploy/varnish/feedd.vcl, "The purge
// contract"). Pending purges share the state store's table with pings,
// under an endpoint id no URL can be. No I/O here; PingSender sends them.
//
// Thread safety: pure functions.

#ifndef FEEDD_DAEMON_PUSH_PURGE_REQUESTS_H_
#define FEEDD_DAEMON_PUSH_PURGE_REQUESTS_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "daemon/push/ping_transport.h"

namespace feedd {

/// The most bytes of keys (with the spaces between them) in one request.
inline constexpr std::size_t kMaxPurgeKeyBytes = 4000;

/// The endpoint id purges to |url| are queued and stored under: "purge "
/// + url (a URL holds no space, so it is never a hub's).
std::string PurgeEndpointId(std::string_view url);
/// The URL in a purge endpoint id; nothing when |endpoint| is not one.
std::optional<std::string> PurgeUrlOf(std::string_view endpoint);

/// |purge|'s request for |keys|: its method, its key header with the keys
/// separated by single spaces, its secret header when a secret is set; it
/// follows no redirect.
PingRequest PurgeRequest(const PurgeConfig& purge, const std::vector<std::string>& keys);

}  // namespace feedd

#endif  // FEEDD_DAEMON_PUSH_PURGE_REQUESTS_H_
