// The inotify watcher on a real folder: what it reports for each kind of
// change, and what it stays silent about.

#include "daemon/rebuild/directory_watcher.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <cerrno>
#include <chrono>
#include <fstream>
#include <set>

#include "tests/testing/temp_dir.h"

namespace feedd {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class DirectoryWatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(root_ / "world");
    watcher_ = std::make_unique<DirectoryWatcher>(
        ioc_.get_executor(), root_, [this](const std::string& path) { changed_.insert(path); },
        [this](bool overflow) { rescans_.push_back(overflow); });
    std::string why;
    ASSERT_TRUE(watcher_->Start(&why)) << why;
  }
  void TearDown() override {
    watcher_->Stop();
    ioc_.poll();
    fs::remove_all(root_.string() + ".old");
  }

  // Runs the io_context until |done| holds, for 5 s at most.
  template <class Done>
  bool RunUntil(Done done) {
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      ioc_.restart();
      ioc_.run_for(10ms);
    }
    return done();
  }
  // Lets events that should not come have their chance to.
  void RunBriefly() {
    ioc_.restart();
    ioc_.run_for(200ms);
  }
  void Write(const fs::path& rel, const std::string& text) { std::ofstream(root_ / rel) << text; }
  bool Changed(const std::string& path) { return changed_.count(path) > 0; }

  boost::asio::io_context ioc_;
  const testing::TempDir temp_{"watcher-test"};
  const fs::path root_ = temp_.path();
  std::unique_ptr<DirectoryWatcher> watcher_;
  std::set<std::string> changed_;
  std::vector<bool> rescans_;
};

TEST_F(DirectoryWatcherTest, AFileClosedAfterWritingIsReportedByItsRelativePath) {
  Write("world/a.txt", "A\n\nBody.\n");
  EXPECT_TRUE(RunUntil([&] { return Changed("world/a.txt"); }));
}

TEST_F(DirectoryWatcherTest, AHalfWrittenFileIsReportedOnlyOnceClosed) {
  const int fd = ::open((root_ / "world/b.txt").c_str(), O_WRONLY | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(4, ::write(fd, "Half", 4));
  RunBriefly();
  EXPECT_FALSE(Changed("world/b.txt"));
  ::close(fd);
  EXPECT_TRUE(RunUntil([&] { return Changed("world/b.txt"); }));
}

TEST_F(DirectoryWatcherTest, FilesThatAreNotArticlesAreIgnored) {
  Write("world/photo.jpg", "jpeg");
  Write("world/.hidden.txt", "dot file");
  Write("world/c.txt~", "backup");
  Write("world/d.md", "# D\n");  // the marker that events were read
  ASSERT_TRUE(RunUntil([&] { return Changed("world/d.md"); }));
  EXPECT_EQ(std::set<std::string>{"world/d.md"}, changed_);
}

TEST_F(DirectoryWatcherTest, MovesAndDeletionsAreReported) {
  Write("a.txt", "A\n\nBody.\n");
  ASSERT_TRUE(RunUntil([&] { return Changed("a.txt"); }));
  changed_.clear();
  fs::rename(root_ / "a.txt", root_ / "world" / "a.txt");
  EXPECT_TRUE(RunUntil([&] { return Changed("a.txt") && Changed("world/a.txt"); }));
  changed_.clear();
  fs::remove(root_ / "world" / "a.txt");
  EXPECT_TRUE(RunUntil([&] { return Changed("world/a.txt"); }));
}

TEST_F(DirectoryWatcherTest, ANewFolderAsksForARescanAndIsWatched) {
  fs::create_directory(root_ / "sport");
  ASSERT_TRUE(RunUntil([&] { return !rescans_.empty(); }));
  EXPECT_FALSE(rescans_[0]);  // not an overflow
  Write("sport/e.txt", "E\n\nBody.\n");
  EXPECT_TRUE(RunUntil([&] { return Changed("sport/e.txt"); }));
}

TEST_F(DirectoryWatcherTest, AReplacedRootAsksForARescanAndIsWatchedAgain) {
  fs::rename(root_, root_.string() + ".old");
  fs::create_directories(root_);
  ASSERT_TRUE(RunUntil([&] { return !rescans_.empty(); }));
  // The new folder is watched, by retry if not at once.
  Write("f.txt", "F\n\nBody.\n");
  EXPECT_TRUE(RunUntil([&] {
    if (!Changed("f.txt")) Write("f.txt", "F\n\nBody.\n");
    return Changed("f.txt");
  }));
}

// A deploy's layout: releases/1 and releases/2, and "current", a symbolic
// link to one of them, as the articles root.
class SymlinkRootTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(temp_ / "releases/1/world");
    fs::create_directories(temp_ / "releases/2/world");
    fs::create_directory_symlink("releases/1", root_);
    watcher_ = std::make_unique<DirectoryWatcher>(
        ioc_.get_executor(), root_, [this](const std::string& path) { changed_.insert(path); },
        [this](bool overflow) { rescans_.push_back(overflow); }, nullptr, nullptr,
        [this](const std::string& what) { notices_.push_back(what); });
    std::string why;
    ASSERT_TRUE(watcher_->Start(&why)) << why;
  }
  void TearDown() override {
    watcher_->Stop();
    ioc_.poll();
  }
  template <class Done>
  bool RunUntil(Done done, std::chrono::milliseconds timeout = 5s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      ioc_.restart();
      ioc_.run_for(10ms);
    }
    return done();
  }
  // What `ln -sfn releases/2 current.new && mv -T current.new current` does.
  void SwapTo(const std::string& release) {
    fs::create_directory_symlink("releases/" + release, temp_ / "current.new");
    fs::rename(temp_ / "current.new", root_);
  }
  void Write(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }
  bool Changed(const std::string& path) { return changed_.count(path) > 0; }

  boost::asio::io_context ioc_;
  const testing::TempDir temp_{"watcher-link-test"};
  const fs::path root_ = temp_ / "current";
  std::unique_ptr<DirectoryWatcher> watcher_;
  std::set<std::string> changed_;
  std::vector<bool> rescans_;
  std::vector<std::string> notices_;
};

