#include "daemon/state/state_store.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace feedd {
namespace {

// A failed SQLite call, on its way to the public function's Guard().
class StoreFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace

template <class Body>
Status StateStore::Guard(Body&& body) {
  try {
    body();
    return Status();
  } catch (const StoreFailure& e) {
    return Status::StoreError(e.what());
  }
}

template <class T, class Body>
Result<T> StateStore::GuardValue(Body&& body) {
  T value{};
  Status status = Guard([&] { value = body(); });
  if (!status.ok()) return status;
  return value;
}

/// An owned prepared statement with typed binds and columns.
class StateStore::Statement {
 public:
  Statement(StateStore* store, const char* sql) : store_(store) {
    if (sqlite3_prepare_v2(store->db_, sql, -1, &stmt_, nullptr) != SQLITE_OK) {
      store->Fail("cannot prepare a statement");
    }
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& Bind(int i, const std::string& v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& Bind(int i, std::int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Statement& Bind(int i, const std::optional<UnixTime>& v) {
    if (v) return Bind(i, *v);
    sqlite3_bind_null(stmt_, i);
    return *this;
  }
  /// True while a row is there; throws on error.
  bool Step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) store_->Fail("query failed");
    return false;
  }
  void Run() {
    Step();
    Reset();
  }
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::string Text(int i) const {
    const unsigned char* text = sqlite3_column_text(stmt_, i);
    return text ? std::string(reinterpret_cast<const char*>(text),
                              static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i)))
                : std::string();
  }
  std::int64_t Int(int i) const { return sqlite3_column_int64(stmt_, i); }
  std::optional<UnixTime> OptionalInt(int i) const {
    if (sqlite3_column_type(stmt_, i) == SQLITE_NULL) return std::nullopt;
    return Int(i);
  }

 private:
  StateStore* store_;
  sqlite3_stmt* stmt_ = nullptr;
};

