#include "daemon/state_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>

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

  static LedgerRecord Record(const std::string& id, const std::string& path) {
    return {id, path, "hash-" + id, 100, 0, "{}"};
  }

  std::filesystem::path dir_;
};

TEST_F(StateStoreTest, RecordsSurviveReopening) {
  {
    StateStore store(dir_);
    store.Begin();
    store.Put(Record("a", "world/a.txt"));
    store.Commit();
  }
  StateStore store(dir_);
  auto r = store.FindById("a");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ("world/a.txt", r->path);
  EXPECT_EQ(100, r->first_seen);
  EXPECT_EQ("world/a.txt", store.FindByPath("world/a.txt").value().path);
  EXPECT_EQ(1u, store.FindByHash("hash-a").size());
  EXPECT_FALSE(store.FindById("b").has_value());
}

TEST_F(StateStoreTest, PutReplacesTheRecordWithTheSameId) {
  StateStore store(dir_);
  store.Put(Record("a", "x.txt"));
  store.Put(Record("a", "moved/x.txt"));
  EXPECT_EQ("moved/x.txt", store.FindById("a")->path);
  EXPECT_FALSE(store.FindByPath("x.txt").has_value());
}

TEST_F(StateStoreTest, DatabaseIsInWalMode) {
  { StateStore store(dir_); }
  sqlite3* db = nullptr;
  ASSERT_EQ(SQLITE_OK, sqlite3_open((dir_ / "state.sqlite3").c_str(), &db));
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr);
  ASSERT_EQ(SQLITE_ROW, sqlite3_step(stmt));
  EXPECT_STREQ("wal", reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST_F(StateStoreTest, UnwritableDirectoryIsErrorNamingIt) {
  std::filesystem::create_directories(dir_);
  std::filesystem::path blocker = dir_ / "file";
  { std::ofstream(blocker) << "x"; }
  try {
    StateStore store(blocker / "state");
    FAIL() << "expected an error";
  } catch (const StateStoreError& e) {
    EXPECT_NE(std::string::npos, std::string(e.what()).find(blocker.string()));
  }
}

}  // namespace
}  // namespace feedd
