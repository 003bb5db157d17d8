// daemon/rebuild/directory_watcher.h
//
// Watches the articles tree with inotify through an Asio descriptor and
// reports what changed, never acting on the events itself:
//  - a file closed after writing, moved in, moved out or deleted: its path;
//  - a directory created or moved in: a watch on it and a rescan request
//    (files may have appeared before the watch existed);
//  - queue overflow, a directory removed: a rescan;
//  - the root replaced (a folder renamed into place, or a symbolic link
//    swapped: `ln -sfn releases/2 current.new && mv -T current.new
//    current`): watches on what it leads to now, a rescan, and OnNotice
//    naming the root; while nothing is there, OnNotice once and a look
//    every second.
// A root that is a symbolic link is followed (links below it are not), and
// the folder holding it is watched for the link being replaced.
//  - a new directory it cannot watch (the inotify watch limit): OnLost,
//    after which its events are incomplete and the owner should poll.
// It never acts on IN_MODIFY, so a half-written file is never reported, and
// it ignores paths that are not article files (FormatForPath).
//
// Thread safety: runs on the executor it is given; use a strand.

#ifndef FEEDD_DAEMON_REBUILD_DIRECTORY_WATCHER_H_
#define FEEDD_DAEMON_REBUILD_DIRECTORY_WATCHER_H_

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

namespace feedd {

class DirectoryWatcher {
 public:
  using OnChange = std::function<void(const std::string& rel_path)>;
  /// |overflow|: the kernel dropped events (its queue overflowed), rather
  /// than a directory appearing, moving or being replaced.
  using OnRescan = std::function<void(bool overflow)>;
  /// |why| names the directory and the reason.
  using OnLost = std::function<void(const std::string& why)>;
  /// inotify_add_watch(2), replaceable so tests can run out of watches.
  using AddWatch = std::function<int(int fd, const char* path, std::uint32_t mask)>;
  /// A sentence for the log, naming the root: it was replaced (and is
  /// watched again), is gone, or is back.
  using OnNotice = std::function<void(const std::string& what)>;

  DirectoryWatcher(boost::asio::any_io_executor executor, std::filesystem::path root,
                   OnChange on_change, OnRescan on_rescan, OnLost on_lost = nullptr,
                   AddWatch add_watch = nullptr, OnNotice on_notice = nullptr);
  ~DirectoryWatcher();

  /// Sets up inotify and the watches. Returns false, with the reason in
  /// |why|, where inotify cannot work: no inotify instance left, the
  /// watch limit reached, or a network or FUSE filesystem that does not
  /// report remote changes.
  bool Start(std::string* why);
  void Stop();
  /// Stops, then starts again on |root| (a reload moved the articles).
  bool Restart(std::filesystem::path root, std::string* why);

 private:
  bool AddTree(const std::filesystem::path& dir, std::string* why);
  void Read();
  void OnRead(const boost::system::error_code& ec, std::size_t bytes);
  void RewatchRoot();
  /// Watches the folder that holds the root, for the root's own name.
  void WatchParent();

  boost::asio::posix::stream_descriptor descriptor_;
  boost::asio::steady_timer retry_;
  std::filesystem::path root_;
  OnChange on_change_;
  OnRescan on_rescan_;
  OnLost on_lost_;
  AddWatch add_watch_;
  OnNotice on_notice_;
  int fd_ = -1;
  int root_wd_ = -1;
  int parent_wd_ = -1;     // the folder holding the root
  std::string root_name_;  // the root's name in it
  bool root_missing_ = false;
  std::unordered_map<int, std::string> dirs_;  // watch descriptor -> rel dir ("" is the root)
  std::vector<char> buffer_;
  bool stopped_ = false;
};

/// Why polling is needed for the filesystem holding |path| (NFS, SMB/CIFS,
/// FUSE, ...), or "" when inotify works there.
std::string FilesystemNeedsPolling(const std::filesystem::path& path);

}  // namespace feedd

#endif  // FEEDD_DAEMON_REBUILD_DIRECTORY_WATCHER_H_
