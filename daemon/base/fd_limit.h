// daemon/base/fd_limit.h
//
// Fits server.max_connections to the open-file limit (RLIMIT_NOFILE). Each
// connection holds a descriptor, and the daemon needs some of its own: the
// state store's two connections and their journals, the inotify watcher,
// the listeners, the timers and signal pipes of the event loop, the parse
// threads' open files, the static export's temporary files, libcurl's
// sockets for the WebSub pings. kReservedDescriptors keeps room for them.
// Below max_connections + kReservedDescriptors, accept() would fail with
// EMFILE before the cap is reached, and the idle connection that should
// make room is never evicted.
//
// At start the soft limit is raised as far as the hard limit allows; when
// even the hard limit is too small, the cap is lowered to fit, with a
// warning naming both numbers.
//
// Thread safety: CapConnections() is pure; RaiseFdLimit() changes the
// process's limit and is called once at start (and on reload).

#ifndef FEEDD_DAEMON_BASE_FD_LIMIT_H_
#define FEEDD_DAEMON_BASE_FD_LIMIT_H_

#include <cstddef>
#include <cstdint>

namespace feedd {

/// Descriptors kept for the daemon itself, beyond one per connection.
inline constexpr std::size_t kReservedDescriptors = 64;

struct ConnectionCap {
  std::size_t max_connections;  ///< in force: at most what was asked
  bool lowered;                 ///< less than asked: warn
};

/// The connections |fd_limit| descriptors allow when |max_connections|
/// are asked for: all of them when max_connections + kReservedDescriptors
/// fit, else fd_limit - kReservedDescriptors (at least 1).
ConnectionCap CapConnections(std::uint64_t fd_limit, std::size_t max_connections);

/// Raises the soft RLIMIT_NOFILE toward |wanted| (never past the hard
/// limit, never lowering it); returns the soft limit in force afterwards.
/// RLIM_INFINITY reads as the largest value.
std::uint64_t RaiseFdLimit(std::uint64_t wanted);

/// The hard RLIMIT_NOFILE, for the warning.
std::uint64_t HardFdLimit();

}  // namespace feedd

#endif  // FEEDD_DAEMON_BASE_FD_LIMIT_H_
