#include "daemon/log.h"

#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "feeds/text_util.h"

namespace feedd {

void Log(LogLevel level, const std::string& raw) {
  static std::mutex mu;
  static const bool journal = std::getenv("JOURNAL_STREAM") != nullptr;
  // One message is one line: a newline in a value an article supplied
  // could otherwise forge a log line of its own.
  const std::string message = EscapeControls(raw);
  std::string line;
  if (journal) {
    line = "<" + std::to_string(static_cast<int>(level)) + ">" + message + "\n";
  } else {
    const char* prefix = level == LogLevel::kError     ? "error: "
                         : level == LogLevel::kWarning ? "warning: "
                                                       : "";
    line = std::string("feedd: ") + prefix + message + "\n";
  }
  std::lock_guard<std::mutex> lock(mu);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace feedd
