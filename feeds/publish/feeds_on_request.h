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
// Last-Modified never goes back (last_modified.h): the rebuild worker,
// while it holds the catalog's lock, moves each changed document's floor
// past what it served before (Advance()); a document is dated its newest
// item, never earlier than its floor.
//
// Thread safety: Find() may be called from any thread; Advance() by the
// catalog's writer, holding its lock exclusively.

#ifndef FEEDD_FEEDS_PUBLISH_FEEDS_ON_REQUEST_H_
#define FEEDD_FEEDS_PUBLISH_FEEDS_ON_REQUEST_H_

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "feeds/core/lru_cache.h"
#include "feeds/core/routes.h"
#include "feeds/core/site.h"
#include "feeds/index/catalog.h"
#include "feeds/publish/last_modified.h"
#include "feeds/publish/snapshot.h"
#include "feeds/publish/summary_cache.h"
#include "feeds/render/body_cache.h"
#include "feeds/render/feed_view.h"

namespace feedd {

/// The validator of what the documents of |feed|, rendered on request,
/// show (ShownValidator()): what the served history keeps for their routes.
std::string OnRequestValidator(const Feed& feed);

class FeedsOnRequest final : public LazyDocuments {
 public:
  /// |load| reads an article's body (links as written) and must be callable
  /// from any thread.
  /// Keeps at most |cache_bytes| of rendered documents, and
  /// |summary_bytes| of the summaries archives show (SummaryCache).
  FeedsOnRequest(std::shared_ptr<const Catalog> catalog, SiteInfo site, FeedSettings settings,
                 BodyLoader load, int closed_max_age, std::size_t cache_bytes = 64 << 20,
                 std::size_t summary_bytes = 8 << 20);

  /// Keeps at most |bytes| of summaries from now on (a whole-site export
  /// wants every article's: each is in several archives, far apart).
  void KeepSummaries(std::size_t bytes) { summaries_.SetBudget(bytes); }

  DocumentPtr Find(std::string_view path) const override;
  /// Of its validator (the feed's title and links, and each item's
  /// content, file, slug, dates and categories).
  std::optional<std::uint64_t> Fingerprint(std::string_view path) const override;

  /// After |changes| (the registry's, just taken): moves the Last-Modified
  /// floor of every document they name that is rendered here, starting
  /// from |served| (what each route served before: the served history) for
  /// a document not seen yet, and adds each route whose floor moved to
  /// |floors|, to be remembered. A document that is gone keeps its floor,
  /// so that it comes back later than it went.
  /// REQUIRES: the catalog's lock, held exclusively.
  void Advance(const FeedRegistry::Changes& changes, const ServedHistory& served,
               ServedHistory* floors);

 private:
  struct Cached {
    std::uint64_t version = 0;
    UnixTime floor = 0;
    std::vector<DocumentPtr> docs;  // by kAllFormats, then the preview (feeds only)
  };
  /// |key| names what |view| renders; |slot| is the document asked for.
  DocumentPtr Cache(const std::string& key, std::uint64_t version, UnixTime floor,
                    std::vector<DocumentPtr> docs, std::size_t slot) const;
  DocumentPtr Cached(const std::string& key, std::uint64_t version, UnixTime floor,
                     std::size_t slot) const;
  /// Moves the floor of the documents at |routes| (the first names them
  /// in |served|) to show |version|.
  void Move(const std::string& key, const std::vector<Route>& routes, std::string version,
            UnixTime content, const ServedHistory& served, ServedHistory* floors);

  const std::shared_ptr<const Catalog> catalog_;
  const SiteInfo site_;
  const FeedSettings settings_;
  const BodyLoader load_;
  const int closed_max_age_;
  mutable SummaryCache summaries_;

  mutable std::mutex mu_;
  mutable LruCache<struct Cached> cache_;  // by Key(), in bytes
  // What each document (by Key()) was last dated, for its validator; under
  // the catalog's lock.
  std::unordered_map<std::string, ServedDocument> floors_;
};

}  // namespace feedd

#endif  // FEEDD_FEEDS_PUBLISH_FEEDS_ON_REQUEST_H_
