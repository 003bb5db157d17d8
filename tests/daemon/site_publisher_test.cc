#include "daemon/site_publisher.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

namespace feedd {
namespace {

namespace fs = std::filesystem;

constexpr UnixTime kNow = 1772400000;

class SitePublisherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("feedd-publisher-test-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "articles");
    config_.articles_dir = root_ / "articles";
  }
  void TearDown() override { fs::remove_all(root_); }

  // Writes |text|; |mtime_ns| (since the epoch) is set exactly.
  void Write(const std::string& rel, const std::string& text,
             std::int64_t mtime_ns = 1772323200LL * 1000000000) {
    const fs::path path = config_.articles_dir / rel;
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
    const timespec times[2] = {{mtime_ns / 1000000000, mtime_ns % 1000000000},
                               {mtime_ns / 1000000000, mtime_ns % 1000000000}};
    ::utimensat(AT_FDCWD, path.c_str(), times, 0);
  }

  std::string Json(const Publication& p) { return p.snapshot->Find("/feed.json")->body; }

  fs::path root_;
  Config config_;
  Problems problems_;
};

TEST_F(SitePublisherTest, RescanPublishesEveryArticle) {
  Write("a.txt", "First\n\nBody.\n");
  Write("world/b.txt", "Second\n\nBody.\n");
  SitePublisher publisher(config_, nullptr, 2);
  const Publication p = publisher.Rescan(kNow, &problems_);
  EXPECT_EQ(2u, p.snapshot->articles);
  EXPECT_NE(nullptr, p.snapshot->Find("/category/world/feed.rss"));
}

TEST_F(SitePublisherTest, UpdateRereadsOnlyTheGivenPaths) {
  Write("a.txt", "First\n\nBody.\n");
  SitePublisher publisher(config_, nullptr, 1);
  publisher.Rescan(kNow, &problems_);
  Write("b.txt", "Second\n\nBody.\n");
  Write("a.txt", "First edited\n\nBody.\n");
  const Publication p = publisher.Update({"b.txt"}, kNow, &problems_);
  EXPECT_NE(std::string::npos, Json(p).find("Second"));
  EXPECT_NE(std::string::npos, Json(p).find("\"First\""));  // a.txt was not re-read
}

TEST_F(SitePublisherTest, UpdateOfVanishedPathRemovesIt) {
  Write("a.txt", "First\n\nBody.\n");
  SitePublisher publisher(config_, nullptr, 1);
  publisher.Rescan(kNow, &problems_);
  fs::remove(config_.articles_dir / "a.txt");
  const Publication p = publisher.Update({"a.txt"}, kNow, &problems_);
  EXPECT_EQ(0u, p.snapshot->articles);
}

TEST_F(SitePublisherTest, RescanSkipsUnchangedFilesAndFindsChangedOnes) {
  Write("a.txt", "First\n\nBody.\n");
  SitePublisher publisher(config_, nullptr, 1);
  publisher.Rescan(kNow, &problems_);
  const Publication same = publisher.Rescan(kNow, &problems_);
  EXPECT_TRUE(same.changed_routes.empty());
  Write("a.txt", "First, longer title\n\nBody.\n", 1772323300LL * 1000000000);
  const Publication changed = publisher.Rescan(kNow, &problems_);
  EXPECT_NE(std::string::npos, Json(changed).find("longer title"));
}

TEST_F(SitePublisherTest, SameSizeEditInTheSameSecondIsSeenByARescan) {
  const std::int64_t second = 1772323200LL * 1000000000;
  Write("a.txt", "Title AAAA\n\nBody.\n", second + 100);
  SitePublisher publisher(config_, nullptr, 1);
  publisher.Rescan(kNow, &problems_);
  Write("a.txt", "Title BBBB\n\nBody.\n", second + 200);  // same size, same second
  const Publication p = publisher.Rescan(kNow, &problems_);
  EXPECT_NE(std::string::npos, Json(p).find("Title BBBB"));
}

TEST_F(SitePublisherTest, BrokenEditKeepsLastGoodVersionBodyAndAll) {
  Write("a.txt", "First\n\nThe body that parsed.\n");
  SitePublisher publisher(config_, nullptr, 1);
  publisher.Rescan(kNow, &problems_);
  Write("a.txt", "", 1772323300LL * 1000000000);
  problems_.clear();
  const Publication p = publisher.Update({"a.txt"}, kNow, &problems_);
  EXPECT_EQ(1u, p.snapshot->articles);
  EXPECT_NE(std::string::npos, Json(p).find("The body that parsed."));
  ASSERT_EQ(2u, problems_.size());
  EXPECT_EQ("a.txt: file is empty", problems_[0].ToString());
  EXPECT_EQ("a.txt: warning: the last version that parsed stays published",
            problems_[1].ToString());
}

TEST_F(SitePublisherTest, BodiesAreReadBackFromTheFilesForTheFeeds) {
  Write("a.txt", "First\n\nThe body of the first article.\n");
  SitePublisher publisher(config_, nullptr, 1);
  publisher.Rescan(kNow, &problems_);
  Write("b.txt", "Second\n\nThe body of the second article.\n");
  const Publication p = publisher.Update({"b.txt"}, kNow, &problems_);
  EXPECT_NE(std::string::npos, Json(p).find("The body of the first article."));
  EXPECT_NE(std::string::npos, Json(p).find("The body of the second article."));
}

TEST_F(SitePublisherTest, RestartReadsNoFileWhoseStampIsUnchanged) {
  const std::int64_t mtime = 1772323200LL * 1000000000 + 5;
  Write("a.txt", "First\n\nBody one.\n", mtime);
  StateStore store(root_ / "state");
  {
    SitePublisher publisher(config_, &store, 1);
    publisher.Rescan(kNow, &problems_);
  }
  // Same size, same inode, same mtime to the nanosecond, other words: a
  // restart that read the file would see "FIRST".
  Write("a.txt", "FIRST\n\nBody one.\n", mtime);
  SitePublisher publisher(config_, &store, 1);
  const Publication p = publisher.Rescan(kNow, &problems_);
  EXPECT_NE(std::string::npos, Json(p).find("\"First\""));
  // A parse option change makes stored metadata stale: everything is read.
  Config changed = config_;
  changed.parse.agency.subheading_max_words = 5;
  SitePublisher rereading(changed, &store, 1);
  EXPECT_NE(std::string::npos, Json(rereading.Rescan(kNow, &problems_)).find("\"FIRST\""));
}

TEST_F(SitePublisherTest, ManyNewFilesAreStoredWhileRenderingWithoutAStoreError) {
  // Over 256 records are written on a second thread while the feeds render;
  // the served history must wait for that write (one transaction at a time).
  StateStore store(root_ / "state");
  SitePublisher publisher(config_, &store, 2);
  publisher.Rescan(kNow, &problems_);
  std::set<std::string> paths;
  for (int i = 0; i < 1500; ++i) {
    const std::string rel = "bulk-" + std::to_string(i) + ".txt";
    Write(rel, "Story " + std::to_string(i) + "\n\nBody.\n");
    paths.insert(rel);
  }
  for (int round = 0; round < 2; ++round) {
    publisher.Update(paths, kNow, &problems_);
    for (const std::string& rel : paths) Write(rel, "Story " + rel + " again\n\nBody.\n");
  }
  for (const Problem& p : problems_) ADD_FAILURE() << p.Located();
  EXPECT_EQ(1500u, store.Count());
}

TEST_F(SitePublisherTest, ArticlesDirectoryGoneThrowsAndKeepsState) {
  Write("a.txt", "First\n\nBody.\n");
  SitePublisher publisher(config_, nullptr, 1);
  publisher.Rescan(kNow, &problems_);
  fs::remove_all(config_.articles_dir);
  EXPECT_THROW(publisher.Rescan(kNow, &problems_), fs::filesystem_error);
  EXPECT_EQ(1u, publisher.index().files().size());
}

TEST_F(SitePublisherTest, FeedDocumentsOverTheSizeBudgetAreNamedInAWarning) {
  config_.feeds.size_budget = 4096;
  Write("world/a.txt",
        "Long Story\n\n" + std::string(3000, 'x') + ".\n\n" + std::string(3000, 'y') + ".\n");
  SitePublisher publisher(config_, nullptr, 1);
  publisher.Rescan(kNow, &problems_);
  std::vector<std::string> warned;
  for (const Problem& p : problems_) {
    if (p.message.find("over feeds.size_budget (4096)") != std::string::npos) {
      warned.push_back(p.file);
      EXPECT_EQ(Severity::kWarning, p.severity);
    }
  }
  // Every format of both feeds holds the body twice (summary and content)...
  EXPECT_EQ((std::vector<std::string>{"/category/world/feed.atom", "/category/world/feed.json",
                                      "/category/world/feed.rss", "/feed.atom", "/feed.json",
                                      "/feed.rss"}),
            warned);
  EXPECT_NE(std::string::npos, problems_[0].message.find("\"feedd"));
  // ...and an unchanged feed is not warned about again.
  problems_.clear();
  publisher.Rescan(kNow, &problems_);
  EXPECT_TRUE(problems_.empty());
}

TEST_F(SitePublisherTest, PagesArchivesAndLocalImagesAreServedOnRequest) {
  config_.feeds.items = 1;
  Write("old.md", "---\ntitle: Old\ndate: 2026-01-10T00:00:00Z\nimage: pics/a.png\n---\n\nBody.\n");
  Write("new.md", "---\ntitle: New\ndate: 2026-02-10T00:00:00Z\n---\n\nBody.\n");
  Write("pics/a.png", std::string("\x89PNG\r\n\x1a\n", 8) + std::string(92, '\0'));
  SitePublisher publisher(config_, nullptr, 1);
  const Publication p = publisher.Rescan(kNow, &problems_);
  EXPECT_EQ((std::vector<std::string>{"/articles/new.html", "/articles/old.html",
                                      "/articles/pics/a.png", "/feed/archive/2026-01.atom",
                                      "/feed/archive/2026-01.json", "/feed/archive/2026-01.rss"}),
            p.changed_pages);
  ASSERT_NE(nullptr, p.snapshot->Find("/articles/old.html"));
  const DocumentPtr image = p.snapshot->Find("/articles/pics/a.png");
  ASSERT_NE(nullptr, image);
  EXPECT_EQ("image/png", image->content_type);
  EXPECT_EQ(100u, image->body.size());
  EXPECT_TRUE(image->gzip_body.empty());
  const DocumentPtr archive = p.snapshot->Find("/feed/archive/2026-01.rss");
  ASSERT_NE(nullptr, archive);
  EXPECT_NE(std::string::npos, archive->body.find("length=\"100\" type=\"image/png\""));
  EXPECT_EQ(nullptr, p.snapshot->Find("/articles/../old.md"));
  EXPECT_EQ(nullptr, p.snapshot->Find("/articles/old.md"));
}

}  // namespace
}  // namespace feedd
