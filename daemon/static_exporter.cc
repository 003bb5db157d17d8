#include "daemon/static_exporter.h"

#include "daemon/atomic_file.h"

namespace fs = std::filesystem;

namespace feedd {

fs::path StaticExporter::PathFor(const std::string& route) const {
  if (route == "/") return dir_ / "index.html";
  return dir_ / route.substr(1);
}

int StaticExporter::RemoveStaleTempFiles() {
  fs::create_directories(dir_);
  int removed = 0;
  std::vector<fs::path> stale;
  for (const auto& entry : fs::recursive_directory_iterator(dir_)) {
    if (entry.path().filename().string().find(kTempMarker) != std::string::npos) {
      stale.push_back(entry.path());
    }
  }
  for (const fs::path& p : stale) removed += fs::remove(p) ? 1 : 0;
  return removed;
}

StaticExporter::Result StaticExporter::Export(const Snapshot& snapshot,
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
  Result result;
  auto fail = [&](const std::string& what) {
    ++result.failed;
    if (result.error.empty()) result.error = what;
  };
  for (auto it = to_write_.begin(); it != to_write_.end();) {
    const DocumentPtr doc = snapshot.Find(*it);
    if (!doc) {  // gone from the snapshot since: nothing to write
      it = to_write_.erase(it);
      continue;
    }
    const fs::path path = PathFor(*it);
    try {
      WriteFileAtomically(path, doc->body);
      if (!doc->gzip_body.empty()) WriteFileAtomically(path.string() + ".gz", doc->gzip_body);
      ++result.written;
      it = to_write_.erase(it);
    } catch (const fs::filesystem_error& e) {
      fail(e.what());
      ++it;
    }
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
