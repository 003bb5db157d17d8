// feeds/links.h
//
// The URLs and ids a feed carries: tag URIs for ids, item links from the
// configured template, category slugs, and relative URLs in content made
// absolute (resolution by libcurl's URL API).

#ifndef FEEDD_FEEDS_LINKS_H_
#define FEEDD_FEEDS_LINKS_H_

#include <string>
#include <string_view>

#include "feeds/article.h"
#include "feeds/site.h"

namespace feedd {

/// "tag:example.org,2026-01-01:<specific>", with |specific| percent-encoded
/// where RFC 4151 does not allow its characters.
std::string TagUri(const SiteInfo& site, std::string_view specific);

/// The item's link: the article's own link, else the site's template.
std::string ItemLink(const Article& article, const SiteInfo& site);

/// Lower-case, '-' for anything that is not a letter or digit: "World News" -> "world-news".
/// Letters outside ASCII are kept.
std::string Slugify(std::string_view text);

/// Percent-encodes everything but unreserved characters and '/'.
std::string PercentEncodePath(std::string_view path);

/// |ref| resolved against |base|; |ref| unchanged when either is unusable.
std::string ResolveUrl(const std::string& base, const std::string& ref);

/// Every href="..." and src="..." in |html| resolved against |base|.
std::string AbsolutizeUrls(const std::string& html, const std::string& base);

}  // namespace feedd

#endif  // FEEDD_FEEDS_LINKS_H_
