// daemon/http/poller_policy.h
//
// Manners for feed readers ([pollers]). Most feed traffic is polling, and
// a conditional poll costs a 304; an unconditional one costs the whole
// document. So, per client (its address and User-Agent: readers behind one
// NAT are told apart) and feed document:
//  - a valid conditional request is never refused: a 304, or a 200 to
//    validators feedd issued (the document changed since);
//  - an unconditional GET (or one with validators feedd never issued: an
//    invented If-Modified-Since, an unknown ETag) of a document this
//    client was sent in full less than a window ago gets 429 with
//    Retry-After: the seconds until the window ends;
//  - every such request is counted by client family and behaviour.
// Only the subscription documents of feeds are policed (RSS, Atom, JSON
// Feed; GET, not HEAD), and not when a browser asks (Accept: text/html):
// previews, pages, images, archives and the index are never refused.
// Trusted addresses (the nginx or CDN in front) are exempt; from them, and
// only from them, X-Forwarded-For names the client.
//
// The state is bounded: at most max_clients (client, document) pairs, the
// least recently seen forgotten first. It lives in the server, so a reload
// keeps it.
//
// Thread safety: every member from any thread.

#ifndef FEEDD_DAEMON_HTTP_POLLER_POLICY_H_
#define FEEDD_DAEMON_HTTP_POLLER_POLICY_H_

#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config/address_range.h"
#include "feeds/core/lru_cache.h"
#include "feeds/publish/document.h"

namespace feedd::http {

/// [pollers], as the router applies it.
struct PollerOptions {
  bool enabled = true;
  int window = -1;  ///< seconds; -1: each document's max-age
  std::size_t max_clients = 100000;
  std::vector<AddressRange> trusted;
};

/// What a policed request did, for /metrics (Metrics::kPollerBehaviours).
enum class PollerBehaviour {
  kConditional,        ///< 304, or validators feedd issued
  kUnconditional,      ///< no validators, in time
  kInventedValidator,  ///< validators feedd never issued, in time
  kTooEarly,           ///< refused with 429
};

/// The index in Metrics::kClientFamilies of the reader |user_agent| names
/// (empty: no User-Agent). Known readers by name, then "browser" for
/// other Mozilla/ agents, then "other".
std::size_t ClientFamily(std::string_view user_agent);

/// The client a request from |peer| is for: |peer| itself, unless it is
/// trusted; then the last address in |forwarded_for| (X-Forwarded-For,
/// every field line joined) that is not trusted. Nothing (exempt) for a
/// trusted peer without one.
std::optional<std::string> PollingClient(const IpAddress& peer, std::string_view peer_text,
                                         std::optional<std::string_view> forwarded_for,
                                         const std::vector<AddressRange>& trusted);

class PollerPolicy {
 public:
  explicit PollerPolicy(std::size_t max_clients = 100000);

  struct Verdict {
    PollerBehaviour behaviour;
    int retry_after = 0;  ///< > 0: refuse, with Retry-After: this many seconds
  };
  /// One GET by |client| (PollingClient()) with |user_agent| of the feed
  /// document |doc| at |route|, at |now|, which negotiation answered with
  /// a 304 (|not_modified|) or in full; the validators it sent. |window|:
  /// seconds (0: never refuse). Remembers the full answers it allows.
  Verdict Decide(std::string_view client, std::string_view user_agent, std::string_view route,
                 const Document& doc, std::optional<std::string_view> if_none_match,
                 std::optional<std::string_view> if_modified_since, bool not_modified, UnixTime now,
                 int window);

  /// Keeps at most |max_clients| (client, document) pairs from now on.
  void SetMaxClients(std::size_t max_clients);
  /// (client, document) pairs remembered now.
  std::size_t clients() const;

 private:
  // A version of a document: its validators as sent.
  struct Issued {
    std::string etag, gzip_etag;
    UnixTime last_modified;
  };
  bool WasIssued(const std::deque<Issued>& issued, std::optional<std::string_view> if_none_match,
                 std::optional<std::string_view> if_modified_since) const;

  mutable std::mutex mu_;
  LruCache<UnixTime> last_sent_;  // by client, agent and route: the last full answer
  // The last few versions of each policed route, newest first.
  std::unordered_map<std::string, std::deque<Issued>> issued_;
};

}  // namespace feedd::http

#endif  // FEEDD_DAEMON_HTTP_POLLER_POLICY_H_
