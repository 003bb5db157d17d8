// daemon/push/curl_ping_transport.h
//
// PingTransport over libcurl: one multi handle, kept for the transport's
// life, drives an easy handle per request, each with its own timeout and
// connect timeout; a request is added to it the moment it is started and
// reported the moment it ends. HTTP and HTTPS only; a request that follows
// redirects follows up to 3 (still with its method), and never from https
// to http. The first 64 KiB of each response body are kept. The handles are
// owned (freed on every path); the caller has run curl_global_init()
// (main() does).
//
// Thread safety: as PingTransport: Wake() from any thread.

#ifndef FEEDD_DAEMON_PUSH_CURL_PING_TRANSPORT_H_
#define FEEDD_DAEMON_PUSH_CURL_PING_TRANSPORT_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "daemon/push/ping_transport.h"

namespace feedd {

class CurlPingTransport final : public PingTransport {
 public:
  CurlPingTransport();
  ~CurlPingTransport() override;
  CurlPingTransport(const CurlPingTransport&) = delete;
  CurlPingTransport& operator=(const CurlPingTransport&) = delete;

  void Start(std::uint64_t ticket, const PingRequest& request) override;
  std::vector<PingAnswer> Wait(std::chrono::milliseconds limit) override;
  void Wake() override;

 private:
  class Transfers;
  const std::unique_ptr<Transfers> transfers_;
};

}  // namespace feedd

#endif  // FEEDD_DAEMON_PUSH_CURL_PING_TRANSPORT_H_
