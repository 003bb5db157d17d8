#include "daemon/export/static_exporter.h"

#include "daemon/base/parallel.h"
#include "daemon/export/atomic_file.h"

namespace fs = std::filesystem;

namespace feedd {

fs::path StaticExporter::PathFor(const std::string& route) const {
  if (route == "/") return dir_ / "index.html";
  return dir_ / route.substr(1);
}

Result<int> StaticExporter::RemoveStaleTempFiles() {
  std::error_code ec;
  auto failed = [&](const char* what) {
    return Status::IoError(dir_.string() + ": " + what + ": " + ec.message());
  };
  fs::create_directories(dir_, ec);
  if (ec) return failed("cannot create the output folder");
  std::vector<fs::path> stale;
  for (fs::recursive_directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().filename().string().find(kTempMarker) != std::string::npos) {
      stale.push_back(it->path());
    }
  }
  if (ec) return failed("cannot list the output folder");
  int removed = 0;
  for (const fs::path& p : stale) removed += fs::remove(p, ec) ? 1 : 0;
  return removed;
}

void StaticExporter::WriteBatch(const Snapshot& snapshot, const std::vector<std::string>& routes,
                                Outcome* result, std::set<std::string>* companions) {
  // Each route on its own: documents made on request render as they are
  // written, on up to |threads_| threads.
  std::vector<std::string> errors(routes.size());
  std::vector<std::vector<std::string>> needs(routes.size());
  std::vector<char> done(routes.size(), 0);
  ParallelFor(threads_, routes.size(), [&](std::size_t i) {
    const DocumentPtr doc = snapshot.Find(routes[i]);
    if (!doc) {  // gone from the snapshot since: nothing to write
      done[i] = 1;
      return;
    }
    const fs::path path = PathFor(routes[i]);
    Status written = WriteFileAtomically(path, doc->body, durable_);
    if (written.ok() && !doc->gzip_body.empty()) {
      written = WriteFileAtomically(path.string() + ".gz", doc->gzip_body, durable_);
    }
    if (!written.ok()) {
      errors[i] = written.message();
      return;
    }
    done[i] = 2;
    if (companions && companions_) needs[i] = companions_(routes[i], *doc);
  });
  for (std::size_t i = 0; i < routes.size(); ++i) {
    if (done[i]) {
      to_write_.erase(routes[i]);
      result->written += done[i] == 2 ? 1 : 0;
      if (companions) companions->insert(needs[i].begin(), needs[i].end());
    } else {
      ++result->failed;
      if (result->error.empty()) result->error = errors[i];
    }
  }
}

StaticExporter::Outcome StaticExporter::Export(const Snapshot& snapshot,
                                               const std::vector<std::string>& changed,
                                               const std::vector<std::string>& removed) {
  for (const std::string& route : changed) {
    to_remove_.erase(route);
    to_write_.insert(route);
  }
  for (const std::string& route : removed) {
    to_write_.erase(route);
    to_remove_.insert(route);
  }
  Outcome result;
  auto fail = [&](const std::string& what) {
    ++result.failed;
    if (result.error.empty()) result.error = what;
  };
  // Everything pending, then the companions of what was written (an
  // article page's images).
  std::set<std::string> companions;
  WriteBatch(snapshot, std::vector<std::string>(to_write_.begin(), to_write_.end()), &result,
             &companions);
  if (!companions.empty()) {
    to_write_.insert(companions.begin(), companions.end());
    WriteBatch(snapshot, std::vector<std::string>(companions.begin(), companions.end()), &result,
               nullptr);
  }
  for (auto it = to_remove_.begin(); it != to_remove_.end();) {
    const fs::path path = PathFor(*it);
    std::error_code a, b;
    fs::remove(path, a);
    fs::remove(path.string() + ".gz", b);
    if (a || b) {
      fail(path.string() + ": cannot delete: " + (a ? a : b).message());
      ++it;
    } else {
      ++result.written;
      it = to_remove_.erase(it);
    }
  }
  return result;
}

}  // namespace feedd
