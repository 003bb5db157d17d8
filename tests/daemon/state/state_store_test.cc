#include "daemon/state/state_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

namespace feedd {
namespace {

class StateStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("feedd-state-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static IndexRecord Record(const std::string& id, const std::string& path) {
    IndexRecord r;
    r.id = id;
    r.path = path;
    r.hash = 0x8000000000000123ULL;  // the top bit set: stored as a negative integer
    r.first_seen = 100;
    r.changed = 200;
    r.stamp = {4096, 1772323200123456789LL, 77};
    Article& a = r.article.emplace();
    a.title = "Title of " + id;
    a.authors = {"Ann Lee", "Bo \"Quote\" Chen"};
    a.author_role = "Reporter";
    a.categories = {"World"};
    a.tags = {"ports", "ferries"};
    a.date = 150;
    a.draft = false;
    return r;
  }

  std::map<std::string, IndexRecord> LoadAll(StateStore& store) {
    std::map<std::string, IndexRecord> out;
    Ok(store.LoadAll([&](IndexRecord r) { out[r.id] = std::move(r); }));
    return out;
  }

  // The store at |dir|, which must open.
  static std::unique_ptr<StateStore> Open(const std::filesystem::path& dir) {
    Result<std::unique_ptr<StateStore>> store = StateStore::Open(dir);
    EXPECT_TRUE(store.ok()) << store.status().message();
    return store.ok() ? std::move(*store) : nullptr;
  }
  // The error opening the store at |dir| (ok: it opened).
  static Status OpenError(const std::filesystem::path& dir) {
    return StateStore::Open(dir).status();
  }
  static void Ok(const Status& status) { EXPECT_TRUE(status.ok()) << status.message(); }

  // Runs |sql| on the file directly, as another tool (or an old feedd) would.
  void Sql(const std::string& sql) {
    std::filesystem::create_directories(dir_);
    sqlite3* db = nullptr;
    ASSERT_EQ(SQLITE_OK, sqlite3_open((dir_ / "state.sqlite3").c_str(), &db));
    char* error = nullptr;
    EXPECT_EQ(SQLITE_OK, sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error))
        << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
  }

  std::filesystem::path dir_;
};

TEST_F(StateStoreTest, RecordsSurviveReopeningWithEveryField) {
  const IndexRecord saved = Record("a", "world/a.txt");
  {
    const auto owned = Open(dir_);
    StateStore& store = *owned;
    Ok(store.Save({&saved}));
  }
  const auto owned = Open(dir_);
  StateStore& store = *owned;
  EXPECT_EQ(1u, *store.Count());
  const auto records = LoadAll(store);
  ASSERT_EQ(1u, records.size());
  const IndexRecord& r = records.at("a");
  EXPECT_EQ("world/a.txt", r.path);
  EXPECT_EQ(saved.hash, r.hash);
  EXPECT_EQ(100, r.first_seen);
  EXPECT_EQ(200, r.changed);
  EXPECT_EQ(saved.stamp, r.stamp);
  EXPECT_FALSE(r.present);
  ASSERT_TRUE(r.article.has_value());
  EXPECT_EQ("Title of a", r.article->title);
  EXPECT_EQ(saved.article->authors, r.article->authors);
  EXPECT_EQ("Reporter", r.article->author_role);
  EXPECT_EQ(saved.article->categories, r.article->categories);
  EXPECT_EQ(saved.article->tags, r.article->tags);
  EXPECT_EQ(150, r.article->date.value_or(0));
  EXPECT_FALSE(r.article->lastmod.has_value());
  EXPECT_EQ(150, r.article->published);
  EXPECT_EQ(200, r.article->updated);
}

