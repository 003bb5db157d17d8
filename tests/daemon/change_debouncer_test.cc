#include "daemon/change_debouncer.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace feedd {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

struct Fired {
  std::set<std::string> paths;
  bool rescan;
};

TEST(ChangeDebouncerTest, BurstOfEventsFiresOnceAfterQuietWindow) {
  boost::asio::io_context ioc;
  std::vector<Fired> fired;
  ChangeDebouncer debouncer(ioc.get_executor(), milliseconds(50), milliseconds(5000),
                            [&](std::set<std::string> p, bool r, steady_clock::time_point) {
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
                            [&](std::set<std::string> p, bool r, steady_clock::time_point) {
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

TEST(ChangeDebouncerTest, TellsWhenTheBurstBeganAndTakesNewWindows) {
  boost::asio::io_context ioc;
  std::vector<steady_clock::time_point> firsts;
  ChangeDebouncer debouncer(ioc.get_executor(), milliseconds(10), milliseconds(100),
                            [&](std::set<std::string>, bool, steady_clock::time_point first) {
                              firsts.push_back(first);
                            });
  debouncer.SetWindows(milliseconds(150), milliseconds(1000));  // a reload
  const auto before = steady_clock::now();
  debouncer.Add("a.txt");
  ioc.run_for(milliseconds(80));
  EXPECT_TRUE(firsts.empty());  // the new 150 ms window, not the old 10 ms one
  ioc.run_for(milliseconds(400));
  ASSERT_EQ(1u, firsts.size());
  EXPECT_GE(firsts[0], before);
  EXPECT_LT(firsts[0], before + milliseconds(50));
}

TEST(ChangeDebouncerTest, RescanRequestIsPassedOn) {
  boost::asio::io_context ioc;
  std::vector<Fired> fired;
  ChangeDebouncer debouncer(ioc.get_executor(), milliseconds(10), milliseconds(100),
                            [&](std::set<std::string> p, bool r, steady_clock::time_point) {
                              fired.push_back({p, r});
                            });
  debouncer.AddRescan();
  ioc.run_for(milliseconds(300));
  ASSERT_EQ(1u, fired.size());
  EXPECT_TRUE(fired[0].rescan);
}

}  // namespace
}  // namespace feedd
