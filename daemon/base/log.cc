#include "daemon/base/log.h"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>

#include "feeds/core/text_util.h"

namespace feedd {
namespace {

std::atomic<int> threshold{static_cast<int>(LogLevel::kInfo)};

// Whether stderr is the journal: JOURNAL_STREAM holds "device:inode" of
// the stream systemd connected, which a redirected stderr no longer is.
bool StderrIsJournal() {
  const char* stream = std::getenv("JOURNAL_STREAM");
  if (!stream) return false;
  unsigned long long dev = 0, ino = 0;
  if (std::sscanf(stream, "%llu:%llu", &dev, &ino) != 2) return false;
  struct stat st;
  if (::fstat(STDERR_FILENO, &st) != 0) return false;
  return static_cast<unsigned long long>(st.st_dev) == dev &&
         static_cast<unsigned long long>(st.st_ino) == ino;
}

std::string Timestamp() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buffer;
}

void AppendValue(std::string* out, std::string_view value) {
  const std::string escaped = EscapeControls(value);
  if (!escaped.empty() && escaped.find_first_of(" \"=\\") == std::string::npos) {
    out->append(escaped);
    return;
  }
  out->push_back('"');
  for (char c : escaped) {
    if (c == '"') out->push_back('\\');
    out->push_back(c);
  }
  out->push_back('"');
}

}  // namespace

std::optional<LogLevel> ParseLogLevel(std::string_view name) {
  if (name == "error") return LogLevel::kError;
  if (name == "warning") return LogLevel::kWarning;
  if (name == "notice") return LogLevel::kNotice;
  if (name == "info") return LogLevel::kInfo;
  if (name == "debug") return LogLevel::kDebug;
  return std::nullopt;
}

void SetLogLevel(LogLevel level) { threshold.store(static_cast<int>(level)); }

bool LogEnabled(LogLevel level) { return static_cast<int>(level) <= threshold.load(); }

std::string FormatLogLine(std::string_view message, std::initializer_list<LogField> fields) {
  std::string line;
  // One message is one line: a newline in a value an article supplied
  // could otherwise forge a log line of its own.
  line += EscapeControls(message);
  for (const LogField& field : fields) {
    line.push_back(' ');
    line.append(field.key);
    line.push_back('=');
    AppendValue(&line, field.value);
  }
  return line;
}

void Log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields) {
  if (!LogEnabled(level)) return;
  static std::mutex mu;
  static const bool journal = StderrIsJournal();
  std::string line;
  if (journal) {
    line = "<" + std::to_string(static_cast<int>(level)) + ">";  // the journal adds the rest
  } else {
    line = Timestamp() + "feedd: ";
    if (level == LogLevel::kError) line += "error: ";
    if (level == LogLevel::kWarning) line += "warning: ";
  }
  line += FormatLogLine(message, fields);
  line += "\n";
  std::lock_guard<std::mutex> lock(mu);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace feedd
