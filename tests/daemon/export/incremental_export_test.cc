// The static export across runs: what an earlier run wrote, as the state
// store remembers it, is neither rendered nor written again.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <map>
#include <sstream>

#include "daemon/export/export_manifest.h"
#include "daemon/export/static_exporter.h"
#include "daemon/state/state_store.h"
#include "tests/testing/temp_dir.h"

namespace feedd {
namespace {

namespace fs = std::filesystem;

std::string Read(const fs::path& p) { return testing::ReadFile(p); }

// Inode and mtime: what rsync and a CDN sync look at.
std::pair<ino_t, std::int64_t> Identity(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(0, ::stat(p.c_str(), &st)) << p;
  return {st.st_ino, st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec};
}

// Documents made on request, each with a fingerprint; counts renders.
class FakeLazy final : public LazyDocuments {
 public:
  std::map<std::string, std::pair<std::string, std::uint64_t>, std::less<>> docs;
  mutable std::atomic<int> renders{0};
  DocumentPtr Find(std::string_view path) const override {
    auto it = docs.find(path);
    if (it == docs.end()) return nullptr;
    ++renders;
    return MakeDocument("text/html", it->second.first, 1);
  }
  std::optional<std::uint64_t> Fingerprint(std::string_view path) const override {
    auto it = docs.find(path);
    if (it == docs.end()) return std::nullopt;
    return it->second.second;
  }
};

class IncrementalExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("feedd-incremental-" + std::to_string(::getpid()));
    fs::remove_all(base_);
    out_ = base_ / "out";
    Result<std::unique_ptr<StateStore>> store = StateStore::Open(base_ / "state");
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(*store);
    lazy_ = std::make_shared<FakeLazy>();
    lazy_->docs["/articles/a.html"] = {"<p>a</p>", 11};
    lazy_->docs["/articles/b.html"] = {"<p>b</p>", 22};
    snapshot_.routes["/feed.rss"] = MakeDocument("application/rss+xml", "<rss>1</rss>", 1);
    snapshot_.routes["/"] = MakeDocument("text/html", "<html>index</html>", 1);
    snapshot_.lazy = lazy_;
  }
  void TearDown() override { fs::remove_all(base_); }

  std::vector<std::string> Everything() const {
    std::vector<std::string> routes;
    for (const auto& [route, doc] : snapshot_.routes) routes.push_back(route);
    for (const auto& [route, doc] : lazy_->docs) routes.push_back(route);
    return routes;
  }

  // One run of `feedd build`: a new exporter on the same folder and store.
  StaticExporter::Outcome Run(std::uint64_t salt = 7, bool rewrite_all = false) {
    StaticExporter::Options options;
    options.threads = 2;
    options.store = store_.get();
    options.salt = salt;
    options.rewrite_all = rewrite_all;
    StaticExporter exporter(out_, std::move(options));
    EXPECT_TRUE(exporter.Open().ok());
    StaticExporter::Outcome outcome =
        exporter.Export(snapshot_, Everything(), {}, StaticExporter::Scope::kEverything);
    EXPECT_EQ(0u, outcome.failed) << outcome.error;
    return outcome;
  }

  fs::path base_, out_;
  std::unique_ptr<StateStore> store_;
  std::shared_ptr<FakeLazy> lazy_;
  Snapshot snapshot_;
};

TEST_F(IncrementalExportTest, ARerunWithNothingChangedRendersAndWritesNothing) {
  EXPECT_EQ(4u, Run().written);
  const auto page = Identity(out_ / "articles/a.html");
  const auto feed = Identity(out_ / "feed.rss");
  const int renders = lazy_->renders;

  const StaticExporter::Outcome again = Run();
  EXPECT_EQ(0u, again.written);
  EXPECT_EQ(4u, again.unchanged);
  EXPECT_EQ(0u, again.removed);
  EXPECT_EQ(renders, lazy_->renders) << "a page with the fingerprint written was rendered again";
  EXPECT_EQ(page, Identity(out_ / "articles/a.html"));
  EXPECT_EQ(feed, Identity(out_ / "feed.rss"));
}

TEST_F(IncrementalExportTest, OnlyWhatChangedIsWritten) {
  Run();
  const auto b = Identity(out_ / "articles/b.html");
  const auto index = Identity(out_ / "index.html");
  lazy_->docs["/articles/a.html"] = {"<p>a, corrected</p>", 12};
  snapshot_.routes["/feed.rss"] = MakeDocument("application/rss+xml", "<rss>2</rss>", 2);

  const StaticExporter::Outcome outcome = Run();
  EXPECT_EQ(2u, outcome.written);
  EXPECT_EQ(2u, outcome.unchanged);
  EXPECT_EQ("<p>a, corrected</p>", Read(out_ / "articles/a.html"));
  EXPECT_EQ("<rss>2</rss>", Read(out_ / "feed.rss"));
  EXPECT_EQ(b, Identity(out_ / "articles/b.html"));
  EXPECT_EQ(index, Identity(out_ / "index.html"));
}

