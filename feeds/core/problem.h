// feeds/core/problem.h
//
// A Problem is one thing wrong with one input file: where (file, and line
// where there is one) and what. Parsers, the config loader and the catalog
// report problems as values; the caller decides whether to print, count or
// fail. Errors make a file unpublishable; warnings do not.

#ifndef FEEDD_FEEDS_CORE_PROBLEM_H_
#define FEEDD_FEEDS_CORE_PROBLEM_H_

#include <string>
#include <vector>

namespace feedd {

enum class Severity { kWarning, kError };

struct Problem {
  std::string file;  ///< path as the user knows it (relative to the articles dir)
  int line = 0;      ///< 1-based; 0 when the problem concerns the whole file
  Severity severity = Severity::kError;
  std::string message;

  /// "file:line: message" (or "file: message" without a line), with
  /// "warning: " before the message for warnings; one line whatever the
  /// file name or message hold (control characters are escaped).
  std::string ToString() const;
  /// "file:line: message" without the severity, for a log that shows the
  /// level itself ("feedd: warning: ...").
  std::string Located() const;
};

using Problems = std::vector<Problem>;

}  // namespace feedd

#endif  // FEEDD_FEEDS_CORE_PROBLEM_H_
