// daemon/cli/problem_report.h
//
// Prints article problems for people: one "path:line: message" per line,
// the path as the user can open it (the articles directory joined with the
// file's relative path).

#ifndef FEEDD_DAEMON_CLI_PROBLEM_REPORT_H_
#define FEEDD_DAEMON_CLI_PROBLEM_REPORT_H_

#include <iosfwd>

#include "config/config.h"
#include "feeds/core/problem.h"

namespace feedd {

void ReportProblems(const Config& config, const Problems& problems, std::ostream& out);

}  // namespace feedd

#endif  // FEEDD_DAEMON_CLI_PROBLEM_REPORT_H_
