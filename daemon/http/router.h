// daemon/http/router.h
//
// Turns one parsed request and the current snapshot into a complete reply:
// the HTTP rules (README "Serving": methods, Host and Transfer-Encoding
// checks, target length, routes, conditional GET, content coding, HEAD)
// live here so they can be tested without a socket. Routes are the
// snapshot's in-memory table, never file paths; request targets are
// percent-decoded before they are looked up.
//
// Thread safety: pure; call from any thread.

#ifndef FEEDD_DAEMON_HTTP_ROUTER_H_
#define FEEDD_DAEMON_HTTP_ROUTER_H_

#include <boost/beast/http.hpp>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/address_range.h"
#include "daemon/http/header_blocks.h"
#include "daemon/http/poller_policy.h"
#include "feeds/publish/snapshot.h"

namespace feedd::http {

namespace beast_http = boost::beast::http;

using Request = beast_http::request<beast_http::string_body>;

/// A response ready to write, in one of two forms. Documents (the hot path)
/// are raw: a header block precomputed once per document (HTTP/1.1 status
/// line, also for HTTP/1.0 clients, as RFC 9110 §6.2 allows), the
/// per-request Date and Connection lines, and the body bytes, written as
/// they are.
/// Everything else is a Beast message. Either way the bytes are views;
/// |owner| keeps what they point into (a Document or an owned string) alive
/// until written.
struct Reply {
  beast_http::response<beast_http::span_body<const char>> message;
  std::shared_ptr<const void> owner;
  std::shared_ptr<const void> head_owner;  ///< raw: keeps |head| alive when |owner| does not

  bool raw = false;
  unsigned raw_status = 200;         ///< raw: 200 or 304, as the head block says
  std::string_view head;             ///< raw: status line and headers, each ending in CRLF
  std::string_view body;             ///< raw: the body (empty for HEAD and 304)
  bool close = false;                ///< raw: send Connection: close and close after
  bool announce_keep_alive = false;  ///< raw: an HTTP/1.0 client asked to keep the connection
  UnixTime date = 0;                 ///< raw: the Date header's time

  /// The route class it answered, for the request metrics: "feed",
  /// "index", "health", "metrics", "other" (not found, methods), or
  /// "error" (a request rejected before routing).
  std::string_view route = "error";
  /// A feed GET under the poller policy: indexes into
  /// Metrics::kClientFamilies and kPollerBehaviours; -1: not policed.
  int poll_family = -1;
  int poll_behaviour = -1;

  bool keep_alive() const { return raw ? !close : message.keep_alive(); }
  /// The status code.
  unsigned status() const { return raw ? raw_status : message.result_int(); }
  /// Makes this the last response on the connection.
  void SetClose();
  /// raw: the Date and Connection lines and the blank line ending the header.
  std::string Tail() const;
};

struct RouterOptions {
  CacheHeaders cache;  ///< Cache-Control max-age and the stale directives, the key header
  std::size_t max_target_bytes = 2048;
  std::vector<AddressRange> metrics_allow;  ///< who may read /metrics
  std::vector<AddressRange> health_allow;   ///< who may read /livez, /readyz, /healthz
  PollerOptions pollers;                    ///< [pollers]
};

/// What the server knows about one request beyond its bytes.
struct RequestContext {
  IpAddress peer;       ///< the client's address
  std::string address;  ///< the same, as text
  /// The poller policy's state; null: no policy.
  PollerPolicy* pollers = nullptr;
  /// The /metrics body, made at request time; null: no /metrics (404).
  std::function<std::string()> metrics;
  /// Documents' header blocks, made once each; null: made per request.
  HeaderBlockCache* header_blocks = nullptr;
};

/// |snapshot| is null until the first full index is built (then only
/// /livez and /healthz answer 200; feeds and /readyz answer 503). Without
/// |context| (tests of the HTTP rules), every client may read the health
/// endpoints and /metrics answers 404; with it, a client outside the
/// allow lists gets 403 there.
Reply Route(const Request& request, const SnapshotPtr& snapshot, const RouterOptions& options,
            UnixTime now, const RequestContext* context = nullptr);

/// A plain-text error reply that closes the connection, for requests the
/// parser rejected (431, 413, 400).
Reply ErrorReply(beast_http::status status, unsigned version, std::string_view detail,
                 UnixTime now);

}  // namespace feedd::http

#endif  // FEEDD_DAEMON_HTTP_ROUTER_H_
