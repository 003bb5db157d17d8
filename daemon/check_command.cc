// `feedd check`. See daemon/commands.h.

#include <ostream>

#include "daemon/article_scan.h"
#include "daemon/commands.h"
#include "daemon/exit_codes.h"
#include "daemon/problem_report.h"
#include "feeds/catalog.h"
#include "feeds/memory_ledger.h"

namespace fs = std::filesystem;

namespace feedd {

int RunCheck(const Config& config, std::ostream& out, std::ostream& err) {
  std::optional<ScanResult> scanned = ScanArticlesOrReport(config.articles_dir, config.parse, err);
  if (!scanned) return kExitNoInput;
  ScanResult& scan = *scanned;
  const std::size_t files = scan.files.size();
  // A throwaway ledger finds id conflicts without touching the state store.
  MemoryLedger ledger;
  const std::vector<Article> articles =
      Catalog(&ledger).ResolveScan(std::move(scan.files), &scan.problems);
  ReportProblems(config, scan.problems, out);

  std::size_t errors = 0;
  for (const Problem& p : scan.problems) errors += p.severity == Severity::kError;
  const std::size_t warnings = scan.problems.size() - errors;
  out << "feedd: " << files << " files, " << articles.size() << " articles, " << errors
      << " errors, " << warnings << " warnings\n";
  return errors > 0 ? kExitDataError : kExitOk;
}

}  // namespace feedd
