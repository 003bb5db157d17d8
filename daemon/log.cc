#include "daemon/log.h"

#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace feedd {

namespace {

// One message is one line: a newline (or any control character) in a value
// an article supplied could otherwise forge a log line of its own.
std::string OneLine(const std::string& message) {
  std::string out;
  out.reserve(message.size());
  for (unsigned char c : message) {
    if (c >= 0x20 && c != 0x7F) {
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

void Log(LogLevel level, const std::string& raw) {
  static std::mutex mu;
  static const bool journal = std::getenv("JOURNAL_STREAM") != nullptr;
  const std::string message = OneLine(raw);
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
