// feeds/publish/snapshot.h
//
// A Snapshot is everything feedd serves at one moment: route -> Document.
// It is built whole by the rebuild step and never changed afterwards, so
// request handlers read it without locks; a newer snapshot replaces it by
// swapping one pointer. Documents too many to render ahead (article pages)
// come from a LazyDocuments source the snapshot points to.

#ifndef FEEDD_FEEDS_PUBLISH_SNAPSHOT_H_
#define FEEDD_FEEDS_PUBLISH_SNAPSHOT_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "feeds/publish/document.h"

namespace feedd {

/// Documents made when first asked for.
class LazyDocuments {
 public:
  virtual ~LazyDocuments() = default;
  /// The document at |path| (percent-decoded), or nullptr. Thread-safe.
  virtual DocumentPtr Find(std::string_view path) const = 0;
  /// Without rendering it: a value that changes whenever the bytes Find()
  /// gives for |path| may, and is the same in every process for the same
  /// inputs (never a counter or an address), so that the static export can
  /// skip a document it wrote before. Settings and feedd's own version are
  /// not in it. Nothing when unknown (the export then renders). Thread-safe.
  virtual std::optional<std::uint64_t> Fingerprint(std::string_view) const { return std::nullopt; }
};

/// Asks each source in turn; null sources are skipped.
class LazyChain final : public LazyDocuments {
 public:
  LazyChain(std::shared_ptr<const LazyDocuments> first, std::shared_ptr<const LazyDocuments> second)
      : first_(std::move(first)), second_(std::move(second)) {}
  DocumentPtr Find(std::string_view path) const override {
    DocumentPtr doc = first_ ? first_->Find(path) : nullptr;
    if (!doc && second_) doc = second_->Find(path);
    return doc;
  }
  std::optional<std::uint64_t> Fingerprint(std::string_view path) const override {
    std::optional<std::uint64_t> print = first_ ? first_->Fingerprint(path) : std::nullopt;
    if (!print && second_) print = second_->Fingerprint(path);
    return print;
  }

 private:
  const std::shared_ptr<const LazyDocuments> first_, second_;
};

struct Snapshot {
  /// "/feed.rss", "/category/world/feed.atom", "/" ... Sorted, so exports
  /// and listings are deterministic.
  std::map<std::string, DocumentPtr, std::less<>> routes;
  std::size_t articles = 0;  ///< published articles
  /// Asked for paths |routes| lacks; may be null.
  std::shared_ptr<const LazyDocuments> lazy;

  /// nullptr when no document has |path| (percent-decoded).
  DocumentPtr Find(std::string_view path) const {
    auto it = routes.find(path);
    if (it != routes.end()) return it->second;
    return lazy ? lazy->Find(path) : nullptr;
  }
};

using SnapshotPtr = std::shared_ptr<const Snapshot>;

}  // namespace feedd

#endif  // FEEDD_FEEDS_PUBLISH_SNAPSHOT_H_
