// daemon/push/ping_transport.h
//
// The seam between the ping sender and the network: a PingTransport keeps
// HTTP requests (POSTs for pings, PURGE or BAN for purges) in flight and
// reports each one's end as it comes. A request is started whenever the
// sender has one, next to those already in flight, and carries its own
// timeouts, so an endpoint that never answers holds back no other request:
// neither one in flight beside it nor one started after it. The daemon uses
// CurlPingTransport (daemon/push/curl_ping_transport.h); tests give the
// sender a fake one.
//
// Thread safety: Start() and Wait() from one thread at a time (the
// sender's); Wake() from any thread. Requests still in flight when the
// transport is destroyed are dropped unanswered.

#ifndef FEEDD_DAEMON_PUSH_PING_TRANSPORT_H_
#define FEEDD_DAEMON_PUSH_PING_TRANSPORT_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace feedd {

/// One request: a POST unless |method| says otherwise.
struct PingRequest {
  std::string url;
  std::string method = "POST";
  std::string content_type;  ///< none sent when empty
  std::string body;
  std::vector<std::string> headers;          ///< more header lines, "Name: value"
  std::chrono::milliseconds timeout{10000};  ///< for the whole request
  std::chrono::milliseconds connect_timeout{5000};
  /// Up to 3 redirects, the method kept, never from https to http. Purges
  /// follow none: a 3xx is their answer.
  bool follow_redirects = true;
};

/// How one request ended.
struct PingResponse {
  long status = 0;                    ///< the HTTP status; 0 when there was no answer
  std::string error;                  ///< why there was no answer (a timeout, no connection)
  std::string body;                   ///< the start of the response body
  std::string retry_after;            ///< the Retry-After header, as sent
  std::chrono::milliseconds took{0};  ///< from the request's start to its end
};

/// The end of the request started under |ticket|.
struct PingAnswer {
  std::uint64_t ticket = 0;
  PingResponse response;
};

class PingTransport {
 public:
  virtual ~PingTransport() = default;

  /// Starts |request| now; a later Wait() reports its end under |ticket|
  /// (one the caller has no other request in flight under). A request that
  /// cannot be set up ends at once, with status 0 and the reason.
  virtual void Start(std::uint64_t ticket, const PingRequest& request) = 0;
  /// Drives the requests in flight until some have ended, |limit| has
  /// passed, or Wake() was called, and returns those that ended since the
  /// last call (none when it timed out or was woken). Each request is
  /// reported once.
  virtual std::vector<PingAnswer> Wait(std::chrono::milliseconds limit) = 0;
  /// Makes the Wait() in progress return soon, or else the next one.
  virtual void Wake() = 0;
};

}  // namespace feedd

#endif  // FEEDD_DAEMON_PUSH_PING_TRANSPORT_H_
