// feeds/identity_ledger.h
//
// What the catalog remembers about every article it has ever seen: its id,
// where it was last seen, when it was first seen, when its content last
// changed, a hash of that content and the last version that parsed. The
// daemon's StateStore (SQLite) implements it; tests use an in-memory fake.

#ifndef FEEDD_FEEDS_IDENTITY_LEDGER_H_
#define FEEDD_FEEDS_IDENTITY_LEDGER_H_

#include <optional>
#include <string>
#include <vector>

#include "feeds/article.h"

namespace feedd {

struct LedgerRecord {
  std::string id;
  std::string path;         ///< where the article was last seen
  std::string hash;         ///< ContentHash() of the last good version
  UnixTime first_seen = 0;  ///< never changes once written
  UnixTime changed = 0;     ///< when the content last changed; 0: never since first seen
  std::string last_good;    ///< ArticleToJson() of the last good version
};

class IdentityLedger {
 public:
  virtual ~IdentityLedger() = default;
  virtual std::optional<LedgerRecord> FindById(const std::string& id) = 0;
  virtual std::optional<LedgerRecord> FindByPath(const std::string& path) = 0;
  virtual std::vector<LedgerRecord> FindByHash(const std::string& hash) = 0;
  /// Inserts or replaces the record with |record.id|.
  virtual void Put(const LedgerRecord& record) = 0;
  /// Brackets a full resolve, so a store can make it one transaction.
  virtual void BeginBatch() {}
  virtual void CommitBatch() {}
};

}  // namespace feedd

#endif  // FEEDD_FEEDS_IDENTITY_LEDGER_H_
