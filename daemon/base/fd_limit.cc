#include "daemon/base/fd_limit.h"

#include <sys/resource.h>

#include <algorithm>
#include <limits>

namespace feedd {
namespace {

std::uint64_t AsLimit(rlim_t value) {
  return value == RLIM_INFINITY ? std::numeric_limits<std::uint64_t>::max()
                                : static_cast<std::uint64_t>(value);
}

}  // namespace

ConnectionCap CapConnections(std::uint64_t fd_limit, std::size_t max_connections) {
  const std::uint64_t wanted = static_cast<std::uint64_t>(max_connections) + kReservedDescriptors;
  if (fd_limit >= wanted) return {max_connections, false};
  const std::uint64_t room = fd_limit > kReservedDescriptors ? fd_limit - kReservedDescriptors : 1;
  return {static_cast<std::size_t>(std::max<std::uint64_t>(1, room)), true};
}

std::uint64_t RaiseFdLimit(std::uint64_t wanted) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  const std::uint64_t soft = AsLimit(limit.rlim_cur);
  if (soft >= wanted) return soft;
  const std::uint64_t raised = std::min(wanted, AsLimit(limit.rlim_max));
  rlimit next = limit;
  next.rlim_cur = static_cast<rlim_t>(raised);
  // Past fs.nr_open the kernel refuses even under the hard limit.
  return ::setrlimit(RLIMIT_NOFILE, &next) == 0 ? raised : soft;
}

std::uint64_t HardFdLimit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  return AsLimit(limit.rlim_max);
}

}  // namespace feedd
