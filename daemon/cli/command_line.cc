#include "daemon/cli/command_line.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>

#include "config/config_loader.h"
#include "config/listen_address.h"
#include "daemon/base/exit_codes.h"
#include "daemon/cli/commands.h"

namespace fs = std::filesystem;

namespace feedd {
namespace {

struct Options {
  std::string config_file;
  std::string articles_dir;
  std::string state_dir;
  std::string out_dir;
  std::string show_file;
  std::vector<std::string> listen;
  bool config_only = false;
  BuildOptions build;
};

// The config the command runs with: the file named, else the default file
// ($FEEDD_CONFIG, else kDefaultConfigPath) if it exists, else the built-in
// defaults; then the command line overrides.
std::optional<Config> ResolveConfig(const Options& options, std::string* error) {
  const char* env = std::getenv("FEEDD_CONFIG");
  const fs::path default_file = env && *env ? fs::path(env) : fs::path(kDefaultConfigPath);
  Result<Config> loaded = !options.config_file.empty() ? LoadConfig(options.config_file)
                          : fs::exists(default_file)   ? LoadConfig(default_file)
                                                       : Result<Config>(DefaultConfig());
  if (!loaded.ok()) {
    *error = loaded.status().message();
    return std::nullopt;
  }
  Config config = std::move(*loaded);
  if (!options.articles_dir.empty()) config.articles_dir = options.articles_dir;
  if (!options.state_dir.empty()) config.state_dir = options.state_dir;
  if (!options.listen.empty()) config.server.listen = options.listen;
  return config;
}

}  // namespace

int RunCommandLine(int argc, char** argv, std::ostream& out, std::ostream& err) {
  CLI::App app("feedd publishes a folder of news articles as RSS 2.0, Atom 1.0 and JSON Feed 1.1.",
               "feedd");
  app.set_version_flag("--version", std::string("feedd ") + FEEDD_VERSION);
  app.require_subcommand(0, 1);
  app.fallthrough();
  Options options;
  app.add_option("-c,--config", options.config_file,
                 std::string("TOML config file (default: $FEEDD_CONFIG, else ") +
                     kDefaultConfigPath + ", if it exists; else built-in defaults)");
  app.add_option("--articles", options.articles_dir, "Articles directory (overrides articles.dir)");
  app.add_option("--state-dir", options.state_dir, "State directory (overrides state.dir)");
  app.add_option("--listen", options.listen,
                 "ADDR:PORT to serve on, repeatable; port 0 picks a free one (overrides "
                 "server.listen)")
      ->check([](const std::string& v) {
        return ParseListenAddress(v) ? std::string() : "expected ADDR:PORT or [V6ADDR]:PORT";
      });

  CLI::App* serve = app.add_subcommand(
      "serve", "Watch the articles and serve the feeds over HTTP (the default command)");

  CLI::App* build = app.add_subcommand("build", "Write every feed document into a folder once");
  build->add_option("-o,--out", options.out_dir, "Output folder")->required();
  build->add_flag("--feeds-only", options.build.feeds_only,
                  "Only the feeds, their previews and the index: no article pages, archives "
                  "or images");
  build->add_flag("--rewrite-all", options.build.rewrite_all,
                  "Write every file again, also those an earlier build left as they are");
  CLI::App* check =
      app.add_subcommand("check", "Validate the config and every article; list each problem");
  check->add_flag("--config-only", options.config_only,
                  "Validate the config only (before a start or a reload)");
  CLI::App* show = app.add_subcommand("show", "Print how one article file is read");
  show->add_option("file", options.show_file, "Article file")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {  // --help, --version
      app.exit(e, out, err);
      return kExitOk;
    }
    err << "feedd: " << e.what() << "\n\n" << app.help();
    return kExitUsage;
  }

  std::string error;
  const std::optional<Config> config = ResolveConfig(options, &error);
  if (!config) {
    err << error << "\n";
    return kExitConfig;
  }
  if (build->parsed()) {
    BuildOptions build_options = options.build;
    build_options.terminal = &err == &std::cerr && ::isatty(STDERR_FILENO);
    return RunBuild(*config, options.out_dir, out, err, build_options);
  }
  if (check->parsed() && options.config_only) {
    out << "feedd: the config is valid\n";
    return kExitOk;
  }
  if (check->parsed()) return RunCheck(*config, out, err);
  if (show->parsed()) return RunShow(*config, options.show_file, out, err);
  (void)serve;  // serve, or no command at all
  // A reload reads the same file, with the same overrides, again.
  return RunServe(
      *config, [options](std::string* e) { return ResolveConfig(options, e); }, err);
}

}  // namespace feedd
