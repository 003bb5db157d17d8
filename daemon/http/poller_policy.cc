#include "daemon/http/poller_policy.h"

#include <algorithm>
#include <functional>
#include <utility>

#include "daemon/base/metrics.h"
#include "daemon/http/negotiation.h"
#include "feeds/core/dates.h"
#include "feeds/core/text_util.h"

namespace feedd::http {
namespace {

// Versions of a document remembered as issued: a reader that polls every
// hour keeps up with a feed that changes a few times in between.
constexpr std::size_t kIssuedVersions = 8;

// Where each family's name appears in User-Agent (lower case), in the
// order tried, by its index in Metrics::kClientFamilies.
constexpr std::pair<std::string_view, std::string_view> kAgents[] = {
    {"tiny tiny rss", "tt-rss"}, {"freshrss", "freshrss"},
    {"miniflux", "miniflux"},    {"feedly", "feedly"},
    {"inoreader", "inoreader"},  {"newsblur", "newsblur"},
    {"feedbin", "feedbin"},      {"nextcloud-news", "nextcloud-news"},
    {"liferea", "liferea"},      {"netnewswire", "netnewswire"},
    {"newsboat", "newsboat"},    {"thunderbird", "thunderbird"},
    {"feeder", "feeder"},        {"feedparser", "feedparser"},
    {"curl/", "curl"},           {"mozilla/", "browser"},
};

std::size_t FamilyIndex(std::string_view family) {
  const auto& families = Metrics::kClientFamilies;
  return static_cast<std::size_t>(std::find(families.begin(), families.end(), family) -
                                  families.begin());
}

}  // namespace

std::size_t ClientFamily(std::string_view user_agent) {
  if (Trim(user_agent).empty()) return FamilyIndex("none");
  const std::string agent = AsciiLower(user_agent.substr(0, 512));
  for (const auto& [needle, family] : kAgents) {
    if (agent.find(needle) != std::string::npos) return FamilyIndex(family);
  }
  return FamilyIndex("other");
}

std::optional<std::string> PollingClient(const IpAddress& peer, std::string_view peer_text,
                                         std::optional<std::string_view> forwarded_for,
                                         const std::vector<AddressRange>& trusted) {
  if (!AnyContains(trusted, peer)) return std::string(peer_text);
  if (!forwarded_for) return std::nullopt;
  // From the right: each hop a trusted proxy added, until the first
  // address none of them is (the client as the nearest proxy saw it).
  std::string_view rest = *forwarded_for;
  while (!rest.empty()) {
    const std::size_t comma = rest.rfind(',');
    const std::string_view hop =
        Trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
    if (hop.empty()) continue;
    const std::optional<IpAddress> address = ParseIpAddress(hop);
    // Not an address ("unknown", an obfuscated name): as the proxy gave it.
    if (!address || !AnyContains(trusted, *address)) return std::string(hop);
  }
  return std::nullopt;
}

PollerPolicy::PollerPolicy(std::size_t max_clients)
    : last_sent_(std::max<std::size_t>(max_clients, 1)) {}

bool PollerPolicy::WasIssued(const std::deque<Issued>& issued,
                             std::optional<std::string_view> if_none_match,
                             std::optional<std::string_view> if_modified_since) const {
  const std::optional<UnixTime> since =
      if_modified_since ? ParseHttpDate(*if_modified_since) : std::nullopt;
  for (const Issued& version : issued) {
    if (if_none_match &&
        (IfNoneMatchHits(*if_none_match, version.etag) ||
         (!version.gzip_etag.empty() && IfNoneMatchHits(*if_none_match, version.gzip_etag)))) {
      return true;
    }
    if (since && *since == version.last_modified) return true;
  }
  return false;
}

PollerPolicy::Verdict PollerPolicy::Decide(std::string_view client, std::string_view user_agent,
                                           std::string_view route, const Document& doc,
                                           std::optional<std::string_view> if_none_match,
                                           std::optional<std::string_view> if_modified_since,
                                           bool not_modified, UnixTime now, int window) {
  // One key per client, agent and document; hashed, so a long User-Agent
  // costs no memory.
  std::string key(client);
  key.push_back('\n');
  key.append(user_agent);
  key.push_back('\n');
  key.append(route);
  key = std::to_string(std::hash<std::string>()(key));

  std::lock_guard lock(mu_);
  std::deque<Issued>& issued = issued_[std::string(route)];
  if (issued.empty() || issued.front().etag != doc.etag) {
    issued.push_front({doc.etag, doc.gzip_etag, doc.last_modified});
    if (issued.size() > kIssuedVersions) issued.pop_back();
  }
  if (not_modified) return {PollerBehaviour::kConditional};
  PollerBehaviour behaviour = PollerBehaviour::kUnconditional;
  if (if_none_match || if_modified_since) {
    behaviour = WasIssued(issued, if_none_match, if_modified_since)
                    ? PollerBehaviour::kConditional
                    : PollerBehaviour::kInventedValidator;
  }
  if (behaviour != PollerBehaviour::kConditional && window > 0) {
    if (const UnixTime* sent = last_sent_.Find(key); sent && now - *sent < window && now >= *sent) {
      return {PollerBehaviour::kTooEarly, static_cast<int>(*sent + window - now)};
    }
  }
  last_sent_.Put(key, now);
  return {behaviour};
}

void PollerPolicy::SetMaxClients(std::size_t max_clients) {
  std::lock_guard lock(mu_);
  last_sent_.SetBudget(std::max<std::size_t>(max_clients, 1));
}

std::size_t PollerPolicy::clients() const {
  std::lock_guard lock(mu_);
  return last_sent_.size();
}

}  // namespace feedd::http
