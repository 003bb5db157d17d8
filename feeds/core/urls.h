// feeds/core/urls.h
//
// URLs as strings: percent-encoding (Boost.URL), parsing absolute URLs and
// resolving references (libcurl's URL API), and the check that a relative
// path stays beneath the folder it is joined to. Which URLs feedd's own
// documents have is feeds/core/routes.h.
//
// Resolution is libcurl's on purpose: Boost.URL 1.81 (Debian 12) resolves
// "../" above the root wrongly (boostorg/url#808) and rejects the IRIs
// operators write in base URLs; urls_test pins the RFC 3986 results that
// rule out switching.

#ifndef FEEDD_FEEDS_CORE_URLS_H_
#define FEEDD_FEEDS_CORE_URLS_H_

#include <optional>
#include <string>
#include <string_view>

namespace feedd {

/// Every byte but RFC 3986 unreserved characters and |also_allowed|
/// percent-encoded, in upper-case hex.
std::string PercentEncode(std::string_view s, const char* also_allowed);

/// Percent-encodes everything but unreserved characters and '/'.
std::string PercentEncodePath(std::string_view path);

/// |encoded| percent-decoded; nullopt when it holds a malformed escape.
std::optional<std::string> PercentDecode(std::string_view encoded);

/// Whether the '/'-separated relative |path| stays beneath the folder it is
/// joined to: no empty, "." or ".." segment and no backslash; without
/// |dot_names|, no segment may start with '.' at all (no hidden files).
bool StaysBeneath(std::string_view path, bool dot_names);

/// The parts of an absolute URL feedd needs.
struct UrlParts {
  std::string host;  ///< "news.example.org", "[::1]"
  std::string path;  ///< "/news/"; "/" when it has none
};

/// |url|'s parts; nullopt when it is not an absolute URL.
std::optional<UrlParts> ParseUrl(const std::string& url);

/// The path of |url| ("https://a.example/news/" -> "/news/"); "/" when it
/// has none or cannot be parsed.
std::string UrlPath(const std::string& url);

/// |ref| resolved against |base|; |ref| unchanged when either is unusable.
std::string ResolveUrl(const std::string& base, const std::string& ref);

}  // namespace feedd

#endif  // FEEDD_FEEDS_CORE_URLS_H_
