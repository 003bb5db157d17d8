#include "daemon/export/atomic_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace feedd {
namespace {

std::string Read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(AtomicFileTest, WritesCreatesDirectoriesAndReplaces) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("feedd-atomic-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  EXPECT_TRUE(WriteFileAtomically(dir / "a/b/feed.rss", "first").ok());
  EXPECT_EQ("first", Read(dir / "a/b/feed.rss"));
  EXPECT_TRUE(WriteFileAtomically(dir / "a/b/feed.rss", "second").ok());
  EXPECT_EQ("second", Read(dir / "a/b/feed.rss"));
  // No temporary file is left behind.
  int entries = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir / "a/b")) ++entries;
  EXPECT_EQ(1, entries);
  std::filesystem::remove_all(dir);
}

TEST(AtomicFileTest, ASymlinkPlantedAtTheTemporaryNameIsNotFollowed) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("feedd-atomic-symlink-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "out");
  std::ofstream(dir / "victim") << "precious";
  // Someone who can write the export folder plants a link where our
  // temporary file will go, hoping we write through it.
  const auto temp =
      dir / "out" / (".feed.rss" + std::string(kTempMarker) + std::to_string(::getpid()));
  std::filesystem::create_symlink(dir / "victim", temp);

  EXPECT_TRUE(WriteFileAtomically(dir / "out/feed.rss", "feed bytes").ok());

  EXPECT_EQ("feed bytes", Read(dir / "out/feed.rss"));
  EXPECT_EQ("precious", Read(dir / "victim"));
  EXPECT_FALSE(std::filesystem::is_symlink(dir / "out/feed.rss"));
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::symlink_status(temp)));
  std::filesystem::remove_all(dir);
}

TEST(AtomicFileTest, AnUnwritablePathIsAnIoErrorNamingIt) {
  const Status error = WriteFileAtomically("/proc/feedd-cannot-write/x", "x");
  EXPECT_EQ(Status::Code::kIoError, error.code());
  EXPECT_NE(std::string::npos, error.message().find("/proc/feedd-cannot-write")) << error.message();
}

}  // namespace
}  // namespace feedd
