#include "feeds/article_files.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "feeds/article_parser.h"

namespace fs = std::filesystem;

namespace feedd {

std::vector<ArticleFile> ListArticleFiles(const fs::path& root, Problems* problems) {
  std::vector<ArticleFile> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec);
  if (ec) throw fs::filesystem_error("cannot list the articles directory", root, ec);
  for (const fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
    if (ec) {
      problems->push_back({it->path().string(), 0, Severity::kError, ec.message()});
      ec.clear();
      continue;
    }
    const std::string name = it->path().filename().string();
    if (it->is_directory(ec)) {
      if (!name.empty() && name[0] == '.') it.disable_recursion_pending();
      continue;
    }
    const std::string rel = it->path().lexically_relative(root).generic_string();
    if (FormatForPath(rel) == ArticleFormat::kIgnored) continue;
    struct stat st;
    if (::stat(it->path().c_str(), &st) != 0) {
      problems->push_back({rel, 0, Severity::kError, std::strerror(errno)});
      continue;
    }
    if (!S_ISREG(st.st_mode)) continue;
    files.push_back(
        {rel, static_cast<UnixTime>(st.st_mtime), static_cast<std::uintmax_t>(st.st_size)});
  }
  std::sort(files.begin(), files.end(),
            [](const ArticleFile& a, const ArticleFile& b) { return a.rel_path < b.rel_path; });
  return files;
}

std::optional<std::string> ReadArticleFile(const fs::path& root, const std::string& rel_path,
                                           std::size_t limit, std::uintmax_t expected_size,
                                           Problems* problems) {
  std::ifstream in(root / rel_path, std::ios::binary);
  if (!in) {
    problems->push_back(
        {rel_path, 0, Severity::kError, std::string("cannot open: ") + std::strerror(errno)});
    return std::nullopt;
  }
  // Read what the file holds, up to one byte past the limit (so the parser
  // can tell "too large"), growing as a file that is still being written
  // grows.
  std::string bytes;
  const std::size_t want = limit + 1;
  std::size_t chunk = static_cast<std::size_t>(std::min<std::uintmax_t>(expected_size + 1, want));
  while (bytes.size() < want) {
    const std::size_t at = bytes.size();
    bytes.resize(at + std::min(chunk, want - at));
    in.read(bytes.data() + at, static_cast<std::streamsize>(bytes.size() - at));
    bytes.resize(at + static_cast<std::size_t>(in.gcount()));
    if (!in) break;
    chunk = 64 * 1024;
  }
  if (in.bad()) {
    problems->push_back({rel_path, 0, Severity::kError, "read error"});
    return std::nullopt;
  }
  return bytes;
}

}  // namespace feedd
