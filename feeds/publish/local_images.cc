#include "feeds/publish/local_images.h"

#include "feeds/core/fingerprint.h"
#include "feeds/core/media_types.h"
#include "feeds/core/routes.h"
#include "feeds/core/urls.h"
#include "feeds/publish/surrogate_keys.h"
#include "feeds/render/content_links.h"

namespace feedd {
namespace {

constexpr std::size_t kCachedImages = 64;

// The file below the articles folder that a URL beneath base_url names
// ("pics/quay.jpg" for base_url + "articles/pics/quay.jpg?x"); nothing for
// a URL elsewhere or a path that is not a plain image file path.
std::optional<std::string> LocalRelativePath(const std::string& url, const SiteInfo& site) {
  std::optional<Route> route = Route::FromUrl(url, site);
  if (!route || route->kind != RouteKind::kImage) return std::nullopt;
  if (!StaysBeneath(route->name, /*dot_names=*/false) || ImageMediaType(route->name).empty()) {
    return std::nullopt;
  }
  return std::move(route->name);
}

}  // namespace

std::optional<LocalImage> FindLocalImage(const ArticleFolder& folder, const SiteInfo& site,
                                         const Article& article) {
  if (article.image_url.empty()) return std::nullopt;
  // Resolved against the page, as the page's <img> is.
  const std::optional<std::string> rel = LocalRelativePath(
      ResolveUrl(Route::ArticlePage(EffectiveSlug(article)).Url(site), article.image_url), site);
  if (!rel) return std::nullopt;
  const std::optional<FileStamp> stamp = folder.Stamp(*rel);
  if (!stamp) return std::nullopt;
  return LocalImage{Route::Image(*rel).path(), stamp->size};
}

std::vector<std::string> LocalImageRoutes(const std::string& html, const SiteInfo& site) {
  std::vector<std::string> routes;
  for (const std::string& src : ImageSources(html)) {
    if (const std::optional<std::string> rel = LocalRelativePath(src, site)) {
      routes.push_back(Route::Image(*rel).path());
    }
  }
  return routes;
}

std::vector<std::string> PageImages(const std::string& route, const Document& doc,
                                    const SiteInfo& site) {
  const std::optional<Route> parsed = Route::Parse(route);
  if (!parsed || parsed->kind != RouteKind::kArticlePage) return {};
  return LocalImageRoutes(doc.body, site);
}

LocalImages::LocalImages(OpenArticleFolder open_folder, std::size_t max_bytes)
    : open_folder_(std::move(open_folder)), max_bytes_(max_bytes), cache_(kCachedImages) {}

namespace {

// The image file beneath the folder that |path| names, or nothing.
std::optional<std::string> ImageFileOf(std::string_view path) {
  std::optional<Route> route = Route::Parse(path);
  if (!route || route->kind != RouteKind::kImage) return std::nullopt;
  if (ImageMediaType(route->name).empty() || !StaysBeneath(route->name, /*dot_names=*/false)) {
    return std::nullopt;
  }
  return std::move(route->name);
}

}  // namespace

std::optional<std::uint64_t> LocalImages::Fingerprint(std::string_view path) const {
  const std::optional<std::string> rel = ImageFileOf(path);
  if (!rel) return std::nullopt;
  const std::optional<FileStamp> stamp = open_folder_()->Stamp(*rel);
  if (!stamp || stamp->size > max_bytes_) return std::nullopt;
  return feedd::Fingerprint()
      .Add(*rel)
      .Add(stamp->size)
      .Add(stamp->mtime_ns)
      .Add(stamp->inode)
      .Value();
}

DocumentPtr LocalImages::Find(std::string_view path) const {
  const std::optional<std::string> file = ImageFileOf(path);
  if (!file) return nullptr;
  const std::string& rel = *file;
  const std::string type = ImageMediaType(rel);
  const std::shared_ptr<const ArticleFolder> folder = open_folder_();
  const std::optional<FileStamp> stamp = folder->Stamp(rel);
  if (!stamp || stamp->size > max_bytes_) return nullptr;
  {
    std::lock_guard lock(mu_);
    if (const Cached* hit = cache_.Find(rel); hit && hit->stamp == *stamp) return hit->doc;
  }
  std::string bytes;
  Problems problems;
  if (!folder->Read(rel, max_bytes_, &bytes, &problems) || bytes.size() > max_bytes_)
    return nullptr;
  // Bitmaps are compressed already and served as they are; SVG is text.
  DocumentPtr doc = MakeDocument(type, std::move(bytes), stamp->mtime(), "", {}, -1, false,
                                 /*compress=*/type == "image/svg+xml", DocumentKeys(path));
  std::lock_guard lock(mu_);
  cache_.Put(rel, Cached{*stamp, doc});
  return doc;
}

}  // namespace feedd
