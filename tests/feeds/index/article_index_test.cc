#include "feeds/index/article_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "feeds/core/routes.h"
#include "feeds/parse/article_parser.h"

namespace feedd {
namespace {

// A directory the tests edit between scans, as an editor would; each scan
// goes through PlanScan() and Apply() as the daemon's does.
class ArticleIndexTest : public ::testing::Test {
 protected:
  struct File {
    std::string text;
    FileStamp stamp;
  };
  void Write(const std::string& path, const std::string& text, UnixTime mtime) {
    files_[path] = {text, {text.size(), mtime * 1000000000LL + ++writes_, ++inodes_}};
  }
  void Touch(const std::string& path, UnixTime mtime) {
    files_[path].stamp.mtime_ns = mtime * 1000000000LL + ++writes_;
  }
  void Move(const std::string& from, const std::string& to, UnixTime mtime) {
    files_[to] = files_[from];
    files_[to].stamp.mtime_ns = mtime * 1000000000LL + ++writes_;
    files_.erase(from);
  }

  // A full scan; returns every published article, in path order.
  std::vector<Article> Scan() {
    Listing listing;
    for (const auto& [path, file] : files_) listing.files.push_back({path, file.stamp});
    ArticleIndex::Plan plan = index_.PlanScan(listing, /*reclaim=*/false);
    for (const ArticleFile& f : plan.to_read) {
      ParsedFile parsed = ParseArticleFile(f.rel_path, files_.at(f.rel_path).text, ParseOptions{},
                                           ParseDepth::kMetadata);
      FileChange change{parsed.article ? FileChange::Kind::kParsed : FileChange::Kind::kFailed,
                        f.rel_path, f.stamp, nullptr};
      if (parsed.article) change.article = std::make_unique<Article>(std::move(*parsed.article));
      plan.changes.push_back(std::move(change));
    }
    problems_.clear();
    last_ = index_.Apply(std::move(plan.changes), &problems_);
    std::map<std::string, Article> present;
    for (const auto& entry : index_.files()) {
      if (entry.record && entry.record->present) present[entry.path] = *entry.record->article;
    }
    std::vector<Article> out;
    for (auto& [path, a] : present) {
      a.source_path = path;
      out.push_back(std::move(a));
    }
    return out;
  }

  static const Article& Find(const std::vector<Article>& articles, const std::string& path) {
    for (const Article& a : articles) {
      if (a.source_path == path) return a;
    }
    static const Article kNone;
    ADD_FAILURE() << "no article from " << path;
    return kNone;
  }

