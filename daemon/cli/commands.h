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

struct BuildOptions {
  /// The feeds, previews and index only: no pages, archives or images.
  bool feeds_only = false;
  /// Write every document again, whatever earlier runs wrote.
  bool rewrite_all = false;
  /// |err| is a terminal: the progress line is redrawn in place.
  bool terminal = false;
};

/// `feedd build`: scans the articles, records identities in the state store
/// and writes every document under |out_dir|: feeds, previews, the index,
/// article pages, archives and local images. Only documents whose bytes
/// differ from what an earlier run wrote there are written, and the files
/// of documents that are gone are deleted. Progress and article problems
/// are reported on |err|; the site is written even when articles have
/// errors, and the exit code is then 65.
int RunBuild(const Config& config, const std::filesystem::path& out_dir, std::ostream& out,
             std::ostream& err, const BuildOptions& options = {});

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
