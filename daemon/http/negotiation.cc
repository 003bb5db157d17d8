#include "daemon/http/negotiation.h"

#include <string>

#include "feeds/dates.h"
#include "feeds/text_util.h"

namespace feedd::http {
namespace {

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
  for (const std::string& item : SplitList(*header, ',')) {
    const std::size_t semi = item.find(';');
    const std::string token = AsciiLower(Trim(std::string_view(item).substr(0, semi)));
    double q = 1.0;
    if (semi != std::string::npos) {
      for (const std::string& param : SplitList(std::string_view(item).substr(semi + 1), ';')) {
        const std::size_t eq = param.find('=');
        if (eq == std::string::npos || AsciiLower(Trim(param.substr(0, eq))) != "q") continue;
        q = ParseQ(param.substr(eq + 1)).value_or(0.0);  // a malformed q is not a yes
      }
    }
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
  auto opaque = [](std::string_view tag) {
    tag = Trim(tag);
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    return tag;
  };
  const std::string_view mine = opaque(etag);
  for (const std::string& item : SplitList(header, ',')) {
    if (item == "*" || opaque(item) == mine) return true;
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
