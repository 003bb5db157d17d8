// daemon/rebuild/article_scan.h
//
// Reads and parses many article files at once, spread over several threads:
// on a cold start, reading and parsing is most of the work.

#ifndef FEEDD_DAEMON_REBUILD_ARTICLE_SCAN_H_
#define FEEDD_DAEMON_REBUILD_ARTICLE_SCAN_H_

#include <atomic>
#include <filesystem>
#include <vector>

#include "feeds/input/article_folder.h"
#include "feeds/parse/article_parser.h"
#include "feeds/parse/parse_options.h"

namespace feedd {

/// Reads and parses |files| (listed in |folder|) to |depth| on up to
/// |threads| threads; result i belongs to files[i]. A file that cannot be
/// read has its error in the result's problems. |read|, when set, counts
/// the files done so far.
std::vector<ParsedFile> ParseArticleFiles(const ArticleFolder& folder,
                                          const std::vector<ArticleFile>& files,
                                          const ParseOptions& options, ParseDepth depth,
                                          unsigned threads,
                                          std::atomic<std::size_t>* read = nullptr);

}  // namespace feedd

#endif  // FEEDD_DAEMON_REBUILD_ARTICLE_SCAN_H_
