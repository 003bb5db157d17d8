// feeds/publish/summary_cache.h
//
// Articles' summaries (and image lengths), by file and content hash, for
// the documents that show summaries only (archives, summary-only feeds): a
// newsroom's article is in three archive months or more (the main feed's,
// its category's, its author's), and its summary costs reading and parsing
// its whole file. Bounded in bytes, least recently used out first; an
// article that changes has a new hash, so a stale summary is never found.
//
// Thread safety: every method may be called from any thread.

#ifndef FEEDD_FEEDS_PUBLISH_SUMMARY_CACHE_H_
#define FEEDD_FEEDS_PUBLISH_SUMMARY_CACHE_H_

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "feeds/core/lru_cache.h"
#include "feeds/render/body_cache.h"

namespace feedd {

class SummaryCache {
 public:
  explicit SummaryCache(std::size_t budget_bytes) : cache_(budget_bytes) {}

  /// The summary kept for the article at |path| with content |hash|
  /// (content_html empty); nothing when none is.
  std::optional<ArticleBody> Find(const std::string& path, std::uint64_t hash) const {
    std::lock_guard lock(mu_);
    const ArticleBody* hit = cache_.Find(Key(path, hash));
    if (!hit) return std::nullopt;
    return *hit;
  }

  /// Keeps |body|'s summary and image length.
  void Put(const std::string& path, std::uint64_t hash, const ArticleBody& body) {
    std::string key = Key(path, hash);
    const std::size_t cost = key.size() + body.summary.size() + sizeof(ArticleBody) + 64;
    std::lock_guard lock(mu_);
    cache_.Put(key, ArticleBody{body.summary, {}, body.image_length}, cost);
  }

  void SetBudget(std::size_t budget_bytes) {
    std::lock_guard lock(mu_);
    cache_.SetBudget(budget_bytes);
  }

 private:
  static std::string Key(const std::string& path, std::uint64_t hash) {
    return path + '\n' + std::to_string(hash);
  }

  mutable std::mutex mu_;
  mutable LruCache<ArticleBody> cache_;
};

}  // namespace feedd

#endif  // FEEDD_FEEDS_PUBLISH_SUMMARY_CACHE_H_