TEST_F(StateStoreTest, FolderCategoriesFollowThePathNotTheRow) {
  IndexRecord r = Record("a", "sport/a.txt");
  r.article->categories = {"sport"};
  r.article->categories_from_folder = true;
  const auto owned = Open(dir_);
  StateStore& store = *owned;
  Ok(store.Save({&r}));
  r.path = "world/a.txt";  // moved: the stored path decides
  Ok(store.Save({&r}));
  EXPECT_EQ(std::vector<std::string>{"world"}, LoadAll(store).at("a").article->categories);
}

TEST_F(StateStoreTest, SaveReplacesTheRecordWithTheSameId) {
  const auto owned = Open(dir_);
  StateStore& store = *owned;
  IndexRecord r = Record("a", "x.txt");
  Ok(store.Save({&r}));
  r.path = "moved/x.txt";
  r.article.reset();  // deleted: only identity and dates remain
  Ok(store.Save({&r}));
  const auto records = LoadAll(store);
  ASSERT_EQ(1u, records.size());
  EXPECT_EQ("moved/x.txt", records.at("a").path);
  EXPECT_FALSE(records.at("a").article.has_value());
}

TEST_F(StateStoreTest, MetaValuesPersist) {
  {
    const auto owned = Open(dir_);
    StateStore& store = *owned;
    EXPECT_EQ("", *store.Meta("k"));
    Ok(store.SetMeta("k", "v1"));
  }
  const auto owned = Open(dir_);
  StateStore& store = *owned;
  EXPECT_EQ("v1", *store.Meta("k"));
}

TEST_F(StateStoreTest, VersionOneStoreIsMigratedKeepingIdsAndDates) {
  // The schema feedd 0.1 wrote, bodies and all.
  Sql("CREATE TABLE articles (id TEXT PRIMARY KEY, path TEXT NOT NULL, hash TEXT NOT NULL, "
      "first_seen INTEGER NOT NULL, changed INTEGER NOT NULL, last_good TEXT NOT NULL);"
      "CREATE INDEX articles_by_path ON articles(path);"
      "INSERT INTO articles VALUES ('x', 'world/x.txt', '0123456789abcdef', 1000, 2000, "
      "'{\"title\":\"X\",\"content_html\":\"<p>long body</p>\"}');"
      "INSERT INTO articles VALUES ('world/y', 'world/y.txt', 'fedcba9876543210', 1500, 0, '{}');");
  const auto owned = Open(dir_);
  StateStore& store = *owned;
  const auto records = LoadAll(store);
  ASSERT_EQ(2u, records.size());
  EXPECT_EQ("world/x.txt", records.at("x").path);
  EXPECT_EQ(1000, records.at("x").first_seen);
  EXPECT_EQ(2000, records.at("x").changed);
  EXPECT_EQ(0u, records.at("x").hash);  // unknown: adopted at the first read
  EXPECT_TRUE(records.at("x").stamp.empty());
  EXPECT_EQ(1500, records.at("world/y").first_seen);
}

TEST_F(StateStoreTest, PendingPingsAreKeptReplacedAndDeleted) {
  {
    const auto owned = Open(dir_);
    StateStore& store = *owned;
    Ok(store.UpdatePings({{"https://hub.example/", "https://e.org/feed.rss", 0, 10, 5},
                          {"https://hub.example/", "https://e.org/feed.atom", 2, 20, 6}},
                         {}));
  }
  const auto owned = Open(dir_);
  StateStore& store = *owned;  // a restart
  std::vector<PendingPing> pings = *store.LoadPings();
  ASSERT_EQ(2u, pings.size());
  std::sort(pings.begin(), pings.end(),
            [](const PendingPing& a, const PendingPing& b) { return a.topic < b.topic; });
  EXPECT_EQ("https://e.org/feed.atom", pings[0].topic);
  EXPECT_EQ(2, pings[0].attempts);
  EXPECT_EQ(20, pings[0].due_ms);
  EXPECT_EQ(6, pings[0].changed_ms);
  Ok(store.UpdatePings({{"https://hub.example/", "https://e.org/feed.rss", 3, 99, 5}}, {pings[0]}));
  pings = *store.LoadPings();
  ASSERT_EQ(1u, pings.size());
  EXPECT_EQ(3, pings[0].attempts);
  EXPECT_EQ(99, pings[0].due_ms);
}

