#include "daemon/rebuild/change_debouncer.h"

#include <algorithm>

namespace feedd {

ChangeDebouncer::ChangeDebouncer(boost::asio::any_io_executor executor,
                                 std::chrono::milliseconds quiet, std::chrono::milliseconds ceiling,
                                 Fire fire)
    : timer_(executor), window_(quiet, ceiling), fire_(std::move(fire)) {}

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
  window_.SetWindows(quiet, ceiling);
}

void ChangeDebouncer::Arm() {
  // Restart the quiet window, but never past the ceiling.
  timer_.expires_at(window_.Add(std::chrono::steady_clock::now()));
  timer_.async_wait([this](const boost::system::error_code& ec) { OnTimer(ec); });
}

void ChangeDebouncer::OnTimer(const boost::system::error_code& ec) {
  if (ec) return;                          // re-armed (the newer wait fires instead) or stopped
  if (paths_.empty() && !rescan_) return;  // a stale expiry raced a re-arm
  window_.Close();
  std::set<std::string> paths;
  paths.swap(paths_);
  fire_(std::move(paths), std::exchange(rescan_, false), window_.first());
}

}  // namespace feedd
