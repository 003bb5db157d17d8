// feeds/pages/article_page.h
//
// The HTML page of one article, served at its item link when no
// site.item_link template sends readers to the publisher's own site:
// title, byline with role, dates, the photo with its credit, the body, a
// canonical link and autodiscovery links to the feeds the article is in.
// Pure and deterministic, like the feed renderers.

#ifndef FEEDD_FEEDS_PAGES_ARTICLE_PAGE_H_
#define FEEDD_FEEDS_PAGES_ARTICLE_PAGE_H_

#include <string>
#include <vector>

#include "feeds/core/site.h"
#include "feeds/index/feed_registry.h"
#include "feeds/render/feed_view.h"

namespace feedd {

/// |item| as ItemOf() makes it (absolute link, image and body URLs);
/// |feeds| as FeedRefsOf() gives them.
std::string RenderArticlePage(const FeedItem& item, const std::vector<FeedRef>& feeds,
                              const SiteInfo& site);

}  // namespace feedd

#endif  // FEEDD_FEEDS_PAGES_ARTICLE_PAGE_H_
