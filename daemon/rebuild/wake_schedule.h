// daemon/rebuild/wake_schedule.h
//
// When the rebuild worker wakes on its own, and why: for the safety-net (or
// polling) rescan, for the next embargo coming due, or to retry documents
// the static export could not write. Pure, so the timing is tested without
// a thread or a clock.

#ifndef FEEDD_DAEMON_REBUILD_WAKE_SCHEDULE_H_
#define FEEDD_DAEMON_REBUILD_WAKE_SCHEDULE_H_

#include <chrono>
#include <optional>

#include "feeds/core/unix_time.h"

namespace feedd {

struct Wake {
  enum class Reason { kRescan, kEmbargo, kExportRetry };
  Reason reason;
  std::chrono::milliseconds after;  ///< from now; never negative
};

/// The earliest of: the rescan, |until_rescan| from now; the embargo at
/// |next_embargo| (wall-clock seconds; |now| is the wall clock); and, when
/// |retry_export|, |export_retry| from now. On a tie the rescan wins, then
/// the embargo: each of those also retries the export. An embargo however
/// far ahead (past the year 2262 too) never overflows: it is compared in
/// seconds.
Wake NextWake(UnixTime now, std::chrono::milliseconds until_rescan,
              std::optional<UnixTime> next_embargo, bool retry_export,
              std::chrono::milliseconds export_retry);

}  // namespace feedd

#endif  // FEEDD_DAEMON_REBUILD_WAKE_SCHEDULE_H_
