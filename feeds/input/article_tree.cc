#include "feeds/input/article_tree.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <set>
#include <utility>

#include "feeds/input/article_format.h"

namespace fs = std::filesystem;

namespace feedd {
namespace {

FileStamp StampOf(const struct stat& st) {
  return {static_cast<std::uint64_t>(st.st_size),
          static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec,
          static_cast<std::uint64_t>(st.st_ino)};
}

std::string Join(const std::string& dir, const char* name) {
  return dir.empty() ? std::string(name) : dir + "/" + name;
}

std::string RealPath(const std::string& path) {
  char buffer[PATH_MAX];
  return ::realpath(path.c_str(), buffer) ? std::string(buffer) : std::string();
}

// Whether |path| is |root| or lies under it.
bool Inside(const std::string& path, const std::string& root) {
  return !path.empty() && !root.empty() &&
         (path == root || (path.size() > root.size() && path.compare(0, root.size(), root) == 0 &&
                           (root.back() == '/' || path[root.size()] == '/')));
}

// A directory being walked.
struct OpenDir {
  DIR* dir;
  std::string rel;
};

// One listing of the tree: folders depth first, each entry classified by
// its d_type (or a stat where the filesystem gives none), links followed
// only inside the root.
class TreeWalk {
 public:
  TreeWalk(const fs::path& root, const std::string& canonical_root, bool follow_symlinks,
           Problems* problems)
      : root_(root),
        canonical_root_(canonical_root),
        follow_symlinks_(follow_symlinks),
        problems_(problems) {}

  /// Walks from |first| (an open descriptor of the root); false when even
  /// that cannot be read.
  bool Run(int first) {
    Enter(first, "");
    if (stack_.empty()) return false;
    while (!stack_.empty()) {
      OpenDir current = std::move(stack_.back());
      stack_.pop_back();
      ReadFolder(current);
      ::closedir(current.dir);
    }
    std::sort(listing_.files.begin(), listing_.files.end(),
              [](const ArticleFile& a, const ArticleFile& b) { return a.rel_path < b.rel_path; });
    return true;
  }

  Listing Take() { return std::move(listing_); }

 private:
  // Queues the folder open at |fd|, unless it was seen already (a link back
  // up the tree).
  void Enter(int fd, const std::string& rel) {
    struct stat st;
    if (::fstat(fd, &st) != 0 || !visited_.insert({st.st_dev, st.st_ino}).second) {
      ::close(fd);
      return;
    }
    DIR* dir = ::fdopendir(fd);
    if (!dir) {
      ::close(fd);
      return;
    }
    stack_.push_back({dir, rel});
  }

  void OpenFolder(int dir_fd, const char* name, const std::string& rel, int flags) {
    const int fd = ::openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | flags);
    if (fd < 0) {
      CannotList(rel, errno);
    } else {
      Enter(fd, rel);
    }
  }

  void CannotList(const std::string& rel, int error) {
    problems_->push_back({rel.empty() ? root_.string() : rel, 0, Severity::kError,
                          std::string("cannot list this folder: ") + std::strerror(error) +
                              "; the articles in it stay as they were"});
    listing_.unreadable.push_back(rel);
  }

  void Warn(const std::string& rel, std::string message) {
    problems_->push_back({rel, 0, Severity::kWarning, std::move(message)});
  }

  void ReadFolder(const OpenDir& current) {
    const int dir_fd = ::dirfd(current.dir);
    for (;;) {
      errno = 0;
      const dirent* entry = ::readdir(current.dir);
      if (!entry) {
        if (errno != 0) CannotList(current.rel, errno);
        return;
      }
      if (entry->d_name[0] == '.') continue;  // ".", "..", dotfiles and dot folders
      VisitEntry(dir_fd, entry->d_name, entry->d_type, Join(current.rel, entry->d_name));
    }
  }

  void VisitEntry(int dir_fd, const char* name, unsigned char type, const std::string& rel) {
    struct stat st;
    if (type == DT_UNKNOWN) {
      if (::fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) return;  // gone
      type = S_ISDIR(st.st_mode)   ? DT_DIR
             : S_ISREG(st.st_mode) ? DT_REG
             : S_ISLNK(st.st_mode) ? DT_LNK
                                   : DT_UNKNOWN;
    }
    if (type == DT_LNK) {
      VisitLink(dir_fd, name, rel);
      return;
    }
    if (type == DT_DIR) {
      OpenFolder(dir_fd, name, rel, O_NOFOLLOW);
      return;
    }
    if (FormatForPath(rel) == ArticleFormat::kIgnored) return;
    if (type != DT_REG) {
      Warn(rel, "not a regular file: not read");
      return;
    }
    if (::fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno != ENOENT) problems_->push_back({rel, 0, Severity::kError, std::strerror(errno)});
      return;
    }
    if (S_ISREG(st.st_mode)) listing_.files.push_back({rel, StampOf(st)});
  }

  // A symbolic link: followed only when allowed, and only to a folder or
  // an article file inside the root.
  void VisitLink(int dir_fd, const char* name, const std::string& rel) {
    if (!follow_symlinks_) {
      if (FormatForPath(rel) != ArticleFormat::kIgnored) {
        Warn(rel, "a symbolic link, not followed (articles.symlinks = \"ignore\")");
      }
      return;
    }
    struct stat st;
    const std::string target = RealPath((root_ / rel).string());
    if (::fstatat(dir_fd, name, &st, 0) != 0 || target.empty()) {
      Warn(rel, std::string("a symbolic link that leads nowhere: ") + std::strerror(errno));
      return;
    }
    if (!Inside(target, canonical_root_)) {
      Warn(rel, "a symbolic link to " + target + ", outside the articles folder: not published");
      return;
    }
    if (S_ISDIR(st.st_mode)) {
      OpenFolder(dir_fd, name, rel, 0);
      return;
    }
    if (FormatForPath(rel) == ArticleFormat::kIgnored) return;
    if (!S_ISREG(st.st_mode)) {
      Warn(rel, "not a regular file: not read");
      return;
    }
    listing_.files.push_back({rel, StampOf(st)});
  }

