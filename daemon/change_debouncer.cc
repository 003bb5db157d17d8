#include "daemon/change_debouncer.h"

#include <algorithm>

namespace feedd {

ChangeDebouncer::ChangeDebouncer(boost::asio::any_io_executor executor,
                                 std::chrono::milliseconds quiet, std::chrono::milliseconds ceiling,
                                 Fire fire)
    : timer_(executor), quiet_(quiet), ceiling_(std::max(ceiling, quiet)), fire_(std::move(fire)) {}

void ChangeDebouncer::Add(const std::string& path) {
  paths_.insert(path);
  Arm();
}

void ChangeDebouncer::AddRescan() {
  rescan_ = true;
  Arm();
}

void ChangeDebouncer::Stop() { timer_.cancel(); }

void ChangeDebouncer::SetWindows(std::chrono::milliseconds quiet,
                                 std::chrono::milliseconds ceiling) {
  quiet_ = quiet;
  ceiling_ = std::max(ceiling, quiet);
}

void ChangeDebouncer::Arm() {
  const auto now = std::chrono::steady_clock::now();
  if (!armed_) {
    armed_ = true;
    first_ = now;
  }
  // Restart the quiet window, but never past the ceiling.
  timer_.expires_at(std::min(now + quiet_, first_ + ceiling_));
  timer_.async_wait([this](const boost::system::error_code& ec) { OnTimer(ec); });
}

void ChangeDebouncer::OnTimer(const boost::system::error_code& ec) {
  if (ec) return;                          // re-armed (the newer wait fires instead) or stopped
  if (paths_.empty() && !rescan_) return;  // a stale expiry raced a re-arm
  armed_ = false;
  std::set<std::string> paths;
  paths.swap(paths_);
  fire_(std::move(paths), std::exchange(rescan_, false), first_);
}

}  // namespace feedd
