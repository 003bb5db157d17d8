// The rebuild worker on its thread, with the articles in memory and a
// clock the test sets: first publication, changes handed over, an embargo
// that comes due, a failed rebuild that keeps the last good feeds, and a
// reload.

#include "daemon/rebuild/rebuild_worker.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "daemon/state/state_store.h"
#include "feeds/input/memory_folder.h"
#include "tests/testing/temp_dir.h"

namespace feedd {
namespace {

using namespace std::chrono_literals;

constexpr UnixTime kNow = 1772409600;  // 2026-03-02T00:00:00Z

class RebuildWorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_ = std::make_shared<Config>();
    config_->articles_dir = "/nonexistent/articles";  // the folder is in memory
  }

  RebuildSite Site(std::shared_ptr<const Config> config) {
    RebuildSite site;
    site.publisher = std::make_unique<SitePublisher>(*config, store_.get(), 1,
                                                     ParseDepth::kMetadata, folder_.Opener());
    site.config = std::move(config);
    return site;
  }
  void Start() {
    worker_ = std::make_unique<RebuildWorker>(
        Site(config_), &snapshots_, [this] { fatal_ = true; },
        [this](const RebuildReport& report) {
          std::lock_guard<std::mutex> lock(mu_);
          reports_.push_back(report);
          cv_.notify_all();
        },
        &clock_);
    worker_->Start();
  }
  void TearDown() override {
    if (worker_) worker_->Stop();
  }
  /// Waits (10 s at most) for the |n|th report and returns it.
  RebuildReport Report(std::size_t n) {
    std::unique_lock<std::mutex> lock(mu_);
    if (!cv_.wait_for(lock, 10s, [&] { return reports_.size() >= n; })) {
      ADD_FAILURE() << "no report " << n;
      return {};
    }
    return reports_[n - 1];
  }
  std::string Json() {
    const SnapshotPtr s = snapshots_.Current();
    return s ? s->Find("/feed.json")->body : "";
  }

  MemoryFolder folder_;
  std::unique_ptr<StateStore> store_;  // none unless a test opens one
  ManualClock clock_{kNow};
  std::shared_ptr<Config> config_;
  SnapshotHolder snapshots_;
  std::unique_ptr<RebuildWorker> worker_;
  bool fatal_ = false;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<RebuildReport> reports_;
};

TEST_F(RebuildWorkerTest, TheFirstRebuildIsAFullScanAndIsPublished) {
  folder_.Put("a.md", "---\ntitle: Alpha\ndate: 2026-03-01T00:00:00Z\n---\n\nBody.\n");
  EXPECT_EQ(nullptr, snapshots_.Current());
  Start();
  const RebuildReport first = Report(1);
  EXPECT_TRUE(first.first);
  EXPECT_FALSE(first.failed);
  EXPECT_EQ(1u, first.articles);
  EXPECT_EQ(1u, first.feeds);  // the main feed: no byline, no category
  ASSERT_NE(nullptr, snapshots_.Current());
  EXPECT_NE(std::string::npos, Json().find("Alpha"));
  EXPECT_FALSE(fatal_);
}

TEST_F(RebuildWorkerTest, EnqueuedPathsAreRebuiltAndTheirFeedsAnnounced) {
  folder_.Put("a.md", "---\ntitle: Alpha\ndate: 2026-03-01T00:00:00Z\n---\n\nBody.\n");
  Start();
  Report(1);
  folder_.Put("world/b.md", "---\ntitle: Beta\ndate: 2026-03-01T01:00:00Z\n---\n\nBody.\n");
  worker_->Enqueue({"world/b.md"}, std::chrono::steady_clock::now());
  const RebuildReport second = Report(2);
  EXPECT_FALSE(second.first);
  EXPECT_EQ(2u, second.articles);
  EXPECT_GT(second.changed, 0u);
  EXPECT_TRUE(second.change_to_served.has_value());
  EXPECT_NE(std::string::npos, Json().find("Beta"));
  bool main_feed = false;
  for (const std::string& url : second.changed_feeds) main_feed |= url.ends_with("/feed.rss");
  EXPECT_TRUE(main_feed);
}