TEST_F(SymlinkRootTest, ARootThatIsASymbolicLinkIsFollowedAndWatched) {
  Write(temp_ / "releases/1/world/a.txt", "A\n\nBody.\n");
  EXPECT_TRUE(RunUntil([&] { return Changed("world/a.txt"); }));
  EXPECT_TRUE(notices_.empty());
}

TEST_F(SymlinkRootTest, ASwappedLinkIsWatchedOnItsNewTargetWithinASecond) {
  SwapTo("2");
  ASSERT_TRUE(RunUntil([&] { return !rescans_.empty(); }, 1s));
  EXPECT_FALSE(rescans_[0]);  // not an overflow
  ASSERT_EQ(1u, notices_.size());
  EXPECT_NE(std::string::npos, notices_[0].find(root_.string())) << notices_[0];
  EXPECT_NE(std::string::npos, notices_[0].find("replaced")) << notices_[0];
  EXPECT_NE(std::string::npos, notices_[0].find((temp_ / "releases/2").string())) << notices_[0];
  // The new release is watched, in its subfolders too, and the old is not.
  Write(temp_ / "releases/1/world/old.txt", "Old\n\nBody.\n");
  Write(temp_ / "releases/2/world/b.txt", "B\n\nBody.\n");
  ASSERT_TRUE(RunUntil([&] { return Changed("world/b.txt"); }));
  EXPECT_FALSE(Changed("world/old.txt"));
  // And again: every swap is seen.
  SwapTo("1");
  ASSERT_TRUE(RunUntil([&] { return rescans_.size() >= 2; }, 1s));
  Write(temp_ / "releases/1/world/c.txt", "C\n\nBody.\n");
  EXPECT_TRUE(RunUntil([&] { return Changed("world/c.txt"); }));
  EXPECT_EQ(2u, notices_.size());
}

