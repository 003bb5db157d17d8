// feeds/input/article_tree.h
//
// The articles directory on disk, as an ArticleFolder (article_folder.h):
// which article files it holds, with the stamp (size, mtime, inode) that
// tells whether one changed, and their bytes. The only place in feeds/ that
// touches the filesystem.
//
// What it will read: regular files only (never a FIFO or a device, which
// could block), opened without following a symbolic link out of the
// articles folder. A symbolic link whose target stays inside the folder is
// followed unless the tree says not to; one that leads outside is never
// followed. A folder that cannot be listed is reported by name and the walk
// goes on with the others.
//
// Thread safety: an ArticleTree may be used from several threads at once.

#ifndef FEEDD_FEEDS_INPUT_ARTICLE_TREE_H_
#define FEEDD_FEEDS_INPUT_ARTICLE_TREE_H_

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "feeds/input/article_folder.h"

namespace feedd {

class ArticleTree final : public ArticleFolder {
 public:
  /// |follow_symlinks|: follow symbolic links that stay inside |root|.
  /// Opens |root|; if that fails, List() gives the error and reads fail.
  ArticleTree(std::filesystem::path root, bool follow_symlinks);
  ~ArticleTree();
  ArticleTree(const ArticleTree&) = delete;
  ArticleTree& operator=(const ArticleTree&) = delete;

  Result<Listing> List(Problems* problems) const override;
  /// An error when |root| could not be opened or has been removed since.
  Status Reachable() const override;
  std::optional<FileStamp> Stamp(const std::string& rel_path) const override;
  /// A file that grows while read is read whole, up to the limit.
  bool Read(const std::string& rel_path, std::size_t limit, std::string* bytes,
            Problems* problems) const override;

  const std::filesystem::path& root() const { return root_; }

 private:
  /// The error List() and Reachable() give when the root cannot be read.
  Status CannotListRoot(int error) const;
  /// An fd for |rel_path| opened for reading, or -1 with errno set.
  int Open(const std::string& rel_path) const;

  std::filesystem::path root_;
  std::string canonical_root_;  // realpath of root_, for the openat2 fallback
  bool follow_symlinks_;
  int root_fd_ = -1;
  int root_error_ = 0;
};

/// Opens an ArticleTree on |root| at each call.
OpenArticleFolder DiskFolder(std::filesystem::path root, bool follow_symlinks);

}  // namespace feedd

#endif  // FEEDD_FEEDS_INPUT_ARTICLE_TREE_H_