TEST_F(IncrementalExportTest, DocumentsThatAreGoneLoseTheirFiles) {
  snapshot_.routes["/category/sport/feed.rss"] =
      MakeDocument("application/rss+xml", std::string(2000, 'x'), 1);  // large enough for a .gz
  Run();
  ASSERT_TRUE(fs::exists(out_ / "category/sport/feed.rss.gz"));
  std::ofstream(out_ / "robots.txt") << "not feedd's";  // never written by feedd: stays
  snapshot_.routes.erase("/category/sport/feed.rss");
  lazy_->docs.erase("/articles/b.html");

  const StaticExporter::Outcome outcome = Run();
  EXPECT_EQ(2u, outcome.removed);
  EXPECT_FALSE(fs::exists(out_ / "category/sport/feed.rss"));
  EXPECT_FALSE(fs::exists(out_ / "category/sport/feed.rss.gz"));
  EXPECT_FALSE(fs::exists(out_ / "articles/b.html"));
  EXPECT_TRUE(fs::exists(out_ / "articles/a.html"));
  EXPECT_TRUE(fs::exists(out_ / "robots.txt"));
  EXPECT_EQ(0u, Run().removed);  // and the store forgot them
}

TEST_F(IncrementalExportTest, OtherSettingsRenderAgainButRewriteOnlyDifferentBytes) {
  Run(/*salt=*/7);
  const auto page = Identity(out_ / "articles/a.html");
  const int renders = lazy_->renders;
  const StaticExporter::Outcome outcome = Run(/*salt=*/8);
  EXPECT_EQ(renders + 2, lazy_->renders);  // the fingerprints no longer vouch for the pages
  EXPECT_EQ(0u, outcome.written);          // but their bytes are the same
  EXPECT_EQ(page, Identity(out_ / "articles/a.html"));
  EXPECT_EQ(renders + 2, (Run(8), lazy_->renders.load()));  // the new salt is remembered
}

TEST_F(IncrementalExportTest, AnEmptiedFolderIsWrittenWhole) {
  Run();
  fs::remove_all(out_);
  EXPECT_EQ(4u, Run().written);
  EXPECT_EQ("<p>b</p>", Read(out_ / "articles/b.html"));
  EXPECT_TRUE(fs::exists(out_ / kExportMarker));
}

TEST_F(IncrementalExportTest, RewriteAllWritesEveryFileAgain) {
  Run();
  const auto feed = Identity(out_ / "feed.rss");
  EXPECT_EQ(4u, Run(7, /*rewrite_all=*/true).written);
  EXPECT_NE(feed, Identity(out_ / "feed.rss"));  // a new file renamed into place
}

TEST_F(IncrementalExportTest, AnotherFolderHasItsOwnManifest) {
  Run();
  const fs::path first = out_;
  out_ = base_ / "elsewhere";
  EXPECT_EQ(4u, Run().written);
  out_ = first;
  EXPECT_EQ(0u, Run().written);
}

TEST_F(IncrementalExportTest, ServeModeChangesAreWrittenAndRemovedAsTheyCome) {
  StaticExporter::Options options;
  options.store = store_.get();
  StaticExporter exporter(out_, std::move(options));
  ASSERT_TRUE(exporter.Open().ok());
  EXPECT_EQ(
      4u, exporter.Export(snapshot_, Everything(), {}, StaticExporter::Scope::kEverything).written);
  lazy_->docs["/articles/c.html"] = {"<p>c</p>", 33};
  lazy_->docs.erase("/articles/a.html");
  const StaticExporter::Outcome outcome =
      exporter.Export(snapshot_, {"/articles/c.html", "/feed.rss"}, {"/articles/a.html"});
  EXPECT_EQ(1u, outcome.written);    // c; the feed's bytes are the ones on disk
  EXPECT_EQ(1u, outcome.unchanged);  // the feed
  EXPECT_EQ(1u, outcome.removed);
  EXPECT_EQ("<p>c</p>", Read(out_ / "articles/c.html"));
  EXPECT_FALSE(fs::exists(out_ / "articles/a.html"));
}

}  // namespace
}  // namespace feedd
