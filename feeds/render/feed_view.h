// feeds/render/feed_view.h
//
// One feed document as the renderers see it: its title, links and the
// items it shows, each with its tag URI, absolute link, summary and HTML
// content (links made absolute). Every view, of a feed rendered ahead, of
// one rendered on request, or of an archive month, is built here, from a
// FeedHead and its items, so the three formats and both paths agree on
// ids, titles and links. Building a view from the registry reads the shown
// articles' bodies through a BodyCache, so the renderers only write.

#ifndef FEEDD_FEEDS_RENDER_FEED_VIEW_H_
#define FEEDD_FEEDS_RENDER_FEED_VIEW_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "feeds/core/article.h"
#include "feeds/core/dates.h"
#include "feeds/core/media_types.h"
#include "feeds/core/routes.h"
#include "feeds/core/site.h"
#include "feeds/index/feed_registry.h"
#include "feeds/render/body_cache.h"

namespace feedd {

/// One article as every format renders it.
struct FeedItem {
  const Article* article;
  std::string tag_id;              ///< tag URI
  std::string link;                ///< absolute
  std::string summary;             ///< plain text; may be empty
  std::string content_html;        ///< with absolute URLs; empty in a summary-only document
  std::string image_url;           ///< absolute, or empty
  std::string image_type;          ///< its media type, by extension; empty when not an image name
  std::uint64_t image_length = 0;  ///< its size in bytes when known (a local file), else 0
};

/// What a feed's documents say about the feed itself, copied out of the
/// registry's Feed (as of its last TakeChanges()).
struct FeedHead {
  std::string key;  ///< "main", "category/<slug>", ...
  std::string title;
  std::string description;
  std::string path;      ///< the feed's path, relative to base_url, without extension
  UnixTime updated = 0;  ///< its document's newest item update; 0 when empty
  std::optional<Month> newest_archive;
  bool summary_only = false;
};
FeedHead HeadOf(const Feed& feed);

struct FeedView {
  std::string key;  ///< the feed's key
  std::string title;
  std::string description;
  std::string path;  ///< the feed's path (of an archive too), without extension
  /// Set in an archive document (fh:archive): the month it holds.
  std::optional<Month> archive_month;
  std::string tag_id;
  UnixTime updated = 0;  ///< newest item update; 0 when there are no items
  std::vector<FeedItem> items;
  bool summary_only = false;  ///< items carry summaries, not content

  // Feed history (RFC 5005).
  std::optional<Month> prev_archive;  ///< the next older archive document
  std::optional<Month> next_archive;  ///< the next newer archive document
  bool complete = false;              ///< this document holds every item of the feed (fh:complete)

  bool archive() const { return archive_month.has_value(); }
  /// The route of this document in |format|.
  Route SelfRoute(FeedFormat format) const;
  std::string SelfUrl(const SiteInfo& site, FeedFormat format) const {
    return SelfRoute(format).Url(site);
  }
  /// The URLs of the RFC 5005 links in |format|; empty where there is none.
  struct History {
    std::string current, prev_archive, next_archive;
  };
  History HistoryUrls(const SiteInfo& site, FeedFormat format) const;
};

/// The view of a feed's own document: |head|, showing |items|.
FeedView FeedViewOf(const FeedHead& head, const SiteInfo& site, std::vector<FeedItem> items);

/// The view of |head|'s archive document of |archive|.month, showing
/// |items| (summaries only).
FeedView ArchiveViewOf(const FeedHead& head, const FeedRegistry::Archive& archive,
                       const SiteInfo& site, std::vector<FeedItem> items);

/// The view of |feed| as it was at the registry's last TakeChanges(),
/// with bodies from |bodies| (loaded with |load| when not cached).
FeedView ViewOf(const Feed& feed, const SiteInfo& site, BodyCache* bodies, const BodyLoader& load);

/// One item of a view, for |article| with |body|.
FeedItem ItemOf(const Article& article, const SiteInfo& site, const ArticleBody& body);

}  // namespace feedd

#endif  // FEEDD_FEEDS_RENDER_FEED_VIEW_H_
