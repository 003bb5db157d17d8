#include "daemon/rebuild/change_debouncer.h"

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

// The window's timing, with made-up times: no timer, no waiting.
TEST(DebounceWindowTest, EachChangeRestartsTheQuietWindowUpToTheCeiling) {
  DebounceWindow window(milliseconds(100), milliseconds(1000));
  const steady_clock::time_point t0{};
  EXPECT_FALSE(window.open());
  EXPECT_EQ(t0 + milliseconds(100), window.Add(t0));
  EXPECT_TRUE(window.open());
  EXPECT_EQ(t0 + milliseconds(150), window.Add(t0 + milliseconds(50)));
  // A change every 90 ms never leaves the quiet window: the ceiling fires.
  steady_clock::time_point due;
  for (int i = 1; i <= 20; ++i) due = window.Add(t0 + milliseconds(90 * i));
  EXPECT_EQ(t0 + milliseconds(1000), due);
  EXPECT_EQ(t0, window.first());
  window.Close();
  EXPECT_FALSE(window.open());
  // The next change opens a new burst with its own ceiling.
  const steady_clock::time_point t1 = t0 + milliseconds(5000);
  EXPECT_EQ(t1 + milliseconds(100), window.Add(t1));
  EXPECT_EQ(t1, window.first());
}

TEST(DebounceWindowTest, ACeilingBelowTheQuietWindowIsRaisedToIt) {
  DebounceWindow window(milliseconds(300), milliseconds(100));
  const steady_clock::time_point t0{};
  EXPECT_EQ(t0 + milliseconds(300), window.Add(t0));
  window.SetWindows(milliseconds(10), milliseconds(20));
  // New windows count from the burst's first change.
  EXPECT_EQ(t0 + milliseconds(20), window.Add(t0 + milliseconds(15)));
}

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
