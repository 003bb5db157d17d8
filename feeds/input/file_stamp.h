// feeds/input/file_stamp.h
//
// What identifies one version of a file without reading it: size, mtime to
// the nanosecond and inode. An editor's save that keeps the size within the
// same second still changes the nanoseconds, and a file replaced by a rename
// changes the inode.

#ifndef FEEDD_FEEDS_INPUT_FILE_STAMP_H_
#define FEEDD_FEEDS_INPUT_FILE_STAMP_H_

#include <cstdint>

#include "feeds/core/article.h"

namespace feedd {

struct FileStamp {
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;  ///< since the Unix epoch
  std::uint64_t inode = 0;

  /// The mtime in whole seconds (rounded down, also before 1970).
  UnixTime mtime() const {
    return mtime_ns >= 0 ? mtime_ns / 1000000000 : -((-mtime_ns + 999999999) / 1000000000);
  }
  /// A stamp read from a file; a default one stands for "no file".
  bool empty() const { return size == 0 && mtime_ns == 0 && inode == 0; }
  bool operator==(const FileStamp&) const = default;
};

}  // namespace feedd

#endif  // FEEDD_FEEDS_INPUT_FILE_STAMP_H_
