// feeds/publish/local_images.h
//
// Images kept beside the articles. An article's image given as a relative
// path ("Image: pics/quay.jpg") resolves, against its page at
// "/articles/<slug>.html", to "/articles/pics/quay.jpg"; feedd serves that
// route from the file at the same place in the articles folder (read
// beneath the folder, never through ".." or a link out of it), so enclosure
// and page images work without a separate web server. The feeds give such
// an image its real length.
//
// Thread safety: FindLocalImage() is pure but for the stat; LocalImages'
// Find() may be called from any thread.

#ifndef FEEDD_FEEDS_PUBLISH_LOCAL_IMAGES_H_
#define FEEDD_FEEDS_PUBLISH_LOCAL_IMAGES_H_

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "feeds/core/article.h"
#include "feeds/core/lru_cache.h"
#include "feeds/core/site.h"
#include "feeds/input/article_folder.h"
#include "feeds/publish/snapshot.h"

namespace feedd {

struct LocalImage {
  std::string route;  ///< "/articles/pics/quay.jpg", percent-decoded
  std::uint64_t size = 0;
};

/// The file in |folder| that |article|'s image names, when the image URL
/// resolves under base_url + "articles/" to an image file that exists.
std::optional<LocalImage> FindLocalImage(const ArticleFolder& folder, const SiteInfo& site,
                                         const Article& article);

/// The routes of the local images an article page (or any HTML) shows with
/// <img>: those under base_url + "articles/" that name an image file path.
/// Whether the files exist is not checked.
std::vector<std::string> LocalImageRoutes(const std::string& html, const SiteInfo& site);

/// For the static export: an article page ("/articles/....html") needs the
/// local images it shows written beside it.
std::vector<std::string> PageImages(const std::string& route, const Document& doc,
                                    const SiteInfo& site);

class LocalImages final : public LazyDocuments {
 public:
  /// Files larger than |max_bytes| are not served.
  LocalImages(OpenArticleFolder open_folder, std::size_t max_bytes = 20 * 1024 * 1024);

  DocumentPtr Find(std::string_view path) const override;
  /// Of the file's stamp (size, mtime, inode).
  std::optional<std::uint64_t> Fingerprint(std::string_view path) const override;

 private:
  struct Cached {
    FileStamp stamp;
    DocumentPtr doc;
  };
  const OpenArticleFolder open_folder_;
  const std::size_t max_bytes_;
  mutable std::mutex mu_;
  mutable LruCache<Cached> cache_;  // by path below the folder
};

}  // namespace feedd

#endif  // FEEDD_FEEDS_PUBLISH_LOCAL_IMAGES_H_