/// BEGIN IMMEDIATE ... COMMIT, rolled back when a failure unwinds it, so a
/// failed write never leaves the store inside a transaction.
class StateStore::Transaction {
 public:
  explicit Transaction(StateStore* store) : store_(store) { store_->Exec("BEGIN IMMEDIATE"); }
  ~Transaction() {
    if (!done_) sqlite3_exec(store_->db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  void Commit() {
    store_->Exec("COMMIT");
    done_ = true;
  }

 private:
  StateStore* store_;
  bool done_ = false;
};

namespace {

// Version 2. Lists (authors, categories, tags) are JSON arrays, which
// SQLite's own JSON functions can read too.
constexpr const char* kSchema = R"sql(
  CREATE TABLE articles (
    id          TEXT PRIMARY KEY,
    path        TEXT NOT NULL,
    hash        INTEGER NOT NULL,   -- content hash; 0 when not known yet
    first_seen  INTEGER NOT NULL,
    changed     INTEGER NOT NULL,   -- 0: never changed since first seen
    size        INTEGER NOT NULL,   -- stamp of the file version read; all 0 once deleted
    mtime_ns    INTEGER NOT NULL,
    inode       INTEGER NOT NULL,
    has_article INTEGER NOT NULL,   -- 0: the columns below are empty
    explicit_id TEXT NOT NULL,
    title       TEXT NOT NULL,
    author_role TEXT NOT NULL,
    image_url   TEXT NOT NULL,
    image_credit TEXT NOT NULL,
    summary     TEXT NOT NULL,      -- a front matter summary only; the lead is read with the body
    language    TEXT NOT NULL,
    slug        TEXT NOT NULL,
    link        TEXT NOT NULL,
    date        INTEGER,
    lastmod     INTEGER,
    draft       INTEGER NOT NULL,
    categories_from_folder INTEGER NOT NULL,  -- 1: categories follow the path
    authors     TEXT NOT NULL,      -- JSON arrays of strings
    categories  TEXT NOT NULL,
    tags        TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE documents (          -- what each route served last
    route         TEXT PRIMARY KEY,
    etag          TEXT NOT NULL,
    last_modified INTEGER NOT NULL
  ) WITHOUT ROWID;
)sql";

// Version 3 adds the pings not yet delivered.
constexpr const char* kPingsSchema = R"sql(
  CREATE TABLE pings (
    endpoint   TEXT NOT NULL,      -- hub or ping service URL
    topic      TEXT NOT NULL,      -- the changed feed's self URL
    attempts   INTEGER NOT NULL,
    due_ms     INTEGER NOT NULL,
    changed_ms INTEGER NOT NULL,
    PRIMARY KEY (endpoint, topic)
  ) WITHOUT ROWID;
)sql";

// Version 4 adds what the static export wrote.
constexpr const char* kExportedSchema = R"sql(
  CREATE TABLE exported (
    folder      TEXT NOT NULL,     -- the output folder, absolute
    route       TEXT NOT NULL,
    fingerprint INTEGER NOT NULL,  -- of what the document was made from; 0: not known
    etag        INTEGER NOT NULL,  -- a hash of the written document's ETag
    owner       TEXT NOT NULL,     -- an image beside a page: the page's route; else ''
    PRIMARY KEY (folder, route)
  ) WITHOUT ROWID;
)sql";

constexpr const char* kColumns =
    "id, path, hash, first_seen, changed, size, mtime_ns, inode, has_article, explicit_id, "
    "title, author_role, image_url, image_credit, summary, language, slug, link, date, lastmod, "
    "draft, categories_from_folder, authors, categories, tags";

std::string ListToJson(const std::vector<std::string>& list) {
  if (list.empty()) return "[]";
  return nlohmann::json(list).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<std::string> ListFromJson(const std::string& text) {
  if (text.empty() || text == "[]") return {};
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  std::vector<std::string> out;
  if (!j.is_array()) return out;
  for (const auto& v : j) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

// The folder a path's categories come from: "world/x.txt" -> "world".
std::vector<std::string> FolderCategories(const std::string& path) {
  const std::size_t slash = path.find('/');
  if (slash == std::string::npos) return {};
  return {path.substr(0, slash)};
}

// A store file of 0 bytes with no write-ahead log beside it holding its
// pages was truncated (a full disk, a bad copy, a damaged file system):
// SQLite would take it for a new store, and every article would be
// re-dated. A missing file is a new store.
Status RefuseTruncated(const std::filesystem::path& file) {
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(file, ec);
  if (ec || size > 0) return Status();
  std::filesystem::path wal = file;
  wal += "-wal";
  const std::uintmax_t wal_size = std::filesystem::file_size(wal, ec);
  if (!ec && wal_size > 0) return Status();
  return Status::StoreError(
      file.string() +
      ": the state store is empty (0 bytes), so it was truncated; feedd does not start over on "
      "its own, as that would re-date every article: restore it from a backup, or remove it to "
      "start over with file times as dates");
}

// SQLite writes the store, its write-ahead log (-wal) and the shared index
// (-shm), which it maps into memory, and creates the last two beside the
// store. One that feedd cannot write (left by a run as another user, say)
// would fail every write later with "attempt to write a readonly
// database", which names none of them; so it is refused here, by name.
Status RefuseUnwritable(const std::filesystem::path& dir, const std::filesystem::path& file) {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::path path = file;
    path += suffix;
    const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC | O_NOCTTY);
    if (fd >= 0) {
      ::close(fd);
      continue;
    }
    if (errno == ENOENT) continue;
    return Status::StoreError(path.string() + ": cannot be written (" + std::strerror(errno) +
                              "); feedd must be able to write the state store and the -wal and "
                              "-shm files beside it: give them to feedd's user");
  }
  if (::faccessat(AT_FDCWD, dir.c_str(), W_OK | X_OK, AT_EACCESS) != 0) {
    return Status::StoreError(dir.string() + ": cannot create files in the state directory (" +
                              std::strerror(errno) + "); SQLite makes the -wal and -shm files " +
                              "there");
  }
  return Status();
}

}  // namespace

Result<std::unique_ptr<StateStore>> StateStore::Open(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return Status::StoreError(dir.string() +
                              ": cannot create the state directory: " + ec.message());
  }
  const std::filesystem::path file = dir / "state.sqlite3";
  if (Status truncated = RefuseTruncated(file); !truncated.ok()) return truncated;
  if (Status unwritable = RefuseUnwritable(dir, file); !unwritable.ok()) return unwritable;
  std::unique_ptr<StateStore> store(new StateStore(file));
  Status opened = store->Guard([&] { store->OpenDatabase(); });
  if (!opened.ok()) return opened;
  return store;
}

