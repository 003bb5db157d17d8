// feeds/core/routes.h
//
// Every address a document has, built and read in this one place.
//
// A route is the path a document is served at and exported to,
// percent-decoded, from the root: "/category/world/feed.rss". Its URL is
// site.base_url with the route (without its leading '/') percent-encoded
// after it. Route::Parse() reads a route back into the value that made it,
// so publication, the documents rendered on request, the router and the
// export agree on what every path means.
//
//   /                                     the index page
//   /feed.xsl                             the stylesheet feeds point at
//   /<feed path>.<rss|atom|json>          a feed document
//   /<feed path>.html                     its HTML preview
//   /<feed path>/archive/YYYY-MM.<ext>    its archive of one month (RFC 5005)
//   /articles/<slug>.html                 an article page
//   /articles/<file>                      an image beside the articles
//
// Feed paths come from feeds.main_path, feeds.category_path and
// feeds.author_path ({category} and {author} filled with a slug) and from
// custom feeds' paths. The tag URIs (RFC 4151) that identify items and
// feeds are built here too.

#ifndef FEEDD_FEEDS_CORE_ROUTES_H_
#define FEEDD_FEEDS_CORE_ROUTES_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "feeds/core/article.h"
#include "feeds/core/dates.h"
#include "feeds/core/media_types.h"
#include "feeds/core/site.h"

namespace feedd {

enum class RouteKind { kIndex, kStylesheet, kFeed, kFeedPreview, kArchive, kArticlePage, kImage };

struct Route {
  RouteKind kind = RouteKind::kIndex;
  /// kFeed, kFeedPreview, kArchive: the feed's path ("category/world/feed");
  /// kArticlePage: the slug; kImage: the file's path below the articles
  /// folder ("pics/quay.jpg"). Empty otherwise.
  std::string name;
  FeedFormat format = FeedFormat::kRss;  ///< kFeed and kArchive
  Month month = 0;                       ///< kArchive

  static Route Index() { return {}; }
  static Route Stylesheet() { return {RouteKind::kStylesheet, "", FeedFormat::kRss, 0}; }
  static Route Feed(std::string feed_path, FeedFormat format) {
    return {RouteKind::kFeed, std::move(feed_path), format, 0};
  }
  static Route Preview(std::string feed_path) {
    return {RouteKind::kFeedPreview, std::move(feed_path), FeedFormat::kRss, 0};
  }
  static Route Archive(std::string feed_path, Month month, FeedFormat format) {
    return {RouteKind::kArchive, std::move(feed_path), format, month};
  }
  static Route ArticlePage(std::string slug) {
    return {RouteKind::kArticlePage, std::move(slug), FeedFormat::kRss, 0};
  }
  static Route Image(std::string file) {
    return {RouteKind::kImage, std::move(file), FeedFormat::kRss, 0};
  }

  /// The route, percent-decoded: "/category/world/feed.rss".
  std::string path() const;
  /// Its absolute URL: site.base_url + path() without the '/', encoded.
  std::string Url(const SiteInfo& site) const;
  /// Its path-absolute reference, for links that must stay on the origin
  /// they were served from: base_url's path + path() without the '/'.
  std::string Reference(const SiteInfo& site) const;

  /// What |path| (percent-decoded, from the root) names; nothing for a
  /// path no document could have.
  static std::optional<Route> Parse(std::string_view path);
  /// What |url| names when it lies beneath site.base_url (query and
  /// fragment ignored, percent-decoded); nothing otherwise.
  static std::optional<Route> FromUrl(std::string_view url, const SiteInfo& site);

  bool operator==(const Route&) const = default;
};

/// A feed's own documents: its three formats, then its preview.
std::vector<Route> FeedRoutes(const std::string& feed_path);
/// A feed's archive of |month|, one per format.
std::vector<Route> ArchiveRoutes(const std::string& feed_path, Month month);

/// The feed paths, from the configured templates.
std::string MainFeedPath(const FeedSettings& settings);
std::string CategoryFeedPath(const FeedSettings& settings, const std::string& category_slug);
std::string AuthorFeedPath(const FeedSettings& settings, const std::string& author_slug);

/// The route of |article|'s own page; nothing when it has none: its own
/// link, or a slug that would leave the articles/ folder ("..", "." or
/// empty segments, a backslash).
std::optional<Route> ArticlePageRoute(const Article& article);

/// The item's link: the article's own link (resolved against site.link),
/// else site.item_link with {slug}, {id} and {category} filled in, else
/// the URL of feedd's page for it.
std::string ItemLink(const Article& article, const SiteInfo& site);

/// "tag:example.org,2026-01-01:<specific>", with |specific| percent-encoded
/// where RFC 4151 does not allow its characters.
std::string TagUri(const SiteInfo& site, std::string_view specific);
/// The id of the feed whose key is |feed_key| ("main", "category/world"),
/// and of its archive of |month|.
std::string FeedTagUri(const SiteInfo& site, const std::string& feed_key);
std::string ArchiveTagUri(const SiteInfo& site, const std::string& feed_key, Month month);

}  // namespace feedd

#endif  // FEEDD_FEEDS_CORE_ROUTES_H_
