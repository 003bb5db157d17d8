// daemon/http/access_log.h
//
// One request as a line of the combined log format (Apache's and nginx's
// default), which log tools already read:
//   127.0.0.1 - - [28/Nov/2026:19:30:00 +0000] "GET /feed.rss HTTP/1.1" 200 5120 "-" "curl/7.88"
// Quotes and control characters from the client are escaped (\x22, \n), so
// a request cannot forge a line or a field.
//
// Thread safety: pure.

#ifndef FEEDD_DAEMON_HTTP_ACCESS_LOG_H_
#define FEEDD_DAEMON_HTTP_ACCESS_LOG_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "feeds/core/unix_time.h"

namespace feedd::http {

struct AccessRecord {
  std::string_view client;  ///< the peer's address
  UnixTime time = 0;        ///< when the request was answered
  std::string_view method;  ///< empty when no request could be read
  std::string_view target;
  unsigned version = 11;  ///< 10 or 11
  unsigned status = 0;
  std::size_t body_bytes = 0;   ///< the response body, as nginx's $body_bytes_sent
  std::string_view referer;     ///< empty: none
  std::string_view user_agent;  ///< empty: none
};

std::string FormatAccessLine(const AccessRecord& record);

}  // namespace feedd::http

#endif  // FEEDD_DAEMON_HTTP_ACCESS_LOG_H_
