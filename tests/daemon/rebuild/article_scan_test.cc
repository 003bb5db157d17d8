// The parallel scan, on a folder in memory: results in the order of the
// files asked for, whatever thread parsed them, and a file that cannot be
// read becomes its own problem without stopping the others.

#include "daemon/rebuild/article_scan.h"

#include <gtest/gtest.h>

#include "feeds/input/memory_folder.h"

namespace feedd {
namespace {

TEST(ArticleScanTest, ManyFilesAreParsedOnSeveralThreadsInTheOrderAsked) {
  MemoryFolder folder;
  std::vector<ArticleFile> files;
  for (int i = 0; i < 300; ++i) {
    const std::string path = "world/s" + std::to_string(i) + ".txt";
    folder.Put(path, "Story number " + std::to_string(i) + "\n\nIts body.\n");
    files.push_back({path, *folder.Stamp(path)});
  }
  const std::vector<ParsedFile> parsed =
      ParseArticleFiles(folder, files, ParseOptions(), ParseDepth::kMetadata, 4);
  ASSERT_EQ(300u, parsed.size());
  for (int i = 0; i < 300; ++i) {
    ASSERT_TRUE(parsed[i].article.has_value()) << i;
    EXPECT_EQ("Story number " + std::to_string(i), parsed[i].article->title);
    EXPECT_EQ(1u, folder.reads(files[i].rel_path));
  }
}

TEST(ArticleScanTest, AFileThatCannotBeReadIsItsOwnProblem) {
  MemoryFolder folder;
  folder.Put("a.txt", "Alpha\n\nBody.\n");
  folder.Put("b.txt", "Beta\n\nBody.\n");
  std::vector<ArticleFile> files = {
      {"a.txt", *folder.Stamp("a.txt")}, {"gone.txt", {}}, {"b.txt", *folder.Stamp("b.txt")}};
  const std::vector<ParsedFile> parsed =
      ParseArticleFiles(folder, files, ParseOptions(), ParseDepth::kFull, 2);
  ASSERT_EQ(3u, parsed.size());
  EXPECT_TRUE(parsed[0].article.has_value());
  EXPECT_FALSE(parsed[1].article.has_value());
  ASSERT_EQ(1u, parsed[1].problems.size());
  EXPECT_EQ("gone.txt", parsed[1].problems[0].file);
  EXPECT_TRUE(parsed[2].article.has_value());
  EXPECT_EQ("Beta", parsed[2].article->title);
}

TEST(ArticleScanTest, AnOversizedFileIsReadOnlyToItsLimit) {
  MemoryFolder folder;
  folder.Put("big.txt", "Big\n\n" + std::string(10000, 'x') + "\n");
  ParseOptions options;
  options.max_file_size = 1000;
  const std::vector<ParsedFile> parsed = ParseArticleFiles(
      folder, {{"big.txt", *folder.Stamp("big.txt")}}, options, ParseDepth::kFull, 1);
  ASSERT_EQ(1u, parsed.size());
  EXPECT_FALSE(parsed[0].article.has_value());
  ASSERT_FALSE(parsed[0].problems.empty());
  EXPECT_EQ("big.txt", parsed[0].problems[0].file);
}

}  // namespace
}  // namespace feedd
