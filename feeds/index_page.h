// feeds/index_page.h
//
// The HTML page served at "/": every feed with its three formats, item count
// and last update, and autodiscovery <link rel="alternate"> tags so a
// browser or reader given the site finds the feeds. Readable without
// JavaScript. Deterministic, like the feeds.

#ifndef FEEDD_FEEDS_INDEX_PAGE_H_
#define FEEDD_FEEDS_INDEX_PAGE_H_

#include <string>

#include "feeds/feed_selection.h"
#include "feeds/site.h"

namespace feedd {

std::string RenderIndexPage(const FeedSet& set, const SiteInfo& site);

}  // namespace feedd

#endif  // FEEDD_FEEDS_INDEX_PAGE_H_