TEST_F(RebuildWorkerTest, AfterARestartOnlyPagesChangedWhileStoppedArePurged) {
  const testing::TempDir state("rebuild-worker");
  store_ = std::move(*StateStore::Open(state.path()));
  folder_.Put("world/a.md", "---\ntitle: Alpha\ndate: 2026-03-01T00:00:00Z\n---\n\nBody.\n");
  folder_.Put("sport/b.md", "---\ntitle: Beta\ndate: 2026-03-01T01:00:00Z\n---\n\nBody.\n");
  Start();
  Report(1);
  worker_->Stop();
  worker_.reset();
  // While feedd is stopped, Beta is edited.
  folder_.Put("sport/b.md", "---\ntitle: Beta 2\ndate: 2026-03-01T01:00:00Z\n---\n\nBody.\n");
  Start();
  const RebuildReport restart = Report(2);
  EXPECT_TRUE(restart.first);
  const auto purged = [&](const char* key) {
    return std::binary_search(restart.purge_keys.begin(), restart.purge_keys.end(),
                              std::string(key));
  };
  EXPECT_TRUE(purged("doc:/articles/b.html"));
  EXPECT_TRUE(purged("doc:/feed.rss"));
  EXPECT_FALSE(purged("doc:/articles/a.html")) << "a page unchanged since the stop was purged";
  EXPECT_FALSE(purged("doc:/category/world/feed.rss"));
}

TEST_F(RebuildWorkerTest, AnEditNamesTheKeysOfExactlyTheDocumentsWhoseBytesChanged) {
  folder_.Put("world/a.md", "---\ntitle: Alpha\ndate: 2026-03-01T00:00:00Z\n---\n\nBody.\n");
  folder_.Put("sport/b.md", "---\ntitle: Beta\ndate: 2026-03-01T01:00:00Z\n---\n\nBody.\n");
  Start();
  Report(1);
  folder_.Put("sport/b.md", "---\ntitle: Beta 2\ndate: 2026-03-01T01:00:00Z\n---\n\nBody.\n");
  worker_->Enqueue({"sport/b.md"}, std::chrono::steady_clock::now());
  const RebuildReport edit = Report(2);
  const std::vector<std::string> expected = {"doc:/articles/b.html",
                                             "doc:/category/sport/feed.atom",
                                             "doc:/category/sport/feed.html",
                                             "doc:/category/sport/feed.json",
                                             "doc:/category/sport/feed.rss",
                                             "doc:/feed.atom",
                                             "doc:/feed.html",
                                             "doc:/feed.json",
                                             "doc:/feed.rss"};
  // The world feed, Alpha's page and the index (same feeds, same dates) did
  // not change: not purged.
  EXPECT_EQ(expected, edit.purge_keys);

  // A touch that changes no byte purges nothing.
  worker_->Enqueue({"sport/b.md"}, std::chrono::steady_clock::now());
  EXPECT_TRUE(Report(3).purge_keys.empty());

  folder_.Remove("world/a.md");
  worker_->Enqueue({"world/a.md"}, std::chrono::steady_clock::now());
  const RebuildReport removal = Report(4);
  for (const char* gone :
       {"doc:/articles/a.html", "doc:/category/world/feed.rss", "doc:/feed.rss"}) {
    EXPECT_TRUE(
        std::binary_search(removal.purge_keys.begin(), removal.purge_keys.end(), std::string(gone)))
        << gone;
  }
}

TEST_F(RebuildWorkerTest, AnEmbargoComesDueByTheClockWithoutAFileEvent) {
  folder_.Put("a.md", "---\ntitle: Alpha\ndate: 2026-03-01T00:00:00Z\n---\n\nBody.\n");
  // Due one second after the clock's time: the worker wakes a second later
  // and asks the clock, which by then says it is due.
  folder_.Put("later.md", "---\ntitle: Held Back\ndate: 2026-03-02T00:00:01Z\n---\n\nBody.\n");
  Start();
  EXPECT_EQ(1u, Report(1).articles);
  EXPECT_EQ(std::string::npos, Json().find("Held Back"));
  clock_.Set(kNow + 1);
  const RebuildReport due = Report(2);
  EXPECT_EQ(2u, due.articles);
  EXPECT_FALSE(due.change_to_served.has_value());  // no file event brought it
  EXPECT_NE(std::string::npos, Json().find("Held Back"));
}

