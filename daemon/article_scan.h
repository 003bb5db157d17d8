// daemon/article_scan.h
//
// A full scan of the articles directory: list every article file, read and
// parse each one, spread over several threads (parsing is most of the cost of
// a cold start).

#ifndef FEEDD_DAEMON_ARTICLE_SCAN_H_
#define FEEDD_DAEMON_ARTICLE_SCAN_H_

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <vector>

#include "feeds/article_files.h"
#include "feeds/article_parser.h"
#include "feeds/catalog.h"
#include "feeds/parse_options.h"
#include "feeds/problem.h"

namespace feedd {

struct ScanResult {
  std::vector<ScannedFile> files;  ///< in path order, parsed or not
  Problems problems;               ///< in path order
};

/// Reads and parses |files| (listed under |root|) on |threads| threads;
/// result i belongs to files[i].
std::vector<ParsedFile> ParseArticleFiles(const std::filesystem::path& root,
                                          const std::vector<ArticleFile>& files,
                                          const ParseOptions& options, unsigned threads);

/// Lists and parses on |threads| threads (at least one). Throws
/// std::filesystem::filesystem_error when |root| cannot be listed.
ScanResult ScanArticles(const std::filesystem::path& root, const ParseOptions& options,
                        unsigned threads);

/// ScanArticles() on every core, for the one-shot commands: when the
/// directory cannot be listed, says so on |err| and returns nullopt.
std::optional<ScanResult> ScanArticlesOrReport(const std::filesystem::path& root,
                                               const ParseOptions& options, std::ostream& err);

}  // namespace feedd

#endif  // FEEDD_DAEMON_ARTICLE_SCAN_H_
