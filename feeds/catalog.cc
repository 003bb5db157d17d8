#include "feeds/catalog.h"

#include <algorithm>
#include <set>
#include <unordered_set>

#include "feeds/article_json.h"

namespace feedd {

std::string PathQualifiedId(const std::string& rel_path) {
  const std::size_t slash = rel_path.rfind('/');
  const std::size_t dot = rel_path.rfind('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return rel_path;
  return rel_path.substr(0, dot);
}

std::string IdFromFileName(const std::string& rel_path) {
  const std::string qualified = PathQualifiedId(rel_path);
  const std::size_t slash = qualified.rfind('/');
  return slash == std::string::npos ? qualified : qualified.substr(slash + 1);
}

std::vector<Article> Catalog::ResolveScan(std::vector<ScannedFile> files, Problems* problems) {
  std::sort(files.begin(), files.end(),
            [](const ScannedFile& a, const ScannedFile& b) { return a.rel_path < b.rel_path; });
  std::unordered_set<std::string> present;
  for (const ScannedFile& f : files) present.insert(f.rel_path);
  std::unordered_set<std::string> taken;  // ids given out in this scan
  std::vector<Article> out;

  for (ScannedFile& file : files) {
    if (!file.parsed) {
      // Keep the last good version published until the file is fixed.
      const auto record = ledger_->FindByPath(file.rel_path);
      if (!record || taken.count(record->id)) continue;
      auto last_good = ArticleFromJson(record->last_good);
      if (!last_good) continue;
      Article a = std::move(*last_good);
      a.source_path = file.rel_path;
      a.id = record->id;
      a.published = a.date.value_or(record->first_seen);
      a.updated = a.lastmod.value_or(std::max(record->changed, a.published));
      problems->push_back(
          {file.rel_path, 0, Severity::kWarning, "the last version that parsed stays published"});
      taken.insert(a.id);
      out.push_back(std::move(a));
      continue;
    }

    Article a = std::move(*file.parsed);
    a.source_path = file.rel_path;
    const std::string hash = file.hash.empty() ? ContentHash(a) : file.hash;

    // --- id ---
    std::string id;
    std::optional<LedgerRecord> record;
    if (!a.explicit_id.empty()) {
      id = a.explicit_id;
    } else if ((record = ledger_->FindByPath(file.rel_path))) {
      id = record->id;
    } else {
      const std::string stem = IdFromFileName(file.rel_path);
      record = ledger_->FindById(stem);
      if (record && record->path != file.rel_path && present.count(record->path)) {
        id = PathQualifiedId(file.rel_path);
        problems->push_back(
            {file.rel_path, 0, Severity::kWarning,
             "id '" + stem + "' belongs to " + record->path + "; this file gets '" + id + "'"});
      } else if (record) {
        id = stem;  // the same article, moved
      } else {
        id = stem;
        for (const LedgerRecord& r : ledger_->FindByHash(hash)) {
          if (!present.count(r.path) && !taken.count(r.id)) {
            id = r.id;  // renamed: same content, its old path is gone
            break;
          }
        }
      }
    }
    if (taken.count(id)) {
      const std::string qualified = PathQualifiedId(file.rel_path);
      problems->push_back(
          {file.rel_path, 0, Severity::kWarning,
           "id '" + id + "' is already used by another file; this file gets '" + qualified + "'"});
      id = qualified;
    }
    taken.insert(id);

    // --- dates ---
    if (!record || record->id != id) record = ledger_->FindById(id);
    LedgerRecord next;
    next.id = id;
    next.path = file.rel_path;
    next.hash = hash;
    if (record) {
      next.first_seen = record->first_seen;
      next.changed = record->hash == hash ? record->changed : std::max(file.mtime, record->changed);
    } else {
      next.first_seen = file.mtime;
      next.changed = 0;
    }
    if (!record || record->path != next.path || record->hash != next.hash ||
        record->changed != next.changed) {
      next.last_good = ArticleToJson(a);
      ledger_->Put(next);
    }

    a.id = id;
    a.published = a.date.value_or(next.first_seen);
    a.updated = a.lastmod.value_or(std::max(next.changed, a.published));
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace feedd
