// feeds/pages/index_page.h
//
// The HTML page served at "/": every feed with its three formats, item count
// and last update, and autodiscovery <link rel="alternate"> tags so a
// browser or reader given the site finds the feeds. Readable without
// JavaScript. Deterministic, like the feeds.

#ifndef FEEDD_FEEDS_PAGES_INDEX_PAGE_H_
#define FEEDD_FEEDS_PAGES_INDEX_PAGE_H_

#include <string>
#include <vector>

#include "feeds/core/article.h"
#include "feeds/core/site.h"

namespace feedd {

/// What the page says about one feed.
struct FeedListing {
  std::string title;
  std::string path;  ///< relative to base_url, without extension
  std::size_t items = 0;
  UnixTime updated = 0;  ///< 0: never
};

std::string RenderIndexPage(const std::vector<FeedListing>& feeds, const SiteInfo& site);

}  // namespace feedd

#endif  // FEEDD_FEEDS_PAGES_INDEX_PAGE_H_
