// daemon/change_debouncer.h
//
// Merges a burst of file events into one rebuild request: fires once the
// changes have been quiet for |quiet|, or at |ceiling| after the first one
// when they never stop. (MPD's InotifyQueue does the same.)
//
// Thread safety: call from the io_context's threads only (one strand).

#ifndef FEEDD_DAEMON_CHANGE_DEBOUNCER_H_
#define FEEDD_DAEMON_CHANGE_DEBOUNCER_H_

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <set>
#include <string>

namespace feedd {

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
  std::chrono::milliseconds quiet_, ceiling_;
  Fire fire_;
  std::set<std::string> paths_;
  bool rescan_ = false;
  bool armed_ = false;
  std::chrono::steady_clock::time_point first_;
};

}  // namespace feedd

#endif  // FEEDD_DAEMON_CHANGE_DEBOUNCER_H_
