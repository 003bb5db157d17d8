// daemon/push/ping_requests.h
//
// The bytes of the pings feedd sends when feeds change, and how it reads
// the answers: a WebSub publish notification (a form POST naming the changed
// topics), an XML-RPC weblogUpdates.extendedPing for legacy ping services,
// and the retry schedule (exponential backoff with jitter, Retry-After
// honoured). No I/O here; daemon/push/ping_sender.h sends them.
//
// Thread safety: pure functions.

#ifndef FEEDD_DAEMON_PUSH_PING_REQUESTS_H_
#define FEEDD_DAEMON_PUSH_PING_REQUESTS_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "feeds/core/unix_time.h"

namespace feedd {

/// "hub.mode=publish&hub.url=<topic>&hub.url=<topic>...", each topic
/// percent-encoded (application/x-www-form-urlencoded).
std::string PublishForm(const std::vector<std::string>& topics);

/// The XML-RPC call weblogUpdates.extendedPing(site name, site URL, changed
/// URL, feed URL).
std::string ExtendedPingCall(const std::string& site_name, const std::string& site_url,
                             const std::string& changed_url, const std::string& feed_url);

/// Why an XML-RPC response means failure (flerror true, a fault, or not a
/// methodResponse); nothing when it reports success.
std::optional<std::string> XmlRpcFailure(std::string_view response);

/// How an answer is treated.
enum class PingOutcome { kDelivered, kRetry, kGiveUp };

/// Any 2xx is delivered; 429, 408 and 5xx (and no answer at all, status
/// 0) are retried; other statuses are given up.
PingOutcome OutcomeOf(long status);

/// The wait before attempt |attempts| + 1, after |attempts| failures:
/// min_delay * 2^(attempts-1), at most max_delay, times a jitter factor in
/// [0.8, 1.2] (|jitter| in [0, 1) picks it), and never less than
/// |retry_after| when the endpoint asked for that.
std::chrono::milliseconds RetryDelay(int attempts, std::chrono::milliseconds min_delay,
                                     std::chrono::milliseconds max_delay, double jitter,
                                     std::optional<std::chrono::seconds> retry_after);

/// A Retry-After value: delay-seconds, or an HTTP date (then relative to
/// |now|). Nothing when it is neither.
std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value, UnixTime now);

}  // namespace feedd

#endif  // FEEDD_DAEMON_PUSH_PING_REQUESTS_H_
