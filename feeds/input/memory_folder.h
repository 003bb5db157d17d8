// feeds/input/memory_folder.h
//
// An ArticleFolder held in memory, for tests of the scan, the index and the
// publisher that should not touch the disk: files are put and removed by
// path, each with the stamp it would have on disk (a file written in place
// keeps its inode; one removed and put again, as an editor's save by rename
// does, gets a new one), and the folder counts what it was asked to read. It lists what the disk
// folder would: files whose format is known, outside dot folders, sorted by path.
//
// Thread safety: every method may be called from any thread.

#ifndef FEEDD_FEEDS_INPUT_MEMORY_FOLDER_H_
#define FEEDD_FEEDS_INPUT_MEMORY_FOLDER_H_

#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include "feeds/input/article_folder.h"

namespace feedd {

class MemoryFolder final : public ArticleFolder {
 public:
  /// Adds |rel_path|, or writes it in place (its inode stays).
  void Put(const std::string& rel_path, std::string bytes,
           std::int64_t mtime_ns = 1772323200LL * 1000000000);
  void Remove(const std::string& rel_path);
  /// Files in |folder| cannot be listed, stamped or read (a folder whose
  /// permissions were taken away); "" is the whole folder, whose List()
  /// then fails.
  void SetUnreadable(const std::string& folder, bool unreadable);

  /// How many times Read() was asked for |rel_path|, and for any path.
  std::size_t reads(const std::string& rel_path) const;
  std::size_t reads() const;

  Result<Listing> List(Problems* problems) const override;
  /// An error while "" is set unreadable.
  Status Reachable() const override;
  std::optional<FileStamp> Stamp(const std::string& rel_path) const override;
  bool Read(const std::string& rel_path, std::size_t limit, std::string* bytes,
            Problems* problems) const override;

  /// An opener that always gives this folder, which must outlive it.
  OpenArticleFolder Opener() const;

 private:
  struct File {
    std::string bytes;
    FileStamp stamp;
  };
  /// Whether |rel_path| lies in a folder set unreadable. Needs mu_.
  bool Hidden(const std::string& rel_path) const;

  mutable std::mutex mu_;
  std::map<std::string, File> files_;
  std::set<std::string> unreadable_;
  std::uint64_t next_inode_ = 1;
  mutable std::map<std::string, std::size_t> reads_;
};

}  // namespace feedd

#endif  // FEEDD_FEEDS_INPUT_MEMORY_FOLDER_H_
