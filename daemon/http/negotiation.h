// daemon/http/negotiation.h
//
// The pure decisions of a GET: which content coding to send (RFC 9110
// §12.5.3) and whether the client's cached copy is still good (§13.1.2,
// §13.2.2). No sockets, no Beast: strings in, decisions out.

#ifndef FEEDD_DAEMON_HTTP_NEGOTIATION_H_
#define FEEDD_DAEMON_HTTP_NEGOTIATION_H_

#include <optional>
#include <string_view>

#include "feeds/core/unix_time.h"

namespace feedd::http {

enum class Coding { kIdentity, kGzip, kNoneAcceptable };

/// |accept_encoding| is the header's value, or nullopt when it is absent
/// (then identity is sent). Tokens are case-insensitive, x-gzip is gzip,
/// q=0 means "not acceptable", '*' covers codings not listed. gzip wins
/// whenever it is acceptable and identity is not preferred over it.
Coding ChooseCoding(std::optional<std::string_view> accept_encoding);

/// If-None-Match against |etag| with weak comparison: a list of entity tags
/// or "*"; W/ prefixes are ignored.
bool IfNoneMatchHits(std::string_view if_none_match, std::string_view etag);

/// The conditional GET decision: true means 304. If-None-Match, when
/// present, decides alone; else a valid If-Modified-Since not older than
/// |last_modified| (one-second granularity) does.
bool NotModified(std::optional<std::string_view> if_none_match,
                 std::optional<std::string_view> if_modified_since, std::string_view etag,
                 UnixTime last_modified);

}  // namespace feedd::http

#endif  // FEEDD_DAEMON_HTTP_NEGOTIATION_H_
