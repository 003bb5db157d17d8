// feeds/feed_archives.h
//
// The archive documents of every feed (RFC 5005 §4), at
// "<feed path>/archive/<YYYY-MM>.<rss|atom|json>": one per calendar month
// of what the feed's document no longer shows, linked to each other with
// prev-archive and next-archive and to the feed with current. A newsroom's
// history is too large to keep rendered, so a document is rendered when
// first asked for, from the registry (under the catalog's shared lock) and
// the articles' files, and kept in a bounded cache until its month's
// content changes. Archive items carry summaries, not bodies: a month of a
// busy newsroom holds thousands of articles, each a click away on its page.
// A closed month's document is served with |closed_max_age| and immutable.
//
// Thread safety: Find() may be called from any thread.

#ifndef FEEDD_FEEDS_FEED_ARCHIVES_H_
#define FEEDD_FEEDS_FEED_ARCHIVES_H_

#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "feeds/body_cache.h"
#include "feeds/catalog.h"
#include "feeds/feed_view.h"
#include "feeds/site.h"
#include "feeds/snapshot.h"

namespace feedd {

class FeedArchives final : public LazyDocuments {
 public:
  /// |load| must be callable from any thread.
  FeedArchives(std::shared_ptr<const Catalog> catalog, SiteInfo site, FeedSettings settings,
               BodyLoader load, int closed_max_age, std::size_t cache_documents = 300);

  /// The routes of |feed|'s archive of |month|, one per format.
  static std::vector<std::string> RoutesOf(const std::string& feed_path, Month month);

  DocumentPtr Find(std::string_view path) const override;

 private:
  struct Cached {
    std::uint64_t version = 0;
    DocumentPtr doc;
    std::list<std::string>::iterator used;
  };

  const std::shared_ptr<const Catalog> catalog_;
  const SiteInfo site_;
  const FeedSettings settings_;
  const BodyLoader load_;
  const int closed_max_age_;
  const std::size_t cache_documents_;

  mutable std::mutex mu_;
  mutable std::unordered_map<std::string, Cached> cache_;
  mutable std::list<std::string> used_;  // most recent first
};

}  // namespace feedd

#endif  // FEEDD_FEEDS_FEED_ARCHIVES_H_
