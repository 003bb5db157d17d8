#include "feeds/catalog.h"

#include <gtest/gtest.h>

#include "feeds/article_parser.h"
#include "feeds/memory_ledger.h"

namespace feedd {
namespace {

// A directory the tests edit between scans, as an editor would.
class CatalogTest : public ::testing::Test {
 protected:
  void Write(const std::string& path, const std::string& text, UnixTime mtime) {
    files_[path] = {text, mtime};
  }
  void Touch(const std::string& path, UnixTime mtime) { files_[path].second = mtime; }
  void Move(const std::string& from, const std::string& to, UnixTime mtime) {
    files_[to] = {files_[from].first, mtime};
    files_.erase(from);
  }

  // A full scan: parse every file, then resolve.
  std::vector<Article> Scan() {
    std::vector<ScannedFile> scanned;
    for (const auto& [path, file] : files_) {
      ParsedFile parsed = ParseArticleFile(path, file.first, ParseOptions{});
      scanned.push_back({path, file.second, std::move(parsed.article), ""});
    }
    problems_.clear();
    return catalog_.ResolveScan(std::move(scanned), &problems_);
  }

  static const Article& Find(const std::vector<Article>& articles, const std::string& path) {
    for (const Article& a : articles) {
      if (a.source_path == path) return a;
    }
    static const Article kNone;
    ADD_FAILURE() << "no article from " << path;
    return kNone;
  }

