// config/config.h
//
// Everything feedd is configured with, as plain values. Defaults are the
// built-in ones, used for every key a config file leaves out and when there
// is no config file at all. config/feedd.toml documents each key.

#ifndef FEEDD_CONFIG_CONFIG_H_
#define FEEDD_CONFIG_CONFIG_H_

#include <filesystem>
#include <string>

#include "feeds/parse_options.h"
#include "feeds/site.h"

namespace feedd {

struct Config {
  /// [articles] dir: where the article files are. Default: "articles".
  std::filesystem::path articles_dir = "articles";
  /// [state] dir: where the state store lives. Default: $STATE_DIRECTORY
  /// (set by systemd's StateDirectory=), else /var/lib/feedd.
  std::filesystem::path state_dir;
  ParseOptions parse;  ///< [articles] max_file_size, [agency]
  SiteInfo site;       ///< [site]
  FeedSettings feeds;  ///< [feeds]
};

/// The built-in defaults, with derived values filled in.
Config DefaultConfig();

}  // namespace feedd

#endif  // FEEDD_CONFIG_CONFIG_H_
