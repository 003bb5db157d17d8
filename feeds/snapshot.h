// feeds/snapshot.h
//
// A Snapshot is everything feedd serves at one moment: route -> Document.
// It is built whole by the rebuild step and never changed afterwards, so
// request handlers read it without locks; a newer snapshot replaces it by
// swapping one pointer.

#ifndef FEEDD_FEEDS_SNAPSHOT_H_
#define FEEDD_FEEDS_SNAPSHOT_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "feeds/document.h"

namespace feedd {

struct Snapshot {
  /// "/feed.rss", "/category/world/feed.atom", "/" ... Sorted, so exports
  /// and listings are deterministic.
  std::map<std::string, DocumentPtr, std::less<>> routes;
  std::size_t articles = 0;  ///< published articles

  /// nullptr when no document has |path| (percent-decoded).
  DocumentPtr Find(std::string_view path) const {
    auto it = routes.find(path);
    return it == routes.end() ? nullptr : it->second;
  }
};

using SnapshotPtr = std::shared_ptr<const Snapshot>;

}  // namespace feedd

#endif  // FEEDD_FEEDS_SNAPSHOT_H_
