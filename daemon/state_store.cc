#include "daemon/state_store.h"

#include <sqlite3.h>

namespace feedd {

/// An owned prepared statement.
class StateStore::Statement {
 public:
  Statement(sqlite3* db, const char* sql) {
    rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  bool ok() const { return rc_ == SQLITE_OK; }
  sqlite3_stmt* get() { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_;
};

namespace {

constexpr const char* kSchema = R"sql(
  CREATE TABLE IF NOT EXISTS articles (
    id         TEXT PRIMARY KEY,
    path       TEXT NOT NULL,
    hash       TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    changed    INTEGER NOT NULL,
    last_good  TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS articles_by_path ON articles(path);
  CREATE INDEX IF NOT EXISTS articles_by_hash ON articles(hash);
)sql";

constexpr const char* kColumns = "id, path, hash, first_seen, changed, last_good";

std::string Column(sqlite3_stmt* s, int i) {
  const unsigned char* text = sqlite3_column_text(s, i);
  return text ? reinterpret_cast<const char*>(text) : "";
}

}  // namespace

StateStore::StateStore(const std::filesystem::path& dir) : file_(dir / "state.sqlite3") {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    throw StateStoreError(dir.string() + ": cannot create the state directory: " + ec.message());
  if (sqlite3_open_v2(file_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    Fail("cannot open");
  }
  sqlite3_busy_timeout(db_, 5000);
  Exec("PRAGMA journal_mode=WAL");
  Exec("PRAGMA synchronous=NORMAL");
  Exec(kSchema);
  const std::string select = std::string("SELECT ") + kColumns + " FROM articles WHERE ";
  by_id_ = std::make_unique<Statement>(db_, (select + "id = ?1").c_str());
  by_path_ = std::make_unique<Statement>(db_, (select + "path = ?1 ORDER BY id").c_str());
  by_hash_ = std::make_unique<Statement>(db_, (select + "hash = ?1 ORDER BY id").c_str());
  put_ = std::make_unique<Statement>(db_, (std::string("INSERT OR REPLACE INTO articles (") +
                                           kColumns + ") VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                                              .c_str());
  for (Statement* s : {by_id_.get(), by_path_.get(), by_hash_.get(), put_.get()}) {
    if (!s->ok()) Fail("cannot prepare statements");
  }
}

StateStore::~StateStore() {
  by_id_.reset();
  by_path_.reset();
  by_hash_.reset();
  put_.reset();
  sqlite3_close(db_);
}

void StateStore::Fail(const std::string& what) {
  throw StateStoreError(file_.string() + ": " + what + ": " +
                        (db_ ? sqlite3_errmsg(db_) : "out of memory"));
}

void StateStore::Exec(const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    throw StateStoreError(file_.string() + ": " + message);
  }
}

void StateStore::Begin() { Exec("BEGIN IMMEDIATE"); }
void StateStore::Commit() { Exec("COMMIT"); }

std::vector<LedgerRecord> StateStore::Query(Statement& statement, const std::string& key) {
  sqlite3_stmt* s = statement.get();
  sqlite3_reset(s);
  sqlite3_bind_text(s, 1, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
  std::vector<LedgerRecord> out;
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    LedgerRecord r;
    r.id = Column(s, 0);
    r.path = Column(s, 1);
    r.hash = Column(s, 2);
    r.first_seen = sqlite3_column_int64(s, 3);
    r.changed = sqlite3_column_int64(s, 4);
    r.last_good = Column(s, 5);
    out.push_back(std::move(r));
  }
  if (rc != SQLITE_DONE) Fail("query failed");
  sqlite3_reset(s);
  return out;
}

std::optional<LedgerRecord> StateStore::FindById(const std::string& id) {
  auto rows = Query(*by_id_, id);
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::optional<LedgerRecord> StateStore::FindByPath(const std::string& path) {
  auto rows = Query(*by_path_, path);
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::vector<LedgerRecord> StateStore::FindByHash(const std::string& hash) {
  return Query(*by_hash_, hash);
}

void StateStore::Put(const LedgerRecord& r) {
  sqlite3_stmt* s = put_->get();
  sqlite3_reset(s);
  auto text = [&](int i, const std::string& v) {
    sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  };
  text(1, r.id);
  text(2, r.path);
  text(3, r.hash);
  sqlite3_bind_int64(s, 4, r.first_seen);
  sqlite3_bind_int64(s, 5, r.changed);
  text(6, r.last_good);
  if (sqlite3_step(s) != SQLITE_DONE) Fail("cannot record article '" + r.id + "'");
  sqlite3_reset(s);
}

}  // namespace feedd
