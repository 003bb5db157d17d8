#include "daemon/rebuild/site_publisher.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "feeds/input/memory_folder.h"
#include "tests/testing/temp_dir.h"

namespace feedd {
namespace {

namespace fs = std::filesystem;

constexpr UnixTime kNow = 1772400000;

// The articles live in a MemoryFolder: no disk but the state store's.
class SitePublisherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_.articles_dir = "/nonexistent/articles";  // never read: the folder is in memory
  }

  // Writes |text| in place, modified at |mtime_ns| (since the epoch).
  void Write(const std::string& rel, const std::string& text,
             std::int64_t mtime_ns = 1772323200LL * 1000000000) {
    folder_.Put(rel, text, mtime_ns);
  }

  std::string Json(const Publication& p) { return p.snapshot->Find("/feed.json")->body; }

  // The publication, which must have been made.
  static Publication Ok(Result<Publication> made) {
    EXPECT_TRUE(made.ok()) << made.status().message();
    return made.ok() ? std::move(*made) : Publication();
  }

  const testing::TempDir temp_{"publisher-test"};
  const fs::path root_ = temp_.path();  // the state store's folder
  MemoryFolder folder_;
  Config config_;
  Problems problems_;
};

TEST_F(SitePublisherTest, RescanPublishesEveryArticle) {
  Write("a.txt", "First\n\nBody.\n");
  Write("world/b.txt", "Second\n\nBody.\n");
  SitePublisher publisher(config_, nullptr, 2, ParseDepth::kMetadata, folder_.Opener());
  const Publication p = Ok(publisher.Rescan(kNow, &problems_));
  EXPECT_EQ(2u, p.snapshot->articles);
  EXPECT_NE(nullptr, p.snapshot->Find("/category/world/feed.rss"));
}

TEST_F(SitePublisherTest, UpdateRereadsOnlyTheGivenPaths) {
  Write("a.txt", "First\n\nBody.\n");
  SitePublisher publisher(config_, nullptr, 1, ParseDepth::kMetadata, folder_.Opener());
  Ok(publisher.Rescan(kNow, &problems_));
  Write("b.txt", "Second\n\nBody.\n");
  Write("a.txt", "First edited\n\nBody.\n");
  const Publication p = Ok(publisher.Update({"b.txt"}, kNow, &problems_));
  EXPECT_NE(std::string::npos, Json(p).find("Second"));
  EXPECT_NE(std::string::npos, Json(p).find("\"First\""));  // a.txt was not re-read
}

TEST_F(SitePublisherTest, UpdateOfVanishedPathRemovesIt) {
  Write("a.txt", "First\n\nBody.\n");
  SitePublisher publisher(config_, nullptr, 1, ParseDepth::kMetadata, folder_.Opener());
  Ok(publisher.Rescan(kNow, &problems_));
  folder_.Remove("a.txt");
  const Publication p = Ok(publisher.Update({"a.txt"}, kNow, &problems_));
  EXPECT_EQ(0u, p.snapshot->articles);
}

TEST_F(SitePublisherTest, RescanSkipsUnchangedFilesAndFindsChangedOnes) {
  Write("a.txt", "First\n\nBody.\n");
  SitePublisher publisher(config_, nullptr, 1, ParseDepth::kMetadata, folder_.Opener());
  Ok(publisher.Rescan(kNow, &problems_));
  const Publication same = Ok(publisher.Rescan(kNow, &problems_));
  EXPECT_TRUE(same.changed_routes.empty());
  Write("a.txt", "First, longer title\n\nBody.\n", 1772323300LL * 1000000000);
  const Publication changed = Ok(publisher.Rescan(kNow, &problems_));
  EXPECT_NE(std::string::npos, Json(changed).find("longer title"));
}

TEST_F(SitePublisherTest, SameSizeEditInTheSameSecondIsSeenByARescan) {
  const std::int64_t second = 1772323200LL * 1000000000;
  Write("a.txt", "Title AAAA\n\nBody.\n", second + 100);
  SitePublisher publisher(config_, nullptr, 1, ParseDepth::kMetadata, folder_.Opener());
  Ok(publisher.Rescan(kNow, &problems_));
  Write("a.txt", "Title BBBB\n\nBody.\n", second + 200);  // same size, same second
  const Publication p = Ok(publisher.Rescan(kNow, &problems_));
  EXPECT_NE(std::string::npos, Json(p).find("Title BBBB"));
}