  std::map<std::string, std::pair<std::string, UnixTime>> files_;
  MemoryLedger ledger_;
  Catalog catalog_{&ledger_};
  Problems problems_;
};

constexpr UnixTime kDay1 = 1772323200;  // 2026-03-01
constexpr UnixTime kDay2 = kDay1 + 86400;
constexpr UnixTime kDay3 = kDay2 + 86400;

TEST_F(CatalogTest, IdIsFileNameWithoutExtension) {
  Write("world/000_abc.txt", "Title\n\nBody.\n", kDay1);
  EXPECT_EQ("000_abc", Find(Scan(), "world/000_abc.txt").id);
}

TEST_F(CatalogTest, FrontMatterIdWins) {
  Write("a.md", "---\ntitle: T\nid: chosen\n---\nx\n", kDay1);
  EXPECT_EQ("chosen", Find(Scan(), "a.md").id);
}

TEST_F(CatalogTest, PublishedIsFirstSeenAndSurvivesTouchAndEdit) {
  Write("a.txt", "Title\n\nBody.\n", kDay1);
  EXPECT_EQ(kDay1, Find(Scan(), "a.txt").published);
  Touch("a.txt", kDay2);
  EXPECT_EQ(kDay1, Find(Scan(), "a.txt").published);
  Write("a.txt", "Title\n\nNew body.\n", kDay3);
  EXPECT_EQ(kDay1, Find(Scan(), "a.txt").published);
}

TEST_F(CatalogTest, TouchWithoutContentChangeKeepsUpdated) {
  Write("a.txt", "Title\n\nBody.\n", kDay1);
  Scan();
  Touch("a.txt", kDay2);
  EXPECT_EQ(kDay1, Find(Scan(), "a.txt").updated);
}

TEST_F(CatalogTest, ContentChangeMovesUpdatedToTheEdit) {
  Write("a.txt", "Title\n\nBody.\n", kDay1);
  Scan();
  Write("a.txt", "Title\n\nCorrected body.\n", kDay3);
  const Article a = Find(Scan(), "a.txt");
  EXPECT_EQ(kDay1, a.published);
  EXPECT_EQ(kDay3, a.updated);
}

TEST_F(CatalogTest, ViewCounterChangeKeepsUpdated) {
  Write("a.txt", "Title\n\n120\nAnn Lee Reporter\n\nBody.\n", kDay1);
  Scan();
  Write("a.txt", "Title\n\n987\nAnn Lee Reporter\n\nBody.\n", kDay2);
  EXPECT_EQ(kDay1, Find(Scan(), "a.txt").updated);
}

TEST_F(CatalogTest, MovedFileKeepsIdAndDates) {
  Write("world/x1.txt", "Title\n\nBody.\n", kDay1);
  Scan();
  Move("world/x1.txt", "europe/x1.txt", kDay2);
  const Article a = Find(Scan(), "europe/x1.txt");
  EXPECT_EQ("x1", a.id);
  EXPECT_EQ(kDay1, a.published);
  EXPECT_EQ(kDay1, a.updated);
  EXPECT_TRUE(problems_.empty());
}

TEST_F(CatalogTest, RenamedFileWithSameContentKeepsIdAndDates) {
  Write("old-name.txt", "Title\n\nBody.\n", kDay1);
  Scan();
  Move("old-name.txt", "new-name.txt", kDay2);
  const Article a = Find(Scan(), "new-name.txt");
  EXPECT_EQ("old-name", a.id);
  EXPECT_EQ(kDay1, a.published);
}

TEST_F(CatalogTest, RenamedThenMovedToAnotherFolderKeepsId) {
  Write("one.txt", "Title\n\nBody.\n", kDay1);
  Scan();
  Move("one.txt", "renamed.txt", kDay2);
  EXPECT_EQ("one", Find(Scan(), "renamed.txt").id);
  Move("renamed.txt", "world/renamed.txt", kDay3);
  const Article a = Find(Scan(), "world/renamed.txt");
  EXPECT_EQ("one", a.id);
  EXPECT_EQ(kDay1, a.published);
  EXPECT_EQ(kDay1, a.updated);
}

TEST_F(CatalogTest, SameNameInTwoFoldersFirstPathKeepsName) {
  Write("b/same.txt", "One\n\nBody one.\n", kDay1);
  Write("a/same.txt", "Two\n\nBody two.\n", kDay1);
  const std::vector<Article> articles = Scan();
  EXPECT_EQ("same", Find(articles, "a/same.txt").id);
  EXPECT_EQ("b/same", Find(articles, "b/same.txt").id);
  ASSERT_EQ(1u, problems_.size());
  EXPECT_EQ("b/same.txt: warning: id 'same' belongs to a/same.txt; this file gets 'b/same'",
            problems_[0].ToString());
}

TEST_F(CatalogTest, IdNeverMovesToAnotherArticle) {
  Write("z/same.txt", "One\n\nBody one.\n", kDay1);
  Scan();
  // A file that sorts first arrives later with the same name: the id stays put.
  Write("a/same.txt", "Two\n\nBody two.\n", kDay2);
  const std::vector<Article> articles = Scan();
  EXPECT_EQ("same", Find(articles, "z/same.txt").id);
  EXPECT_EQ("a/same", Find(articles, "a/same.txt").id);
  // And on the next scan too.
  const std::vector<Article> again = Scan();
  EXPECT_EQ("same", Find(again, "z/same.txt").id);
  EXPECT_EQ("a/same", Find(again, "a/same.txt").id);
}

TEST_F(CatalogTest, FailedReparseKeepsLastGoodVersion) {
  Write("world/a.txt", "Consulate opens\n\nFirst paragraph.\n", kDay1);
  Scan();
  Write("world/a.txt", "", kDay2);  // an editor truncated the file mid-save
  const std::vector<Article> articles = Scan();
  ASSERT_EQ(1u, articles.size());
  EXPECT_EQ("Consulate opens", articles[0].title);
  EXPECT_EQ("a", articles[0].id);
  EXPECT_EQ(kDay1, articles[0].published);
  ASSERT_EQ(1u, problems_.size());
  EXPECT_EQ("world/a.txt: warning: the last version that parsed stays published",
            problems_[0].ToString());
}

TEST_F(CatalogTest, FrontMatterDatesWinOverLedger) {
  Write("a.md", "---\ntitle: T\ndate: 2026-01-05\nlastmod: 2026-01-06\n---\nx\n", kDay1);
  const Article a = Find(Scan(), "a.md");
  EXPECT_EQ(1767571200, a.published);
  EXPECT_EQ(1767657600, a.updated);
}

TEST_F(CatalogTest, PathQualifiedIdDropsOnlyTheExtension) {
  EXPECT_EQ("world/x.y", PathQualifiedId("world/x.y.txt"));
  EXPECT_EQ("x.y", IdFromFileName("world/x.y.txt"));
  EXPECT_EQ("noext", IdFromFileName("a.b/noext"));
}

}  // namespace
}  // namespace feedd
