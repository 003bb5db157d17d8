// feeds/render/feed_stylesheet.h
//
// The XSLT 1.0 stylesheet served at Route::Stylesheet() ("/feed.xsl"). RSS and Atom
// documents point at it with <?xml-stylesheet?>, so a browser that still
// runs XSLT shows a feed as a readable page that explains how to subscribe,
// instead of raw XML; feed readers ignore the instruction. Browsers are
// dropping XSLT, so every feed also has an HTML preview (feeds/pages/feed_page.h).

#ifndef FEEDD_FEEDS_RENDER_FEED_STYLESHEET_H_
#define FEEDD_FEEDS_RENDER_FEED_STYLESHEET_H_

#include <string>

#include "feeds/core/site.h"

namespace feedd {

/// Where feeds point at it: base_url's path + "feed.xsl" ("/feed.xsl"),
/// without scheme and host, so it is fetched from the origin serving the
/// feed (browsers run only same-origin stylesheets).
std::string FeedStylesheetHref(const SiteInfo& site);

/// The stylesheet's bytes (media type application/xslt+xml).
const std::string& FeedStylesheet();

}  // namespace feedd

#endif  // FEEDD_FEEDS_RENDER_FEED_STYLESHEET_H_
