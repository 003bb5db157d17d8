// daemon/rebuild/change_debouncer.h
//
// Merges a burst of file events into one rebuild request: fires once the
// changes have been quiet for |quiet|, or at |ceiling| after the first one
// when they never stop. (MPD's InotifyQueue does the same.) The timing is
// DebounceWindow's, pure and tested with made-up times; ChangeDebouncer
// adds the timer and the paths.
//
// Thread safety: ChangeDebouncer: call from the io_context's threads only
// (one strand). DebounceWindow: not thread-safe.

#ifndef FEEDD_DAEMON_REBUILD_CHANGE_DEBOUNCER_H_
#define FEEDD_DAEMON_REBUILD_CHANGE_DEBOUNCER_H_

#include <algorithm>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <set>
#include <string>

namespace feedd {

class DebounceWindow {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  DebounceWindow(std::chrono::milliseconds quiet, std::chrono::milliseconds ceiling)
      : quiet_(quiet), ceiling_(std::max(ceiling, quiet)) {}

  /// A change at |now|; returns when the burst should fire: |quiet| after
  /// this change, but never later than |ceiling| after the burst's first.
  TimePoint Add(TimePoint now) {
    if (!open_) {
      open_ = true;
      first_ = now;
    }
    return std::min(now + quiet_, first_ + ceiling_);
  }
  /// The burst fired: the next change opens a new one.
  void Close() { open_ = false; }
  bool open() const { return open_; }
  /// When the open burst's first change came.
  TimePoint first() const { return first_; }
  /// New windows (a reload), for the changes from now on.
  void SetWindows(std::chrono::milliseconds quiet, std::chrono::milliseconds ceiling) {
    quiet_ = quiet;
    ceiling_ = std::max(ceiling, quiet);
  }

 private:
  std::chrono::milliseconds quiet_, ceiling_;
  bool open_ = false;
  TimePoint first_{};
};

class ChangeDebouncer {
 public:
  /// |fire| gets the changed paths, whether a full rescan is needed, and
  /// when the first change of the burst came.
  using Fire = std::function<void(std::set<std::string> paths, bool rescan,
                                  std::chrono::steady_clock::time_point first)>;

  ChangeDebouncer(boost::asio::any_io_executor executor, std::chrono::milliseconds quiet,
                  std::chrono::milliseconds ceiling, Fire fire);

  void Add(const std::string& path);
  void AddRescan();
  void Stop();
  /// New windows (a reload), from the next change on.
  void SetWindows(std::chrono::milliseconds quiet, std::chrono::milliseconds ceiling);

 private:
  void Arm();
  void OnTimer(const boost::system::error_code& ec);

  boost::asio::steady_timer timer_;
  DebounceWindow window_;
  Fire fire_;
  std::set<std::string> paths_;
  bool rescan_ = false;
};

}  // namespace feedd

#endif  // FEEDD_DAEMON_REBUILD_CHANGE_DEBOUNCER_H_
