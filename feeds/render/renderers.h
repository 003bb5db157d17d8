// feeds/render/renderers.h
//
// The three feed formats. Each renderer turns one FeedView into the bytes of
// one document. They are pure: the same view and site give the same bytes on
// any machine (no clock, no locale, no hash order), so replicas agree on
// every ETag. Feed-level dates come from the items, never the wall clock.

#ifndef FEEDD_FEEDS_RENDER_RENDERERS_H_
#define FEEDD_FEEDS_RENDER_RENDERERS_H_

#include <string>
#include <vector>

#include "feeds/core/site.h"
#include "feeds/render/feed_view.h"

namespace feedd {

/// RSS 2.0 with content:encoded, dc:creator, atom:link rel="self", media:content
/// and media:credit, ttl and sy:updatePeriod.
std::string RenderRss(const FeedView& feed, const SiteInfo& site, const FeedSettings& settings);

/// Atom 1.0 (RFC 4287) with tag URI ids, published/updated, html content.
std::string RenderAtom(const FeedView& feed, const SiteInfo& site);

/// JSON Feed 1.1, with "author" beside "authors" for 1.0 readers.
std::string RenderJsonFeed(const FeedView& feed, const SiteInfo& site);

/// Dispatches on |format|.
std::string RenderFeed(FeedFormat format, const FeedView& feed, const SiteInfo& site,
                       const FeedSettings& settings);

/// The feed's updated time: the newest item's, or the tag date for an empty
/// feed (a fixed, content-derived moment rather than the clock).
UnixTime FeedUpdated(UnixTime newest_item, const SiteInfo& site);
inline UnixTime FeedUpdated(const FeedView& feed, const SiteInfo& site) {
  return FeedUpdated(feed.updated, site);
}

}  // namespace feedd

#endif  // FEEDD_FEEDS_RENDER_RENDERERS_H_
