// daemon/push/ping_transport.h
//
// The seam between the ping sender and the network: a PingTransport sends
// a batch of HTTP requests (POSTs for pings, PURGE or BAN for purges)
// concurrently and reports how each one ended. Every request carries its own timeouts, so an
// endpoint that never answers times out alone while the others complete. The daemon uses
// CurlPingTransport (daemon/push/curl_ping_transport.h); tests give the
// sender a fake one.
//
// Thread safety: one Send() at a time per transport.

#ifndef FEEDD_DAEMON_PUSH_PING_TRANSPORT_H_
#define FEEDD_DAEMON_PUSH_PING_TRANSPORT_H_

#include <chrono>
#include <functional>
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
};

/// How one request ended.
struct PingResponse {
  long status = 0;                    ///< the HTTP status; 0 when there was no answer
  std::string error;                  ///< why there was no answer (a timeout, no connection)
  std::string body;                   ///< the start of the response body
  std::string retry_after;            ///< the Retry-After header, as sent
  std::chrono::milliseconds took{0};  ///< from the batch's start to this answer
};

class PingTransport {
 public:
  virtual ~PingTransport() = default;

  /// Sends |requests| at once and waits for them all; one response per
  /// request, in the same order. |abandon| is asked every 100 ms or so;
  /// once it says yes, Send() returns without waiting for the rest, whose
  /// responses are then left with status 0.
  virtual std::vector<PingResponse> Send(const std::vector<PingRequest>& requests,
                                         const std::function<bool()>& abandon) = 0;
};

}  // namespace feedd

#endif  // FEEDD_DAEMON_PUSH_PING_TRANSPORT_H_
