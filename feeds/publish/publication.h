// feeds/publish/publication.h
//
// The rendering step: the feeds the registry reports as changed are rendered
// in every format and as an HTML preview page, plus the index page (and, in
// the first snapshot, the XSL stylesheet feeds point at); every other document of the previous
// snapshot goes into the new one by pointer. A rendered document whose bytes
// equal the previous one keeps the previous Document object (same ETag, no
// recompression), and only routes whose bytes changed are listed as
// changed, so export and pings touch only those.

#ifndef FEEDD_FEEDS_PUBLISH_PUBLICATION_H_
#define FEEDD_FEEDS_PUBLISH_PUBLICATION_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "feeds/core/site.h"
#include "feeds/index/feed_registry.h"
#include "feeds/publish/last_modified.h"
#include "feeds/publish/snapshot.h"
#include "feeds/render/body_cache.h"

namespace feedd {

struct Publication {
  SnapshotPtr snapshot;
  std::vector<std::string> changed_routes;  ///< new or different bytes, sorted
  std::vector<std::string> removed_routes;  ///< in the previous snapshot, gone now
  /// The changed routes whose bytes differ from what the route served
  /// before (in the previous snapshot, or after a restart by the served
  /// history's ETag): what subscribers need to hear of. Sorted.
  std::vector<std::string> new_bytes_routes;
  /// The earliest future publication date among the articles (an embargo):
  /// the moment the snapshot must be rebuilt without any file changing.
  std::optional<UnixTime> next_embargo;
  /// Documents rendered on request (article pages, feed archives, feeds
  /// marked on_request; not in |changed_routes|) that are new or whose
  /// content may have changed, and those gone: what the static export
  /// writes and deletes. Sorted.
  std::vector<std::string> changed_pages;
  std::vector<std::string> removed_pages;
  /// Documents rendered on request (pages, archives, author feeds) that
  /// served something else at their route before this publisher started
  /// (by the served history): on a first publication, which lists every
  /// page as changed, what really changed while feedd was stopped. Sorted.
  std::vector<std::string> changed_since_history;
  /// The first publication of a publisher: |changed_routes| and
  /// |changed_pages| together list every route, so anything else the static
  /// export holds is gone.
  bool complete = false;
};

/// Runs body(0) ... body(count - 1), in any order, possibly at once on
/// several threads; returns when all have. Sequential() is one such.
using ParallelRunner =
    std::function<void(std::size_t count, const std::function<void(std::size_t)>& body)>;
void Sequential(std::size_t count, const std::function<void(std::size_t)>& body);

/// What a publication renders with, besides the registry's changes.
struct PublishContext {
  PublishContext(const SiteInfo& site, const FeedSettings& settings)
      : site(site), settings(settings) {}
  const SiteInfo& site;
  const FeedSettings& settings;
  /// The snapshot served now; null on the first call.
  const Snapshot* previous = nullptr;
  /// Bodies of shown articles: misses are loaded with |load|, and articles
  /// no feed shows any more are forgotten.
  BodyCache* bodies = nullptr;
  BodyLoader load;
  /// Documents are rendered and compressed through it.
  ParallelRunner parallel = Sequential;
  /// What each route served before this process started, and since (for
  /// feeds rendered on request: their validator, OnRequestValidator()); may
  /// be null.
  const ServedHistory* history = nullptr;
  /// Where the snapshot finds what its routes lack; may be null.
  std::shared_ptr<const LazyDocuments> lazy;
};

/// The new snapshot after |changes| (from registry.TakeChanges()).
///
/// A document's Last-Modified is its newest item's update, except that it
/// never goes back: when its bytes differ from what was served before (in
/// |context.previous|, else in |context.history|) and that time is not
/// later, it is the earlier Last-Modified plus one second. A deleted item or
/// an added backdated one thus still moves it.
Publication Publish(const FeedRegistry& registry, const FeedRegistry::Changes& changes,
                    const PublishContext& context);

}  // namespace feedd

#endif  // FEEDD_FEEDS_PUBLISH_PUBLICATION_H_
