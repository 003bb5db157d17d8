// daemon/base/exit_codes.h
//
// Process exit codes, from BSD's sysexits.h so scripts and systemd can tell
// a usage mistake from a bad config from bad input.

#ifndef FEEDD_DAEMON_BASE_EXIT_CODES_H_
#define FEEDD_DAEMON_BASE_EXIT_CODES_H_

namespace feedd {

inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 64;       ///< EX_USAGE: bad command line
inline constexpr int kExitDataError = 65;   ///< EX_DATAERR: articles have errors
inline constexpr int kExitNoInput = 66;     ///< EX_NOINPUT: a named file is missing
inline constexpr int kExitSoftware = 70;    ///< EX_SOFTWARE: internal error
inline constexpr int kExitCantCreate = 73;  ///< EX_CANTCREAT: output or state not writable
inline constexpr int kExitConfig = 78;      ///< EX_CONFIG: bad configuration

}  // namespace feedd

#endif  // FEEDD_DAEMON_BASE_EXIT_CODES_H_
