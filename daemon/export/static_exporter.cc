#include "daemon/export/static_exporter.h"

#include <sys/stat.h>
#include <unistd.h>

#include "daemon/base/parallel.h"
#include "daemon/export/atomic_file.h"
#include "feeds/core/fingerprint.h"

namespace fs = std::filesystem;

namespace feedd {

namespace {

// Up to this many files in one Export(), each is fsynced with its folder;
// beyond, one syncfs of the whole filesystem is cheaper.
constexpr std::size_t kSyncEachUpTo = 64;

// What became of one route in a batch.
enum class Done : char { kFailed, kGone, kUnchanged, kWritten };

}  // namespace

std::uint64_t ExportSalt(std::uint64_t settings) {
  Fingerprint salt;
  salt.Add(settings).Add(std::string_view(FEEDD_VERSION));
  struct stat exe {};
  if (::stat("/proc/self/exe", &exe) == 0) {
    salt.Add(exe.st_size).Add(exe.st_mtim.tv_sec).Add(exe.st_mtim.tv_nsec);
  }
  return salt.Value();
}

fs::path StaticExporter::PathFor(const std::string& route) const {
  if (route == "/") return dir_ / "index.html";
  return dir_ / route.substr(1);
}

Result<int> StaticExporter::Open() {
  std::error_code ec;
  auto failed = [&](const char* what) {
    return Status::IoError(dir_.string() + ": " + what + ": " + ec.message());
  };
  fs::create_directories(dir_, ec);
  if (ec) return failed("cannot create the output folder");
  std::vector<fs::path> stale;
  // Not this process's own: after a reload, the previous exporter may be
  // writing one right now.
  const std::string own = std::string(kTempMarker) + std::to_string(::getpid());
  for (fs::recursive_directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.find(kTempMarker) != std::string::npos && !name.ends_with(own)) {
      stale.push_back(it->path());
    }
  }
  if (ec) return failed("cannot list the output folder");
  int removed = 0;
  for (const fs::path& p : stale) removed += fs::remove(p, ec) ? 1 : 0;
  return removed;
}

void StaticExporter::Fail(Outcome* result, const std::string& why) {
  ++result->failed;
  if (result->error.empty()) result->error = why;
}

void StaticExporter::WriteBatch(const Snapshot& snapshot, const std::vector<std::string>& routes,
                                const std::map<std::string, std::string>& owners, bool sync_each,
                                Outcome* result, std::map<std::string, std::string>* companions) {
  Result<std::vector<std::optional<ExportManifest::Entry>>> known = manifest_->Lookup(routes);
  if (!known.ok()) {
    // Without the manifest nothing can be skipped safely: try again later.
    result->failed += routes.size();
    if (result->error.empty()) result->error = known.status().message();
    return;
  }
  std::vector<ExportedFile> unknown;
  for (std::size_t i = 0; i < routes.size(); ++i) {
    if ((*known)[i]) continue;
    auto owner = owners.find(routes[i]);
    unknown.push_back({routes[i], 0, 0, owner != owners.end() ? owner->second : ""});
  }
  if (Status intended = manifest_->Intend(unknown); !intended.ok()) {
    result->failed += routes.size();
    if (result->error.empty()) result->error = intended.message();
    return;
  }
  std::vector<std::string> errors(routes.size());
  std::vector<std::vector<std::string>> needs(routes.size());
  std::vector<Done> done(routes.size(), Done::kFailed);
  std::vector<std::optional<ExportManifest::Entry>> now(routes.size());
  // Each route on its own: documents made on request render as they are
  // written, on up to |threads| threads.
  ParallelFor(options_.threads, routes.size(), [&](std::size_t i) {
    struct Tick {
      std::atomic<std::size_t>* progress;
      ~Tick() {
        if (progress) progress->fetch_add(1, std::memory_order_relaxed);
      }
    } tick{options_.progress};
    const std::string& route = routes[i];
    const std::optional<ExportManifest::Entry>& was = (*known)[i];
    auto owner = owners.find(route);
    ExportManifest::Entry entry;
    if (owner != owners.end()) entry.owner = owner->second;
    DocumentPtr doc;
    if (auto ahead = snapshot.routes.find(route); ahead != snapshot.routes.end()) {
      doc = ahead->second;
    } else {
      // Made on request: its fingerprint spares rendering it again.
      const std::optional<std::uint64_t> print =
          snapshot.lazy ? snapshot.lazy->Fingerprint(route) : std::nullopt;
      entry.fingerprint = print ? manifest_->Salted(*print) : 0;
      if (was && entry.fingerprint != 0 && was->fingerprint == entry.fingerprint &&
          (entry.owner.empty() || was->owner == entry.owner)) {
        done[i] = Done::kUnchanged;
        return;
      }
      doc = snapshot.Find(route);
    }
    if (!doc) {  // gone from the snapshot since: nothing to write
      done[i] = Done::kGone;
      return;
    }
    entry.etag = ExportManifest::EtagHash(doc->etag);
    if (was && was->etag == entry.etag) {
      done[i] = Done::kUnchanged;
      if (was->fingerprint != entry.fingerprint || was->owner != entry.owner) now[i] = entry;
      return;
    }
    const fs::path path = PathFor(route);
    Status written = WriteFileAtomically(path, doc->body, sync_each);
    if (written.ok() && !doc->gzip_body.empty()) {
      written = WriteFileAtomically(path.string() + ".gz", doc->gzip_body, sync_each);
    } else if (written.ok()) {
      std::error_code ignored;  // too small to compress now: no stale .gz beside it
      fs::remove(path.string() + ".gz", ignored);
    }
    if (!written.ok()) {
      errors[i] = written.message();
      return;
    }
    done[i] = Done::kWritten;
    now[i] = std::move(entry);
    if (companions && options_.companions) needs[i] = options_.companions(route, *doc);
  });
  for (std::size_t i = 0; i < routes.size(); ++i) {
    if (done[i] == Done::kFailed) {
      Fail(result, errors[i]);
      continue;
    }
    to_write_.erase(routes[i]);
    // Listed, but nothing to serve there now (an unreadable article, an
    // image grown too large): its old file goes, as serve answers 404.
    if (done[i] == Done::kGone && (*known)[i]) to_remove_.insert(routes[i]);
    if (done[i] == Done::kWritten) ++result->written;
    if (done[i] == Done::kUnchanged) ++result->unchanged;
    if (now[i]) manifest_->Wrote(routes[i], std::move(*now[i]));
    if (companions) {
      for (std::string& need : needs[i]) companions->emplace(std::move(need), routes[i]);
    }
  }
}

