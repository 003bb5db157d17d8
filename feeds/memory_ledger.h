// feeds/memory_ledger.h
//
// An IdentityLedger that lives in memory and forgets everything at exit.
// `feedd check` uses it to find id conflicts without touching the state
// store; tests use it as the ledger fake.

#ifndef FEEDD_FEEDS_MEMORY_LEDGER_H_
#define FEEDD_FEEDS_MEMORY_LEDGER_H_

#include <map>

#include "feeds/identity_ledger.h"

namespace feedd {

class MemoryLedger : public IdentityLedger {
 public:
  std::optional<LedgerRecord> FindById(const std::string& id) override {
    auto it = records_.find(id);
    if (it == records_.end()) return std::nullopt;
    return it->second;
  }
  std::optional<LedgerRecord> FindByPath(const std::string& path) override {
    for (const auto& [id, r] : records_) {
      if (r.path == path) return r;
    }
    return std::nullopt;
  }
  std::vector<LedgerRecord> FindByHash(const std::string& hash) override {
    std::vector<LedgerRecord> out;
    for (const auto& [id, r] : records_) {
      if (r.hash == hash) out.push_back(r);
    }
    return out;
  }
  void Put(const LedgerRecord& record) override { records_[record.id] = record; }

 private:
  std::map<std::string, LedgerRecord> records_;  // by id
};

}  // namespace feedd

#endif  // FEEDD_FEEDS_MEMORY_LEDGER_H_
