#include "feeds/core/problem.h"

#include "feeds/core/text_util.h"

namespace feedd {

std::string Problem::Located() const {
  std::string out = EscapeControls(file);
  if (line > 0) out += ":" + std::to_string(line);
  return out + ": " + EscapeControls(message);
}

std::string Problem::ToString() const {
  if (severity != Severity::kWarning) return Located();
  std::string out = EscapeControls(file);
  if (line > 0) out += ":" + std::to_string(line);
  return out + ": warning: " + EscapeControls(message);
}

}  // namespace feedd
