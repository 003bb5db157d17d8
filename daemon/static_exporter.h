// daemon/static_exporter.h
//
// Mirrors the served documents into a folder for static hosting (nginx, a
// CDN): each changed document and its .gz, written atomically (temporary
// file, fsync, rename, fsync of the directory), so the files on disk are
// always the served bytes. "/" is written as index.html.
//
// Thread safety: not thread-safe; the rebuild worker is its only caller.

#ifndef FEEDD_DAEMON_STATIC_EXPORTER_H_
#define FEEDD_DAEMON_STATIC_EXPORTER_H_

#include <filesystem>
#include <string>
#include <vector>

#include "feeds/snapshot.h"

namespace feedd {

class StaticExporter {
 public:
  explicit StaticExporter(std::filesystem::path dir) : dir_(std::move(dir)) {}

  /// Removes temporary files an interrupted run left behind; returns how
  /// many. Creates the folder if it is missing.
  int RemoveStaleTempFiles();

  /// Writes |changed| routes of |snapshot| and deletes |removed| ones.
  /// Throws std::filesystem::filesystem_error naming the file on failure.
  void Export(const Snapshot& snapshot, const std::vector<std::string>& changed,
              const std::vector<std::string>& removed);

  /// Where |route| is written: "/" -> index.html, "/a/feed.rss" -> a/feed.rss.
  std::filesystem::path PathFor(const std::string& route) const;

 private:
  std::filesystem::path dir_;
};

}  // namespace feedd

#endif  // FEEDD_DAEMON_STATIC_EXPORTER_H_
