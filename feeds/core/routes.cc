#include "feeds/core/routes.h"

#include <cstring>

#include "feeds/core/text_util.h"
#include "feeds/core/urls.h"

namespace feedd {
namespace {

constexpr std::string_view kStylesheetFile = "feed.xsl";
constexpr std::string_view kArticlesFolder = "articles/";
constexpr std::string_view kArchiveFolder = "/archive/";
constexpr std::string_view kPageExtension = ".html";

std::optional<FeedFormat> FormatOfExtension(std::string_view path) {
  for (FeedFormat format : kAllFormats) {
    if (path.ends_with(FileExtension(format))) return format;
  }
  return std::nullopt;
}

// "category/world/feed/archive/2026-03" -> {"category/world/feed", 2026-03}.
std::optional<std::pair<std::string_view, Month>> SplitArchive(std::string_view stem) {
  const std::size_t at = stem.rfind(kArchiveFolder);
  if (at == std::string_view::npos || at == 0) return std::nullopt;
  const std::optional<Month> month = ParseMonthName(stem.substr(at + kArchiveFolder.size()));
  if (!month) return std::nullopt;
  return std::make_pair(stem.substr(0, at), *month);
}

}  // namespace

std::string Route::path() const {
  switch (kind) {
    case RouteKind::kIndex:
      return "/";
    case RouteKind::kStylesheet:
      return "/" + std::string(kStylesheetFile);
    case RouteKind::kFeed:
      return "/" + name + FileExtension(format);
    case RouteKind::kFeedPreview:
      return "/" + name + std::string(kPageExtension);
    case RouteKind::kArchive:
      return "/" + name + std::string(kArchiveFolder) + MonthName(month) + FileExtension(format);
    case RouteKind::kArticlePage:
      return "/" + std::string(kArticlesFolder) + name + std::string(kPageExtension);
    case RouteKind::kImage:
      return "/" + std::string(kArticlesFolder) + name;
  }
  return "/";
}

std::string Route::Url(const SiteInfo& site) const {
  return site.base_url + PercentEncodePath(std::string_view(path()).substr(1));
}

std::string Route::Reference(const SiteInfo& site) const {
  return UrlPath(site.base_url) + PercentEncodePath(std::string_view(path()).substr(1));
}

std::optional<Route> Route::Parse(std::string_view path) {
  if (path.empty() || path.front() != '/') return std::nullopt;
  path.remove_prefix(1);
  if (path.empty()) return Index();
  if (path == kStylesheetFile) return Stylesheet();
  if (path.starts_with(kArticlesFolder)) {
    const std::string_view rest = path.substr(kArticlesFolder.size());
    if (rest.size() > kPageExtension.size() && rest.ends_with(kPageExtension)) {
      return ArticlePage(std::string(rest.substr(0, rest.size() - kPageExtension.size())));
    }
    if (rest.empty()) return std::nullopt;
    return Image(std::string(rest));
  }
  if (const std::optional<FeedFormat> format = FormatOfExtension(path)) {
    const std::string_view stem = path.substr(0, path.size() - std::strlen(FileExtension(*format)));
    if (stem.empty()) return std::nullopt;
    if (const auto archive = SplitArchive(stem)) {
      return Archive(std::string(archive->first), archive->second, *format);
    }
    return Feed(std::string(stem), *format);
  }
  if (path.size() > kPageExtension.size() && path.ends_with(kPageExtension)) {
    return Preview(std::string(path.substr(0, path.size() - kPageExtension.size())));
  }
  return std::nullopt;
}

std::optional<Route> Route::FromUrl(std::string_view url, const SiteInfo& site) {
  if (!url.starts_with(site.base_url)) return std::nullopt;
  url.remove_prefix(site.base_url.size());
  url = url.substr(0, url.find_first_of("?#"));
  const std::optional<std::string> decoded = PercentDecode(url);
  if (!decoded) return std::nullopt;
  return Parse("/" + *decoded);
}

std::vector<Route> FeedRoutes(const std::string& feed_path) {
  std::vector<Route> routes;
  for (FeedFormat format : kAllFormats) routes.push_back(Route::Feed(feed_path, format));
  routes.push_back(Route::Preview(feed_path));
  return routes;
}

std::vector<Route> ArchiveRoutes(const std::string& feed_path, Month month) {
  std::vector<Route> routes;
  for (FeedFormat format : kAllFormats) routes.push_back(Route::Archive(feed_path, month, format));
  return routes;
}

std::string MainFeedPath(const FeedSettings& settings) { return settings.main_path; }

std::string CategoryFeedPath(const FeedSettings& settings, const std::string& category_slug) {
  std::string path = settings.category_path;
  ReplaceAll(&path, "{category}", category_slug);
  return path;
}

std::string AuthorFeedPath(const FeedSettings& settings, const std::string& author_slug) {
  std::string path = settings.author_path;
  ReplaceAll(&path, "{author}", author_slug);
  return path;
}

std::optional<Route> ArticlePageRoute(const Article& article) {
  const std::string& slug = EffectiveSlug(article);
  if (!article.link.empty() || !StaysBeneath(slug, /*dot_names=*/true)) return std::nullopt;
  return Route::ArticlePage(slug);
}

std::string ItemLink(const Article& article, const SiteInfo& site) {
  if (!article.link.empty()) return ResolveUrl(site.link, article.link);
  if (site.item_link.empty()) return Route::ArticlePage(EffectiveSlug(article)).Url(site);
  std::string link = site.item_link;
  const std::string category = article.categories.empty() ? "" : Slugify(article.categories[0]);
  ReplaceAll(&link, "{slug}", PercentEncodePath(EffectiveSlug(article)));
  ReplaceAll(&link, "{id}", PercentEncodePath(article.id));
  ReplaceAll(&link, "{category}", PercentEncodePath(category));
  return link;
}

std::string TagUri(const SiteInfo& site, std::string_view specific) {
  // RFC 4151 "specific" is pchar / "/" / "?": keep those, encode the rest.
  return "tag:" + site.tag_authority + "," + site.tag_date + ":" +
         PercentEncode(specific, "/?:@!$&'()*+,;=");
}

std::string FeedTagUri(const SiteInfo& site, const std::string& feed_key) {
  return TagUri(site, "feeds/" + feed_key);
}

std::string ArchiveTagUri(const SiteInfo& site, const std::string& feed_key, Month month) {
  return TagUri(site, "feeds/" + feed_key + std::string(kArchiveFolder) + MonthName(month));
}

}  // namespace feedd
