#include "daemon/rebuild/wake_schedule.h"

#include <algorithm>

namespace feedd {

Wake NextWake(UnixTime now, std::chrono::milliseconds until_rescan,
              std::optional<UnixTime> next_embargo, bool retry_export,
              std::chrono::milliseconds export_retry) {
  using std::chrono::milliseconds;
  Wake wake{Wake::Reason::kRescan, std::max(until_rescan, milliseconds(0))};
  if (next_embargo) {
    const std::int64_t rescan_s = wake.after.count() / 1000;
    // Whole seconds first: only an embargo before the rescan is converted.
    if (*next_embargo <= now) {
      wake = {Wake::Reason::kEmbargo, milliseconds(0)};
    } else if (*next_embargo - now <= rescan_s) {
      const milliseconds embargo((*next_embargo - now) * 1000);
      if (embargo < wake.after) wake = {Wake::Reason::kEmbargo, embargo};
    }
  }
  if (retry_export && std::max(export_retry, milliseconds(0)) < wake.after) {
    wake = {Wake::Reason::kExportRetry, std::max(export_retry, milliseconds(0))};
  }
  return wake;
}

}  // namespace feedd
