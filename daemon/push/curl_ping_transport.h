// daemon/push/curl_ping_transport.h
//
// PingTransport over libcurl: one multi handle drives an easy handle per
// request, each with its own timeout and connect timeout. HTTP and HTTPS
// only, up to 3 redirects (still POSTing), the first 64 KiB of each
// response body kept. The handles are owned (freed on every path); the
// caller has run curl_global_init() (main() does).
//
// Thread safety: one Send() at a time.

#ifndef FEEDD_DAEMON_PUSH_CURL_PING_TRANSPORT_H_
#define FEEDD_DAEMON_PUSH_CURL_PING_TRANSPORT_H_

#include <functional>
#include <vector>

#include "daemon/push/ping_transport.h"

namespace feedd {

class CurlPingTransport final : public PingTransport {
 public:
  std::vector<PingResponse> Send(const std::vector<PingRequest>& requests,
                                 const std::function<bool()>& abandon) override;
};

}  // namespace feedd

#endif  // FEEDD_DAEMON_PUSH_CURL_PING_TRANSPORT_H_
