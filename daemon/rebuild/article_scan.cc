#include "daemon/rebuild/article_scan.h"

#include "daemon/base/parallel.h"

namespace feedd {

std::vector<ParsedFile> ParseArticleFiles(const ArticleFolder& folder,
                                          const std::vector<ArticleFile>& listed,
                                          const ParseOptions& options, ParseDepth depth,
                                          unsigned threads, std::atomic<std::size_t>* read) {
  std::vector<ParsedFile> parsed(listed.size());
  // Small batches (a file or two saved) are not worth a thread.
  const unsigned n = listed.size() < 64 ? 1 : threads;
  ParallelFor(n, listed.size(), [&](std::size_t i) {
    const ArticleFile& file = listed[i];
    thread_local std::string bytes;  // one buffer per thread, its capacity reused
    Problems read_problems;
    if (folder.Read(file.rel_path, options.max_file_size, &bytes, &read_problems)) {
      parsed[i] = ParseArticleFile(file.rel_path, bytes, options, depth);
    } else {
      parsed[i].problems = std::move(read_problems);
    }
    if (read) read->fetch_add(1, std::memory_order_relaxed);
  });
  return parsed;
}

}  // namespace feedd
