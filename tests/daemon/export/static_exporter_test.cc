#include "daemon/export/static_exporter.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "daemon/export/atomic_file.h"
#include "feeds/publish/local_images.h"
#include "tests/testing/temp_dir.h"

namespace feedd {
namespace {

namespace fs = std::filesystem;

std::string Read(const fs::path& p) { return testing::ReadFile(p); }

TEST(StaticExporterTest, WritesChangedDocumentsAndGzipAndRemovesVanished) {
  const fs::path dir =
      fs::temp_directory_path() / ("feedd-export-test-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  StaticExporter exporter(dir, {});
  EXPECT_EQ(0, *exporter.Open());
  Snapshot s;
  s.routes["/"] = MakeDocument("text/html", "<html></html>", 1);
  s.routes["/category/x/feed.rss"] = MakeDocument("application/rss+xml", "<rss/>", 1);
  exporter.Export(s, {"/", "/category/x/feed.rss"}, {});
  EXPECT_EQ("<html></html>", Read(dir / "index.html"));
  EXPECT_EQ("<rss/>", Read(dir / "category/x/feed.rss"));
  EXPECT_EQ(s.routes["/category/x/feed.rss"]->gzip_body, Read(dir / "category/x/feed.rss.gz"));

  exporter.Export(s, {}, {"/category/x/feed.rss"});
  EXPECT_FALSE(fs::exists(dir / "category/x/feed.rss"));
  EXPECT_FALSE(fs::exists(dir / "category/x/feed.rss.gz"));
  fs::remove_all(dir);
}

TEST(StaticExporterTest, StaleTempFilesAreRemovedAtStart) {
  const fs::path dir =
      fs::temp_directory_path() / ("feedd-export-stale-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "sub");
  std::ofstream(dir / ("sub/.feed.rss" + std::string(kTempMarker) + "123")) << "half";
  std::ofstream(dir / "feed.rss") << "keep";
  StaticExporter exporter(dir, {});
  EXPECT_EQ(1, *exporter.Open());
  EXPECT_TRUE(fs::exists(dir / "feed.rss"));
  fs::remove_all(dir);
}

TEST(StaticExporterTest, AFailedWriteStopsNothingElseAndIsRetriedUntilItWorks) {
  const fs::path dir =
      fs::temp_directory_path() / ("feedd-export-fault-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "category") << "a file where a folder must go";  // ENOTDIR below it
  StaticExporter exporter(dir, {});
  ASSERT_TRUE(exporter.Open().ok());
  Snapshot s;
  s.routes["/feed.rss"] = MakeDocument("application/rss+xml", "<rss>main</rss>", 1);
  s.routes["/category/x/feed.rss"] = MakeDocument("application/rss+xml", "<rss>x</rss>", 1);
  StaticExporter::Outcome r = exporter.Export(s, {"/category/x/feed.rss", "/feed.rss"}, {});
  EXPECT_EQ(1u, r.written);
  EXPECT_EQ(1u, r.failed);
  EXPECT_NE(std::string::npos, r.error.find("category")) << r.error;
  EXPECT_EQ("<rss>main</rss>", Read(dir / "feed.rss"));  // the other one was written
  EXPECT_TRUE(exporter.pending());

  r = exporter.Export(s, {}, {});  // still broken: still pending, nothing else happens
  EXPECT_EQ(1u, r.failed);
  fs::remove(dir / "category");  // the fault clears
  r = exporter.Export(s, {}, {});
  EXPECT_EQ(0u, r.failed);
  EXPECT_EQ("", r.error);
  EXPECT_FALSE(exporter.pending());
  EXPECT_EQ("<rss>x</rss>", Read(dir / "category/x/feed.rss"));
  fs::remove_all(dir);
}

TEST(StaticExporterCompanionsTest, APagesImagesAreWrittenBesideIt) {
  const fs::path dir =
      fs::temp_directory_path() / ("feedd-export-companions-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  Snapshot snapshot;
  snapshot.routes["/articles/a.html"] =
      MakeDocument("text/html; charset=utf-8",
                   "<p><img src=\"http://127.0.0.1:8080/articles/pics/a.png\">"
                   "<img src=\"https://elsewhere.example/b.png\">"
                   "<img src=\"http://127.0.0.1:8080/articles/../secret.png\"></p>",
                   1);
  snapshot.routes["/articles/pics/a.png"] = MakeDocument("image/png", "PNG", 1, "", {}, -1, false,
                                                         /*compress=*/false);
  StaticExporter::Options options;
  options.threads = 2;
  options.companions = [](const std::string& route, const Document& doc) {
    return PageImages(route, doc, SiteInfo{});
  };
  StaticExporter exporter(dir, std::move(options));
  ASSERT_TRUE(exporter.Open().ok());
  const StaticExporter::Outcome result = exporter.Export(snapshot, {"/articles/a.html"}, {});
  EXPECT_EQ(0u, result.failed);
  EXPECT_EQ(2u, result.written);
  EXPECT_TRUE(fs::exists(dir / "articles/pics/a.png"));
  EXPECT_FALSE(fs::exists(dir / "articles/pics/a.png.gz"));  // not compressed
  EXPECT_FALSE(fs::exists(dir / "secret.png"));
  EXPECT_FALSE(exporter.pending());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace feedd
