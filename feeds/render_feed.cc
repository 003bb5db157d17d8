// Format dispatch and shared feed-level facts. Part of feeds/renderers.h.

#include "feeds/dates.h"
#include "feeds/renderers.h"

namespace feedd {

UnixTime FeedUpdated(const FeedView& feed, const SiteInfo& site) {
  if (feed.updated > 0) return feed.updated;
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

std::vector<FeedDocument> RenderFeedSet(const FeedSet& set, const SiteInfo& site,
                                        const FeedSettings& settings) {
  std::vector<FeedDocument> documents;
  for (const FeedView& feed : set.feeds) {
    const UnixTime updated = FeedUpdated(feed, site);
    for (FeedFormat format : kAllFormats) {
      documents.push_back({feed.path + FileExtension(format), format,
                           RenderFeed(format, feed, site, settings), updated});
    }
  }
  return documents;
}

}  // namespace feedd
