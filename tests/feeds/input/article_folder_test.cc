// The ArticleFolder contract, checked on both implementations: the folder
// on disk (ArticleTree) and the one in memory (MemoryFolder) must list,
// stamp and read alike, or tests using the memory one would prove nothing.
// Then what only the disk has: links, FIFOs, folders that vanish.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <memory>

#include "feeds/input/article_tree.h"
#include "feeds/input/memory_folder.h"

namespace feedd {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kMtime = 1772323200LL * 1000000000 + 123;

// One implementation under test: puts files, then opens the folder.
class Folder {
 public:
  virtual ~Folder() = default;
  virtual void Put(const std::string& rel, const std::string& bytes) = 0;
  virtual void Remove(const std::string& rel) = 0;
  virtual std::shared_ptr<const ArticleFolder> Open() = 0;
};

class DiskFixture : public Folder {
 public:
  DiskFixture() {
    root_ =
        fs::temp_directory_path() / ("feedd-article-files-test-" + std::to_string(::getpid()) +
                                     "-" + std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  ~DiskFixture() override { fs::remove_all(root_); }
  void Put(const std::string& rel, const std::string& bytes) override {
    const fs::path path = root_ / rel;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << bytes;
    const timespec t{kMtime / 1000000000, kMtime % 1000000000};
    const timespec times[2] = {t, t};
    ::utimensat(AT_FDCWD, path.c_str(), times, 0);
  }
  void Remove(const std::string& rel) override { fs::remove(root_ / rel); }
  std::shared_ptr<const ArticleFolder> Open() override { return DiskFolder(root_, true)(); }
  const fs::path& root() const { return root_; }

 private:
  fs::path root_;
};

class MemoryFixture : public Folder {
 public:
  void Put(const std::string& rel, const std::string& bytes) override {
    folder_.Put(rel, bytes, kMtime);
  }
  void Remove(const std::string& rel) override { folder_.Remove(rel); }
  std::shared_ptr<const ArticleFolder> Open() override { return folder_.Opener()(); }

 private:
  MemoryFolder folder_;
};

using MakeFolder = std::function<std::unique_ptr<Folder>()>;

class ArticleFolderContract : public ::testing::TestWithParam<MakeFolder> {
 protected:
  void SetUp() override { folder_ = GetParam()(); }
  std::unique_ptr<Folder> folder_;
  Problems problems_;
};

// The listing, which must have been made.
Listing Listed(Result<Listing> listed) {
  EXPECT_TRUE(listed.ok()) << listed.status().message();
  return listed.ok() ? std::move(*listed) : Listing();
}

std::vector<std::string> Paths(const Listing& listing) {
  std::vector<std::string> paths;
  for (const ArticleFile& f : listing.files) paths.push_back(f.rel_path);
  return paths;
}

TEST_P(ArticleFolderContract, ListsArticleFilesSortedAndSkipsTheRest) {
  folder_->Put("world/b.txt", "B\n\nBody.\n");
  folder_->Put("a.md", "# A\n");
  folder_->Put("world/notes.pdf", "%PDF");
  folder_->Put(".git/x.txt", "hidden");
  folder_->Put("world/.draft.txt", "hidden");
  folder_->Put("world/b.txt~", "editor backup");
  folder_->Put("#a.md#", "editor autosave");
  const Listing listing = Listed(folder_->Open()->List(&problems_));
  EXPECT_EQ((std::vector<std::string>{"a.md", "world/b.txt"}), Paths(listing));
  EXPECT_TRUE(listing.unreadable.empty());
  EXPECT_TRUE(problems_.empty());
}

TEST_P(ArticleFolderContract, StampsCarrySizeAndMtimeToTheNanosecond) {
  folder_->Put("a.txt", "12345");
  const auto folder = folder_->Open();
  const std::optional<FileStamp> stamp = folder->Stamp("a.txt");
  ASSERT_TRUE(stamp.has_value());
  EXPECT_EQ(5u, stamp->size);
  EXPECT_EQ(kMtime, stamp->mtime_ns);
  EXPECT_NE(0u, stamp->inode);
  EXPECT_EQ(*stamp, Listed(folder->List(&problems_)).files.at(0).stamp);
  EXPECT_FALSE(folder->Stamp("missing.txt").has_value());
  EXPECT_FALSE(folder->Stamp("").has_value());
}

TEST_P(ArticleFolderContract, AFileWrittenInPlaceKeepsItsInode) {
  folder_->Put("a.txt", "one");
  const FileStamp first = *folder_->Open()->Stamp("a.txt");
  folder_->Put("a.txt", "three");
  const FileStamp second = *folder_->Open()->Stamp("a.txt");
  EXPECT_EQ(first.inode, second.inode);
  EXPECT_EQ(5u, second.size);
  EXPECT_NE(first, second);
}

TEST_P(ArticleFolderContract, ReadsStopOneBytePastTheLimit) {
  folder_->Put("big.txt", std::string(1000, 'x'));
  const auto folder = folder_->Open();
  std::string bytes = "previous contents";
  ASSERT_TRUE(folder->Read("big.txt", 100, &bytes, &problems_));
  EXPECT_EQ(101u, bytes.size());  // the parser can tell "too large"
  ASSERT_TRUE(folder->Read("big.txt", 5000, &bytes, &problems_));
  EXPECT_EQ(std::string(1000, 'x'), bytes);
  EXPECT_TRUE(problems_.empty());
}

TEST_P(ArticleFolderContract, AMissingFileIsAProblemNamingIt) {
  const auto folder = folder_->Open();
  std::string bytes;
  EXPECT_FALSE(folder->Read("gone.txt", 100, &bytes, &problems_));
  ASSERT_EQ(1u, problems_.size());
  EXPECT_EQ("gone.txt", problems_[0].file);
  EXPECT_EQ(Severity::kError, problems_[0].severity);
  EXPECT_NE(std::string::npos, problems_[0].message.find("cannot open"));
}

TEST_P(ArticleFolderContract, ARemovedFileLeavesTheListing) {
  folder_->Put("a.txt", "A\n\nBody.\n");
  folder_->Put("b.txt", "B\n\nBody.\n");
  folder_->Remove("a.txt");
  EXPECT_EQ(std::vector<std::string>{"b.txt"}, Paths(Listed(folder_->Open()->List(&problems_))));
}

INSTANTIATE_TEST_SUITE_P(Disk, ArticleFolderContract, ::testing::Values(MakeFolder([] {
                           return std::unique_ptr<Folder>(new DiskFixture);
                         })));
INSTANTIATE_TEST_SUITE_P(Memory, ArticleFolderContract, ::testing::Values(MakeFolder([] {
                           return std::unique_ptr<Folder>(new MemoryFixture);
                         })));

// What only the disk has.

TEST(ArticleTreeTest, LinksLeadingOutsideAndFifosAreNeverRead) {
  DiskFixture disk;
  disk.Put("a.txt", "A\n\nBody.\n");
  const fs::path outside =
      disk.root().parent_path() / ("feedd-outside-" + std::to_string(::getpid()));
  std::ofstream(outside) << "Secret\n\nNot an article here.\n";
  fs::create_symlink(outside, disk.root() / "leak.txt");
  fs::create_symlink(disk.root() / "a.txt", disk.root() / "inside.txt");
  ASSERT_EQ(0, ::mkfifo((disk.root() / "pipe.txt").c_str(), 0644));
  const auto folder = disk.Open();
  Problems problems;
  const Listing listing = Listed(folder->List(&problems));
  EXPECT_EQ((std::vector<std::string>{"a.txt", "inside.txt"}), Paths(listing));
  EXPECT_FALSE(folder->Stamp("leak.txt").has_value());
  EXPECT_FALSE(folder->Stamp("pipe.txt").has_value());
  std::string bytes;
  problems.clear();
  EXPECT_FALSE(folder->Read("leak.txt", 1000, &bytes, &problems));
  EXPECT_FALSE(folder->Read("../" + outside.filename().string(), 1000, &bytes, &problems));
  EXPECT_EQ(2u, problems.size());
  EXPECT_EQ(std::string::npos, bytes.find("Secret"));
  fs::remove(outside);
}

TEST(ArticleTreeTest, AFolderThatIsGoneIsAnErrorNamingIt) {
  const fs::path gone = fs::temp_directory_path() / "feedd-no-such-folder-for-this-test";
  fs::remove_all(gone);
  const ArticleTree tree(gone, true);
  Problems problems;
  const Status error = tree.List(&problems).status();
  EXPECT_EQ(Status::Code::kIoError, error.code());
  EXPECT_NE(std::string::npos, error.message().find(gone.string())) << error.message();
  EXPECT_FALSE(tree.Stamp("a.txt").has_value());
  const Status unreachable = tree.Reachable();
  EXPECT_EQ(Status::Code::kIoError, unreachable.code());
  EXPECT_NE(std::string::npos, unreachable.message().find(gone.string())) << unreachable.message();
}

TEST(ArticleTreeTest, AFolderRemovedWhileOpenIsNoLongerReachable) {
  DiskFixture disk;
  disk.Put("a.txt", "A\n\nBody.\n");
  const auto folder = disk.Open();
  EXPECT_TRUE(folder->Reachable().ok()) << folder->Reachable().message();
  fs::remove_all(disk.root());  // the folder goes; the tree still holds it open
  const Status gone = folder->Reachable();
  EXPECT_EQ(Status::Code::kIoError, gone.code());
  EXPECT_NE(std::string::npos, gone.message().find(disk.root().string())) << gone.message();
}

TEST(ArticleTreeTest, ASymlinkLoopIsListedOnce) {
  DiskFixture disk;
  disk.Put("world/a.txt", "A\n\nBody.\n");
  fs::create_directory_symlink(disk.root(), disk.root() / "world" / "loop");
  Problems problems;
  const Listing listing = Listed(disk.Open()->List(&problems));
  EXPECT_EQ(std::vector<std::string>{"world/a.txt"}, Paths(listing));
}

}  // namespace
}  // namespace feedd
