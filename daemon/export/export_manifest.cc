#include "daemon/export/export_manifest.h"

#include <fstream>
#include <random>
#include <sstream>

#include "daemon/export/atomic_file.h"
#include "feeds/core/fingerprint.h"

namespace fs = std::filesystem;

namespace feedd {

namespace {

// Above this many routes, one read of the whole manifest beats a query each.
constexpr std::size_t kLoadAllAbove = 256;

std::string NewToken() {
  std::random_device random;
  std::ostringstream token;
  token << std::hex;
  for (int i = 0; i < 4; ++i) token << random();
  return token.str();
}

// The token in |folder|'s marker; empty when there is none.
std::string ReadMarker(const fs::path& folder) {
  std::ifstream in(folder / kExportMarker);
  std::string token;
  std::getline(in, token);
  return token;
}

}  // namespace

std::uint64_t ExportManifest::EtagHash(const std::string& etag) {
  return Fingerprint().Add(etag).Value();
}

std::uint64_t ExportManifest::Salted(std::uint64_t fingerprint) const {
  return fingerprint == 0 ? 0 : Fingerprint().Add(fingerprint).Add(salt_).Value();
}

Result<std::unique_ptr<ExportManifest>> ExportManifest::Open(StateStore* store,
                                                             const fs::path& folder,
                                                             std::uint64_t salt, bool rewrite_all) {
  const std::string name = fs::absolute(folder).lexically_normal().string();
  std::unique_ptr<ExportManifest> manifest(new ExportManifest(store, name, salt));
  if (!store) return manifest;
  const std::string key = "export_token:" + name;
  Result<std::string> token = store->Meta(key);
  if (!token.ok()) return token.status();
  if (!rewrite_all && !token->empty() && ReadMarker(folder) == *token) return manifest;
  // A folder the store does not describe: start again, and say so in it.
  if (Status forgot = store->ForgetExported(name); !forgot.ok()) return forgot;
  const std::string fresh = NewToken();
  if (Status set = store->SetMeta(key, fresh); !set.ok()) return set;
  if (Status marked = WriteFileAtomically(folder / kExportMarker, fresh + "\n"); !marked.ok()) {
    return marked;
  }
  return manifest;
}

Result<std::vector<std::optional<ExportManifest::Entry>>> ExportManifest::Lookup(
    const std::vector<std::string>& routes) {
  std::vector<std::optional<Entry>> found(routes.size());
  if (!store_) {
    for (std::size_t i = 0; i < routes.size(); ++i) {
      auto it = memory_.find(routes[i]);
      if (it != memory_.end()) found[i] = it->second;
    }
    return found;
  }
  if (routes.size() > kLoadAllAbove) {
    Result<std::vector<ExportedFile>> all = store_->LoadExported(folder_);
    if (!all.ok()) return all.status();
    std::unordered_map<std::string, Entry> by_route;
    by_route.reserve(all->size());
    for (ExportedFile& f : *all) {
      by_route.emplace(std::move(f.route), Entry{f.fingerprint, f.etag, std::move(f.owner)});
    }
    for (std::size_t i = 0; i < routes.size(); ++i) {
      auto it = by_route.find(routes[i]);
      if (it != by_route.end()) found[i] = std::move(it->second);
    }
    return found;
  }
  for (std::size_t i = 0; i < routes.size(); ++i) {
    Result<std::optional<ExportedFile>> f = store_->FindExported(folder_, routes[i]);
    if (!f.ok()) return f.status();
    if (*f) found[i] = Entry{(*f)->fingerprint, (*f)->etag, std::move((*f)->owner)};
  }
  return found;
}

Result<std::vector<ExportedFile>> ExportManifest::All() {
  if (store_) return store_->LoadExported(folder_);
  std::vector<ExportedFile> all;
  for (const auto& [route, e] : memory_) all.push_back({route, e.fingerprint, e.etag, e.owner});
  return all;
}

Status ExportManifest::Intend(const std::vector<ExportedFile>& routes) {
  if (!store_ || routes.empty()) return Status();
  return store_->UpdateExported(folder_, routes, {});
}

void ExportManifest::Wrote(const std::string& route, Entry entry) {
  if (!store_) {
    memory_[route] = std::move(entry);
    return;
  }
  pending_[route] = std::move(entry);
}

void ExportManifest::Removed(const std::string& route) {
  if (!store_) {
    memory_.erase(route);
    return;
  }
  pending_[route] = std::nullopt;
}

Status ExportManifest::Commit() {
  if (!store_ || pending_.empty()) return Status();
  std::vector<ExportedFile> save;
  std::vector<std::string> removed;
  for (auto& [route, entry] : pending_) {
    if (entry) {
      save.push_back({route, entry->fingerprint, entry->etag, entry->owner});
    } else {
      removed.push_back(route);
    }
  }
  Status saved = store_->UpdateExported(folder_, save, removed);
  if (saved.ok()) pending_.clear();  // else kept, for the next Commit()
  return saved;
}

}  // namespace feedd
