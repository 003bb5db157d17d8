// feeds/render/body_cache.h
//
// The summaries and HTML bodies of the articles that feeds show, with their
// links already made absolute. The index keeps no bodies; a feed that shows
// an article asks here, and a miss reads the article's file again through
// the caller's BodyLoader. An entry is good while the article's content
// hash and link stay the same. The registry says when no feed shows an
// article any more, and its entry goes (Forget), so the cache holds about
// as many bodies as the feeds show.
//
// When an article's file cannot be read or parsed, the body last loaded for
// it stands in: its last good version stays published while feedd runs.
// With none loaded yet, what the index knows stands in for this render
// only; the next one reads the file again. Without a loader (tests), the
// index's article is the body.
//
// Thread safety: not thread-safe; one caller at a time.

#ifndef FEEDD_FEEDS_RENDER_BODY_CACHE_H_
#define FEEDD_FEEDS_RENDER_BODY_CACHE_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "feeds/core/article.h"
#include "feeds/index/article_index.h"

namespace feedd {

struct ArticleBody {
  std::string summary;       ///< plain text
  std::string content_html;  ///< links as the file has them, or absolute once cached
  /// The size of the article's image when it is a local file, else 0.
  std::uint64_t image_length = 0;
};

/// Reads the article file at |path| again (ParseDepth::kFull); nullopt when
/// it cannot be read or no longer parses.
using BodyLoader = std::function<std::optional<ArticleBody>(const std::string& path)>;

class BodyCache {
 public:
  /// The body of |record|'s article, links resolved against |link|.
  /// REQUIRES: record.article is set.
  std::shared_ptr<const ArticleBody> Get(const IndexRecord& record, const std::string& link,
                                         const BodyLoader& load);
  /// Drops what is kept for |record|.
  void Forget(const IndexRecord* record) { entries_.erase(record); }
  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::uint64_t hash = 0;
    std::string link;
    std::shared_ptr<const ArticleBody> body;
  };
  std::unordered_map<const IndexRecord*, Entry> entries_;
};

}  // namespace feedd

#endif  // FEEDD_FEEDS_RENDER_BODY_CACHE_H_
