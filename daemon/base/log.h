// daemon/base/log.h
//
// Logging for the long-running daemon: one line per event on stderr, a
// message followed by key=value fields. When stderr is the journal
// (JOURNAL_STREAM names it, as systemd.exec(5) describes) each line starts
// with the sd-daemon priority prefix ("<4>"), so the journal records the
// level and adds the time; elsewhere it starts with a UTC timestamp and
// reads "2026-11-28T19:30:00.123Z feedd: warning: ...".
//
// A line is always one line: control characters in a message or a value (a
// newline in a title an article supplied) are written as escapes such as
// "\n", and a value with spaces, quotes or '=' is quoted.
//
// Thread safety: every function may be called from any thread; lines never
// interleave.

#ifndef FEEDD_DAEMON_BASE_LOG_H_
#define FEEDD_DAEMON_BASE_LOG_H_

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace feedd {

enum class LogLevel { kError = 3, kWarning = 4, kNotice = 5, kInfo = 6, kDebug = 7 };

/// "error", "warning", "notice", "info", "debug"; nullopt for anything else.
std::optional<LogLevel> ParseLogLevel(std::string_view name);

/// Lines less severe than |level| are dropped from now on. Default: info.
void SetLogLevel(LogLevel level);
bool LogEnabled(LogLevel level);

struct LogField {
  std::string_view key;
  std::string value;
};

void Log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields = {});

/// What Log() writes after its prefix ("<4>" for the journal; else the
/// timestamp, "feedd: " and "warning: " or "error: "): "message key=value".
std::string FormatLogLine(std::string_view message, std::initializer_list<LogField> fields);

}  // namespace feedd

#endif  // FEEDD_DAEMON_BASE_LOG_H_
