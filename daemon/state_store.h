// daemon/state_store.h
//
// The state store: what feedd must remember across restarts so that a reader
// never sees a duplicate item or a changed date. SQLite in WAL mode in the
// state directory (state.sqlite3); a crash loses nothing committed.
//
// Thread safety: one thread at a time.

#ifndef FEEDD_DAEMON_STATE_STORE_H_
#define FEEDD_DAEMON_STATE_STORE_H_

#include <filesystem>
#include <memory>
#include <stdexcept>

#include "feeds/identity_ledger.h"

struct sqlite3;
struct sqlite3_stmt;

namespace feedd {

class StateStoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class StateStore : public IdentityLedger {
 public:
  /// Opens, or creates with its directory, |dir|/state.sqlite3.
  /// Throws StateStoreError naming the file when it cannot.
  explicit StateStore(const std::filesystem::path& dir);
  ~StateStore() override;
  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;

  std::optional<LedgerRecord> FindById(const std::string& id) override;
  std::optional<LedgerRecord> FindByPath(const std::string& path) override;
  std::vector<LedgerRecord> FindByHash(const std::string& hash) override;
  void Put(const LedgerRecord& record) override;
  void BeginBatch() override { Begin(); }
  void CommitBatch() override { Commit(); }

  /// Groups writes into one transaction (much faster for a full scan).
  /// Throws StateStoreError on failure.
  void Begin();
  void Commit();

 private:
  class Statement;
  void Exec(const char* sql);
  std::vector<LedgerRecord> Query(Statement& statement, const std::string& key);
  [[noreturn]] void Fail(const std::string& what);

  std::filesystem::path file_;
  sqlite3* db_ = nullptr;
  std::unique_ptr<Statement> by_id_, by_path_, by_hash_, put_;
};

}  // namespace feedd

#endif  // FEEDD_DAEMON_STATE_STORE_H_
