#include "feeds/input/memory_folder.h"

#include "feeds/input/article_format.h"

namespace feedd {

void MemoryFolder::Put(const std::string& rel_path, std::string bytes, std::int64_t mtime_ns) {
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, added] = files_.try_emplace(rel_path);
  File& file = it->second;
  file.stamp = {bytes.size(), mtime_ns, added ? next_inode_++ : file.stamp.inode};
  file.bytes = std::move(bytes);
}

void MemoryFolder::Remove(const std::string& rel_path) {
  std::lock_guard<std::mutex> lock(mu_);
  files_.erase(rel_path);
}

void MemoryFolder::SetUnreadable(const std::string& folder, bool unreadable) {
  std::lock_guard<std::mutex> lock(mu_);
  if (unreadable) {
    unreadable_.insert(folder);
  } else {
    unreadable_.erase(folder);
  }
}

std::size_t MemoryFolder::reads(const std::string& rel_path) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = reads_.find(rel_path);
  return it == reads_.end() ? 0 : it->second;
}

std::size_t MemoryFolder::reads() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::size_t n = 0;
  for (const auto& [path, count] : reads_) n += count;
  return n;
}

bool MemoryFolder::Hidden(const std::string& rel_path) const {
  for (const std::string& folder : unreadable_) {
    if (folder.empty() || (rel_path.size() > folder.size() && rel_path.starts_with(folder) &&
                           rel_path[folder.size()] == '/')) {
      return true;
    }
  }
  return false;
}

Result<Listing> MemoryFolder::List(Problems* problems) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (unreadable_.count("")) {
    return Status::IoError("memory: cannot list the articles directory: Permission denied");
  }
  Listing listing;
  for (const std::string& folder : unreadable_) {
    problems->push_back({folder, 0, Severity::kError,
                         "cannot list this folder: Permission denied; the articles in it stay "
                         "as they were"});
    listing.unreadable.push_back(folder);
  }
  for (const auto& [path, file] : files_) {
    // FormatForPath() also hides dot files and what is in dot folders.
    if (Hidden(path) || FormatForPath(path) == ArticleFormat::kIgnored) continue;
    listing.files.push_back({path, file.stamp});
  }
  return listing;
}

Status MemoryFolder::Reachable() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (unreadable_.count("")) {
    return Status::IoError("memory: cannot list the articles directory: Permission denied");
  }
  return Status();
}

std::optional<FileStamp> MemoryFolder::Stamp(const std::string& rel_path) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = files_.find(rel_path);
  if (it == files_.end() || Hidden(rel_path)) return std::nullopt;
  return it->second.stamp;
}

bool MemoryFolder::Read(const std::string& rel_path, std::size_t limit, std::string* bytes,
                        Problems* problems) const {
  std::lock_guard<std::mutex> lock(mu_);
  ++reads_[rel_path];
  auto it = files_.find(rel_path);
  if (it == files_.end() || Hidden(rel_path)) {
    problems->push_back({rel_path, 0, Severity::kError, "cannot open: No such file or directory"});
    return false;
  }
  bytes->assign(it->second.bytes, 0, std::min(it->second.bytes.size(), limit + 1));
  return true;
}

OpenArticleFolder MemoryFolder::Opener() const {
  return [this] { return std::shared_ptr<const ArticleFolder>(this, [](const ArticleFolder*) {}); };
}

}  // namespace feedd
