// Format dispatch and shared feed-level facts. Part of feeds/render/renderers.h.

#include "feeds/core/dates.h"
#include "feeds/render/renderers.h"

namespace feedd {

UnixTime FeedUpdated(UnixTime newest_item, const SiteInfo& site) {
  if (newest_item > 0) return newest_item;
  return ParseDate(site.tag_date).value_or(0);
}

std::string RenderFeed(FeedFormat format, const FeedView& feed, const SiteInfo& site,
                       const FeedSettings& settings) {
  switch (format) {
    case FeedFormat::kRss:
      return RenderRss(feed, site, settings);
    case FeedFormat::kAtom:
      return RenderAtom(feed, site);
    case FeedFormat::kJson:
      return RenderJsonFeed(feed, site);
  }
  return {};
}

}  // namespace feedd
