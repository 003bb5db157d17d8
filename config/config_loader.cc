#include "config/config_loader.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>

#include "config/address_range.h"
#include "config/listen_address.h"
#include "feeds/core/dates.h"
#include "feeds/core/fingerprint.h"
#include "feeds/core/urls.h"
#include "feeds/parse/text_decoding.h"

namespace fs = std::filesystem;

namespace feedd {
namespace {

// A configuration problem, on its way to LoadConfigFromString(); what() is
// "file:line: message".
class ConfigError : public std::runtime_error {
 public:
  ConfigError(const std::string& file, int line, const std::string& message)
      : std::runtime_error(file + (line > 0 ? ":" + std::to_string(line) : "") + ": " + message) {}
};

int LineOf(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

// A value quoted in an error message, cut short when it is long.
std::string Shorten(const std::string& value) {
  return value.size() <= 80 ? value : value.substr(0, 77) + "...";
}

// Reads one table's keys into Config fields, and complains about the rest.
class TableReader {
 public:
  TableReader(const toml::table& table, std::string name, const std::string& file)
      : table_(table), name_(std::move(name)), file_(file) {}

  /// Throws for the first key no reader method asked for.
  void RejectUnknownKeys() const {
    for (const auto& [key, node] : table_) {
      if (!known_.count(std::string(key.str()))) {
        throw ConfigError(file_, static_cast<int>(key.source().begin.line),
                          "unknown key '" + std::string(key.str()) + "' in [" + name_ + "]");
      }
    }
  }

  bool Has(const char* key) const { return table_.contains(key); }

  void String(const char* key, std::string* out,
              const std::function<std::string(const std::string&)>& check = nullptr) {
    const toml::node* node = Get(key);
    if (!node) return;
    auto value = node->value<std::string>();
    if (!value) Fail(*node, key, "must be a string");
    if (check) {
      const std::string problem = check(*value);
      if (!problem.empty()) Fail(*node, key, problem);
    }
    *out = *value;
  }

  void Path(const char* key, const fs::path& base, fs::path* out) {
    std::string text;
    String(key, &text, [](const std::string& v) { return v.empty() ? "must not be empty" : ""; });
    if (!text.empty()) *out = fs::path(text).is_absolute() ? fs::path(text) : base / text;
  }

  template <typename Int>
  void Integer(const char* key, Int* out, long long min, long long max) {
    const toml::node* node = Get(key);
    if (!node) return;
    auto value = node->value_exact<int64_t>();
    if (!value) Fail(*node, key, "must be a whole number");
    if (*value < min || *value > max) {
      Fail(*node, key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    }
    *out = static_cast<Int>(*value);
  }

  void Bool(const char* key, bool* out) {
    const toml::node* node = Get(key);
    if (!node) return;
    auto value = node->value_exact<bool>();
    if (!value) Fail(*node, key, "must be true or false");
    *out = *value;
  }

  void StringList(const char* key, std::vector<std::string>* out,
                  const std::function<std::string(const std::string&)>& check = nullptr) {
    const toml::node* node = Get(key);
    if (!node) return;
    const toml::array* array = node->as_array();
    if (!array) Fail(*node, key, "must be a list of strings");
    out->clear();
    for (const toml::node& item : *array) {
      auto value = item.value_exact<std::string>();
      if (!value) Fail(item, key, "must be a list of strings");
      if (check) {
        const std::string problem = check(*value);
        if (!problem.empty()) Fail(item, key, "'" + Shorten(*value) + "' " + problem);
      }
      out->push_back(*value);
    }
  }

  /// |set| is Boilerplate::SetCutFrom or SetDropLines.
  void PatternList(const char* key, Boilerplate* out,
                   bool (Boilerplate::*set)(std::vector<std::string>, std::size_t*, std::string*)) {
    const toml::node* node = Get(key);
    if (!node) return;
    std::vector<std::string> sources;
    StringList(key, &sources);
    std::size_t bad = 0;
    std::string error;
    if (!(out->*set)(sources, &bad, &error)) {
      Fail(*node->as_array()->get(bad), key,
           "'" + Shorten(sources[bad]) +
               "' is not a valid regular expression (RE2 syntax): " + error);
    }
  }

  [[noreturn]] void Fail(const toml::node& node, const char* key, const std::string& what) {
    throw ConfigError(file_, LineOf(node), name_ + "." + key + " " + what);
  }

 private:
  const toml::node* Get(const char* key) {
    known_.insert(key);
    return table_.get(key);
  }

 public:
  /// The tables of an array of tables ([[name.key]]); none when absent.
  std::vector<const toml::table*> Tables(const char* key) {
    std::vector<const toml::table*> tables;
    const toml::node* node = Get(key);
    if (!node) return tables;
    const toml::array* array = node->as_array();
    if (!array) Fail(*node, key, "must be an array of tables ([[" + name_ + "." + key + "]])");
    for (const toml::node& item : *array) {
      if (!item.as_table()) Fail(item, key, "must be an array of tables");
      tables.push_back(item.as_table());
    }
    return tables;
  }
  /// The line |key| is on (0 when absent).
  int Line(const char* key) const {
    const toml::node* node = table_.get(key);
    return node ? LineOf(*node) : 0;
  }

 private:
  const toml::table& table_;
  std::string name_;
  const std::string& file_;
  std::set<std::string> known_;
};

std::string CheckHttpUrl(const std::string& v) {
  const char* const kWhat = "must be an absolute http:// or https:// URL";
  if (v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0) return kWhat;
  // It goes into headers and markup: no spaces, controls or delimiters.
  for (unsigned char c : v) {
    if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"') return kWhat;
  }
  return ParseUrl(v) ? "" : kWhat;
}

std::string HostOf(const std::string& url) {
  const std::optional<UrlParts> parts = ParseUrl(url);
  if (!parts || parts->host.empty()) return "localhost";
  if (parts->host.front() == '[') return "localhost";  // IPv6 literal: no DNS name
  return parts->host;
}

void ReadSite(const toml::table& t, const std::string& file, SiteInfo* site) {
  TableReader r(t, "site", file);
  r.String("title", &site->title);
  r.String("description", &site->description);
  r.String("link", &site->link, CheckHttpUrl);
  r.String("base_url", &site->base_url, CheckHttpUrl);
  if (!r.Has("base_url") && r.Has("link")) site->base_url = site->link;
  if (!site->base_url.empty() && site->base_url.back() != '/') site->base_url += '/';
  r.String("language", &site->language,
           [](const std::string& v) { return v.empty() ? "must not be empty" : ""; });
  r.String("author", &site->author);
  r.String("tag_authority", &site->tag_authority, [](const std::string& v) {
    return v.empty() || v.find_first_of(",: /") != std::string::npos
               ? "must be a domain name or an e-mail address"
               : "";
  });
  if (!r.Has("tag_authority") && r.Has("link")) site->tag_authority = HostOf(site->link);
  r.String("tag_date", &site->tag_date, [](const std::string& v) {
    return v.size() == 10 && ParseDate(v) ? "" : "must be a date like 2026-01-01";
  });
  r.String("item_link", &site->item_link, CheckHttpUrl);
  r.String("icon", &site->icon, CheckHttpUrl);
  r.String("logo", &site->logo, CheckHttpUrl);
  r.RejectUnknownKeys();
}

void ReadFeeds(const toml::table& t, const std::string& file, FeedSettings* feeds) {
  TableReader r(t, "feeds", file);
  r.Integer("items", &feeds->items, 1, 100000);
  r.Bool("category_feeds", &feeds->category_feeds);
  r.Bool("author_feeds", &feeds->author_feeds);
  auto relative_path = [](const std::string& v) {
    return v.empty() || v.front() == '/' || v.find("..") != std::string::npos
               ? "must be a relative path without '..'"
               : "";
  };
  r.String("main_path", &feeds->main_path, relative_path);
  r.String("category_path", &feeds->category_path, [&](const std::string& v) {
    const std::string problem = relative_path(v);
    if (!problem.empty()) return problem;
    return v.find("{category}") == std::string::npos ? std::string("must contain {category}")
                                                     : std::string();
  });
  r.String("author_path", &feeds->author_path, [&](const std::string& v) {
    const std::string problem = relative_path(v);
    if (!problem.empty()) return problem;
    return v.find("{author}") == std::string::npos ? std::string("must contain {author}")
                                                   : std::string();
  });
  r.Integer("archive_max_age", &feeds->archive_max_age, 0, 365 * 24 * 3600);
  r.Integer("size_budget", &feeds->size_budget, 1024, 1LL << 32);
  std::set<std::string> paths = {feeds->main_path};
  for (const toml::table* table : r.Tables("custom")) {
    TableReader c(*table, "feeds.custom", file);
    FeedDefinition def;
    c.String("name", &def.name);
    c.String("path", &def.path, relative_path);
    c.StringList("categories", &def.categories);
    c.StringList("tags", &def.tags);
    c.StringList("authors", &def.authors);
    c.StringList("folders", &def.folders, relative_path);
    c.Integer("items", &def.items, 1, 100000);
    std::string content = "full";
    c.String("content", &content, [](const std::string& v) {
      return v == "full" || v == "summary" ? "" : "must be \"full\" or \"summary\"";
    });
    def.summary_only = content == "summary";
    c.RejectUnknownKeys();
    const int line = static_cast<int>(table->source().begin.line);
    if (def.name.empty() || def.path.empty()) {
      throw ConfigError(file, line, "[[feeds.custom]] needs a name and a path");
    }
    if (!paths.insert(def.path).second) {
      throw ConfigError(file, c.Line("path"),
                        "feeds.custom path '" + def.path + "' is used by another feed");
    }
    feeds->custom.push_back(std::move(def));
  }
  r.Integer("ttl", &feeds->ttl_minutes, 1, 7 * 24 * 60);
  r.String("update_period", &feeds->update_period, [](const std::string& v) {
    return v == "hourly" || v == "daily" || v == "weekly" || v == "monthly" || v == "yearly"
               ? ""
               : "must be one of hourly, daily, weekly, monthly, yearly";
  });
  r.Integer("update_frequency", &feeds->update_frequency, 1, 1000);
  r.RejectUnknownKeys();
}

void ReadServer(const toml::table& t, const std::string& file, ServerConfig* server) {
  TableReader r(t, "server", file);
  r.StringList("listen", &server->listen);
  for (const std::string& address : server->listen) {
    if (!ParseListenAddress(address)) {
      throw ConfigError(file, LineOf(*t.get("listen")),
                        "server.listen '" + address + "' is not ADDR:PORT or [V6ADDR]:PORT");
    }
  }
  r.Integer("threads", &server->threads, 1, 64);
  r.Integer("max_age", &server->max_age, 0, 365 * 24 * 3600);
  r.Integer("max_connections", &server->max_connections, 1, 1000000);
  r.Integer("max_connections_per_address", &server->max_connections_per_address, 0, 1000000);
  r.Integer("header_timeout", &server->header_timeout, 1, 3600);
  r.Integer("idle_timeout", &server->idle_timeout, 1, 3600);
  r.Integer("write_timeout", &server->write_timeout, 1, 3600);
  r.Integer("max_header_bytes", &server->max_header_bytes, 1024, 1 << 20);
  r.Integer("max_target_bytes", &server->max_target_bytes, 64, 1 << 20);
  r.Integer("pipeline_limit", &server->pipeline_limit, 1, 128);
  r.Integer("drain_timeout", &server->drain_timeout, 0, 3600);
  for (const char* key : {"metrics_allow", "health_allow"}) {
    std::vector<std::string>* list =
        std::string_view(key) == "metrics_allow" ? &server->metrics_allow : &server->health_allow;
    r.StringList(key, list);
    for (const std::string& range : *list) {
      if (!ParseAddressRange(range)) {
        throw ConfigError(file, LineOf(*t.get(key)),
                          "server." + std::string(key) + " '" + Shorten(range) +
                              "' is not an address or a range such as 10.0.0.0/8 or ::1");
      }
    }
  }
  r.RejectUnknownKeys();
}

void ReadPollers(const toml::table& t, const std::string& file, const fs::path&, Config* config) {
  TableReader r(t, "pollers", file);
  PollersConfig* pollers = &config->server.pollers;
  r.Bool("enabled", &pollers->enabled);
  if (const toml::node* window = t.get("window"); window && window->is_string()) {
    std::string value;
    r.String("window", &value, [](const std::string& v) {
      return v == "max-age" ? "" : "must be \"max-age\" or a number of seconds";
    });
    pollers->window = 0;
  } else {
    r.Integer("window", &pollers->window, 1, 7 * 24 * 3600);
  }
  r.Integer("max_clients", &pollers->max_clients, 1, 10000000);
  r.StringList("trusted", &pollers->trusted);
  for (const std::string& range : pollers->trusted) {
    if (!ParseAddressRange(range)) {
      throw ConfigError(file, LineOf(*t.get("trusted")),
                        "pollers.trusted '" + Shorten(range) +
                            "' is not an address or a range such as 10.0.0.0/8 or ::1");
    }
  }
  r.RejectUnknownKeys();
}

// A header name (RFC 9110 token); |empty_ok| lets "" mean "none".
std::function<std::string(const std::string&)> HeaderName(bool empty_ok) {
  return [empty_ok](const std::string& v) -> std::string {
    if (v.empty()) return empty_ok ? "" : "must not be empty";
    for (unsigned char c : v) {
      const bool token =
          std::isalnum(c) ||
          std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
      if (!token) return "must be a header name such as xkey or Surrogate-Key";
    }
    return "";
  };
}

void ReadCache(const toml::table& t, const std::string& file, const fs::path&, Config* config) {
  TableReader r(t, "cache", file);
  CacheConfig& cache = config->server.cache;
  r.String("key_header", &cache.key_header, HeaderName(/*empty_ok=*/true));
  r.Integer("stale_while_revalidate", &cache.stale_while_revalidate, 0, 365 * 24 * 3600);
  r.Integer("stale_if_error", &cache.stale_if_error, 0, 365 * 24 * 3600);
  r.RejectUnknownKeys();
}

// [[purge]]: one table per cache endpoint.
void ReadPurges(const toml::node& node, const std::string& file, Config* config) {
  const toml::array* array = node.as_array();
  if (!array)
    throw ConfigError(file, LineOf(node), "'purge' must be an array of tables ([[purge]])");
  std::set<std::string> urls;
  for (const toml::node& item : *array) {
    const toml::table* table = item.as_table();
    if (!table)
      throw ConfigError(file, LineOf(item), "'purge' must be an array of tables ([[purge]])");
    TableReader r(*table, "purge", file);
    PurgeConfig purge;
    r.String("url", &purge.url, CheckHttpUrl);
    r.String("method", &purge.method, [](const std::string& v) {
      return v == "PURGE" || v == "BAN" ? "" : "must be \"PURGE\" or \"BAN\"";
    });
    r.String("key_header", &purge.key_header, HeaderName(/*empty_ok=*/false));
    r.String("secret_header", &purge.secret_header, HeaderName(/*empty_ok=*/false));
    r.String("secret", &purge.secret, [](const std::string& v) {
      for (unsigned char c : v) {
        if (c < 0x20 || c == 0x7f) return "must not hold control characters";
      }
      return "";
    });
    r.RejectUnknownKeys();
    const int line = static_cast<int>(table->source().begin.line);
    if (purge.url.empty()) throw ConfigError(file, line, "[[purge]] needs a url");
    if (!urls.insert(purge.url).second) {
      throw ConfigError(file, r.Line("url"), "purge url '" + purge.url + "' is listed twice");
    }
    config->purges.push_back(std::move(purge));
  }
}

void ReadWatch(const toml::table& t, const std::string& file, WatchConfig* watch) {
  TableReader r(t, "watch", file);
  r.String("mode", &watch->mode, [](const std::string& v) {
    return v == "inotify" || v == "poll" ? "" : "must be \"inotify\" or \"poll\"";
  });
  r.Integer("debounce_ms", &watch->debounce_ms, 0, 60000);
  r.Integer("debounce_max_ms", &watch->debounce_max_ms, 0, 600000);
  r.Integer("rescan_interval", &watch->rescan_interval, 1, 7 * 24 * 3600);
  r.Integer("poll_interval", &watch->poll_interval, 1, 3600);
  r.RejectUnknownKeys();
}

void ReadArticles(const toml::table& t, const std::string& file, const fs::path& base_dir,
                  Config* config) {
  TableReader r(t, "articles", file);
  r.Path("dir", base_dir, &config->articles_dir);
  r.Integer("max_file_size", &config->parse.max_file_size, 1, 1LL << 30);
  r.Integer("max_authors", &config->parse.max_authors, 1, 10000);
  r.Integer("max_categories", &config->parse.max_categories, 1, 10000);
  r.Integer("max_tags", &config->parse.max_tags, 0, 10000);
  r.String("fallback_encoding", &config->parse.fallback_encoding, [](const std::string& v) {
    return KnownCharset(v) ? "" : "'" + v + "' is not a charset iconv knows (try WINDOWS-1251)";
  });
  std::string symlinks = "inside";
  r.String("symlinks", &symlinks, [](const std::string& v) {
    return v == "inside" || v == "ignore" ? "" : "must be \"inside\" or \"ignore\"";
  });
  config->follow_symlinks = symlinks == "inside";
  r.RejectUnknownKeys();
}

void ReadAgency(const toml::table& t, const std::string& file, const fs::path&, Config* config) {
  TableReader r(t, "agency", file);
  r.StringList("roles", &config->parse.agency.roles);
  r.Integer("subheading_max_words", &config->parse.agency.subheading_max_words, 1, 100);
  r.PatternList("cut_from", &config->parse.agency.boilerplate, &Boilerplate::SetCutFrom);
  r.PatternList("drop_lines", &config->parse.agency.boilerplate, &Boilerplate::SetDropLines);
  r.RejectUnknownKeys();
}

void ReadState(const toml::table& t, const std::string& file, const fs::path& base_dir,
               Config* config) {
  TableReader r(t, "state", file);
  r.Path("dir", base_dir, &config->state_dir);
  r.RejectUnknownKeys();
}

void ReadOutput(const toml::table& t, const std::string& file, const fs::path& base_dir,
                Config* config) {
  TableReader r(t, "output", file);
  r.Path("dir", base_dir, &config->output_dir);
  r.RejectUnknownKeys();
}

void ReadWebSub(const toml::table& t, const std::string& file, const fs::path&, Config* config) {
  TableReader r(t, "websub", file);
  r.StringList("hubs", &config->site.hubs, CheckHttpUrl);
  r.StringList("xmlrpc_pings", &config->websub.xmlrpc_pings, CheckHttpUrl);
  r.Integer("timeout", &config->websub.timeout, 1, 600);
  r.Integer("connect_timeout", &config->websub.connect_timeout, 1, 600);
  r.Integer("retry_limit", &config->websub.retry_limit, 1, 1000);
  r.Integer("retry_min_ms", &config->websub.retry_min_ms, 1, 3600 * 1000);
  r.Integer("retry_max_ms", &config->websub.retry_max_ms, 1, 24 * 3600 * 1000);
  r.RejectUnknownKeys();
}

void ReadLog(const toml::table& t, const std::string& file, const fs::path&, Config* config) {
  TableReader r(t, "log", file);
  r.String("level", &config->log.level, [](const std::string& v) {
    return v == "error" || v == "warning" || v == "notice" || v == "info" || v == "debug"
               ? ""
               : "must be \"error\", \"warning\", \"notice\", \"info\" or \"debug\"";
  });
  r.Bool("access", &config->log.access);
  r.RejectUnknownKeys();
}

// Every table of the config file and who reads it, in the order they are
// read.
using SectionReader = void (*)(const toml::table&, const std::string& file,
                               const fs::path& base_dir, Config*);
struct Section {
  const char* name;
  SectionReader read;
};
constexpr Section kSections[] = {
    {"site", [](const toml::table& t, const std::string& file, const fs::path&,
                Config* c) { ReadSite(t, file, &c->site); }},
    {"articles", ReadArticles},
    {"agency", ReadAgency},
    {"feeds", [](const toml::table& t, const std::string& file, const fs::path&,
                 Config* c) { ReadFeeds(t, file, &c->feeds); }},
    {"state", ReadState},
    {"server", [](const toml::table& t, const std::string& file, const fs::path&,
                  Config* c) { ReadServer(t, file, &c->server); }},
    {"watch", [](const toml::table& t, const std::string& file, const fs::path&,
                 Config* c) { ReadWatch(t, file, &c->watch); }},
    {"output", ReadOutput},
    {"websub", ReadWebSub},
    {"log", ReadLog},
    {"pollers", ReadPollers},
    {"cache", ReadCache},
};
// The one top-level array of tables.
constexpr const char* kPurge = "purge";

// Every top-level key names a table of kSections.
void CheckSections(const toml::table& root, const std::string& file) {
  for (const auto& [key, node] : root) {
    const std::string name(key.str());
    if (name == kPurge) continue;  // ReadPurges() checks it
    const bool known = std::any_of(std::begin(kSections), std::end(kSections),
                                   [&](const Section& s) { return name == s.name; });
    if (!known) {
      throw ConfigError(file, static_cast<int>(key.source().begin.line),
                        "unknown table or key '" + name + "'");
    }
    if (!node.is_table()) throw ConfigError(file, LineOf(node), "'" + name + "' must be a table");
  }
}

// The whole config, read from |text|; a problem unwinds, as a ConfigError,
// to LoadConfigFromString().
Config ParseConfig(const std::string& text, const std::string& file, const fs::path& base_dir) {
  toml::table root;
  try {
    root = toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    throw ConfigError(file, static_cast<int>(e.source().begin.line), std::string(e.description()));
  }
  CheckSections(root, file);
  Config config = DefaultConfig();
  config.fingerprint = Fingerprint().Add(text).Add(base_dir.string()).Value();
  for (const Section& section : kSections) {
    if (const toml::table* t = root[section.name].as_table()) {
      section.read(*t, file, base_dir, &config);
    }
  }
  if (const toml::node* purge = root.get(kPurge)) ReadPurges(*purge, file, &config);
  // The default folder is beside the config, as a relative dir would be.
  if (!root["articles"].as_table()) config.articles_dir = base_dir / config.articles_dir;
  return config;
}

}  // namespace

Result<Config> LoadConfigFromString(const std::string& text, const std::string& file,
                                    const fs::path& base_dir) {
  try {
    return ParseConfig(text, file, base_dir);
  } catch (const ConfigError& e) {
    return Status::BadInput(e.what());
  }
}

Result<Config> LoadConfig(const fs::path& file) {
  std::ifstream in(file);
  if (!in) return Status::IoError(file.string() + ": cannot open the config file");
  std::ostringstream text;
  text << in.rdbuf();
  return LoadConfigFromString(text.str(), file.string(), file.parent_path());
}

}  // namespace feedd
