// feeds/index/catalog.h
//
// The article index and the feed registry together, with the lock that
// lets request threads read them (archive documents are rendered when
// asked for) while the rebuild worker changes them. The worker, their only
// writer, holds the lock exclusively while it changes either; readers on
// other threads hold it shared. The worker's own reads need no lock.

#ifndef FEEDD_FEEDS_INDEX_CATALOG_H_
#define FEEDD_FEEDS_INDEX_CATALOG_H_

#include <shared_mutex>

#include "feeds/core/site.h"
#include "feeds/index/article_index.h"
#include "feeds/index/feed_registry.h"

namespace feedd {

struct Catalog {
  Catalog(SiteInfo site, FeedSettings settings) : registry(std::move(site), std::move(settings)) {}
  mutable std::shared_mutex mutex;
  ArticleIndex index;
  FeedRegistry registry;
};

}  // namespace feedd

#endif  // FEEDD_FEEDS_INDEX_CATALOG_H_
