#include "daemon/export/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>
#include <utility>

namespace fs = std::filesystem;

namespace feedd {
namespace {

Status Failed(const char* what, const fs::path& path, int error) {
  return Status::IoError(path.string() + ": " + what + ": " + std::strerror(error));
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int Release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

// Creates |temp| for writing. Most calls are one open(): the folder is
// made, and a leftover at the name removed, only when the open says so.
int CreateTemp(const fs::path& temp, const fs::path& dir, Status* error) {
  // O_EXCL|O_NOFOLLOW: never write through a file or link someone else put
  // at the temporary name.
  constexpr int kFlags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
  int fd = ::open(temp.c_str(), kFlags, 0644);
  if (fd < 0 && errno == ENOENT) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
      *error = Failed("cannot create the folder", dir, ec.value());
      return -1;
    }
    fd = ::open(temp.c_str(), kFlags, 0644);
  }
  if (fd < 0 && errno == EEXIST) {  // a leftover of an interrupted write
    ::unlink(temp.c_str());
    fd = ::open(temp.c_str(), kFlags, 0644);
  }
  if (fd < 0) *error = Failed("cannot create", temp, errno);
  return fd;
}

}  // namespace

Status WriteFileAtomically(const fs::path& path, std::string_view bytes, bool durable) {
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  const fs::path temp = dir / ("." + path.filename().string() + std::string(kTempMarker) +
                               std::to_string(::getpid()));
  {
    Status error;
    Fd fd(CreateTemp(temp, dir, &error));
    if (fd.get() < 0) return error;
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::write(fd.get(), bytes.data() + done, bytes.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        const int error = errno;
        ::unlink(temp.c_str());
        return Failed("cannot write", temp, error);
      }
      done += static_cast<std::size_t>(n);
    }
    if ((durable && ::fsync(fd.get()) != 0) || ::close(fd.Release()) != 0) {
      const int error = errno;
      ::unlink(temp.c_str());
      return Failed("cannot flush", temp, error);
    }
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temp.c_str());
    return Failed("cannot rename into place", path, error);
  }
  if (!durable) return Status();
  // The rename is durable only once the directory is.
  Fd dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir_fd.get() < 0) return Failed("cannot open to flush", dir, errno);
  if (::fsync(dir_fd.get()) != 0) return Failed("cannot flush", dir, errno);
  return Status();
}

Status SyncTree(const fs::path& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return Failed("cannot open to flush", dir, errno);
  if (::syncfs(fd.get()) != 0) return Failed("cannot flush", dir, errno);
  return Status();
}

}  // namespace feedd
