// feeds/article_files.h
//
// The articles directory on disk: which article files it holds and their
// bytes. The only place in feeds/ that touches the filesystem.

#ifndef FEEDD_FEEDS_ARTICLE_FILES_H_
#define FEEDD_FEEDS_ARTICLE_FILES_H_

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "feeds/article.h"
#include "feeds/problem.h"

namespace feedd {

struct ArticleFile {
  std::string rel_path;  ///< '/'-separated, relative to the root
  UnixTime mtime = 0;
  std::uintmax_t size = 0;
};

/// Every file under |root| that FormatForPath() accepts, sorted by path.
/// Dot directories are not descended into. Unreadable entries are reported
/// in |problems|. Throws std::filesystem::filesystem_error when |root|
/// itself cannot be listed.
std::vector<ArticleFile> ListArticleFiles(const std::filesystem::path& root, Problems* problems);

/// Reads the file, but never more than |limit| + 1 bytes, so an oversized
/// file costs no more than the limit; nullopt (and an error in |problems|)
/// on failure. |expected_size| (from the listing) sizes the first read; a
/// file that grew since is still read whole.
std::optional<std::string> ReadArticleFile(const std::filesystem::path& root,
                                           const std::string& rel_path, std::size_t limit,
                                           std::uintmax_t expected_size, Problems* problems);

}  // namespace feedd

#endif  // FEEDD_FEEDS_ARTICLE_FILES_H_