Result<std::vector<ExportedFile>> StaticExporter::Unlisted(const std::set<std::string>& kept) {
  Result<std::vector<ExportedFile>> all = manifest_->All();
  if (!all.ok()) return all.status();
  std::erase_if(*all, [&](const ExportedFile& f) { return kept.count(f.route) > 0; });
  return all;
}

void StaticExporter::DeleteRemoved(Outcome* result) {
  for (auto it = to_remove_.begin(); it != to_remove_.end();) {
    const fs::path path = PathFor(*it);
    std::error_code a, b;
    fs::remove(path, a);
    fs::remove(path.string() + ".gz", b);
    if (a || b) {
      Fail(result, path.string() + ": cannot delete: " + (a ? a : b).message());
      ++it;
    } else {
      ++result->removed;
      manifest_->Removed(*it);
      it = to_remove_.erase(it);
    }
  }
}

StaticExporter::Outcome StaticExporter::Export(const Snapshot& snapshot,
                                               const std::vector<std::string>& changed,
                                               const std::vector<std::string>& removed,
                                               Scope scope) {
  Outcome result;
  for (const std::string& route : changed) {
    to_remove_.erase(route);
    to_write_.insert(route);
  }
  for (const std::string& route : removed) {
    to_write_.erase(route);
    to_remove_.insert(route);
  }
  // Everything: the files of all other routes go, even when this call
  // fails before getting there (then the next one does it).
  if (scope == Scope::kEverything) sweep_ = true;
  if (!manifest_) {
    // Here, not in Open(): the store is the caller's thread's.
    Result<std::unique_ptr<ExportManifest>> manifest =
        ExportManifest::Open(options_.store, dir_, options_.salt, options_.rewrite_all);
    if (!manifest.ok()) {
      result.failed += to_write_.size() + to_remove_.size();
      if (result.error.empty()) result.error = manifest.status().message();
      return result;  // all of it stays pending
    }
    manifest_ = std::move(*manifest);
  }
  const bool sweep = sweep_;
  const bool sync_each = to_write_.size() <= kSyncEachUpTo && !sweep && !unsynced_;
  // Everything pending, then the companions of what was written (an
  // article page's images).
  std::set<std::string> kept;
  if (sweep) kept = to_write_;
  std::map<std::string, std::string> companions;
  WriteBatch(snapshot, std::vector<std::string>(to_write_.begin(), to_write_.end()), {}, sync_each,
             &result, &companions);
  if (sweep) {
    // The other files written beside pages (their images) are checked
    // again one by one: kept while still served as they are, rewritten when
    // the file changed, deleted when it is gone.
    Result<std::vector<ExportedFile>> others = Unlisted(kept);
    if (!others.ok()) {
      Fail(&result, others.status().message());
      return result;
    }
    for (const ExportedFile& f : *others) {
      if (f.owner.empty()) {
        to_remove_.insert(f.route);
      } else {
        companions.emplace(f.route, f.owner);
      }
    }
  }
  if (!companions.empty()) {
    std::vector<std::string> routes;
    for (const auto& [route, owner] : companions) {
      routes.push_back(route);
      to_write_.insert(route);
    }
    WriteBatch(snapshot, routes, companions, sync_each, &result, nullptr);
  }
  sweep_ = false;
  DeleteRemoved(&result);
  // A deletion is durable only once its folder is: one sync for those too.
  if (unsynced_ || result.removed > 0 || (!sync_each && result.written > 0)) {
    if (Status synced = SyncTree(dir_); !synced.ok()) {
      unsynced_ = true;
      Fail(&result, synced.message());
      return result;  // the manifest vouches only for what is on disk
    }
    unsynced_ = false;
  }
  if (Status committed = manifest_->Commit(); !committed.ok()) Fail(&result, committed.message());
  return result;
}

}  // namespace feedd
