// daemon/export/static_exporter.h
//
// Mirrors the served documents into a folder for static hosting (nginx, a
// CDN): each document and its .gz, written atomically (temporary file,
// rename), so the files on disk are always the served bytes. "/" is written
// as index.html.
//
// Only what changed is written: the export manifest (export_manifest.h)
// remembers, across runs, what each file holds, and a document whose
// fingerprint or ETag is the one on disk is neither rendered again nor
// rewritten, so its file keeps its mtime and inode. An export of everything
// (a `feedd build`, the first export of `feedd serve`) also deletes the
// files of documents that no longer exist.
//
// Durability: each Export() is durable when it returns, by an fsync of each
// file and its directory for a few changes, or by one syncfs for many; the
// manifest is updated only after that, so a crash never leaves it
// vouching for bytes that are not on disk.
//
// A write that fails (a read-only or full disk) does not stop the others,
// and the document stays pending: every later Export() tries it again, so
// the folder catches up once the fault clears.
//
// Thread safety: not thread-safe; the rebuild worker (or `feedd build`) is
// its only caller.

#ifndef FEEDD_DAEMON_EXPORT_STATIC_EXPORTER_H_
#define FEEDD_DAEMON_EXPORT_STATIC_EXPORTER_H_

#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "daemon/export/export_manifest.h"
#include "feeds/core/status.h"
#include "feeds/publish/snapshot.h"

namespace feedd {

class StaticExporter {
 public:
  /// The routes a written document needs beside it (an article page's
  /// local images), written in the same Export(); may be null.
  using Companions =
      std::function<std::vector<std::string>(const std::string& route, const Document& doc)>;

  struct Options {
    /// Documents rendered (those made on request) and written at once.
    unsigned threads = 1;
    Companions companions;
    /// Where the manifest is kept; null: in memory, for this process.
    StateStore* store = nullptr;
    /// Names the settings and the feedd build documents are rendered with
    /// (ExportSalt()): a fingerprint made under another salt never matches.
    std::uint64_t salt = 0;
    /// Forget what earlier runs wrote: write every document again.
    bool rewrite_all = false;
    /// When set, counts the documents an Export() has dealt with so far.
    std::atomic<std::size_t>* progress = nullptr;
  };

  StaticExporter(std::filesystem::path dir, Options options)
      : dir_(std::move(dir)), options_(std::move(options)) {}

  /// Creates the folder if it is missing and removes the temporary files
  /// an interrupted run left behind; returns how many. Call once, before
  /// Export(); an I/O error naming the folder. (The manifest is opened by
  /// the first Export(), on the thread that uses the store.)
  feedd::Result<int> Open();

  struct Outcome {
    std::size_t written = 0;    ///< documents written now
    std::size_t unchanged = 0;  ///< documents whose file already held them
    std::size_t removed = 0;    ///< documents whose files were deleted
    std::size_t failed = 0;     ///< documents still pending
    std::string error;          ///< the first failure's cause; empty when none
  };
  enum class Scope {
    kChanges,     ///< |changed| and |removed| are what changed
    kEverything,  ///< |changed| is every route: delete the files of all others
  };
  /// Writes the |changed| routes of |snapshot| that are not on disk as they
  /// are, deletes the |removed| ones, and retries every route an earlier
  /// call could not. What fails is counted and retried, never lost.
  Outcome Export(const Snapshot& snapshot, const std::vector<std::string>& changed,
                 const std::vector<std::string>& removed, Scope scope = Scope::kChanges);

  /// Whether some route waits for a retry.
  bool pending() const { return !to_write_.empty() || !to_remove_.empty(); }

  /// Where |route| is written: "/" -> index.html, "/a/feed.rss" -> a/feed.rss.
  std::filesystem::path PathFor(const std::string& route) const;

 private:
  /// Writes those of |routes| that changed (each image with the page in
  /// |owners| that showed it), takes the done ones off to_write_, and
  /// collects the companions of what was written into |companions| (when
  /// not null), by route, with the page that needs each.
  void WriteBatch(const Snapshot& snapshot, const std::vector<std::string>& routes,
                  const std::map<std::string, std::string>& owners, bool sync_each, Outcome* result,
                  std::map<std::string, std::string>* companions);
  /// What the manifest lists and |kept| lacks.
  Result<std::vector<ExportedFile>> Unlisted(const std::set<std::string>& kept);
  void DeleteRemoved(Outcome* result);
  static void Fail(Outcome* result, const std::string& why);

  std::filesystem::path dir_;
  Options options_;
  std::unique_ptr<ExportManifest> manifest_;
  std::set<std::string> to_write_;   // routes not yet written as served
  std::set<std::string> to_remove_;  // routes not yet deleted
  bool sweep_ = false;               // an export of everything has not yet deleted the rest
  bool unsynced_ = false;            // a sync failed: what was written since is not durable yet
};

/// The salt for StaticExporter::Options: a hash of |settings| (the
/// config's fingerprint) and of this feedd build (its version and the
/// size and mtime of its executable).
std::uint64_t ExportSalt(std::uint64_t settings);

}  // namespace feedd

#endif  // FEEDD_DAEMON_EXPORT_STATIC_EXPORTER_H_
