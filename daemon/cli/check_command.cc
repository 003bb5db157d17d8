// `feedd check`. See daemon/cli/commands.h.

#include <ctime>
#include <ostream>
#include <thread>

#include "daemon/base/exit_codes.h"
#include "daemon/cli/commands.h"
#include "daemon/cli/problem_report.h"
#include "daemon/rebuild/site_publisher.h"

namespace fs = std::filesystem;

namespace feedd {

int RunCheck(const Config& config, std::ostream& out, std::ostream& err) {
  // Without a state store: id conflicts are found as on a first scan, and
  // nothing is written.
  SitePublisher publisher(config, nullptr, std::thread::hardware_concurrency(), ParseDepth::kFull);
  Problems problems;
  if (const Result<Publication> scanned = publisher.Rescan(std::time(nullptr), &problems);
      !scanned.ok()) {
    err << "feedd: " << scanned.status().message() << "\n";
    return kExitNoInput;
  }
  ReportProblems(config, problems, out);

  std::size_t articles = 0;
  for (const auto& entry : publisher.index().files()) articles += entry.record != nullptr;
  std::size_t errors = 0;
  for (const Problem& p : problems) errors += p.severity == Severity::kError;
  const std::size_t warnings = problems.size() - errors;
  out << "feedd: " << publisher.index().files().size() << " files, " << articles << " articles, "
      << errors << " errors, " << warnings << " warnings\n";
  return errors > 0 ? kExitDataError : kExitOk;
}

}  // namespace feedd