void StateStore::OpenDatabase() {
  if (sqlite3_open_v2(file_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    Fail("cannot open");
  }
  sqlite3_busy_timeout(db_, 5000);
  Exec("PRAGMA journal_mode=WAL");
  Exec("PRAGMA synchronous=NORMAL");
  // A first scan writes every row in one transaction: let it stay in memory.
  Exec("PRAGMA cache_size=-65536");
  const int version = UserVersion();
  if (version > kSchemaVersion) {
    throw StoreFailure(file_.string() + ": written by a newer feedd (schema version " +
                       std::to_string(version) + ", this one knows " +
                       std::to_string(kSchemaVersion) + "); upgrade feedd");
  }
  if (version < kSchemaVersion) Migrate(version);
}

StateStore::~StateStore() { sqlite3_close(db_); }

namespace {

// What to do about a store SQLite calls damaged. feedd never starts over on
// its own: a new store would give every article a new date.
std::string Advice(int code) {
  const int primary = code & 0xFF;
  if (primary != SQLITE_CORRUPT && primary != SQLITE_NOTADB) return "";
  return " (the state store is damaged; feedd does not start over on its own, as that would "
         "re-date every article: restore it from a backup, or move it aside to start over with "
         "file times as dates)";
}

}  // namespace

void StateStore::Fail(const std::string& what) {
  throw StoreFailure(file_.string() + ": " + what + ": " +
                     (db_ ? sqlite3_errmsg(db_) + Advice(sqlite3_extended_errcode(db_))
                          : std::string("out of memory")));
}

void StateStore::Exec(const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    throw StoreFailure(file_.string() + ": " + message + Advice(sqlite3_extended_errcode(db_)));
  }
}

int StateStore::UserVersion() {
  Statement s(this, "PRAGMA user_version");
  return s.Step() ? static_cast<int>(s.Int(0)) : 0;
}

