// daemon/export/export_manifest.h
//
// What the static export wrote into its folder, remembered in the state
// store so that a rerun (or a restarted `feedd serve`) writes only what
// changed: per route, a fingerprint of what the document was made from and
// a hash of its ETag. A document whose fingerprint or ETag is the one
// written is left alone (same bytes, same mtime, same inode), and the
// files of routes that are gone are deleted.
//
// A marker file in the folder (.feedd-export) holds a token the store keeps
// too: when the marker is missing or holds another token (the folder was
// emptied, replaced or restored from elsewhere), the manifest starts empty
// and everything is written again. A fingerprint is kept salted with the
// settings and the feedd build that rendered it, so it matches only under
// those; ETags match always.
//
// Changes are held until Commit(), which the exporter calls once the files
// are on disk: after a crash the store describes files no newer than those
// on disk, so the next run rewrites what it cannot vouch for.
//
// Thread safety: not thread-safe; the exporter's thread only.

#ifndef FEEDD_DAEMON_EXPORT_EXPORT_MANIFEST_H_
#define FEEDD_DAEMON_EXPORT_EXPORT_MANIFEST_H_

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "daemon/state/state_store.h"
#include "feeds/core/status.h"

namespace feedd {

/// The marker file's name, at the top of the output folder.
inline constexpr const char* kExportMarker = ".feedd-export";

class ExportManifest {
 public:
  struct Entry {
    std::uint64_t fingerprint = 0;  ///< Salted(); 0: not known
    std::uint64_t etag = 0;         ///< EtagHash() of the written document
    std::string owner;              ///< an image written beside a page: the page's route
  };

  /// The manifest of |folder| in |store| (null: kept in memory, for this
  /// process only). |salt| names the settings and feedd build documents are
  /// rendered with. With |rewrite_all|, what was written before is
  /// forgotten. Writes the marker when the folder lacks it. An I/O or store
  /// error naming the folder or the store.
  static Result<std::unique_ptr<ExportManifest>> Open(StateStore* store,
                                                      const std::filesystem::path& folder,
                                                      std::uint64_t salt, bool rewrite_all);

  /// The hash of an ETag that Entry::etag holds.
  static std::uint64_t EtagHash(const std::string& etag);
  /// What Entry::fingerprint holds for a document's |fingerprint| (0 stays 0).
  std::uint64_t Salted(std::uint64_t fingerprint) const;

  /// What was written at each of |routes|, in order (nothing: not written).
  Result<std::vector<std::optional<Entry>>> Lookup(const std::vector<std::string>& routes);
  /// Every route written, with what it holds.
  Result<std::vector<ExportedFile>> All();

  /// Before files of routes it does not know are written: records them as
  /// holding nothing known, at once, so that a crash in the middle leaves
  /// none of them unknown (a later run rewrites or deletes them).
  Status Intend(const std::vector<ExportedFile>& routes);
  /// Records that |route| now holds |entry|, or nothing.
  void Wrote(const std::string& route, Entry entry);
  void Removed(const std::string& route);

  /// Writes the recorded changes to the store, in one transaction.
  Status Commit();

 private:
  ExportManifest(StateStore* store, std::string folder, std::uint64_t salt)
      : store_(store), folder_(std::move(folder)), salt_(salt) {}

  StateStore* store_;
  std::string folder_;
  std::uint64_t salt_;
  std::unordered_map<std::string, Entry> memory_;  // without a store: everything
  // With one: what Commit() writes, by route, the last change winning
  // (nothing: the route was removed).
  std::map<std::string, std::optional<Entry>> pending_;
};

}  // namespace feedd

#endif  // FEEDD_DAEMON_EXPORT_EXPORT_MANIFEST_H_
