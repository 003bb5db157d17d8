// daemon/state/state_store.h
//
// The state store: what feedd must remember across restarts so that a reader
// never sees a duplicate item or a changed date, and so that a restart reads
// only the files that changed meanwhile. SQLite in WAL mode in the state
// directory (state.sqlite3); a crash loses nothing committed.
//
// It keeps one row per article id ever given out: where the article was
// last seen, when it was first seen and last changed, a hash of its content,
// the stamp of the file version it was read from, and its metadata (title,
// byline, categories, dates...). Never its body. The schema is versioned
// with PRAGMA user_version; a store written by feedd 0.1 (version 0, which
// kept bodies as JSON) is migrated in place on open, keeping every id and
// date.
//
// It also keeps the pings not yet delivered to WebSub hubs and ping
// services (version 3), so a restart or a crash loses none, and what the
// static export wrote into each folder (version 4), so a rerun writes only
// what changed.
//
// Thread safety: one thread at a time per StateStore; two StateStores (two
// connections) on one directory may be used from two threads.

#ifndef FEEDD_DAEMON_STATE_STATE_STORE_H_
#define FEEDD_DAEMON_STATE_STATE_STORE_H_

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "feeds/core/status.h"
#include "feeds/index/article_index.h"
#include "feeds/publish/publication.h"

struct sqlite3;

namespace feedd {

/// A change a hub or ping service has not acknowledged yet.
struct PendingPing {
  std::string endpoint;         ///< the hub's or ping service's URL
  std::string topic;            ///< the changed feed's self URL
  int attempts = 0;             ///< failed so far
  std::int64_t due_ms = 0;      ///< when to try next (Unix ms)
  std::int64_t changed_ms = 0;  ///< when the first unacknowledged change came (Unix ms)
};

/// A file the static export wrote into a folder, as it last wrote it.
struct ExportedFile {
  std::string route;              ///< "/feed.rss"; the file and its .gz
  std::uint64_t fingerprint = 0;  ///< of what the document was made from; 0: not known
  std::uint64_t etag = 0;         ///< a hash of the written document's ETag
  std::string owner;              ///< an image written beside a page: the page's route
};

class StateStore {
 public:
  /// The schema version this feedd writes.
  static constexpr int kSchemaVersion = 4;

  /// Opens, or creates with its directory, |dir|/state.sqlite3, migrating an
  /// older schema. A store error naming the file when it cannot, when the
  /// file is not a feedd store, when a newer feedd wrote it, or when the
  /// store, its -wal or -shm file, or the directory cannot be written.
  static Result<std::unique_ptr<StateStore>> Open(const std::filesystem::path& dir);
  ~StateStore();
  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;

  // Every failure below is a Status::kStoreError naming the file, and a
  // write that fails leaves the store as it was before the call.

  /// How many records LoadAll() will give.
  Result<std::size_t> Count();

  /// Calls |each| with every stored record (absent, article set when the
  /// row has metadata).
  Status LoadAll(const std::function<void(IndexRecord)>& each);

  /// Writes |records| (each replacing the row with its id) in one
  /// transaction: all or nothing.
  Status Save(const std::vector<const IndexRecord*>& records);

  /// What each route served last (its ETag and Last-Modified).
  Result<ServedHistory> LoadServed();
  /// Writes the entries of |history| for |routes| in one transaction.
  Status SaveServed(const ServedHistory& history, const std::vector<std::string>& routes);

  /// Every pending ping.
  Result<std::vector<PendingPing>> LoadPings();
  /// Writes |save| (replacing the row of its endpoint and topic) and deletes
  /// the rows of |done|, in one transaction.
  Status UpdatePings(const std::vector<PendingPing>& save, const std::vector<PendingPing>& done);

  /// What the static export wrote into |folder| (an absolute path).
  Result<std::vector<ExportedFile>> LoadExported(const std::string& folder);
  /// What the static export wrote into |folder| at |route|, if anything.
  Result<std::optional<ExportedFile>> FindExported(const std::string& folder,
                                                   const std::string& route);
  /// Deletes the rows of |removed|, then writes |save| (replacing the rows
  /// of their routes), in one transaction.
  Status UpdateExported(const std::string& folder, const std::vector<ExportedFile>& save,
                        const std::vector<std::string>& removed);
  /// Forgets everything written into |folder|.
  Status ForgetExported(const std::string& folder);

  /// A small named value ("" when unset); SetMeta() commits at once.
  Result<std::string> Meta(const std::string& key);
  Status SetMeta(const std::string& key, const std::string& value);

  const std::filesystem::path& file() const { return file_; }

 private:
  class Statement;
  class Transaction;
  explicit StateStore(std::filesystem::path file) : file_(std::move(file)) {}
  /// Runs |body|; a failed SQLite call inside it unwinds (Fail(), Exec())
  /// to here and becomes the Status. No exception leaves the store.
  template <class Body>
  Status Guard(Body&& body);
  /// Guard() for a |body| that returns the value.
  template <class T, class Body>
  Result<T> GuardValue(Body&& body);
  void OpenDatabase();
  void LoadAllRows(const std::function<void(IndexRecord)>& each);
  void SaveRows(const std::vector<const IndexRecord*>& records);
  void Exec(const char* sql);
  int UserVersion();
  void Migrate(int from);
  [[noreturn]] void Fail(const std::string& what);

  std::filesystem::path file_;
  sqlite3* db_ = nullptr;
};

}  // namespace feedd

#endif  // FEEDD_DAEMON_STATE_STATE_STORE_H_
