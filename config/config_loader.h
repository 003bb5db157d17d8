// config/config_loader.h
//
// Reads the TOML configuration (toml++). Unknown tables and keys, values of
// the wrong type and values out of range are errors that name the file and
// line, so `feedd check` can point at them. Relative paths in the file are
// taken relative to the file's directory.

#ifndef FEEDD_CONFIG_CONFIG_LOADER_H_
#define FEEDD_CONFIG_CONFIG_LOADER_H_

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

#include "config/config.h"

namespace feedd {

/// A configuration problem; what() is "file:line: message".
class ConfigError : public std::runtime_error {
 public:
  ConfigError(const std::string& file, int line, const std::string& message);
};

/// Loads |file| over the defaults. Keys left out that derive from others do
/// so: site.base_url from site.link, site.tag_authority from the link's host.
/// Throws ConfigError on any problem.
Config LoadConfig(const std::filesystem::path& file);

/// Loads TOML |text| as if read from |file_name| (for tests and stdin).
/// Relative paths are taken relative to |base_dir|.
Config LoadConfigFromString(const std::string& text, const std::string& file_name,
                            const std::filesystem::path& base_dir);

}  // namespace feedd

#endif  // FEEDD_CONFIG_CONFIG_LOADER_H_
