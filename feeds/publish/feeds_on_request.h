// feeds/publish/feeds_on_request.h
//
// Feed documents rendered when first asked for, not by every rebuild:
//  - the archive documents of every feed (RFC 5005 §4), at
//    "<feed path>/archive/<YYYY-MM>.<rss|atom|json>": one per calendar month
//    of what the feed's document no longer shows, linked to each other with
//    prev-archive and next-archive and to the feed with current. Their
//    items carry summaries, not bodies: a busy month holds thousands of
//    articles, each a click away on its page. A closed month's documents
//    are served with |closed_max_age| and immutable.
//  - the documents (and HTML previews) of the feeds the registry marks as
//    rendered on request (Feed::on_request: the author feeds, hundreds in
//    a newsroom, most rarely read).
// A newsroom's history and its many small feeds are too large to keep
// rendered, so each is rendered from the registry (under the catalog's
// shared lock) and the articles' files, in every format at once, and kept
// in a cache (at most |cache_bytes|, least recently used out first) until
// what it shows changes.
//
// Thread safety: Find() may be called from any thread.

#ifndef FEEDD_FEEDS_PUBLISH_FEEDS_ON_REQUEST_H_
#define FEEDD_FEEDS_PUBLISH_FEEDS_ON_REQUEST_H_

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "feeds/core/lru_cache.h"
#include "feeds/core/site.h"
#include "feeds/index/catalog.h"
#include "feeds/publish/snapshot.h"
#include "feeds/render/body_cache.h"
#include "feeds/render/feed_view.h"

namespace feedd {

class FeedsOnRequest final : public LazyDocuments {
 public:
  /// |load| reads an article's body (links as written) and must be callable
  /// from any thread.
  FeedsOnRequest(std::shared_ptr<const Catalog> catalog, SiteInfo site, FeedSettings settings,
                 BodyLoader load, int closed_max_age, std::size_t cache_bytes = 64 << 20);

  DocumentPtr Find(std::string_view path) const override;
  /// Of the feed's title and links and what each item shows (content,
  /// file, slug, dates).
  std::optional<std::uint64_t> Fingerprint(std::string_view path) const override;

 private:
  struct Cached {
    std::uint64_t version = 0;
    std::vector<DocumentPtr> docs;  // by kAllFormats, then the preview (feeds only)
  };
  /// |key| names what |view| renders; |slot| is the document asked for.
  DocumentPtr Cache(const std::string& key, std::uint64_t version, std::vector<DocumentPtr> docs,
                    std::size_t slot) const;
  DocumentPtr Cached(const std::string& key, std::uint64_t version, std::size_t slot) const;

  const std::shared_ptr<const Catalog> catalog_;
  const SiteInfo site_;
  const FeedSettings settings_;
  const BodyLoader load_;
  const int closed_max_age_;

  mutable std::mutex mu_;
  mutable LruCache<struct Cached> cache_;  // by "<feed path>[/archive/<month>]", in bytes
};

}  // namespace feedd

#endif  // FEEDD_FEEDS_PUBLISH_FEEDS_ON_REQUEST_H_
