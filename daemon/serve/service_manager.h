// daemon/serve/service_manager.h
//
// What feedd tells the service manager (systemd's sd_notify protocol), and
// the listening sockets the manager passed in (socket activation). Without
// NOTIFY_SOCKET every notification is a no-op, so the daemon runs the same
// under systemd, in a terminal and in tests.
//
// Thread safety: every function may be called from any thread.

#ifndef FEEDD_DAEMON_SERVE_SERVICE_MANAGER_H_
#define FEEDD_DAEMON_SERVE_SERVICE_MANAGER_H_

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "feeds/core/status.h"

namespace feedd {

/// READY=1, with a STATUS= line.
void NotifyReady(const std::string& status);
/// RELOADING=1 with MONOTONIC_USEC= (required from systemd 253 on).
void NotifyReloading();
void NotifyStopping();
void NotifyStatus(const std::string& status);
void NotifyWatchdog();

/// The interval the manager expects WATCHDOG=1 within (WATCHDOG_USEC, for
/// this process), or nothing when no watchdog is enabled.
std::optional<std::chrono::microseconds> WatchdogInterval();

/// A listening socket the service manager passed in.
struct InheritedSocket {
  int fd;
  std::string name;  ///< FileDescriptorName=, "unknown" when unnamed
};

/// The sockets passed in by socket activation (LISTEN_FDS for this
/// process), taken over: the environment variables are removed so no child
/// inherits them. Empty when there are none; an I/O error when one of them
/// is not a listening stream socket.
Result<std::vector<InheritedSocket>> TakeInheritedSockets();

}  // namespace feedd

#endif  // FEEDD_DAEMON_SERVE_SERVICE_MANAGER_H_