TEST_F(SymlinkRootTest, ARemovedLinkIsReportedOnceAndWatchedWhenItIsBack) {
  fs::remove(root_);
  ASSERT_TRUE(RunUntil([&] { return !notices_.empty(); }, 1s));
  EXPECT_NE(std::string::npos, notices_[0].find("gone")) << notices_[0];
  ioc_.restart();
  ioc_.run_for(2500ms);  // looked for again, every second, silently
  EXPECT_EQ(1u, notices_.size());
  fs::create_directory_symlink("releases/2", root_);
  ASSERT_TRUE(RunUntil([&] { return notices_.size() == 2; }, 2s));
  EXPECT_NE(std::string::npos, notices_[1].find("back")) << notices_[1];
  Write(temp_ / "releases/2/d.txt", "D\n\nBody.\n");
  EXPECT_TRUE(RunUntil([&] { return Changed("d.txt"); }));
}

TEST(FilesystemNeedsPollingTest, LocalFoldersNeedNone) {
  EXPECT_EQ("", FilesystemNeedsPolling(fs::temp_directory_path()));
}

TEST(DirectoryWatcherLimitTest, ANewFolderPastTheWatchLimitIsReportedNamingIt) {
  boost::asio::io_context ioc;
  const testing::TempDir temp{"watcher-limit-test"};
  const fs::path root = temp.path();
  std::vector<std::string> lost;
  std::set<std::string> changed;
  // The kernel's limit, reached at the folder "full".
  auto add_watch = [](int fd, const char* path, std::uint32_t mask) {
    if (std::string(path).ends_with("/full")) {
      errno = ENOSPC;
      return -1;
    }
    return ::inotify_add_watch(fd, path, mask);
  };
  DirectoryWatcher watcher(
      ioc.get_executor(), root, [&](const std::string& path) { changed.insert(path); }, [](bool) {},
      [&](const std::string& why) { lost.push_back(why); }, add_watch);
  std::string why;
  ASSERT_TRUE(watcher.Start(&why)) << why;
  fs::create_directories(root / "full");
  fs::create_directories(root / "fine");
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (lost.empty() && std::chrono::steady_clock::now() < deadline) {
    ioc.restart();
    ioc.run_for(10ms);
  }
  ASSERT_EQ(1u, lost.size());
  EXPECT_NE(std::string::npos, lost[0].find((root / "full").string())) << lost[0];
  EXPECT_NE(std::string::npos, lost[0].find("fs.inotify.max_user_watches")) << lost[0];
  // A folder within the limit is still watched.
  std::ofstream(root / "fine/a.txt") << "A\n\nBody.\n";
  const auto later = std::chrono::steady_clock::now() + 5s;
  while (!changed.count("fine/a.txt") && std::chrono::steady_clock::now() < later) {
    ioc.restart();
    ioc.run_for(10ms);
  }
  EXPECT_TRUE(changed.count("fine/a.txt"));
  watcher.Stop();
  ioc.poll();
}

TEST(DirectoryWatcherLimitTest, ARestartAfterTheLimitWatchesEveryFolderAgain) {
  // What a reload does once fs.inotify.max_user_watches was raised.
  boost::asio::io_context ioc;
  const testing::TempDir temp{"watcher-limit-test"};
  const fs::path root = temp.path();
  bool limited = true;
  std::vector<std::string> lost;
  std::set<std::string> changed;
  auto add_watch = [&limited](int fd, const char* path, std::uint32_t mask) {
    if (limited && std::string(path).ends_with("/full")) {
      errno = ENOSPC;
      return -1;
    }
    return ::inotify_add_watch(fd, path, mask);
  };
  DirectoryWatcher watcher(
      ioc.get_executor(), root, [&](const std::string& path) { changed.insert(path); }, [](bool) {},
      [&](const std::string& why) { lost.push_back(why); }, add_watch);
  fs::create_directories(root / "full");
  std::string why;
  EXPECT_FALSE(watcher.Start(&why));
  EXPECT_NE(std::string::npos, why.find("fs.inotify.max_user_watches")) << why;
  limited = false;
  ASSERT_TRUE(watcher.Restart(root, &why)) << why;
  std::ofstream(root / "full/a.txt") << "A\n\nBody.\n";
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!changed.count("full/a.txt") && std::chrono::steady_clock::now() < deadline) {
    ioc.restart();
    ioc.run_for(10ms);
  }
  EXPECT_TRUE(changed.count("full/a.txt"));
  EXPECT_TRUE(lost.empty());
  watcher.Stop();
  ioc.poll();
}

}  // namespace
}  // namespace feedd
