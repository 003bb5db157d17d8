#include "feeds/problem.h"

#include "feeds/text_util.h"

namespace feedd {

std::string Problem::ToString() const {
  std::string out = EscapeControls(file);
  if (line > 0) out += ":" + std::to_string(line);
  out += ": ";
  if (severity == Severity::kWarning) out += "warning: ";
  out += EscapeControls(message);
  return out;
}

}  // namespace feedd
