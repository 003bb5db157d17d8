// daemon/rebuild/clock.h
//
// The wall clock as a seam. What decides by the time of day (which articles
// are out of embargo, when the rebuild worker wakes for the next one) asks
// a Clock it was given, so tests set the time instead of waiting for it.
// feeds/ has no clock at all: its functions take the time as a parameter.
//
// Thread safety: Now() may be called from any thread.

#ifndef FEEDD_DAEMON_REBUILD_CLOCK_H_
#define FEEDD_DAEMON_REBUILD_CLOCK_H_

#include <atomic>
#include <ctime>

#include "feeds/core/unix_time.h"

namespace feedd {

class Clock {
 public:
  virtual ~Clock() = default;
  /// Seconds since the Unix epoch.
  virtual UnixTime Now() const = 0;
};

/// The system's real-time clock.
class SystemClock final : public Clock {
 public:
  UnixTime Now() const override { return static_cast<UnixTime>(std::time(nullptr)); }
};

/// A clock that shows what it was last set to, for tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(UnixTime now) : now_(now) {}
  UnixTime Now() const override { return now_.load(); }
  void Set(UnixTime now) { now_.store(now); }

 private:
  std::atomic<UnixTime> now_;
};

}  // namespace feedd

#endif  // FEEDD_DAEMON_REBUILD_CLOCK_H_
