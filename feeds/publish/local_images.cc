#include "feeds/publish/local_images.h"

#include <boost/url/decode_view.hpp>
#include <boost/url/pct_string_view.hpp>

#include "feeds/core/links.h"
#include "feeds/render/feed_view.h"

namespace feedd {
namespace {

constexpr std::string_view kPrefix = "/articles/";
constexpr std::size_t kCachedImages = 64;

// "pics/quay.jpg" for base_url + "articles/pics/quay.jpg?x"; nothing for a
// URL elsewhere or a path that is not a plain image file path.
std::optional<std::string> LocalRelativePath(std::string url, const SiteInfo& site) {
  const std::string base = site.base_url + std::string(kPrefix.substr(1));
  if (!url.starts_with(base)) return std::nullopt;
  url = url.substr(base.size());
  url = url.substr(0, url.find_first_of("?#"));
  const auto encoded = boost::urls::make_pct_string_view(url);
  if (!encoded) return std::nullopt;
  std::string rel;
  for (char c : encoded->decode()) rel.push_back(c);
  if (!StaysBeneath(rel, /*dot_names=*/false) || ImageMediaType(rel).empty()) return std::nullopt;
  return rel;
}

}  // namespace

std::optional<LocalImage> FindLocalImage(const ArticleFolder& folder, const SiteInfo& site,
                                         const Article& article) {
  if (article.image_url.empty()) return std::nullopt;
  // Resolved against the page, as the page's <img> is.
  const std::optional<std::string> rel =
      LocalRelativePath(ResolveUrl(ArticlePageUrl(article, site), article.image_url), site);
  if (!rel) return std::nullopt;
  const std::optional<FileStamp> stamp = folder.Stamp(*rel);
  if (!stamp) return std::nullopt;
  return LocalImage{std::string(kPrefix) + *rel, stamp->size};
}

std::vector<std::string> LocalImageRoutes(const std::string& html, const SiteInfo& site) {
  std::vector<std::string> routes;
  for (const std::string& src : ImageSources(html)) {
    if (const std::optional<std::string> rel = LocalRelativePath(src, site)) {
      routes.push_back(std::string(kPrefix) + *rel);
    }
  }
  return routes;
}

std::vector<std::string> PageImages(const std::string& route, const Document& doc,
                                    const SiteInfo& site) {
  if (!route.starts_with(kPrefix) || !route.ends_with(".html")) return {};
  return LocalImageRoutes(doc.body, site);
}

LocalImages::LocalImages(OpenArticleFolder open_folder, std::size_t max_bytes)
    : open_folder_(std::move(open_folder)), max_bytes_(max_bytes), cache_(kCachedImages) {}

DocumentPtr LocalImages::Find(std::string_view path) const {
  if (!path.starts_with(kPrefix)) return nullptr;
  const std::string rel(path.substr(kPrefix.size()));
  const std::string type = ImageMediaType(rel);
  if (type.empty() || !StaysBeneath(rel, /*dot_names=*/false)) return nullptr;
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
                                 /*compress=*/type == "image/svg+xml");
  std::lock_guard lock(mu_);
  cache_.Put(rel, Cached{*stamp, doc});
  return doc;
}

}  // namespace feedd