  std::map<std::string, File> files_;
  std::int64_t writes_ = 0;
  std::uint64_t inodes_ = 0;
  ArticleIndex index_;
  ArticleIndex::Result last_;
  Problems problems_;
};

constexpr UnixTime kDay1 = 1772323200;  // 2026-03-01
constexpr UnixTime kDay2 = kDay1 + 86400;
constexpr UnixTime kDay3 = kDay2 + 86400;

TEST_F(ArticleIndexTest, IdIsFileNameWithoutExtension) {
  Write("world/000_abc.txt", "Title\n\nBody.\n", kDay1);
  EXPECT_EQ("000_abc", Find(Scan(), "world/000_abc.txt").id);
}

TEST_F(ArticleIndexTest, FrontMatterIdWins) {
  Write("a.md", "---\ntitle: T\nid: chosen\n---\nx\n", kDay1);
  EXPECT_EQ("chosen", Find(Scan(), "a.md").id);
}

TEST_F(ArticleIndexTest, PublishedIsFirstSeenAndSurvivesTouchAndEdit) {
  Write("a.txt", "Title\n\nBody.\n", kDay1);
  EXPECT_EQ(kDay1, Find(Scan(), "a.txt").published);
  Touch("a.txt", kDay2);
  EXPECT_EQ(kDay1, Find(Scan(), "a.txt").published);
  Write("a.txt", "Title\n\nNew body.\n", kDay3);
  EXPECT_EQ(kDay1, Find(Scan(), "a.txt").published);
}

TEST_F(ArticleIndexTest, TouchWithoutContentChangeKeepsUpdated) {
  Write("a.txt", "Title\n\nBody.\n", kDay1);
  Scan();
  Touch("a.txt", kDay2);
  EXPECT_EQ(kDay1, Find(Scan(), "a.txt").updated);
}

TEST_F(ArticleIndexTest, ContentChangeMovesUpdatedToTheEdit) {
  Write("a.txt", "Title\n\nBody.\n", kDay1);
  Scan();
  Write("a.txt", "Title\n\nCorrected body.\n", kDay3);
  const Article a = Find(Scan(), "a.txt");
  EXPECT_EQ(kDay1, a.published);
  EXPECT_EQ(kDay3, a.updated);
}

TEST_F(ArticleIndexTest, ViewCounterChangeKeepsUpdated) {
  Write("a.txt", "Title\n\n120\nAnn Lee Reporter\n\nBody.\n", kDay1);
  Scan();
  Write("a.txt", "Title\n\n987\nAnn Lee Reporter\n\nBody.\n", kDay2);
  EXPECT_EQ(kDay1, Find(Scan(), "a.txt").updated);
}

TEST_F(ArticleIndexTest, MovedFileKeepsIdAndDates) {
  Write("world/x1.txt", "Title\n\nBody.\n", kDay1);
  Scan();
  Move("world/x1.txt", "europe/x1.txt", kDay2);
  const Article a = Find(Scan(), "europe/x1.txt");
  EXPECT_EQ("x1", a.id);
  EXPECT_EQ(kDay1, a.published);
  EXPECT_EQ(kDay1, a.updated);
  EXPECT_TRUE(problems_.empty());
}

TEST_F(ArticleIndexTest, RenamedFileWithSameContentKeepsIdAndDates) {
  Write("old-name.txt", "Title\n\nBody.\n", kDay1);
  Scan();
  Move("old-name.txt", "new-name.txt", kDay2);
  const Article a = Find(Scan(), "new-name.txt");
  EXPECT_EQ("old-name", a.id);
  EXPECT_EQ(kDay1, a.published);
}

TEST_F(ArticleIndexTest, RenamedThenMovedToAnotherFolderKeepsId) {
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

TEST_F(ArticleIndexTest, SameNameInTwoFoldersFirstPathKeepsName) {
  Write("b/same.txt", "One\n\nBody one.\n", kDay1);
  Write("a/same.txt", "Two\n\nBody two.\n", kDay1);
  const std::vector<Article> articles = Scan();
  EXPECT_EQ("same", Find(articles, "a/same.txt").id);
  EXPECT_EQ("b/same", Find(articles, "b/same.txt").id);
  ASSERT_EQ(1u, problems_.size());
  EXPECT_EQ("b/same.txt: warning: id 'same' belongs to a/same.txt; this file gets 'b/same'",
            problems_[0].ToString());
}

TEST_F(ArticleIndexTest, SameNameWithAnotherExtensionBesideItKeepsItsExtension) {
  Write("story.txt", "One\n\nBody one.\n", kDay1);
  Write("story.md", "---\ntitle: Two\n---\nBody two.\n", kDay1);
  const std::vector<Article> articles = Scan();
  ASSERT_EQ(2u, articles.size());
  EXPECT_EQ("story", Find(articles, "story.md").id);
  EXPECT_EQ("story.txt", Find(articles, "story.txt").id);
  ASSERT_EQ(1u, problems_.size());
  EXPECT_EQ("story.txt: warning: id 'story' belongs to story.md; this file gets 'story.txt'",
            problems_[0].ToString());
  EXPECT_EQ("world/a.txt", QualifiedId("world/a.txt", "world/a"));
  EXPECT_EQ("world/a", QualifiedId("world/a.txt", "a"));
}

TEST_F(ArticleIndexTest, IdNeverMovesToAnotherArticle) {
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

TEST_F(ArticleIndexTest, FailedReparseKeepsLastGoodVersion) {
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

TEST_F(ArticleIndexTest, FrontMatterDatesWinOverLedger) {
  Write("a.md", "---\ntitle: T\ndate: 2026-01-05\nlastmod: 2026-01-06\n---\nx\n", kDay1);
  const Article a = Find(Scan(), "a.md");
  EXPECT_EQ(1767571200, a.published);
  EXPECT_EQ(1767657600, a.updated);
}

TEST_F(ArticleIndexTest, PathQualifiedIdDropsOnlyTheExtension) {
  EXPECT_EQ("world/x.y", PathQualifiedId("world/x.y.txt"));
  EXPECT_EQ("x.y", IdFromFileName("world/x.y.txt"));
  EXPECT_EQ("noext", IdFromFileName("a.b/noext"));
}

TEST_F(ArticleIndexTest, TouchTouchesNothingButIsStoredAgain) {
  Write("a.txt", "Title\n\nBody.\n", kDay1);
  Scan();
  Touch("a.txt", kDay2);
  Scan();
  EXPECT_TRUE(last_.touched.empty());    // no feed needs to look again
  ASSERT_EQ(1u, last_.to_store.size());  // but the new stamp is remembered
  EXPECT_EQ(files_["a.txt"].stamp, last_.to_store[0]->stamp);
}

TEST_F(ArticleIndexTest, UnchangedFilesAreNotReadAgain) {
  Write("a.txt", "Title\n\nBody.\n", kDay1);
  Write("b.txt", "Other\n\nBody.\n", kDay1);
  Scan();
  Listing listing;
  for (const auto& [path, file] : files_) listing.files.push_back({path, file.stamp});
  Write("b.txt", "Other, edited\n\nBody.\n", kDay2);
  listing.files[1].stamp = files_["b.txt"].stamp;
  const ArticleIndex::Plan plan = index_.PlanScan(listing, false);
  ASSERT_EQ(1u, plan.to_read.size());
  EXPECT_EQ("b.txt", plan.to_read[0].rel_path);
  EXPECT_TRUE(plan.changes.empty());
}

TEST_F(ArticleIndexTest, SameSizeEditInTheSameSecondIsSeen) {
  Write("a.txt", "Title\n\nBody A.\n", kDay1);
  Scan();
  const FileStamp before = files_["a.txt"].stamp;
  Write("a.txt", "Title\n\nBody B.\n", kDay1);  // same size, same second
  EXPECT_EQ(before.size, files_["a.txt"].stamp.size);
  EXPECT_EQ(before.mtime(), files_["a.txt"].stamp.mtime());
  EXPECT_EQ(1u, Scan().size());
  ASSERT_EQ(1u, last_.touched.size());
}

TEST_F(ArticleIndexTest, FilesUnderAnUnreadableFolderAreNotDeleted) {
  Write("world/a.txt", "Title\n\nBody.\n", kDay1);
  Write("b.txt", "Other\n\nBody.\n", kDay1);
  Scan();
  Listing listing;
  listing.files.push_back({"b.txt", files_["b.txt"].stamp});
  listing.unreadable.push_back("world");
  const ArticleIndex::Plan plan = index_.PlanScan(listing, false);
  EXPECT_TRUE(plan.changes.empty());  // world/a.txt is unknown, not gone
}

TEST_F(ArticleIndexTest, RestoredRecordsKeepTheirIdsAndDates) {
  IndexRecord stored;
  stored.id = "kept-id";
  stored.path = "world/a.txt";
  stored.first_seen = kDay1;
  stored.changed = kDay2;
  index_.Restore(stored);
  Write("world/a.txt", "Title\n\nBody.\n", kDay3);
  const Article a = Find(Scan(), "world/a.txt");
  EXPECT_EQ("kept-id", a.id);
  EXPECT_EQ(kDay1, a.published);
  EXPECT_EQ(kDay2, a.updated);  // an unknown stored hash is adopted, not a change
}

TEST_F(ArticleIndexTest, RestoredLongIdsAndPathsStayFindableThroughMoves) {
  // Longer than std::string's inline buffer: the maps must not keep views
  // of buffers that moved.
  const std::string id = "000123_5f1c0a9e2b7d4e31";
  IndexRecord stored;
  stored.id = id;
  stored.path = "international-affairs/" + id + ".txt";
  stored.first_seen = kDay1;
  index_.Restore(stored);
  IndexRecord other = stored;
  other.id = "another-long-identifier-here";
  other.path = "another-long-folder-name/x.txt";
  index_.Restore(other);
  Write("world-and-regions/" + id + ".txt", "Title\n\nBody.\n", kDay3);  // moved meanwhile
  const Article a = Find(Scan(), "world-and-regions/" + id + ".txt");
  EXPECT_EQ(id, a.id);
  EXPECT_EQ(kDay1, a.published);
  EXPECT_EQ(stored.first_seen, index_.Find(id)->first_seen);
  EXPECT_EQ(kDay1, index_.Find("another-long-identifier-here")->first_seen);
}

TEST_F(ArticleIndexTest, RestoredRecordWithTheSameStampIsReclaimedUnread) {
  Write("a.txt", "Title\n\nBody.\n", kDay1);
  Scan();
  const IndexRecord& before = *index_.Find("a");
  ArticleIndex restarted;
  restarted.Restore(before);
  Listing listing;
  listing.files.push_back({"a.txt", files_["a.txt"].stamp});
  ArticleIndex::Plan plan = restarted.PlanScan(listing, /*reclaim=*/true);
  EXPECT_TRUE(plan.to_read.empty());
  ASSERT_EQ(1u, plan.changes.size());
  EXPECT_EQ(FileChange::Kind::kUnchanged, plan.changes[0].kind);
  const ArticleIndex::Result r = restarted.Apply(std::move(plan.changes), &problems_);
  ASSERT_EQ(1u, r.touched.size());
  EXPECT_TRUE(r.touched[0]->present);
  EXPECT_EQ("Title", r.touched[0]->article->title);
}

TEST_F(ArticleIndexTest, RenamedWhileStoppedIsMatchedByContent) {
  Write("old.txt", "Title\n\nBody.\n", kDay1);
  Scan();
  ArticleIndex restarted;
  restarted.Restore(*index_.Find("old"));
  Listing listing;
  files_.clear();
  Write("new.txt", "Title\n\nBody.\n", kDay3);
  listing.files.push_back({"new.txt", files_["new.txt"].stamp});
  ArticleIndex::Plan plan = restarted.PlanScan(listing, true);
  ParsedFile parsed =
      ParseArticleFile("new.txt", files_["new.txt"].text, ParseOptions{}, ParseDepth::kMetadata);
  plan.changes.push_back({FileChange::Kind::kParsed, "new.txt", files_["new.txt"].stamp,
                          std::make_unique<Article>(std::move(*parsed.article))});
  const ArticleIndex::Result r = restarted.Apply(std::move(plan.changes), &problems_);
  ASSERT_EQ(1u, r.touched.size());
  EXPECT_EQ("old", r.touched[0]->id);
  EXPECT_EQ(kDay1, r.touched[0]->article->published);
}

std::string WithSlug(const std::string& slug, const std::string& date,
                     const std::string& body = "Body.") {
  return "---\ntitle: T\nslug: " + slug + "\ndate: " + date + "\n---\n" + body + "\n";
}

TEST_F(ArticleIndexTest, ContestedSlugGoesToTheEarliestOthersGetTheirId) {
  Write("a.md", WithSlug("x", "2026-03-02T00:00:00Z"), kDay1);
  Write("b.md", WithSlug("x", "2026-03-01T00:00:00Z"), kDay1);
  const std::vector<Article> articles = Scan();
  EXPECT_EQ("x", EffectiveSlug(Find(articles, "b.md")));
  EXPECT_EQ("x-a", EffectiveSlug(Find(articles, "a.md")));
  EXPECT_EQ("/articles/x.html", ArticlePageRoute(Find(articles, "b.md"))->path());
  EXPECT_EQ("/articles/x-a.html", ArticlePageRoute(Find(articles, "a.md"))->path());
  ASSERT_EQ(1u, problems_.size());
  EXPECT_EQ(
      "a.md: warning: slug 'x' is already used by b.md; this article's page is "
      "/articles/x-a.html",
      problems_[0].ToString());
}

TEST_F(ArticleIndexTest, ContestedSlugGoesToTheArticleWhoseIdItIs) {
  Write("x.md", "---\ntitle: T\ndate: 2026-03-03T00:00:00Z\n---\nBody.\n", kDay1);
  Write("b.md", WithSlug("x", "2026-03-01T00:00:00Z"), kDay1);
  const std::vector<Article> articles = Scan();
  EXPECT_EQ("x", EffectiveSlug(Find(articles, "x.md")));
  EXPECT_EQ("x-b", EffectiveSlug(Find(articles, "b.md")));
}

TEST_F(ArticleIndexTest, ContestedSlugTieGoesToTheSmallerId) {
  Write("q.md", WithSlug("x", "2026-03-01T00:00:00Z"), kDay1);
  Write("p.md", WithSlug("x", "2026-03-01T00:00:00Z", "Other."), kDay1);
  const std::vector<Article> articles = Scan();
  EXPECT_EQ("x", EffectiveSlug(Find(articles, "p.md")));
  EXPECT_EQ("x-q", EffectiveSlug(Find(articles, "q.md")));
}

TEST_F(ArticleIndexTest, WhenTheOwnerGoesTheNextTakesThePlainSlug) {
  Write("a.md", WithSlug("x", "2026-03-02T00:00:00Z"), kDay1);
  Write("b.md", WithSlug("x", "2026-03-01T00:00:00Z"), kDay1);
  Scan();
  files_.erase("b.md");
  const std::vector<Article> articles = Scan();
  EXPECT_EQ("x", EffectiveSlug(Find(articles, "a.md")));
  EXPECT_TRUE(problems_.empty());
  // Its link moved: the feeds and pages must look at it again.
  const IndexRecord* a = index_.Find("a");
  EXPECT_NE(last_.touched.end(), std::find(last_.touched.begin(), last_.touched.end(), a));

  // Back again: the earliest wins the slug back, and says so.
  Write("b.md", WithSlug("x", "2026-03-01T00:00:00Z"), kDay2);
  const std::vector<Article> again = Scan();
  EXPECT_EQ("x", EffectiveSlug(Find(again, "b.md")));
  EXPECT_EQ("x-a", EffectiveSlug(Find(again, "a.md")));
  EXPECT_EQ(1u, problems_.size());
}

TEST_F(ArticleIndexTest, WhenTheOwnerChangesItsSlugTheNextTakesIt) {
  Write("a.md", WithSlug("x", "2026-03-02T00:00:00Z"), kDay1);
  Write("b.md", WithSlug("x", "2026-03-01T00:00:00Z"), kDay1);
  Scan();
  Write("b.md", WithSlug("y", "2026-03-01T00:00:00Z"), kDay2);
  const std::vector<Article> articles = Scan();
  EXPECT_EQ("x", EffectiveSlug(Find(articles, "a.md")));
  EXPECT_EQ("y", EffectiveSlug(Find(articles, "b.md")));
}

TEST_F(ArticleIndexTest, SuffixedSlugStaysThroughEditsWithoutNewWarnings) {
  Write("a.md", WithSlug("x", "2026-03-02T00:00:00Z"), kDay1);
  Write("b.md", WithSlug("x", "2026-03-01T00:00:00Z"), kDay1);
  Scan();
  Write("a.md", WithSlug("x", "2026-03-02T00:00:00Z", "Edited."), kDay2);
  const std::vector<Article> articles = Scan();
  EXPECT_EQ("x-a", EffectiveSlug(Find(articles, "a.md")));
  EXPECT_TRUE(problems_.empty());
}

TEST_F(ArticleIndexTest, SuffixedSlugIsUniqueAndSafe) {
  // "x-a" is asked for by another article: the suffixed one steps aside.
  Write("a.md", WithSlug("x", "2026-03-02T00:00:00Z"), kDay1);
  Write("b.md", WithSlug("x", "2026-03-01T00:00:00Z"), kDay1);
  Scan();
  Write("c.md", WithSlug("x-a", "2026-03-03T00:00:00Z"), kDay2);
  std::vector<Article> articles = Scan();
  EXPECT_EQ("x-a", EffectiveSlug(Find(articles, "c.md")));
  EXPECT_EQ("x-a-2", EffectiveSlug(Find(articles, "a.md")));
  EXPECT_EQ("x", EffectiveSlug(Find(articles, "b.md")));

  // A path-qualified id is slugified: no new folder, no odd characters.
  Write("w/b.md", WithSlug("x", "2026-03-04T00:00:00Z", "Third."), kDay2);
  articles = Scan();
  EXPECT_EQ("x-w-b", EffectiveSlug(Find(articles, "w/b.md")));
  std::set<std::string> routes;
  for (const Article& a : articles) routes.insert(ArticlePageRoute(a)->path());
  EXPECT_EQ(articles.size(), routes.size());
}

TEST_F(ArticleIndexTest, ContestedSlugIsDecidedAlikeAfterARestart) {
  Write("a.md", WithSlug("x", "2026-03-02T00:00:00Z"), kDay1);
  Write("b.md", WithSlug("x", "2026-03-01T00:00:00Z"), kDay1);
  Scan();
  // The state store keeps no page slug: the restarted index decides again.
  ArticleIndex restarted;
  Listing listing;
  for (const char* id : {"a", "b"}) {
    IndexRecord stored = *index_.Find(id);
    stored.article->page_slug.clear();
    restarted.Restore(stored);
    listing.files.push_back({stored.path, stored.stamp});
  }
  ArticleIndex::Plan plan = restarted.PlanScan(listing, /*reclaim=*/true);
  ASSERT_TRUE(plan.to_read.empty());
  Problems problems;
  restarted.Apply(std::move(plan.changes), &problems);
  EXPECT_EQ("x-a", EffectiveSlug(*restarted.Find("a")->article));
  EXPECT_EQ("x", EffectiveSlug(*restarted.Find("b")->article));
  EXPECT_EQ(1u, problems.size());
}

TEST_F(ArticleIndexTest, DraftsAndOwnLinksDoNotContestASlug) {
  Write("a.md", WithSlug("x", "2026-03-02T00:00:00Z"), kDay1);
  Write("b.md", "---\ntitle: T\nslug: x\ndraft: true\ndate: 2026-03-01T00:00:00Z\n---\nB\n", kDay1);
  Write("c.md",
        "---\ntitle: T\nslug: x\nlink: https://elsewhere.example/c\n"
        "date: 2026-03-01T00:00:00Z\n---\nC\n",
        kDay1);
  const std::vector<Article> articles = Scan();
  EXPECT_EQ("x", EffectiveSlug(Find(articles, "a.md")));
  EXPECT_TRUE(problems_.empty());
}

}  // namespace
}  // namespace feedd
