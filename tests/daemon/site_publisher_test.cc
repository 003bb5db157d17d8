#include "daemon/site_publisher.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <utime.h>

#include <fstream>

#include "feeds/memory_ledger.h"

namespace feedd {
namespace {

namespace fs = std::filesystem;

class SitePublisherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("feedd-publisher-test-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
    config_.articles_dir = root_;
  }
  void TearDown() override { fs::remove_all(root_); }

  void Write(const std::string& rel, const std::string& text, UnixTime mtime = 1772323200) {
    fs::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel) << text;
    const utimbuf times{mtime, mtime};
    ::utime((root_ / rel).c_str(), &times);
  }

  std::string Json(const Publication& p) { return p.snapshot->Find("/feed.json")->body; }

  fs::path root_;
  Config config_;
  MemoryLedger ledger_;
  Problems problems_;
};

TEST_F(SitePublisherTest, RescanPublishesEveryArticle) {
  Write("a.txt", "First\n\nBody.\n");
  Write("world/b.txt", "Second\n\nBody.\n");
  SitePublisher publisher(config_, &ledger_, 2);
  const Publication p = publisher.Rescan(1772400000, &problems_);
  EXPECT_EQ(2u, p.snapshot->articles);
  EXPECT_NE(nullptr, p.snapshot->Find("/category/world/feed.rss"));
}

TEST_F(SitePublisherTest, UpdateRereadsOnlyTheGivenPaths) {
  Write("a.txt", "First\n\nBody.\n");
  SitePublisher publisher(config_, &ledger_, 1);
  publisher.Rescan(1772400000, &problems_);
  Write("b.txt", "Second\n\nBody.\n");
  Write("a.txt", "First edited\n\nBody.\n");
  const Publication p = publisher.Update({"b.txt"}, 1772400000, &problems_);
  EXPECT_NE(std::string::npos, Json(p).find("Second"));
  EXPECT_NE(std::string::npos, Json(p).find("\"First\""));  // a.txt was not re-read
}

TEST_F(SitePublisherTest, UpdateOfVanishedPathRemovesIt) {
  Write("a.txt", "First\n\nBody.\n");
  SitePublisher publisher(config_, &ledger_, 1);
  publisher.Rescan(1772400000, &problems_);
  fs::remove(root_ / "a.txt");
  const Publication p = publisher.Update({"a.txt"}, 1772400000, &problems_);
  EXPECT_EQ(0u, p.snapshot->articles);
}

TEST_F(SitePublisherTest, RescanSkipsUnchangedFilesAndFindsChangedOnes) {
  Write("a.txt", "First\n\nBody.\n", 1772323200);
  SitePublisher publisher(config_, &ledger_, 1);
  const Publication first = publisher.Rescan(1772400000, &problems_);
  const Publication same = publisher.Rescan(1772400000, &problems_);
  EXPECT_TRUE(same.changed_routes.empty());
  Write("a.txt", "First, longer title\n\nBody.\n", 1772323300);
  const Publication changed = publisher.Rescan(1772400000, &problems_);
  EXPECT_NE(std::string::npos, Json(changed).find("longer title"));
}

TEST_F(SitePublisherTest, BrokenEditKeepsLastGoodVersion) {
  Write("a.txt", "First\n\nBody.\n");
  SitePublisher publisher(config_, &ledger_, 1);
  publisher.Rescan(1772400000, &problems_);
  Write("a.txt", "");
  problems_.clear();
  const Publication p = publisher.Update({"a.txt"}, 1772400000, &problems_);
  EXPECT_EQ(1u, p.snapshot->articles);
  ASSERT_EQ(2u, problems_.size());
  EXPECT_EQ("a.txt: file is empty", problems_[0].ToString());
  EXPECT_EQ("a.txt: warning: the last version that parsed stays published",
            problems_[1].ToString());
}

TEST_F(SitePublisherTest, BodiesComeFromTheLedgerAfterTheFirstRebuild) {
  Write("a.txt", "First\n\nThe body of the first article.\n");
  SitePublisher publisher(config_, &ledger_, 1);
  publisher.Rescan(1772400000, &problems_);
  // A rebuild for another file renders a.txt from what the ledger keeps.
  Write("b.txt", "Second\n\nThe body of the second article.\n");
  const Publication p = publisher.Update({"b.txt"}, 1772400000, &problems_);
  EXPECT_NE(std::string::npos, Json(p).find("The body of the first article."));
  EXPECT_NE(std::string::npos, Json(p).find("The body of the second article."));
}

TEST_F(SitePublisherTest, ArticlesDirectoryGoneThrowsAndKeepsState) {
  Write("a.txt", "First\n\nBody.\n");
  SitePublisher publisher(config_, &ledger_, 1);
  publisher.Rescan(1772400000, &problems_);
  fs::remove_all(root_);
  EXPECT_THROW(publisher.Rescan(1772400000, &problems_), fs::filesystem_error);
  EXPECT_EQ(1u, publisher.files());
}

}  // namespace
}  // namespace feedd
