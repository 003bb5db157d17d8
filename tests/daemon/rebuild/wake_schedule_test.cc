#include "daemon/rebuild/wake_schedule.h"

#include <gtest/gtest.h>

#include <limits>

namespace feedd {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Reason = Wake::Reason;

constexpr UnixTime kNow = 1772400000;
constexpr milliseconds kTenMinutes = seconds(600);
constexpr milliseconds kRetry = seconds(5);

TEST(WakeScheduleTest, WithNothingPendingItWakesForTheRescan) {
  const Wake wake = NextWake(kNow, kTenMinutes, std::nullopt, false, kRetry);
  EXPECT_EQ(Reason::kRescan, wake.reason);
  EXPECT_EQ(kTenMinutes, wake.after);
}

TEST(WakeScheduleTest, AnEmbargoBeforeTheRescanWakesItAtTheEmbargo) {
  const Wake wake = NextWake(kNow, kTenMinutes, kNow + 90, false, kRetry);
  EXPECT_EQ(Reason::kEmbargo, wake.reason);
  EXPECT_EQ(seconds(90), wake.after);
}

TEST(WakeScheduleTest, AnEmbargoAlreadyDueWakesItAtOnce) {
  const Wake wake = NextWake(kNow, kTenMinutes, kNow - 3, false, kRetry);
  EXPECT_EQ(Reason::kEmbargo, wake.reason);
  EXPECT_EQ(milliseconds(0), wake.after);
}

TEST(WakeScheduleTest, AFarEmbargoWaitsForTheRescanWithoutOverflow) {
  // Year 9999, and the largest date there is: past what nanoseconds hold.
  for (UnixTime far : {UnixTime{253402300799}, std::numeric_limits<UnixTime>::max()}) {
    const Wake wake = NextWake(kNow, kTenMinutes, far, false, kRetry);
    EXPECT_EQ(Reason::kRescan, wake.reason) << far;
    EXPECT_EQ(kTenMinutes, wake.after) << far;
  }
}

TEST(WakeScheduleTest, AnExportRetryComesFirstUnlessARebuildDoes) {
  Wake wake = NextWake(kNow, kTenMinutes, kNow + 90, true, kRetry);
  EXPECT_EQ(Reason::kExportRetry, wake.reason);
  EXPECT_EQ(kRetry, wake.after);
  // An embargo due sooner rebuilds, and the rebuild exports too.
  wake = NextWake(kNow, kTenMinutes, kNow + 2, true, kRetry);
  EXPECT_EQ(Reason::kEmbargo, wake.reason);
  // On a tie the rebuild wins.
  wake = NextWake(kNow, kTenMinutes, kNow + 5, true, kRetry);
  EXPECT_EQ(Reason::kEmbargo, wake.reason);
  wake = NextWake(kNow, kRetry, std::nullopt, true, kRetry);
  EXPECT_EQ(Reason::kRescan, wake.reason);
}

TEST(WakeScheduleTest, AnOverdueRescanWakesAtOnce) {
  const Wake wake = NextWake(kNow, milliseconds(-250), kNow + 90, true, kRetry);
  EXPECT_EQ(Reason::kRescan, wake.reason);
  EXPECT_EQ(milliseconds(0), wake.after);
}

}  // namespace
}  // namespace feedd
