#include "daemon/rebuild/directory_watcher.h"

#include <sys/inotify.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "feeds/input/article_format.h"

namespace fs = std::filesystem;

namespace feedd {
namespace {

// What we act on; never IN_MODIFY (one per write(): half-written files).
constexpr std::uint32_t kMask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE |
                                IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR |
                                IN_DONT_FOLLOW | IN_EXCL_UNLINK;

// The root itself may be a symbolic link (a deploy's "current" pointing at
// a release): it is followed, and the folder holding it is watched for the
// link being replaced.
constexpr std::uint32_t kRootMask = kMask & ~IN_DONT_FOLLOW;
constexpr std::uint32_t kParentMask = IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE |
                                      IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;

bool IsDotName(const std::string& name) { return !name.empty() && name[0] == '.'; }

// Where |root| leads, for the log: its target when it is a symbolic link.
std::string Describe(const fs::path& root) {
  std::error_code ec;
  if (!fs::is_symlink(root, ec)) return root.string();
  const fs::path target = fs::canonical(root, ec);
  return root.string() + " (a symbolic link to " + (ec ? std::string("nothing") : target.string()) +
         ")";
}

}  // namespace

std::string FilesystemNeedsPolling(const fs::path& path) {
  struct statfs st;
  if (::statfs(path.c_str(), &st) != 0) return "";
  switch (static_cast<unsigned long>(st.f_type)) {
    case 0x6969:
      return "NFS";
    case 0xFE534D42:
      return "SMB2";
    case 0xFF534D42:
      return "CIFS";
    case 0x517B:
      return "SMB";
    case 0x65735546:
      return "FUSE";
    case 0x73757245:
      return "Coda";
    case 0x47504653:
      return "GPFS";
    case 0x00C36400:
      return "Ceph";
    default:
      return "";
  }
}

DirectoryWatcher::DirectoryWatcher(boost::asio::any_io_executor executor, fs::path root,
                                   OnChange on_change, OnRescan on_rescan, OnLost on_lost,
                                   AddWatch add_watch, OnNotice on_notice)
    : descriptor_(executor),
      retry_(executor),
      root_(std::move(root)),
      on_change_(std::move(on_change)),
      on_rescan_(std::move(on_rescan)),
      on_lost_(std::move(on_lost)),
      add_watch_(add_watch ? std::move(add_watch) : AddWatch(::inotify_add_watch)),
      on_notice_(std::move(on_notice)),
      buffer_(64 * 1024) {}

DirectoryWatcher::~DirectoryWatcher() { Stop(); }

bool DirectoryWatcher::Start(std::string* why) {
  const std::string remote = FilesystemNeedsPolling(root_);
  if (!remote.empty()) {
    *why = root_.string() + " is on " + remote + ", which does not report remote changes";
    return false;
  }
  fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd_ < 0) {
    *why = std::string("inotify_init1: ") + std::strerror(errno) +
           " (raise fs.inotify.max_user_instances)";
    return false;
  }
  descriptor_.assign(fd_);
  if (!AddTree(root_, why)) {
    Stop();
    return false;
  }
  WatchParent();
  Read();
  return true;
}

void DirectoryWatcher::WatchParent() {
  // Without it a replaced symbolic link goes unnoticed: its old target is
  // neither moved nor deleted. Where the parent cannot be watched, the
  // root's own move and delete events still tell of a replaced folder.
  const fs::path absolute = fs::absolute(root_).lexically_normal();
  const fs::path link = absolute.has_filename() ? absolute : absolute.parent_path();
  root_name_ = link.filename().string();
  parent_wd_ = add_watch_(fd_, link.parent_path().c_str(), kParentMask);
}

void DirectoryWatcher::Stop() {
  if (stopped_) return;
  stopped_ = true;
  boost::system::error_code ec;
  retry_.cancel();
  if (descriptor_.is_open()) descriptor_.close(ec);  // closes fd_ too
  fd_ = -1;
}

bool DirectoryWatcher::Restart(fs::path root, std::string* why) {
  // A read or retry still pending on the old descriptor completes with
  // operation_aborted and does nothing.
  Stop();
  root_ = std::move(root);
  dirs_.clear();
  root_wd_ = parent_wd_ = -1;
  root_missing_ = false;
  stopped_ = false;
  return Start(why);
}

