// Fitting server.max_connections to RLIMIT_NOFILE: the pure computation,
// then raising the soft limit of this process (restored afterwards).

#include "daemon/base/fd_limit.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>

namespace feedd {
namespace {

TEST(CapConnectionsTest, ALimitWithRoomForTheReserveKeepsTheCap) {
  const ConnectionCap cap = CapConnections(1024 + kReservedDescriptors, 1024);
  EXPECT_EQ(1024u, cap.max_connections);
  EXPECT_FALSE(cap.lowered);
  EXPECT_FALSE(CapConnections(1048576, 1024).lowered);
}

TEST(CapConnectionsTest, ALimitTooSmallLowersTheCapByTheReserve) {
  // systemd's default soft limit, 1024, with the default cap of 1024.
  const ConnectionCap cap = CapConnections(1024, 1024);
  EXPECT_EQ(1024u - kReservedDescriptors, cap.max_connections);
  EXPECT_TRUE(cap.lowered);
  // One descriptor short is short.
  const ConnectionCap short_by_one = CapConnections(1024 + kReservedDescriptors - 1, 1024);
  EXPECT_EQ(1023u, short_by_one.max_connections);
  EXPECT_TRUE(short_by_one.lowered);
}

TEST(CapConnectionsTest, ALimitBelowTheReserveStillAllowsOneConnection) {
  EXPECT_EQ(1u, CapConnections(kReservedDescriptors, 1024).max_connections);
  EXPECT_EQ(1u, CapConnections(10, 1024).max_connections);
  EXPECT_TRUE(CapConnections(0, 1).lowered);
}

TEST(CapConnectionsTest, AnUnlimitedLimitNeverLowers) {
  EXPECT_FALSE(CapConnections(~std::uint64_t{0}, 1000000).lowered);
}

// Changes this process's soft limit; puts it back.
class RaiseFdLimitTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(0, ::getrlimit(RLIMIT_NOFILE, &saved_)); }
  void TearDown() override { ::setrlimit(RLIMIT_NOFILE, &saved_); }
  rlimit saved_{};
};

TEST_F(RaiseFdLimitTest, RaisesTheSoftLimitUpToTheHardOne) {
  // 200 from 128, or within a hard limit lower than that.
  const std::uint64_t hard_now = saved_.rlim_max == RLIM_INFINITY ? 200 : saved_.rlim_max;
  const std::uint64_t target = std::min<std::uint64_t>(200, hard_now);
  rlimit low = saved_;
  low.rlim_cur = static_cast<rlim_t>(target * 2 / 3);
  ASSERT_EQ(0, ::setrlimit(RLIMIT_NOFILE, &low));
  EXPECT_EQ(target, RaiseFdLimit(target));
  rlimit now{};
  ASSERT_EQ(0, ::getrlimit(RLIMIT_NOFILE, &now));
  EXPECT_EQ(target, now.rlim_cur);
  // Never lowered.
  EXPECT_EQ(target, RaiseFdLimit(target * 3 / 4));
  // Never past the hard limit.
  const std::uint64_t hard = HardFdLimit();
  const std::uint64_t beyond = hard > (std::uint64_t{1} << 40) ? 1u << 20 : hard + 1000;
  EXPECT_LE(RaiseFdLimit(beyond), hard);
}

}  // namespace
}  // namespace feedd
