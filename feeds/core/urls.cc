#include "feeds/core/urls.h"

#include <curl/curl.h>

#include <boost/url/decode_view.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/grammar/lut_chars.hpp>
#include <boost/url/pct_string_view.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <memory>

namespace feedd {
namespace {

struct CurlUrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};

}  // namespace

std::string PercentEncode(std::string_view s, const char* also_allowed) {
  return boost::urls::encode(
      s, boost::urls::unreserved_chars + boost::urls::grammar::lut_chars(also_allowed));
}

std::string PercentEncodePath(std::string_view path) { return PercentEncode(path, "/"); }

std::optional<std::string> PercentDecode(std::string_view encoded) {
  const auto view = boost::urls::make_pct_string_view(encoded);
  if (!view) return std::nullopt;
  std::string out;
  out.reserve(view->decoded_size());
  for (char c : view->decode()) out.push_back(c);
  return out;
}

bool StaysBeneath(std::string_view path, bool dot_names) {
  if (path.empty() || path.find('\\') != std::string_view::npos) return false;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = path.find('/', start);
    const std::string_view segment =
        path.substr(start, end == std::string_view::npos ? end : end - start);
    if (segment.empty() || segment == "." || segment == "..") return false;
    if (!dot_names && segment.front() == '.') return false;
    if (end == std::string_view::npos) return true;
    start = end + 1;
  }
}

std::optional<UrlParts> ParseUrl(const std::string& url) {
  std::unique_ptr<CURLU, CurlUrlDeleter> handle(curl_url());
  if (!handle || curl_url_set(handle.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    return std::nullopt;
  }
  auto part = [&](CURLUPart which) {
    char* value = nullptr;
    if (curl_url_get(handle.get(), which, &value, 0) != CURLUE_OK || !value) return std::string();
    std::string out(value);
    curl_free(value);
    return out;
  };
  UrlParts parts{part(CURLUPART_HOST), part(CURLUPART_PATH)};
  // (= "/" trips GCC 12 -Wrestrict, a false positive)
  if (parts.path.empty()) parts.path.assign(1, '/');
  return parts;
}

std::string UrlPath(const std::string& url) {
  const std::optional<UrlParts> parts = ParseUrl(url);
  return parts ? parts->path : "/";
}

std::string ResolveUrl(const std::string& base, const std::string& ref) {
  if (ref.empty() || base.empty() || ref[0] == '#') return ref;
  std::unique_ptr<CURLU, CurlUrlDeleter> url(curl_url());
  if (!url || curl_url_set(url.get(), CURLUPART_URL, base.c_str(), 0) != CURLUE_OK) return ref;
  // Setting a relative URL on a handle holding an absolute one resolves it.
  if (curl_url_set(url.get(), CURLUPART_URL, ref.c_str(),
                   CURLU_NON_SUPPORT_SCHEME | CURLU_ALLOW_SPACE) != CURLUE_OK) {
    return ref;
  }
  char* full = nullptr;
  if (curl_url_get(url.get(), CURLUPART_URL, &full, 0) != CURLUE_OK) return ref;
  std::string out(full);
  curl_free(full);
  return out;
}

}  // namespace feedd
