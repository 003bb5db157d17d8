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

void StaticExporter::Export(const Snapshot& snapshot, const std::vector<std::string>& changed,
                            const std::vector<std::string>& removed) {
  for (const std::string& route : changed) {
    DocumentPtr doc = snapshot.Find(route);
    if (!doc) continue;
    const fs::path path = PathFor(route);
    WriteFileAtomically(path, doc->body);
    WriteFileAtomically(path.string() + ".gz", doc->gzip_body);
  }
  for (const std::string& route : removed) {
    const fs::path path = PathFor(route);
    fs::remove(path);
    fs::remove(path.string() + ".gz");
  }
}

}  // namespace feedd