bool DirectoryWatcher::AddTree(const fs::path& dir, std::string* why) {
  const int wd = add_watch_(fd_, dir.c_str(), dir == root_ ? kRootMask : kMask);
  if (wd < 0) {
    if (errno == ENOSPC) {
      *why = dir.string() + ": inotify watch limit reached (raise fs.inotify.max_user_watches)";
      return false;
    }
    if (dir == root_) {
      *why = Describe(root_) + ": " + std::strerror(errno);
      return false;
    }
    return true;  // a subdirectory vanished meanwhile: the rescan will see
  }
  const std::string rel = dir == root_ ? "" : dir.lexically_relative(root_).generic_string();
  dirs_[wd] = rel;
  if (dir == root_) root_wd_ = wd;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_directory(ec) && !entry.is_symlink(ec) &&
        !IsDotName(entry.path().filename().string())) {
      if (!AddTree(entry.path(), why)) return false;
    }
  }
  return true;
}

void DirectoryWatcher::Read() {
  descriptor_.async_read_some(
      boost::asio::buffer(buffer_),
      [this](const boost::system::error_code& ec, std::size_t bytes) { OnRead(ec, bytes); });
}

void DirectoryWatcher::OnRead(const boost::system::error_code& ec, std::size_t bytes) {
  if (ec || stopped_) return;
  bool rescan = false, root_gone = false, overflow = false;
  for (std::size_t at = 0; at + sizeof(inotify_event) <= bytes;) {
    const auto* event = reinterpret_cast<const inotify_event*>(buffer_.data() + at);
    at += sizeof(inotify_event) + event->len;
    if (event->mask & IN_Q_OVERFLOW) {
      rescan = overflow = true;  // events were dropped: only a full scan is truthful
      continue;
    }
    if (event->wd == root_wd_ && (event->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED))) {
      root_gone = true;
      continue;
    }
    if (event->wd == parent_wd_) {
      // The root's own name replaced, removed or back (a symbolic link
      // swapped by `mv -T`, or `ln -sfn`); or the parent itself went.
      if (event->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) {
        if (event->mask & IN_IGNORED) parent_wd_ = -1;
        root_gone = true;
      } else if (event->len > 0 && root_name_ == event->name) {
        root_gone = true;
      }
      continue;
    }
    if (event->mask & IN_IGNORED) {
      dirs_.erase(event->wd);
      continue;
    }
    auto dir = dirs_.find(event->wd);
    if (dir == dirs_.end() || event->len == 0) continue;
    const std::string name(event->name);
    const std::string rel = dir->second.empty() ? name : dir->second + "/" + name;
    if (event->mask & IN_ISDIR) {
      if (IsDotName(name)) continue;
      if (event->mask & (IN_CREATE | IN_MOVED_TO)) {
        std::string why;
        if (!AddTree(root_ / rel, &why) && on_lost_) on_lost_(why);
      }
      rescan = true;  // files inside a new, moved or removed directory
      continue;
    }
    if ((event->mask & (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE)) &&
        FormatForPath(rel) != ArticleFormat::kIgnored) {
      on_change_(rel);
    }
  }
  if (root_gone) {
    RewatchRoot();
  } else if (rescan) {
    on_rescan_(overflow);
  }
  Read();
}

void DirectoryWatcher::RewatchRoot() {
  // The root was deleted or replaced (a deploy swapped a symbolic link or
  // renamed a new folder into place): start over on whatever is there now,
  // or, while nothing is, look again every second (and on every event of
  // the parent) and say once that it is gone.
  retry_.cancel();
  for (const auto& [wd, rel] : dirs_) ::inotify_rm_watch(fd_, wd);
  dirs_.clear();
  root_wd_ = -1;
  std::string why;
  std::error_code ec;
  if (fs::is_directory(root_, ec) && AddTree(root_, &why)) {
    WatchParent();  // the same watch if the parent is the same folder
    if (on_notice_) {
      on_notice_("the articles folder " + Describe(root_) + " was " +
                 (root_missing_ ? "back" : "replaced") + "; watching it again and rescanning");
    }
    root_missing_ = false;
    on_rescan_(false);
    return;
  }
  if (!why.empty() && why.find("fs.inotify.max_user_watches") != std::string::npos) {
    if (on_lost_) on_lost_(why);
    return;
  }
  if (!root_missing_ && on_notice_) {
    on_notice_(why.empty()
                   ? "the articles folder " + Describe(root_) +
                         " is gone (removed, or replaced by something that is not a "
                         "folder); watching for it to come back"
                   : "cannot watch the articles folder again (" + why + "); trying every second");
  }
  root_missing_ = true;
  retry_.expires_after(std::chrono::seconds(1));
  retry_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec && !stopped_) RewatchRoot();
  });
}

}  // namespace feedd