TEST_F(SitePublisherTest, BrokenEditKeepsLastGoodVersionBodyAndAll) {
  Write("a.txt", "First\n\nThe body that parsed.\n");
  SitePublisher publisher(config_, nullptr, 1, ParseDepth::kMetadata, folder_.Opener());
  Ok(publisher.Rescan(kNow, &problems_));
  Write("a.txt", "", 1772323300LL * 1000000000);
  problems_.clear();
  const Publication p = Ok(publisher.Update({"a.txt"}, kNow, &problems_));
  EXPECT_EQ(1u, p.snapshot->articles);
  EXPECT_NE(std::string::npos, Json(p).find("The body that parsed."));
  ASSERT_EQ(2u, problems_.size());
  EXPECT_EQ("a.txt: file is empty", problems_[0].ToString());
  EXPECT_EQ("a.txt: warning: the last version that parsed stays published",
            problems_[1].ToString());
}

TEST_F(SitePublisherTest, BodiesAreReadBackFromTheFilesForTheFeeds) {
  Write("a.txt", "First\n\nThe body of the first article.\n");
  SitePublisher publisher(config_, nullptr, 1, ParseDepth::kMetadata, folder_.Opener());
  Ok(publisher.Rescan(kNow, &problems_));
  Write("b.txt", "Second\n\nThe body of the second article.\n");
  const Publication p = Ok(publisher.Update({"b.txt"}, kNow, &problems_));
  EXPECT_NE(std::string::npos, Json(p).find("The body of the first article."));
  EXPECT_NE(std::string::npos, Json(p).find("The body of the second article."));
}

TEST_F(SitePublisherTest, RestartReadsNoFileWhoseStampIsUnchanged) {
  const std::int64_t mtime = 1772323200LL * 1000000000 + 5;
  Write("a.txt", "First\n\nBody one.\n", mtime);
  const std::unique_ptr<StateStore> owned = *StateStore::Open(root_ / "state");
  StateStore& store = *owned;
  {
    SitePublisher publisher(config_, &store, 1, ParseDepth::kMetadata, folder_.Opener());
    Ok(publisher.Rescan(kNow, &problems_));
  }
  // Same size, same inode, same mtime to the nanosecond, other words: a
  // restart that read the file would see "FIRST".
  Write("a.txt", "FIRST\n\nBody one.\n", mtime);
  SitePublisher publisher(config_, &store, 1, ParseDepth::kMetadata, folder_.Opener());
  const Publication p = Ok(publisher.Rescan(kNow, &problems_));
  EXPECT_NE(std::string::npos, Json(p).find("\"First\""));
  // A parse option change makes stored metadata stale: everything is read.
  Config changed = config_;
  changed.parse.agency.subheading_max_words = 5;
  SitePublisher rereading(changed, &store, 1, ParseDepth::kMetadata, folder_.Opener());
  EXPECT_NE(std::string::npos, Json(Ok(rereading.Rescan(kNow, &problems_))).find("\"FIRST\""));
}

TEST_F(SitePublisherTest, ALatin1FolderIsUtf8InTheFeedsAlsoAfterARestart) {
  // "économie" as a legacy share spells it: ISO-8859-1, not UTF-8.
  Write(
      "\xE9"
      "conomie/a.txt",
      "First\n\nBody one.\n");
  const std::unique_ptr<StateStore> owned = *StateStore::Open(root_ / "state");
  StateStore& store = *owned;
  for (int run = 0; run < 2; ++run) {  // the second reads no file: the store's rows
    SitePublisher publisher(config_, &store, 1, ParseDepth::kMetadata, folder_.Opener());
    const Publication p = Ok(publisher.Rescan(kNow, &problems_));
    const std::string rss = p.snapshot->Find("/feed.rss")->body;
    EXPECT_NE(std::string::npos, rss.find("<category>\xC3\xA9"
                                          "conomie</category>"))
        << "run " << run << ": " << rss;
    EXPECT_EQ(std::string::npos, rss.find("\xE9"
                                          "conomie"))
        << "run " << run;
  }
}

