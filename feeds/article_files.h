// feeds/article_files.h
//
// The articles directory on disk: which article files it holds, with the
// stamp (size, mtime, inode) that tells whether one changed, and their
// bytes. The only place in feeds/ that touches the filesystem.
//
// What it will read: regular files only (never a FIFO or a device, which
// could block), opened without following a symbolic link out of the
// articles folder. A symbolic link whose target stays inside the folder is
// followed unless the tree says not to; one that leads outside is never
// followed. A folder that cannot be listed is reported by name and the walk
// goes on with the others.
//
// Thread safety: an ArticleTree may be used from several threads at once.

#ifndef FEEDD_FEEDS_ARTICLE_FILES_H_
#define FEEDD_FEEDS_ARTICLE_FILES_H_

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "feeds/file_stamp.h"
#include "feeds/problem.h"

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

class ArticleTree {
 public:
  /// |follow_symlinks|: follow symbolic links that stay inside |root|.
  /// Opens |root|; if that fails, List() throws and reads fail.
  ArticleTree(std::filesystem::path root, bool follow_symlinks);
  ~ArticleTree();
  ArticleTree(const ArticleTree&) = delete;
  ArticleTree& operator=(const ArticleTree&) = delete;

  /// Every file FormatForPath() accepts, without descending into dot
  /// folders. Files and folders it will not read are reported in
  /// |problems|. Throws std::filesystem::filesystem_error when the root
  /// itself cannot be listed.
  Listing List(Problems* problems) const;

  /// The stamp of |rel_path|; nullopt when it is not a regular file it may
  /// read (gone, a directory, a FIFO, a link leading outside...).
  std::optional<FileStamp> Stamp(const std::string& rel_path) const;

  /// Reads the file into |bytes| (replacing what it held; its capacity is
  /// reused), but never more than |limit| + 1 bytes, so an oversized file
  /// costs no more than the limit; false (and an error in |problems|) on
  /// failure. A file that grows while read is read whole, up to the limit.
  bool Read(const std::string& rel_path, std::size_t limit, std::string* bytes,
            Problems* problems) const;

  const std::filesystem::path& root() const { return root_; }

 private:
  /// An fd for |rel_path| opened for reading, or -1 with errno set.
  int Open(const std::string& rel_path) const;

  std::filesystem::path root_;
  std::string canonical_root_;  // realpath of root_, for the openat2 fallback
  bool follow_symlinks_;
  int root_fd_ = -1;
  int root_error_ = 0;
};

}  // namespace feedd

#endif  // FEEDD_FEEDS_ARTICLE_FILES_H_
