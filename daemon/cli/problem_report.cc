#include "daemon/cli/problem_report.h"

#include <ostream>

namespace feedd {

void ReportProblems(const Config& config, const Problems& problems, std::ostream& out) {
  for (Problem p : problems) {
    p.file = (config.articles_dir / p.file).lexically_normal().string();
    out << p.ToString() << "\n";
  }
}

}  // namespace feedd
