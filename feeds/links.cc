#include "feeds/links.h"

#include <curl/curl.h>

#include <memory>
#include <regex>

#include "feeds/text_util.h"

namespace feedd {
namespace {

bool IsUnreserved(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

std::string PercentEncode(std::string_view s, std::string_view also_allowed) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (IsUnreserved(c) || also_allowed.find(static_cast<char>(c)) != std::string_view::npos) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

struct CurlUrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};

}  // namespace

std::string TagUri(const SiteInfo& site, std::string_view specific) {
  // RFC 4151 "specific" is pchar / "/" / "?": keep those, encode the rest.
  return "tag:" + site.tag_authority + "," + site.tag_date + ":" +
         PercentEncode(specific, "/?:@!$&'()*+,;=");
}

std::string PercentEncodePath(std::string_view path) { return PercentEncode(path, "/"); }

std::string Slugify(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) {
      out += static_cast<char>(c);
    } else if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

std::string ItemLink(const Article& article, const SiteInfo& site) {
  if (!article.link.empty()) return ResolveUrl(site.link, article.link);
  std::string link =
      site.item_link.empty() ? site.base_url + "articles/{slug}.html" : site.item_link;
  const std::string category = article.categories.empty() ? "" : Slugify(article.categories[0]);
  ReplaceAll(&link, "{slug}", PercentEncodePath(EffectiveSlug(article)));
  ReplaceAll(&link, "{id}", PercentEncodePath(article.id));
  ReplaceAll(&link, "{category}", PercentEncodePath(category));
  return link;
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

std::string AbsolutizeUrls(const std::string& html, const std::string& base) {
  static const std::regex kAttr(R"re(\b(href|src)="([^"]*)")re");
  std::string out;
  auto last = html.cbegin();
  for (std::sregex_iterator it(html.begin(), html.end(), kAttr), end; it != end; ++it) {
    const std::smatch& m = *it;
    out.append(last, m[0].first);
    out += m[1].str() + "=\"" + ResolveUrl(base, m[2].str()) + "\"";
    last = m[0].second;
  }
  out.append(last, html.cend());
  return out;
}

}  // namespace feedd