TEST_F(StateStoreTest, AVersion2StoreGainsThePingsTableAndKeepsItsRows) {
  {
    const auto owned = Open(dir_);
    StateStore& store = *owned;
    const IndexRecord a = Record("a", "a.txt");
    Ok(store.Save({&a}));
  }
  Sql("DROP TABLE pings; DROP TABLE exported; PRAGMA user_version = 2;");
  const auto owned = Open(dir_);
  StateStore& store = *owned;
  EXPECT_EQ(1u, LoadAll(store).size());
  EXPECT_TRUE(store.LoadPings()->empty());
  Ok(store.UpdatePings({{"https://hub.example/", "https://e.org/feed.rss", 0, 1, 1}}, {}));
  EXPECT_EQ(1u, store.LoadPings()->size());
}

TEST_F(StateStoreTest, AVersion3StoreGainsTheExportTableAndKeepsItsRows) {
  {
    const auto owned = Open(dir_);
    const IndexRecord a = Record("a", "a.txt");
    Ok(owned->Save({&a}));
    Ok(owned->UpdatePings({{"https://hub.example/", "https://e.org/feed.rss", 0, 1, 1}}, {}));
  }
  Sql("DROP TABLE exported; PRAGMA user_version = 3;");
  const auto owned = Open(dir_);
  StateStore& store = *owned;
  EXPECT_EQ(1u, LoadAll(store).size());
  EXPECT_EQ(1u, store.LoadPings()->size());
  EXPECT_TRUE(store.LoadExported("/srv/www")->empty());
  Ok(store.UpdateExported("/srv/www", {{"/feed.rss", 1, 2, ""}, {"/a.png", 3, 4, "/a.html"}}, {}));
  Ok(store.UpdateExported("/srv/other", {{"/feed.rss", 5, 6, ""}}, {}));
  Ok(store.UpdateExported("/srv/www", {}, {"/feed.rss"}));
  const std::vector<ExportedFile> www = *store.LoadExported("/srv/www");
  ASSERT_EQ(1u, www.size());
  EXPECT_EQ("/a.png", www[0].route);
  EXPECT_EQ("/a.html", www[0].owner);
  EXPECT_EQ(4u, (*store.FindExported("/srv/www", "/a.png"))->etag);
  EXPECT_FALSE(store.FindExported("/srv/www", "/feed.rss")->has_value());
  EXPECT_EQ(5u, (*store.FindExported("/srv/other", "/feed.rss"))->fingerprint);
  Ok(store.ForgetExported("/srv/www"));
  EXPECT_TRUE(store.LoadExported("/srv/www")->empty());
  EXPECT_EQ(1u, store.LoadExported("/srv/other")->size());
}

TEST_F(StateStoreTest, StoreFromANewerFeeddIsRefused) {
  Sql("PRAGMA user_version = 99;");
  const Status error = OpenError(dir_);
  EXPECT_EQ(Status::Code::kStoreError, error.code());
  EXPECT_NE(std::string::npos, error.message().find("newer feedd")) << error.message();
}

