// feeds/input/article_folder.h
//
// The seam between feedd and the folder of articles: list it, stamp a file,
// read a file. Everything that looks at article files goes through an
// ArticleFolder, the way leveldb goes through its Env and ninja through its
// DiskInterface. ArticleTree (article_tree.h) is the folder on disk;
// MemoryFolder (memory_folder.h) holds files in memory, so the scan, the
// index and the publisher can be tested without the disk.
//
// Errors are values (docs/architecture.md, "Errors"): a file or subfolder
// that cannot be read is a Problem, and a folder that cannot be listed at
// all is List()'s error Status.
//
// Thread safety: implementations may be used from several threads at once.

#ifndef FEEDD_FEEDS_INPUT_ARTICLE_FOLDER_H_
#define FEEDD_FEEDS_INPUT_ARTICLE_FOLDER_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "feeds/core/problem.h"
#include "feeds/core/status.h"
#include "feeds/input/file_stamp.h"

namespace feedd {

struct ArticleFile {
  std::string rel_path;  ///< '/'-separated, relative to the root
  FileStamp stamp;
};

struct Listing {
  std::vector<ArticleFile> files;  ///< sorted by path
  /// Folders (relative paths) that could not be listed: what they held is
  /// unknown, not gone.
  std::vector<std::string> unreadable;

  /// Whether |rel_path| lies in a folder that could not be listed.
  bool Unknown(const std::string& rel_path) const;
};

class ArticleFolder {
 public:
  virtual ~ArticleFolder() = default;

  /// Every file FormatForPath() accepts, without descending into dot
  /// folders. Files and folders it will not read are reported in
  /// |problems|; an I/O error when the folder itself cannot be listed.
  virtual Result<Listing> List(Problems* problems) const = 0;

  /// Whether the folder itself is still there (not what it holds): an I/O
  /// error naming it, as List() gives, when it is gone or cannot be
  /// opened. Cheap (no listing), so an update of a few paths can tell
  /// "these files were removed" from "the whole folder vanished".
  virtual Status Reachable() const = 0;

  /// The stamp of |rel_path|; nullopt when it is not a regular file it may
  /// read (gone, a directory, a FIFO, a link leading outside...).
  virtual std::optional<FileStamp> Stamp(const std::string& rel_path) const = 0;

  /// Reads the file into |bytes| (replacing what it held; its capacity is
  /// reused), but never more than |limit| + 1 bytes, so an oversized file
  /// costs no more than the limit; false (and an error in |problems|) on
  /// failure.
  virtual bool Read(const std::string& rel_path, std::size_t limit, std::string* bytes,
                    Problems* problems) const = 0;
};

/// Opens the folder as it is now. A scan opens it afresh, so a folder
/// replaced whole (a symbolic link switched to a new release) is seen.
using OpenArticleFolder = std::function<std::shared_ptr<const ArticleFolder>()>;

}  // namespace feedd

#endif  // FEEDD_FEEDS_INPUT_ARTICLE_FOLDER_H_