TEST_F(RebuildWorkerTest, AnEmbargoFollowsTheWallClockWhenItIsStepped) {
  folder_.Put("a.md", "---\ntitle: Alpha\ndate: 2026-03-01T00:00:00Z\n---\n\nBody.\n");
  // Due in an hour, past the rescan (10 minutes): then NTP steps the clock
  // an hour forward. It is due now, not when the monotonic wait ends.
  folder_.Put("later.md", "---\ntitle: Held Back\ndate: 2026-03-02T01:00:00Z\n---\n\nBody.\n");
  Start();
  EXPECT_EQ(1u, Report(1).articles);
  clock_.Set(kNow + 3600);
  const auto stepped = std::chrono::steady_clock::now();
  EXPECT_EQ(2u, Report(2).articles);
  EXPECT_LT(std::chrono::steady_clock::now() - stepped, 3s);
  EXPECT_NE(std::string::npos, Json().find("Held Back"));

  // Due in two seconds, then the clock is stepped an hour back: still held
  // back when the two seconds have passed, out when the clock gets there.
  folder_.Put("soon.md", "---\ntitle: Not Yet\ndate: 2026-03-02T01:00:02Z\n---\n\nBody.\n");
  worker_->Enqueue({"soon.md"}, std::chrono::steady_clock::now());
  Report(3);
  clock_.Set(kNow);
  std::this_thread::sleep_for(2500ms);
  EXPECT_EQ(std::string::npos, Json().find("Not Yet"));
  clock_.Set(kNow + 3602);
  std::size_t n = 4;
  while (Json().find("Not Yet") == std::string::npos && n < 8) Report(n++);
  EXPECT_NE(std::string::npos, Json().find("Not Yet"));
}

TEST_F(RebuildWorkerTest, AFailedRebuildKeepsServingTheLastGoodFeeds) {
  folder_.Put("a.md", "---\ntitle: Alpha\ndate: 2026-03-01T00:00:00Z\n---\n\nBody.\n");
  Start();
  Report(1);
  const SnapshotPtr good = snapshots_.Current();
  folder_.SetUnreadable("", true);  // the articles folder is gone
  worker_->RequestRescan();
  EXPECT_TRUE(Report(2).failed);
  EXPECT_EQ(good, snapshots_.Current());
  folder_.SetUnreadable("", false);
  worker_->RequestRescan();
  EXPECT_FALSE(Report(3).failed);
}

TEST_F(RebuildWorkerTest, NothingIsPublishedUntilAFullScanSucceeds) {
  folder_.Put("a.md", "---\ntitle: Alpha\ndate: 2026-03-01T00:00:00Z\n---\n\nBody.\n");
  folder_.SetUnreadable("", true);  // the articles folder does not exist
  Start();
  const RebuildReport first = Report(1);
  EXPECT_TRUE(first.failed);
  EXPECT_FALSE(first.first);
  EXPECT_NE(std::string::npos, first.error.find("cannot list the articles directory"));
  // Neither a file event nor a bare wake-up (as an embargo's) may publish
  // an index the failed scan never filled.
  worker_->Enqueue({"a.md"}, std::chrono::steady_clock::now());
  EXPECT_TRUE(Report(2).failed);
  EXPECT_EQ(nullptr, snapshots_.Current());
  folder_.SetUnreadable("", false);
  worker_->RequestRescan();
  const RebuildReport ready = Report(3);
  EXPECT_FALSE(ready.failed);
  EXPECT_TRUE(ready.first);
  EXPECT_EQ(1u, ready.articles);
  EXPECT_NE(std::string::npos, Json().find("Alpha"));
}

TEST_F(RebuildWorkerTest, AFolderVanishingAfterReadyIsNeverAnEmptyIndex) {
  folder_.Put("a.md", "---\ntitle: Alpha\ndate: 2026-03-01T00:00:00Z\n---\n\nBody.\n");
  Start();
  Report(1);
  const SnapshotPtr good = snapshots_.Current();
  folder_.SetUnreadable("", true);
  worker_->Enqueue({"a.md"}, std::chrono::steady_clock::now());  // as inotify's delete event
  EXPECT_TRUE(Report(2).failed);
  EXPECT_EQ(good, snapshots_.Current());
  EXPECT_NE(std::string::npos, Json().find("Alpha"));
}

TEST_F(RebuildWorkerTest, AReloadRebuildsEverythingWithTheNewSite) {
  folder_.Put("a.md", "---\ntitle: Alpha\ndate: 2026-03-01T00:00:00Z\n---\n\nBody.\n");
  Start();
  Report(1);
  auto renamed = std::make_shared<Config>(*config_);
  renamed->site.title = "Renamed Gazette";
  worker_->Replace(Site(renamed));
  const RebuildReport reloaded = Report(2);
  EXPECT_TRUE(reloaded.reconfigured);
  EXPECT_NE(std::string::npos, Json().find("Renamed Gazette"));
}

}  // namespace
}  // namespace feedd