TEST_F(StateStoreTest, AFailedSaveChangesNothingAndLeavesNoTransactionOpen) {
  {
    const auto owned = Open(dir_);
    StateStore& store = *owned;
    const IndexRecord a = Record("a", "a.txt");
    Ok(store.Save({&a}));
  }
  // A trigger makes writing "b" fail halfway through a save.
  Sql("CREATE TRIGGER refuse BEFORE INSERT ON articles WHEN NEW.id = 'b' "
      "BEGIN SELECT RAISE(ABORT, 'injected failure'); END;");
  const auto owned = Open(dir_);
  StateStore& store = *owned;
  IndexRecord a = Record("a", "moved/a.txt");
  const IndexRecord b = Record("b", "b.txt");
  EXPECT_EQ(Status::Code::kStoreError, store.Save({&a, &b}).code());
  EXPECT_EQ("a.txt", LoadAll(store).at("a").path);  // all or nothing
  Sql("DROP TRIGGER refuse;");
  Ok(store.Save({&a, &b}));  // and nothing was left half done
  const auto records = LoadAll(store);
  EXPECT_EQ(2u, records.size());
  EXPECT_EQ("moved/a.txt", records.at("a").path);
}

TEST_F(StateStoreTest, ADamagedStoreIsReportedNeverReplaced) {
  std::filesystem::create_directories(dir_);
  { std::ofstream(dir_ / "state.sqlite3") << std::string(8192, 'x'); }
  {
    const std::string what = OpenError(dir_).message();
    EXPECT_NE(std::string::npos, what.find((dir_ / "state.sqlite3").string())) << what;
    EXPECT_NE(std::string::npos, what.find("re-date every article")) << what;
  }
  // The damaged file is left for the operator, not overwritten.
  std::ifstream in(dir_ / "state.sqlite3");
  std::string first(4, '\0');
  in.read(first.data(), 4);
  EXPECT_EQ("xxxx", first);
}

TEST_F(StateStoreTest, AZeroByteStoreIsRefusedNotTakenForANewOne) {
  { ASSERT_TRUE(Open(dir_)->SetMeta("k", "v").ok()); }
  std::filesystem::resize_file(dir_ / "state.sqlite3", 0);
  std::filesystem::remove(dir_ / "state.sqlite3-wal");
  const Status error = OpenError(dir_);
  EXPECT_FALSE(error.ok());
  EXPECT_NE(std::string::npos, error.message().find((dir_ / "state.sqlite3").string()))
      << error.message();
  EXPECT_NE(std::string::npos, error.message().find("0 bytes")) << error.message();
  EXPECT_EQ(0u, std::filesystem::file_size(dir_ / "state.sqlite3"));
  // Removed, it is a new store.
  std::filesystem::remove(dir_ / "state.sqlite3");
  EXPECT_TRUE(StateStore::Open(dir_).ok());
}

TEST_F(StateStoreTest, DatabaseIsInWalMode) {
  { Open(dir_); }
  sqlite3* db = nullptr;
  ASSERT_EQ(SQLITE_OK, sqlite3_open((dir_ / "state.sqlite3").c_str(), &db));
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr);
  ASSERT_EQ(SQLITE_ROW, sqlite3_step(stmt));
  EXPECT_STREQ("wal", reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST_F(StateStoreTest, AnShmFileThatCannotBeWrittenIsRefusedNamingIt) {
  // SQLite maps the -shm file into memory; one it cannot write (here, not
  // a file at all) must be a clear error naming it, not a failure later.
  { ASSERT_TRUE(Open(dir_)->SetMeta("k", "v").ok()); }
  std::filesystem::create_directory(dir_ / "state.sqlite3-shm");
  const Status error = OpenError(dir_);
  EXPECT_FALSE(error.ok());
  EXPECT_NE(std::string::npos, error.message().find((dir_ / "state.sqlite3-shm").string()))
      << error.message();
  EXPECT_NE(std::string::npos, error.message().find("cannot be written")) << error.message();
}

TEST_F(StateStoreTest, UnwritableDirectoryIsErrorNamingIt) {
  std::filesystem::create_directories(dir_);
  std::filesystem::path blocker = dir_ / "file";
  { std::ofstream(blocker) << "x"; }
  const Status error = OpenError(blocker / "state");
  EXPECT_FALSE(error.ok());
  EXPECT_NE(std::string::npos, error.message().find(blocker.string())) << error.message();
}

}  // namespace
}  // namespace feedd
