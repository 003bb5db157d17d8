#include "daemon/serve/service_manager.h"

#include <sys/socket.h>
#include <systemd/sd-daemon.h>
#include <time.h>

#include <cstdlib>
#include <stdexcept>

namespace feedd {
namespace {

void Notify(const std::string& state) { ::sd_notify(0, state.c_str()); }

}  // namespace

void NotifyReady(const std::string& status) { Notify("READY=1\nSTATUS=" + status); }

void NotifyReloading() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  const long long usec = static_cast<long long>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
  Notify("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec));
}

void NotifyStopping() { Notify("STOPPING=1"); }

void NotifyStatus(const std::string& status) { Notify("STATUS=" + status); }

void NotifyWatchdog() { Notify("WATCHDOG=1"); }

std::optional<std::chrono::microseconds> WatchdogInterval() {
  std::uint64_t usec = 0;
  if (::sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
  return std::chrono::microseconds(usec);
}

Result<std::vector<InheritedSocket>> TakeInheritedSockets() {
  char** names = nullptr;
  const int n = ::sd_listen_fds_with_names(1, &names);
  std::vector<InheritedSocket> sockets;
  for (int i = 0; i < std::max(n, 0); ++i) {
    const int fd = SD_LISTEN_FDS_START + i;
    sockets.push_back({fd, names && names[i] ? names[i] : "unknown"});
  }
  if (names) {
    for (int i = 0; i < n; ++i) std::free(names[i]);
    std::free(names);
  }
  if (n < 0) return Status::IoError("cannot read LISTEN_FDS from the service manager");
  for (const InheritedSocket& s : sockets) {
    if (::sd_is_socket(s.fd, AF_UNSPEC, SOCK_STREAM, 1) <= 0) {
      return Status::IoError("socket activation: fd " + std::to_string(s.fd) + " (" + s.name +
                             ") is not a listening stream socket");
    }
  }
  return sockets;
}

}  // namespace feedd
