// daemon/cli/command_line.h
//
// feedd's command line (CLI11): the commands, the options that override the
// config file, and the mapping of every failure to an exit code. `--help`
// and `--version` print on stdout and exit 0; a usage mistake prints the
// error and the usage on stderr and exits 64.

#ifndef FEEDD_DAEMON_CLI_COMMAND_LINE_H_
#define FEEDD_DAEMON_CLI_COMMAND_LINE_H_

#include <iosfwd>

namespace feedd {

/// The config file read when --config is not given and FEEDD_CONFIG is not
/// set, if it exists (FEEDD_CONFIG_FILE in CMake; /etc/feedd/feedd.toml by
/// default).
inline constexpr const char* kDefaultConfigPath = FEEDD_DEFAULT_CONFIG;

int RunCommandLine(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace feedd

#endif  // FEEDD_DAEMON_CLI_COMMAND_LINE_H_