TEST_F(SitePublisherTest, ManyNewFilesAreStoredWhileRenderingWithoutAStoreError) {
  // Over 256 records are written on a second thread while the feeds render;
  // the served history must wait for that write (one transaction at a time).
  const std::unique_ptr<StateStore> owned = *StateStore::Open(root_ / "state");
  StateStore& store = *owned;
  SitePublisher publisher(config_, &store, 2, ParseDepth::kMetadata, folder_.Opener());
  Ok(publisher.Rescan(kNow, &problems_));
  std::set<std::string> paths;
  for (int i = 0; i < 1500; ++i) {
    const std::string rel = "bulk-" + std::to_string(i) + ".txt";
    Write(rel, "Story " + std::to_string(i) + "\n\nBody.\n");
    paths.insert(rel);
  }
  for (int round = 0; round < 2; ++round) {
    Ok(publisher.Update(paths, kNow, &problems_));
    for (const std::string& rel : paths) Write(rel, "Story " + rel + " again\n\nBody.\n");
  }
  for (const Problem& p : problems_) ADD_FAILURE() << p.Located();
  EXPECT_EQ(1500u, *store.Count());
}

TEST_F(SitePublisherTest, ArticlesDirectoryGoneIsAnErrorAndKeepsState) {
  Write("a.txt", "First\n\nBody.\n");
  SitePublisher publisher(config_, nullptr, 1, ParseDepth::kMetadata, folder_.Opener());
  Ok(publisher.Rescan(kNow, &problems_));
  folder_.SetUnreadable("", true);  // the folder itself is gone
  EXPECT_EQ(Status::Code::kIoError, publisher.Rescan(kNow, &problems_).status().code());
  EXPECT_EQ(1u, publisher.index().files().size());
}

TEST_F(SitePublisherTest, AnUpdateOfAVanishedFolderIsAnErrorNotARemoval) {
  Write("a.txt", "First\n\nBody.\n");
  SitePublisher publisher(config_, nullptr, 1, ParseDepth::kMetadata, folder_.Opener());
  Ok(publisher.Rescan(kNow, &problems_));
  folder_.SetUnreadable("", true);  // gone: every path would look removed
  EXPECT_EQ(Status::Code::kIoError, publisher.Update({"a.txt"}, kNow, &problems_).status().code());
  EXPECT_EQ(1u, publisher.index().files().size());
  folder_.SetUnreadable("", false);
  Ok(publisher.Update({"a.txt"}, kNow, &problems_));
  EXPECT_EQ(1u, publisher.index().files().size());
}

TEST_F(SitePublisherTest, FeedDocumentsOverTheSizeBudgetAreNamedInAWarning) {
  config_.feeds.size_budget = 4096;
  Write("world/a.txt",
        "Long Story\n\n" + std::string(3000, 'x') + ".\n\n" + std::string(3000, 'y') + ".\n");
  SitePublisher publisher(config_, nullptr, 1, ParseDepth::kMetadata, folder_.Opener());
  Ok(publisher.Rescan(kNow, &problems_));
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
  Ok(publisher.Rescan(kNow, &problems_));
  EXPECT_TRUE(problems_.empty());
}

