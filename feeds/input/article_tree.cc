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

Result<Listing> ArticleTree::List(Problems* problems) const {
  auto cannot_list_root = [&](int error) {
    return Status::IoError(root_.string() +
                           ": cannot list the articles directory: " + std::strerror(error));
  };
  if (root_fd_ < 0) return cannot_list_root(root_error_);
  Listing listing;
  std::set<std::pair<dev_t, ino_t>> visited;  // folders, against symlink loops
  std::vector<OpenDir> stack;
  auto enter = [&](int fd, const std::string& rel) {
    struct stat st;
    if (::fstat(fd, &st) != 0 || !visited.insert({st.st_dev, st.st_ino}).second) {
      ::close(fd);  // seen already: a link back up the tree
      return;
    }
    DIR* dir = ::fdopendir(fd);
    if (!dir) {
      ::close(fd);
      return;
    }
    stack.push_back({dir, rel});
  };
  auto cannot_list = [&](const std::string& rel, int error) {
    problems->push_back({rel.empty() ? root_.string() : rel, 0, Severity::kError,
                         std::string("cannot list this folder: ") + std::strerror(error) +
                             "; the articles in it stay as they were"});
    listing.unreadable.push_back(rel);
  };
  // A new open file description: readdir() must not share an offset with
  // another listing of the same tree.
  const int first = ::openat(root_fd_, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (first < 0) return cannot_list_root(errno);
  enter(first, "");
  if (stack.empty()) return cannot_list_root(errno ? errno : EIO);

  while (!stack.empty()) {
    OpenDir current = std::move(stack.back());
    stack.pop_back();
    const int dir_fd = ::dirfd(current.dir);
    for (;;) {
      errno = 0;
      const dirent* entry = ::readdir(current.dir);
      if (!entry) {
        if (errno != 0) cannot_list(current.rel, errno);
        break;
      }
      const char* name = entry->d_name;
      if (name[0] == '.') continue;  // ".", "..", dotfiles and dot folders
      const std::string rel = Join(current.rel, name);
      unsigned char type = entry->d_type;
      struct stat st;
      if (type == DT_UNKNOWN) {
        if (::fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;  // gone
        type = S_ISDIR(st.st_mode)   ? DT_DIR
               : S_ISREG(st.st_mode) ? DT_REG
               : S_ISLNK(st.st_mode) ? DT_LNK
                                     : DT_UNKNOWN;
      }
      if (type == DT_LNK) {
        if (!follow_symlinks_) {
          if (FormatForPath(rel) != ArticleFormat::kIgnored) {
            problems->push_back({rel, 0, Severity::kWarning,
                                 "a symbolic link, not followed (articles.symlinks = \"ignore\")"});
          }
          continue;
        }
        const std::string target = RealPath((root_ / rel).string());
        if (::fstatat(dir_fd, name, &st, 0) != 0 || target.empty()) {
          problems->push_back(
              {rel, 0, Severity::kWarning,
               std::string("a symbolic link that leads nowhere: ") + std::strerror(errno)});
          continue;
        }
        if (!Inside(target, canonical_root_)) {
          problems->push_back(
              {rel, 0, Severity::kWarning,
               "a symbolic link to " + target + ", outside the articles folder: not published"});
          continue;
        }
        if (S_ISDIR(st.st_mode)) {
          const int fd = ::openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
          if (fd < 0) {
            cannot_list(rel, errno);
          } else {
            enter(fd, rel);
          }
          continue;
        }
        type = S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
        if (type == DT_REG && FormatForPath(rel) != ArticleFormat::kIgnored) {
          listing.files.push_back({rel, StampOf(st)});
          continue;
        }
      }
      if (type == DT_DIR) {
        const int fd = ::openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) {
          cannot_list(rel, errno);
        } else {
          enter(fd, rel);
        }
        continue;
      }
      if (FormatForPath(rel) == ArticleFormat::kIgnored) continue;
      if (type != DT_REG) {
        problems->push_back({rel, 0, Severity::kWarning, "not a regular file: not read"});
        continue;
      }
      if (::fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno != ENOENT) {
          problems->push_back({rel, 0, Severity::kError, std::strerror(errno)});
        }
        continue;
      }
      if (S_ISREG(st.st_mode)) listing.files.push_back({rel, StampOf(st)});
    }
    ::closedir(current.dir);
  }
  std::sort(listing.files.begin(), listing.files.end(),
            [](const ArticleFile& a, const ArticleFile& b) { return a.rel_path < b.rel_path; });
  return listing;
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
