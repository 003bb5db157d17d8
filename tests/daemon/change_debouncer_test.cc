#include "daemon/change_debouncer.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace feedd {
namespace {

using std::chrono::milliseconds;

struct Fired {
  std::set<std::string> paths;
  bool rescan;
};

TEST(ChangeDebouncerTest, BurstOfEventsFiresOnceAfterQuietWindow) {
  boost::asio::io_context ioc;
  std::vector<Fired> fired;
  ChangeDebouncer debouncer(ioc.get_executor(), milliseconds(50), milliseconds(5000),
                            [&](std::set<std::string> p, bool r) {
                              fired.push_back({p, r});
                            });
  debouncer.Add("a.txt");
  debouncer.Add("b.txt");
  debouncer.Add("a.txt");
  ioc.run_for(milliseconds(20));
  EXPECT_TRUE(fired.empty());  // still inside the quiet window
  ioc.run_for(milliseconds(500));
  ASSERT_EQ(1u, fired.size());
  EXPECT_EQ((std::set<std::string>{"a.txt", "b.txt"}), fired[0].paths);
  EXPECT_FALSE(fired[0].rescan);
}

TEST(ChangeDebouncerTest, ContinuousEventsStillFireAtCeiling) {
  boost::asio::io_context ioc;
  std::vector<Fired> fired;
  ChangeDebouncer debouncer(ioc.get_executor(), milliseconds(100), milliseconds(300),
                            [&](std::set<std::string> p, bool r) {
                              fired.push_back({p, r});
                            });
  // An event every 30 ms never leaves a 100 ms quiet window.
  boost::asio::steady_timer tick(ioc);
  int events = 0;
  std::function<void()> next = [&] {
    debouncer.Add("f" + std::to_string(events++) + ".txt");
    if (events < 40) {
      tick.expires_after(milliseconds(30));
      tick.async_wait([&](const boost::system::error_code&) { next(); });
    }
  };
  next();
  ioc.run_for(milliseconds(700));
  ASSERT_GE(fired.size(), 1u);
  EXPECT_LT(fired[0].paths.size(), 40u);  // fired before the burst ended
}

TEST(ChangeDebouncerTest, RescanRequestIsPassedOn) {
  boost::asio::io_context ioc;
  std::vector<Fired> fired;
  ChangeDebouncer debouncer(ioc.get_executor(), milliseconds(10), milliseconds(100),
                            [&](std::set<std::string> p, bool r) {
                              fired.push_back({p, r});
                            });
  debouncer.AddRescan();
  ioc.run_for(milliseconds(300));
  ASSERT_EQ(1u, fired.size());
  EXPECT_TRUE(fired[0].rescan);
}

}  // namespace
}  // namespace feedd