  const fs::path& root_;
  const std::string& canonical_root_;
  const bool follow_symlinks_;
  Problems* problems_;
  Listing listing_;
  std::set<std::pair<dev_t, ino_t>> visited_;  // folders, against symlink loops
  std::vector<OpenDir> stack_;
};

}  // namespace

ArticleTree::ArticleTree(fs::path root, bool follow_symlinks)
    : root_(std::move(root)), follow_symlinks_(follow_symlinks) {
  root_fd_ = ::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root_fd_ < 0) root_error_ = errno;
  canonical_root_ = RealPath(root_.string());
}

ArticleTree::~ArticleTree() {
  if (root_fd_ >= 0) ::close(root_fd_);
}

Status ArticleTree::CannotListRoot(int error) const {
  return Status::IoError(root_.string() +
                         ": cannot list the articles directory: " + std::strerror(error));
}

Status ArticleTree::Reachable() const {
  if (root_fd_ < 0) return CannotListRoot(root_error_);
  struct stat st;
  if (::fstat(root_fd_, &st) != 0) return CannotListRoot(errno);
  // An open directory that was removed has no links left.
  if (st.st_nlink == 0) return CannotListRoot(ENOENT);
  return Status();
}

Result<Listing> ArticleTree::List(Problems* problems) const {
  auto cannot_list_root = [this](int error) { return CannotListRoot(error); };
  if (root_fd_ < 0) return cannot_list_root(root_error_);
  // A new open file description: readdir() must not share an offset with
  // another listing of the same tree.
  const int first = ::openat(root_fd_, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (first < 0) return cannot_list_root(errno);
  TreeWalk walk(root_, canonical_root_, follow_symlinks_, problems);
  if (!walk.Run(first)) return cannot_list_root(errno ? errno : EIO);
  return walk.Take();
}

int ArticleTree::Open(const std::string& rel_path) const {
  if (root_fd_ < 0) {
    errno = root_error_;
    return -1;
  }
  const int flags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
  open_how how{};
  how.flags = static_cast<std::uint64_t>(flags);
  // RESOLVE_BENEATH: no path, link or ".." leads out of the root.
  how.resolve =
      RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | (follow_symlinks_ ? 0 : RESOLVE_NO_SYMLINKS);
  const long fd = ::syscall(SYS_openat2, root_fd_, rel_path.c_str(), &how, sizeof how);
  if (fd >= 0 || errno != ENOSYS) return static_cast<int>(fd);
  // Kernels before 5.6: resolve first, then refuse to follow anything more.
  const std::string full = (root_ / rel_path).string();
  if (!follow_symlinks_) return ::open(full.c_str(), flags | O_NOFOLLOW);
  const std::string target = RealPath(full);
  if (!Inside(target, canonical_root_)) {
    errno = target.empty() ? ENOENT : EXDEV;
    return -1;
  }
  return ::open(target.c_str(), flags | O_NOFOLLOW);
}

std::optional<FileStamp> ArticleTree::Stamp(const std::string& rel_path) const {
  const int fd = Open(rel_path);
  if (fd < 0) return std::nullopt;
  struct stat st;
  const bool regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  ::close(fd);
  if (!regular) return std::nullopt;
  return StampOf(st);
}

bool ArticleTree::Read(const std::string& rel_path, std::size_t limit, std::string* out,
                       Problems* problems) const {
  std::string& bytes = *out;
  bytes.clear();
  const int fd = Open(rel_path);
  if (fd < 0) {
    const int error = errno;
    problems->push_back({rel_path, 0, Severity::kError,
                         error == EXDEV   ? "a symbolic link that leads outside the articles "
                                            "folder: not read"
                         : error == ELOOP ? "a symbolic link, not followed"
                                          : std::string("cannot open: ") + std::strerror(error)});
    return false;
  }
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    problems->push_back({rel_path, 0, Severity::kError, "not a regular file: not read"});
    return false;
  }
  // Read what the file holds, up to one byte past the limit (so the parser
  // can tell "too large"), growing as a file that is still being written
  // grows.
  const std::size_t want = limit + 1;
  std::size_t chunk = static_cast<std::size_t>(
      std::min<std::uintmax_t>(static_cast<std::uintmax_t>(st.st_size) + 1, want));
  int error = 0;
  while (bytes.size() < want) {
    const std::size_t at = bytes.size();
    const std::size_t asked = std::min(chunk, want - at);
    bytes.resize(at + asked);
    const ssize_t n = ::read(fd, bytes.data() + at, asked);
    if (n < 0 && errno == EINTR) {
      bytes.resize(at);
      continue;
    }
    if (n < 0) error = errno;
    bytes.resize(at + static_cast<std::size_t>(std::max<ssize_t>(n, 0)));
    // A regular file reads short only at its end.
    if (n < static_cast<ssize_t>(asked)) break;
    chunk = 64 * 1024;
  }
  ::close(fd);
  if (error != 0) {
    problems->push_back(
        {rel_path, 0, Severity::kError, std::string("read error: ") + std::strerror(error)});
    return false;
  }
  return true;
}

OpenArticleFolder DiskFolder(fs::path root, bool follow_symlinks) {
  return [root = std::move(root), follow_symlinks] {
    return std::make_shared<const ArticleTree>(root, follow_symlinks);
  };
}

}  // namespace feedd
