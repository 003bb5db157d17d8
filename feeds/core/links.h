// feeds/core/links.h
//
// The URLs and ids a feed carries: tag URIs for ids, item links from the
// configured template, category slugs, and relative URLs in content made
// absolute. The one place URLs are built and read:
//  - percent-encoding is Boost.URL's (the router and the local images
//    decode with Boost.URL too);
//  - absolute URLs are parsed, and references resolved, by libcurl's URL
//    API: Boost.URL 1.81 (Debian 12) resolves "../" above the root wrongly
//    (boostorg/url#808) and rejects the IRIs operators write in base URLs.
//    links_test pins the RFC 3986 results that rule out switching.
// HTML is read by gumbo.

#ifndef FEEDD_FEEDS_CORE_LINKS_H_
#define FEEDD_FEEDS_CORE_LINKS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "feeds/core/article.h"
#include "feeds/core/site.h"

namespace feedd {

/// "tag:example.org,2026-01-01:<specific>", with |specific| percent-encoded
/// where RFC 4151 does not allow its characters.
std::string TagUri(const SiteInfo& site, std::string_view specific);

/// The item's link: the article's own link, else the site's template.
std::string ItemLink(const Article& article, const SiteInfo& site);

/// The URL of feedd's own page for |article|:
/// base_url + "articles/<slug>.html", the slug percent-encoded.
std::string ArticlePageUrl(const Article& article, const SiteInfo& site);

/// Lower-case, '-' for anything that is not a letter or digit: "World News" -> "world-news".
/// Letters outside ASCII are kept.
std::string Slugify(std::string_view text);

/// Whether the '/'-separated relative |path| stays beneath the folder it is
/// joined to: no empty, "." or ".." segment and no backslash; without
/// |dot_names|, no segment may start with '.' at all (no hidden files).
bool StaysBeneath(std::string_view path, bool dot_names);

/// Percent-encodes everything but unreserved characters and '/'.
std::string PercentEncodePath(std::string_view path);

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

/// |html| with every relative href and src attribute resolved against
/// |base|; all other bytes stay as they are. The fragment is read with an
/// HTML5 parser (gumbo), so attributes are found as a browser finds them,
/// quoted or not, whatever their case. Markup nested more than 1,000 deep,
/// or with more than 500,000 tags, is returned unchanged: the parser's cost
/// grows with the square of the nesting depth.
std::string AbsolutizeUrls(const std::string& html, const std::string& base);

/// The src of every <img> in |html|, as written (after entity decoding), in
/// document order; none for markup AbsolutizeUrls() would not parse.
std::vector<std::string> ImageSources(const std::string& html);

}  // namespace feedd

#endif  // FEEDD_FEEDS_CORE_LINKS_H_
