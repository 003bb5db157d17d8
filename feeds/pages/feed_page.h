// feeds/pages/feed_page.h
//
// The HTML preview of one feed, served beside its three formats at
// "<path>.html": what the feed is, how to subscribe (its three addresses),
// and its items with their dates, bylines and summaries, each linking to
// the article. It is what a browser shows when someone clicks a feed, now
// that browsers are dropping XSLT. Pure and deterministic.

#ifndef FEEDD_FEEDS_PAGES_FEED_PAGE_H_
#define FEEDD_FEEDS_PAGES_FEED_PAGE_H_

#include <string>

#include "feeds/core/site.h"
#include "feeds/render/feed_view.h"

namespace feedd {

std::string RenderFeedPage(const FeedView& feed, const SiteInfo& site);

}  // namespace feedd

#endif  // FEEDD_FEEDS_PAGES_FEED_PAGE_H_