void StateStore::Migrate(int from) {
  Transaction t(this);
  bool v1_table = false;
  {
    Statement s(this, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'articles'");
    v1_table = s.Step();
  }
  if (from == 0 && v1_table) {
    // feedd 0.1: articles(id, path, hash, first_seen, changed, last_good)
    // with every body as JSON. Ids, paths and dates move over; the hash
    // format changed, so it is stored as unknown and the first read of each
    // file adopts the new one without counting it as a change.
    Exec("ALTER TABLE articles RENAME TO articles_v1");
    Exec(kSchema);
    Exec(
        "INSERT INTO articles (id, path, hash, first_seen, changed, size, mtime_ns, inode, "
        "has_article, explicit_id, title, author_role, image_url, image_credit, summary, "
        "language, slug, link, date, lastmod, draft, categories_from_folder, authors, "
        "categories, tags) "
        "SELECT id, path, 0, first_seen, changed, 0, 0, 0, 0, '', '', '', '', '', '', '', '', '', "
        "NULL, NULL, 0, 0, '[]', '[]', '[]' FROM articles_v1");
    Exec("DROP TABLE articles_v1");
  } else if (from < 2) {
    Exec(kSchema);
  }
  if (from < 3) Exec(kPingsSchema);
  if (from < 4) Exec(kExportedSchema);
  Exec(("PRAGMA user_version = " + std::to_string(kSchemaVersion)).c_str());
  t.Commit();
  if (from == 0 && v1_table) Exec("VACUUM");  // the bodies took most of the file
}

Result<std::size_t> StateStore::Count() {
  return GuardValue<std::size_t>([&] {
    Statement s(this, "SELECT count(*) FROM articles");
    return s.Step() ? static_cast<std::size_t>(s.Int(0)) : 0;
  });
}

Status StateStore::LoadAll(const std::function<void(IndexRecord)>& each) {
  return Guard([&] { LoadAllRows(each); });
}

void StateStore::LoadAllRows(const std::function<void(IndexRecord)>& each) {
  Statement rows(this, (std::string("SELECT ") + kColumns + " FROM articles").c_str());
  while (rows.Step()) {
    IndexRecord r;
    r.id = rows.Text(0);
    r.path = rows.Text(1);
    r.hash = static_cast<std::uint64_t>(rows.Int(2));
    r.first_seen = rows.Int(3);
    r.changed = rows.Int(4);
    r.stamp = {static_cast<std::uint64_t>(rows.Int(5)), rows.Int(6),
               static_cast<std::uint64_t>(rows.Int(7))};
    if (rows.Int(8) != 0) {
      Article& a = r.article.emplace();
      a.id = r.id;
      a.explicit_id = rows.Text(9);
      a.title = rows.Text(10);
      a.author_role = rows.Text(11);
      a.image_url = rows.Text(12);
      a.image_credit = rows.Text(13);
      a.summary = rows.Text(14);
      a.summary_from_front_matter = !a.summary.empty();
      a.language = rows.Text(15);
      a.slug = rows.Text(16);
      a.link = rows.Text(17);
      a.date = rows.OptionalInt(18);
      a.lastmod = rows.OptionalInt(19);
      a.draft = rows.Int(20) != 0;
      a.categories_from_folder = rows.Int(21) != 0;
      a.authors = ListFromJson(rows.Text(22));
      a.categories =
          a.categories_from_folder ? FolderCategories(r.path) : ListFromJson(rows.Text(23));
      a.tags = ListFromJson(rows.Text(24));
      a.published = a.date.value_or(r.first_seen);
      a.updated = a.lastmod.value_or(std::max(r.changed, a.published));
    }
    each(std::move(r));
  }
}

Status StateStore::Save(const std::vector<const IndexRecord*>& unsorted) {
  if (unsorted.empty()) return Status();
  return Guard([&] { SaveRows(unsorted); });
}

void StateStore::SaveRows(const std::vector<const IndexRecord*>& unsorted) {
  // In key order, the table's B-tree grows at its end.
  std::vector<const IndexRecord*> records = unsorted;
  std::sort(records.begin(), records.end(),
            [](const IndexRecord* a, const IndexRecord* b) { return a->id < b->id; });
  Transaction t(this);
  Statement put(this, (std::string("INSERT OR REPLACE INTO articles (") + kColumns +
                       ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
                       "?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)")
                          .c_str());
  for (const IndexRecord* r : records) {
    put.Bind(1, r->id).Bind(2, r->path).Bind(3, static_cast<std::int64_t>(r->hash));
    put.Bind(4, r->first_seen).Bind(5, r->changed);
    put.Bind(6, static_cast<std::int64_t>(r->stamp.size)).Bind(7, r->stamp.mtime_ns);
    put.Bind(8, static_cast<std::int64_t>(r->stamp.inode));
    const Article empty;
    const Article& a = r->article ? *r->article : empty;
    put.Bind(9, static_cast<std::int64_t>(r->article.has_value()));
    put.Bind(10, a.explicit_id).Bind(11, a.title).Bind(12, a.author_role).Bind(13, a.image_url);
    put.Bind(14, a.image_credit);
    put.Bind(15, a.summary_from_front_matter ? a.summary : std::string());
    put.Bind(16, a.language).Bind(17, a.slug).Bind(18, a.link).Bind(19, a.date);
    put.Bind(20, a.lastmod).Bind(21, static_cast<std::int64_t>(a.draft));
    put.Bind(22, static_cast<std::int64_t>(a.categories_from_folder));
    put.Bind(23, ListToJson(a.authors));
    put.Bind(24, a.categories_from_folder ? std::string("[]") : ListToJson(a.categories));
    put.Bind(25, ListToJson(a.tags));
    put.Run();
  }
  t.Commit();
}

Result<ServedHistory> StateStore::LoadServed() {
  return GuardValue<ServedHistory>([&] {
    ServedHistory history;
    Statement s(this, "SELECT route, etag, last_modified FROM documents");
    while (s.Step()) history[s.Text(0)] = {s.Text(1), s.Int(2)};
    return history;
  });
}

Status StateStore::SaveServed(const ServedHistory& history,
                              const std::vector<std::string>& routes) {
  if (routes.empty()) return Status();
  return Guard([&] {
    Transaction t(this);
    Statement put(
        this, "INSERT OR REPLACE INTO documents (route, etag, last_modified) VALUES (?1, ?2, ?3)");
    for (const std::string& route : routes) {
      auto it = history.find(route);
      if (it == history.end()) continue;
      put.Bind(1, route).Bind(2, it->second.etag).Bind(3, it->second.last_modified).Run();
    }
    t.Commit();
  });
}

Result<std::vector<PendingPing>> StateStore::LoadPings() {
  return GuardValue<std::vector<PendingPing>>([&] {
    std::vector<PendingPing> pings;
    Statement s(this, "SELECT endpoint, topic, attempts, due_ms, changed_ms FROM pings");
    while (s.Step()) {
      pings.push_back({s.Text(0), s.Text(1), static_cast<int>(s.Int(2)), s.Int(3), s.Int(4)});
    }
    return pings;
  });
}

Status StateStore::UpdatePings(const std::vector<PendingPing>& save,
                               const std::vector<PendingPing>& done) {
  if (save.empty() && done.empty()) return Status();
  return Guard([&] {
    Transaction t(this);
    Statement put(this,
                  "INSERT OR REPLACE INTO pings (endpoint, topic, attempts, due_ms, changed_ms) "
                  "VALUES (?1, ?2, ?3, ?4, ?5)");
    for (const PendingPing& p : save) {
      put.Bind(1, p.endpoint).Bind(2, p.topic).Bind(3, static_cast<std::int64_t>(p.attempts));
      put.Bind(4, p.due_ms).Bind(5, p.changed_ms).Run();
    }
    Statement drop(this, "DELETE FROM pings WHERE endpoint = ?1 AND topic = ?2");
    for (const PendingPing& p : done) drop.Bind(1, p.endpoint).Bind(2, p.topic).Run();
    t.Commit();
  });
}

Result<std::vector<ExportedFile>> StateStore::LoadExported(const std::string& folder) {
  return GuardValue<std::vector<ExportedFile>>([&] {
    std::vector<ExportedFile> files;
    Statement s(this, "SELECT route, fingerprint, etag, owner FROM exported WHERE folder = ?1");
    s.Bind(1, folder);
    while (s.Step()) {
      files.push_back({s.Text(0), static_cast<std::uint64_t>(s.Int(1)),
                       static_cast<std::uint64_t>(s.Int(2)), s.Text(3)});
    }
    return files;
  });
}

Result<std::optional<ExportedFile>> StateStore::FindExported(const std::string& folder,
                                                             const std::string& route) {
  return GuardValue<std::optional<ExportedFile>>([&]() -> std::optional<ExportedFile> {
    Statement s(this,
                "SELECT fingerprint, etag, owner FROM exported WHERE folder = ?1 AND route = ?2");
    s.Bind(1, folder).Bind(2, route);
    if (!s.Step()) return std::nullopt;
    return ExportedFile{route, static_cast<std::uint64_t>(s.Int(0)),
                        static_cast<std::uint64_t>(s.Int(1)), s.Text(2)};
  });
}

Status StateStore::UpdateExported(const std::string& folder, const std::vector<ExportedFile>& save,
                                  const std::vector<std::string>& removed) {
  if (save.empty() && removed.empty()) return Status();
  return Guard([&] {
    Transaction t(this);
    // Deletions first: a route in both lists was written again.
    Statement drop(this, "DELETE FROM exported WHERE folder = ?1 AND route = ?2");
    for (const std::string& route : removed) drop.Bind(1, folder).Bind(2, route).Run();
    Statement put(this,
                  "INSERT OR REPLACE INTO exported (folder, route, fingerprint, etag, owner) "
                  "VALUES (?1, ?2, ?3, ?4, ?5)");
    for (const ExportedFile& f : save) {
      put.Bind(1, folder).Bind(2, f.route).Bind(3, static_cast<std::int64_t>(f.fingerprint));
      put.Bind(4, static_cast<std::int64_t>(f.etag)).Bind(5, f.owner).Run();
    }
    t.Commit();
  });
}

Status StateStore::ForgetExported(const std::string& folder) {
  return Guard([&] {
    Statement s(this, "DELETE FROM exported WHERE folder = ?1");
    s.Bind(1, folder).Run();
  });
}

Result<std::string> StateStore::Meta(const std::string& key) {
  return GuardValue<std::string>([&] {
    Statement s(this, "SELECT value FROM meta WHERE key = ?1");
    s.Bind(1, key);
    return s.Step() ? s.Text(0) : std::string();
  });
}

Status StateStore::SetMeta(const std::string& key, const std::string& value) {
  return Guard([&] {
    Statement s(this, "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)");
    s.Bind(1, key).Bind(2, value).Run();
  });
}

}  // namespace feedd
