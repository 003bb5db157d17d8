// feeds/publication.h
//
// The pure rebuild step: resolved articles in, a new Snapshot out. Every
// feed is rendered in every format plus the index page; a document whose
// bytes equal the previous snapshot's keeps the previous Document object
// (same ETag, no recompression), and only routes whose bytes changed are
// listed as changed, so export and pings touch only those.

#ifndef FEEDD_FEEDS_PUBLICATION_H_
#define FEEDD_FEEDS_PUBLICATION_H_

#include <optional>
#include <string>
#include <vector>

#include "feeds/article.h"
#include "feeds/feed_selection.h"
#include "feeds/site.h"
#include "feeds/snapshot.h"

namespace feedd {

struct Publication {
  SnapshotPtr snapshot;
  std::vector<std::string> changed_routes;  ///< new or different bytes
  std::vector<std::string> removed_routes;  ///< in |previous|, gone now
  /// The earliest future publication date among the articles (an embargo):
  /// the moment the snapshot must be rebuilt without any file changing.
  std::optional<UnixTime> next_embargo;
};

/// |previous| may be null (first build). |content| as for SelectFeeds().
Publication Publish(const std::vector<Article>& articles, const SiteInfo& site,
                    const FeedSettings& settings, UnixTime now, const Snapshot* previous,
                    const ContentLoader& content = nullptr);

}  // namespace feedd

#endif  // FEEDD_FEEDS_PUBLICATION_H_