TEST_F(SitePublisherTest, PagesArchivesAndLocalImagesAreServedOnRequest) {
  config_.feeds.items = 1;
  Write("old.md", "---\ntitle: Old\ndate: 2026-01-10T00:00:00Z\nimage: pics/a.png\n---\n\nBody.\n");
  Write("new.md", "---\ntitle: New\ndate: 2026-02-10T00:00:00Z\n---\n\nBody.\n");
  Write("pics/a.png", std::string("\x89PNG\r\n\x1a\n", 8) + std::string(92, '\0'));
  SitePublisher publisher(config_, nullptr, 1, ParseDepth::kMetadata, folder_.Opener());
  const Publication p = Ok(publisher.Rescan(kNow, &problems_));
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

TEST_F(SitePublisherTest, ARescanReadsOnlyNewAndChangedFiles) {
  auto name = [](int i) { return "s" + std::to_string(i) + ".txt"; };
  for (int i = 0; i < 100; ++i) Write(name(i), "Story " + std::to_string(i) + "\n\nBody.\n");
  SitePublisher publisher(config_, nullptr, 2, ParseDepth::kMetadata, folder_.Opener());
  Ok(publisher.Rescan(kNow, &problems_));
  std::vector<std::size_t> before;
  for (int i = 0; i < 100; ++i) before.push_back(folder_.reads(name(i)));
  Write("s7.txt", "Story seven, edited\n\nBody.\n", 1772323300LL * 1000000000);
  Write("new.txt", "A new story\n\nBody.\n");
  folder_.Remove("s8.txt");
  const Publication p = Ok(publisher.Rescan(kNow, &problems_));
  EXPECT_GT(folder_.reads("s7.txt"), before[7]);
  EXPECT_GE(folder_.reads("new.txt"), 1u);
  for (int i = 0; i < 100; ++i) {
    if (i != 7 && i != 8) {
      EXPECT_EQ(before[i], folder_.reads(name(i))) << name(i) << " read again";
    }
  }
  EXPECT_EQ(100u, p.snapshot->articles);
  const DocumentPtr page = p.snapshot->Find("/articles/s7.html");
  ASSERT_NE(nullptr, page);
  EXPECT_NE(std::string::npos, page->body.find("Story seven, edited"));
  EXPECT_EQ(nullptr, p.snapshot->Find("/articles/s8.html"));
}

TEST_F(SitePublisherTest, AnEmbargoComesDueWithoutAFileEventOrAClock) {
  Write("now.md", "---\ntitle: Out Now\ndate: 2026-03-01T00:00:00Z\n---\n\nBody.\n");
  Write("later.md", "---\ntitle: Held Back\ndate: 2026-03-02T12:00:00Z\n---\n\nBody.\n");
  const UnixTime before = 1772409600;  // 2026-03-02T00:00:00Z
  const UnixTime due = 1772452800;     // 2026-03-02T12:00:00Z
  SitePublisher publisher(config_, nullptr, 1, ParseDepth::kMetadata, folder_.Opener());
  const Publication held = Ok(publisher.Rescan(before, &problems_));
  EXPECT_EQ(1u, held.snapshot->articles);
  EXPECT_EQ(due, held.next_embargo.value_or(0));
  EXPECT_EQ(nullptr, held.snapshot->Find("/articles/later.html"));
  const std::size_t reads = folder_.reads("later.md");
  // A second before its time nothing changes; at its time it is published,
  // and Republish() lists nothing.
  EXPECT_TRUE(publisher.Republish(due - 1, &problems_).changed_routes.empty());
  const Publication out = publisher.Republish(due, &problems_);
  EXPECT_EQ(2u, out.snapshot->articles);
  EXPECT_NE(std::string::npos, Json(out).find("Held Back"));
  EXPECT_FALSE(out.next_embargo.has_value());
  EXPECT_NE(nullptr, out.snapshot->Find("/articles/later.html"));
  EXPECT_LE(folder_.reads("later.md"), reads + 2);  // its body and page, not a re-scan
}

TEST_F(SitePublisherTest, AFolderThatCannotBeListedKeepsItsArticles) {
  Write("world/a.txt", "World Story\n\nBody.\n");
  Write("sport/b.txt", "Sport Story\n\nBody.\n");
  SitePublisher publisher(config_, nullptr, 1, ParseDepth::kMetadata, folder_.Opener());
  Ok(publisher.Rescan(kNow, &problems_));
  folder_.SetUnreadable("world", true);
  problems_.clear();
  const Publication p = Ok(publisher.Rescan(kNow, &problems_));
  EXPECT_EQ(2u, p.snapshot->articles);
  EXPECT_NE(std::string::npos, Json(p).find("World Story"));
  ASSERT_FALSE(problems_.empty());
  EXPECT_EQ("world", problems_[0].file);
}

TEST_F(SitePublisherTest, WithoutAFolderGivenTheArticlesDirectoryOnDiskIsRead) {
  config_.articles_dir = root_ / "articles";
  fs::create_directories(config_.articles_dir / "world");
  std::ofstream(config_.articles_dir / "world" / "a.txt") << "On Disk\n\nBody.\n";
  fs::last_write_time(config_.articles_dir / "world" / "a.txt",
                      fs::file_time_type::clock::now() - std::chrono::hours(24 * 365));
  SitePublisher publisher(config_, nullptr, 1);
  const Publication p = Ok(publisher.Rescan(kNow + 366 * 86400, &problems_));
  EXPECT_EQ(1u, p.snapshot->articles);
  EXPECT_NE(nullptr, p.snapshot->Find("/category/world/feed.rss"));
  EXPECT_EQ(0u, folder_.reads());
}

}  // namespace
}  // namespace feedd
