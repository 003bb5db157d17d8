// daemon/log.h
//
// Logging for the long-running daemon: one line per message on stderr. Under
// journald (JOURNAL_STREAM set) each line starts with the sd-daemon priority
// prefix ("<4>"), so the journal records the level; on a terminal it reads
// "feedd: warning: ...".
//
// A message is always one line: control characters in it (a newline in a
// title an article supplied) are written as escapes such as "\n".
//
// Thread safety: Log() may be called from any thread; lines never interleave.

#ifndef FEEDD_DAEMON_LOG_H_
#define FEEDD_DAEMON_LOG_H_

#include <string>

namespace feedd {

enum class LogLevel { kError = 3, kWarning = 4, kNotice = 5, kInfo = 6, kDebug = 7 };

void Log(LogLevel level, const std::string& message);

}  // namespace feedd

#endif  // FEEDD_DAEMON_LOG_H_
