// daemon/export/static_exporter.h
//
// Mirrors the served documents into a folder for static hosting (nginx, a
// CDN): each changed document and its .gz, written atomically (temporary
// file, fsync, rename, fsync of the directory), so the files on disk are
// always the served bytes. "/" is written as index.html.
//
// A write that fails (a read-only or full disk) does not stop the others,
// and the document stays pending: every later Export() tries it again, so
// the folder catches up once the fault clears.
//
// Thread safety: not thread-safe; the rebuild worker is its only caller.

#ifndef FEEDD_DAEMON_EXPORT_STATIC_EXPORTER_H_
#define FEEDD_DAEMON_EXPORT_STATIC_EXPORTER_H_

#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "feeds/core/status.h"
#include "feeds/publish/snapshot.h"

namespace feedd {

class StaticExporter {
 public:
  /// The routes a written document needs beside it (an article page's
  /// local images), written in the same Export(); may be null.
  using Companions =
      std::function<std::vector<std::string>(const std::string& route, const Document& doc)>;

  /// |threads| write (and render, for documents made on request) at once.
  /// Without |durable|, files are not fsynced one by one (a one-shot
  /// build, which calls SyncTree() at the end).
  explicit StaticExporter(std::filesystem::path dir, unsigned threads = 1, bool durable = true,
                          Companions companions = nullptr)
      : dir_(std::move(dir)),
        threads_(threads),
        durable_(durable),
        companions_(std::move(companions)) {}

  /// Removes temporary files an interrupted run left behind; returns how
  /// many. Creates the folder if it is missing; an I/O error naming it
  /// when it cannot.
  feedd::Result<int> RemoveStaleTempFiles();

  struct Outcome {
    std::size_t written = 0;  ///< documents written or deleted now
    std::size_t failed = 0;   ///< documents still pending
    std::string error;        ///< the first failure's cause; empty when none
  };
  /// Writes the |changed| routes of |snapshot| and deletes the |removed|
  /// ones, and retries every route an earlier call could not. What fails
  /// is counted and retried, never lost.
  Outcome Export(const Snapshot& snapshot, const std::vector<std::string>& changed,
                 const std::vector<std::string>& removed);

  /// Whether some route waits for a retry.
  bool pending() const { return !to_write_.empty() || !to_remove_.empty(); }

  /// Where |route| is written: "/" -> index.html, "/a/feed.rss" -> a/feed.rss.
  std::filesystem::path PathFor(const std::string& route) const;

 private:
  /// Writes |routes|, takes the written ones off to_write_, and collects
  /// their companions into |companions| (when not null).
  void WriteBatch(const Snapshot& snapshot, const std::vector<std::string>& routes, Outcome* result,
                  std::set<std::string>* companions);

  std::filesystem::path dir_;
  unsigned threads_;
  bool durable_;
  Companions companions_;
  std::set<std::string> to_write_;   // routes not yet written as served
  std::set<std::string> to_remove_;  // routes not yet deleted
};

}  // namespace feedd

#endif  // FEEDD_DAEMON_EXPORT_STATIC_EXPORTER_H_
