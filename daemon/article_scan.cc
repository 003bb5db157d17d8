#include "daemon/article_scan.h"

#include <atomic>
#include <ostream>
#include <thread>

#include "feeds/article_files.h"
#include "feeds/article_parser.h"

namespace feedd {

std::vector<ParsedFile> ParseArticleFiles(const std::filesystem::path& root,
                                          const std::vector<ArticleFile>& listed,
                                          const ParseOptions& options, unsigned threads) {
  std::vector<ParsedFile> parsed(listed.size());

  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < listed.size();) {
      const ArticleFile& file = listed[i];
      Problems read_problems;
      auto bytes =
          ReadArticleFile(root, file.rel_path, options.max_file_size, file.size, &read_problems);
      if (bytes) {
        parsed[i] = ParseArticleFile(file.rel_path, *bytes, options);
      } else {
        parsed[i].problems = std::move(read_problems);
      }
    }
  };
  std::vector<std::jthread> pool;
  const unsigned n = std::max(1u, std::min<unsigned>(threads, listed.size() / 64 + 1));
  for (unsigned t = 1; t < n; ++t) pool.emplace_back(work);
  work();
  pool.clear();  // joins
  return parsed;
}

ScanResult ScanArticles(const std::filesystem::path& root, const ParseOptions& options,
                        unsigned threads) {
  ScanResult result;
  const std::vector<ArticleFile> listed = ListArticleFiles(root, &result.problems);
  std::vector<ParsedFile> parsed = ParseArticleFiles(root, listed, options, threads);
  result.files.reserve(listed.size());
  for (std::size_t i = 0; i < listed.size(); ++i) {
    result.files.push_back({listed[i].rel_path, listed[i].mtime, std::move(parsed[i].article), ""});
    for (Problem& p : parsed[i].problems) result.problems.push_back(std::move(p));
  }
  return result;
}

std::optional<ScanResult> ScanArticlesOrReport(const std::filesystem::path& root,
                                               const ParseOptions& options, std::ostream& err) {
  try {
    return ScanArticles(root, options, std::thread::hardware_concurrency());
  } catch (const std::filesystem::filesystem_error& e) {
    err << "feedd: " << root.string()
        << ": cannot read the articles directory: " << e.code().message() << "\n";
    return std::nullopt;
  }
}

}  // namespace feedd
