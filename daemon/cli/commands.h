// daemon/cli/commands.h
//
// The one-shot commands. Each takes what it needs, writes its report to the
// given streams and returns the process exit code (daemon/base/exit_codes.h).

#ifndef FEEDD_DAEMON_CLI_COMMANDS_H_
#define FEEDD_DAEMON_CLI_COMMANDS_H_

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>

#include "config/config.h"
#include "config/config_loader.h"

namespace feedd {

/// `feedd build`: scans the articles, records identities in the state store
/// and writes every document under |out_dir|: feeds, previews, the index,
/// article pages, archives and local images; with |feeds_only|, the feeds,
/// previews and index only. Article problems are reported on |err| and do
/// not fail the build.
int RunBuild(const Config& config, const std::filesystem::path& out_dir, std::ostream& out,
             std::ostream& err, bool feeds_only = false);

/// `feedd check`: parses every article without writing anything and lists
/// each problem as "file:line: message". 0 when there is no error, 65 when
/// an article has one.
int RunCheck(const Config& config, std::ostream& out, std::ostream& err);

/// `feedd serve`: watches the articles and serves the feeds over HTTP until
/// SIGTERM or SIGINT, then drains and returns 0; SIGHUP reloads the config
/// through |reload|. 73 when it cannot listen or open the state store.
int RunServe(const Config& config, ReloadConfig reload, std::ostream& err);

/// `feedd show FILE`: prints every field read from |file|. 65 when it does
/// not parse, 66 when it cannot be read.
int RunShow(const Config& config, const std::filesystem::path& file, std::ostream& out,
            std::ostream& err);

}  // namespace feedd

#endif  // FEEDD_DAEMON_CLI_COMMANDS_H_
