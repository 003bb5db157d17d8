#include "daemon/http/negotiation.h"

#include <algorithm>
#include <boost/beast/http/rfc7230.hpp>
#include <string>

#include "feeds/core/dates.h"
#include "feeds/core/text_util.h"

namespace feedd::http {
namespace {

namespace beast_http = boost::beast::http;

// A q-value: "1", "0.5", "0.000"; nullopt when malformed.
std::optional<double> ParseQ(std::string_view v) {
  v = Trim(v);
  if (v.empty() || v.size() > 5 || (v[0] != '0' && v[0] != '1')) return std::nullopt;
  if (v.size() > 1 && (v[1] != '.' || v.find_first_not_of("0123456789", 2) != std::string::npos)) {
    return std::nullopt;
  }
  const double q = std::stod(std::string(v));
  return q <= 1.0 ? std::optional<double>(q) : std::nullopt;
}

}  // namespace

Coding ChooseCoding(std::optional<std::string_view> header) {
  if (!header) return Coding::kIdentity;
  std::optional<double> gzip, identity, star;
  // Beast's RFC 9110 §5.6.1 list: "token *( OWS ; OWS param )" items. At a
  // malformed byte the list ends, so what follows it counts for nothing.
  for (const auto& [name, params] : beast_http::ext_list(*header)) {
    const std::string token = AsciiLower(std::string_view(name.data(), name.size()));
    double q = 1.0;
    bool malformed = false;
    for (const auto& [param, value] : params) {
      // Boost 1.81's ext_list leaves the previous item's parameters in
      // place when the list ends on a bare token ("identity;q=0, gzip"
      // gives gzip q=0): parameters before the token are not its own.
      if (param.data() < name.data()) break;
      if (AsciiLower(std::string_view(param.data(), param.size())) != "q") continue;
      // A member with a malformed q ("gzip;q=high") is ignored, as if not
      // sent: neither a yes nor a refusal.
      const std::optional<double> parsed = ParseQ(std::string_view(value.data(), value.size()));
      malformed = malformed || !parsed;
      q = parsed.value_or(0.0);
    }
    if (malformed) continue;
    if (token == "gzip" || token == "x-gzip") {
      gzip = std::max(gzip.value_or(0.0), q);
    } else if (token == "identity") {
      identity = q;
    } else if (token == "*") {
      star = q;
    }
  }
  const double gzip_q = gzip.value_or(star.value_or(0.0));
  // Identity is acceptable unless refused explicitly, or by "*;q=0" without
  // an identity entry of its own.
  const double identity_q = identity.value_or(star && *star == 0.0 ? 0.0 : 1.0);
  // Only an identity the client listed, with a higher weight, beats gzip.
  if (gzip_q > 0.0 && (!identity || gzip_q >= identity_q)) return Coding::kGzip;
  if (identity_q > 0.0) return Coding::kIdentity;
  if (gzip_q > 0.0) return Coding::kGzip;
  return Coding::kNoneAcceptable;
}

bool IfNoneMatchHits(std::string_view header, std::string_view etag) {
  // Entity tags are not tokens (an opaque tag may hold a comma), so Beast's
  // token lists do not apply. RFC 9110 §8.8.3: "*" / #( [ W/ ] DQUOTE
  // *etagc DQUOTE ). A malformed member ends the list.
  if (etag.starts_with("W/")) etag.remove_prefix(2);
  std::size_t i = 0;
  auto skip_separators = [&] {
    while (i < header.size() && (header[i] == ' ' || header[i] == '\t' || header[i] == ',')) ++i;
  };
  for (skip_separators(); i < header.size(); skip_separators()) {
    if (header[i] == '*') return true;
    if (header.substr(i, 2) == "W/") i += 2;
    if (i >= header.size() || header[i] != '"') return false;
    const std::size_t close = header.find('"', i + 1);
    if (close == std::string_view::npos) return false;
    if (header.substr(i, close + 1 - i) == etag) return true;
    i = close + 1;
    while (i < header.size() && (header[i] == ' ' || header[i] == '\t')) ++i;
    if (i < header.size() && header[i] != ',') return false;
  }
  return false;
}

bool NotModified(std::optional<std::string_view> if_none_match,
                 std::optional<std::string_view> if_modified_since, std::string_view etag,
                 UnixTime last_modified) {
  if (if_none_match) return IfNoneMatchHits(*if_none_match, etag);
  if (if_modified_since) {
    const std::optional<UnixTime> since = ParseHttpDate(*if_modified_since);
    return since && last_modified <= *since;
  }
  return false;
}

}  // namespace feedd::http
