// config/config_loader.h
//
// Reads the TOML configuration (toml++). Unknown tables and keys, values of
// the wrong type and values out of range are errors that name the file and
// line, so `feedd check` can point at them. Relative paths in the file are
// taken relative to the file's directory.

#ifndef FEEDD_CONFIG_CONFIG_LOADER_H_
#define FEEDD_CONFIG_CONFIG_LOADER_H_

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "config/config.h"
#include "feeds/core/status.h"

namespace feedd {

/// Loads |file| over the defaults. Keys left out that derive from others do
/// so: site.base_url from site.link, site.tag_authority from the link's host.
/// Any problem is a kBadInput error, "file:line: message" (an I/O error
/// when the file cannot be read).
Result<Config> LoadConfig(const std::filesystem::path& file);

/// Loads TOML |text| as if read from |file_name| (for tests and stdin).
/// Relative paths are taken relative to |base_dir|.
Result<Config> LoadConfigFromString(const std::string& text, const std::string& file_name,
                                    const std::filesystem::path& base_dir);

/// Reads the config again for a reload; nothing, with the reason in
/// |error|, when it is not valid.
using ReloadConfig = std::function<std::optional<Config>(std::string* error)>;

}  // namespace feedd

#endif  // FEEDD_CONFIG_CONFIG_LOADER_H_
