// config/config.h
//
// Everything feedd is configured with, as plain values. Defaults are the
// built-in ones, used for every key a config file leaves out and when there
// is no config file at all. config/feedd.toml documents each key.

#ifndef FEEDD_CONFIG_CONFIG_H_
#define FEEDD_CONFIG_CONFIG_H_

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "feeds/core/site.h"
#include "feeds/parse/parse_options.h"

namespace feedd {

/// [pollers]: manners for feed readers (daemon/http/poller_policy.h).
struct PollersConfig {
  /// 429 for an unconditional repeat of a feed inside the window. Default: true.
  bool enabled = true;
  /// Seconds a client should wait before fetching a feed in full again;
  /// 0: the document's max-age (server.max_age). Default: 0 ("max-age").
  int window = 0;
  /// (client, feed) pairs remembered; the least recently seen go first.
  /// Default: 100000.
  int max_clients = 100000;
  /// Addresses (CIDR) exempt from the policy, and the only ones whose
  /// X-Forwarded-For names the client. Default: none.
  std::vector<std::string> trusted;
};

/// [cache]: what responses tell the caches in front of feedd (Varnish
/// edges, a CDN, nginx proxy_cache). Part of ServerConfig: it is all
/// response headers.
struct CacheConfig {
  /// The response header naming a document's surrogate keys (doc:<path>,
  /// feed:<key>, article:<id>): "xkey" (Varnish), "Surrogate-Key",
  /// "Cache-Tag", any header name; "" sends none. Default: "xkey".
  std::string key_header = "xkey";
  /// Cache-Control stale-while-revalidate and stale-if-error, seconds; 0
  /// leaves the directive out. Defaults: 30, 86400.
  int stale_while_revalidate = 30;
  int stale_if_error = 86400;
};

/// [[purge]]: one cache endpoint feedd tells which keys changed.
struct PurgeConfig {
  std::string url;                        ///< where the purge goes (http or https)
  std::string method = "PURGE";           ///< "PURGE" (feedd.vcl: soft purge) or "BAN" (hard)
  std::string key_header = "xkey-purge";  ///< the request header with the keys
  std::string secret_header = "X-Purge-Secret";  ///< sent only when |secret| is set
  std::string secret;                            ///< Default: none.
  bool operator==(const PurgeConfig&) const = default;
};

/// [server]: the HTTP endpoint of `feedd serve`.
struct ServerConfig {
  /// Addresses to listen on, "ADDR:PORT" or "[V6ADDR]:PORT"; port 0 picks a
  /// free port. Default: 127.0.0.1:8080.
  std::vector<std::string> listen = {"127.0.0.1:8080"};
  int threads = 2;             ///< I/O threads. Default: 2.
  int max_age = 300;           ///< Cache-Control max-age, seconds. Default: 300.
  int max_connections = 1024;  ///< Open at once; the longest idle makes room. Default: 1024.
  int max_connections_per_address = 256;  ///< From one client address; 0: any. Default: 256.
  int header_timeout = 10;                ///< Seconds to receive a request's header. Default: 10.
  int idle_timeout = 60;        ///< Seconds a keep-alive connection may idle. Default: 60.
  int write_timeout = 30;       ///< Seconds one write may wait for the client. Default: 30.
  int max_header_bytes = 8192;  ///< Larger request headers get 431. Default: 8192.
  int max_target_bytes = 2048;  ///< Longer request targets get 414. Default: 2048.
  int pipeline_limit = 8;       ///< Queued pipelined responses per connection. Default: 8.
  int drain_timeout = 5;        ///< Seconds to finish responses on SIGTERM. Default: 5.
  /// Client addresses (CIDR) that may read /metrics. Default: loopback.
  std::vector<std::string> metrics_allow = {"127.0.0.0/8", "::1"};
  /// Client addresses (CIDR) that may read /livez, /readyz and /healthz.
  /// Default: any.
  std::vector<std::string> health_allow = {"0.0.0.0/0", "::/0"};
  PollersConfig pollers;  ///< [pollers], a table of its own
  CacheConfig cache;      ///< [cache]
};

/// [watch]: how `feedd serve` notices changed articles.
struct WatchConfig {
  /// "inotify" (falls back to polling where inotify cannot work) or "poll".
  std::string mode = "inotify";
  int debounce_ms = 100;       ///< Quiet window after the last change. Default: 100.
  int debounce_max_ms = 1000;  ///< Longest wait while changes keep coming. Default: 1000.
  int rescan_interval = 600;   ///< Seconds between safety-net full rescans. Default: 600.
  int poll_interval = 2;       ///< Seconds between scans in poll mode. Default: 2.
};

/// [websub]: who hears of every change. The hubs themselves are in
/// SiteInfo::hubs, as every feed advertises them.
struct WebSubConfig {
  /// XML-RPC weblogUpdates.extendedPing endpoints (legacy ping services).
  std::vector<std::string> xmlrpc_pings;
  int timeout = 10;           ///< Seconds one ping may take in all. Default: 10.
  int connect_timeout = 5;    ///< Seconds to connect. Default: 5.
  int retry_limit = 12;       ///< Attempts before a ping is given up. Default: 12.
  int retry_min_ms = 1000;    ///< First retry delay; doubles each time. Default: 1000.
  int retry_max_ms = 300000;  ///< Longest retry delay. Default: 300000 (5 min).
};

/// [log]: what `feedd serve` writes to stderr (the journal under systemd).
struct LogConfig {
  /// The least severe level written: "error", "warning", "notice", "info"
  /// or "debug". Default: "info".
  std::string level = "info";
  /// One line per request in the combined log format. Default: false.
  bool access = false;
};

struct Config {
  /// [articles] dir: where the article files are. Default: "articles".
  std::filesystem::path articles_dir = "articles";
  /// [articles] symlinks: "inside" follows symbolic links whose target stays
  /// inside articles_dir (true); "ignore" follows none. Links that lead
  /// outside are never followed. Default: "inside".
  bool follow_symlinks = true;
  /// [state] dir: where the state store lives. Default: $STATE_DIRECTORY
  /// (set by systemd's StateDirectory=), else /var/lib/feedd.
  std::filesystem::path state_dir;
  ParseOptions parse;   ///< [articles] max_file_size, [agency]
  SiteInfo site;        ///< [site]
  FeedSettings feeds;   ///< [feeds]
  ServerConfig server;  ///< [server]
  WatchConfig watch;    ///< [watch]
  LogConfig log;        ///< [log]
  WebSubConfig websub;  ///< [websub] (hubs: site.hubs)
  /// [[purge]]: the cache endpoints told of every change (retried on the
  /// [websub] schedule). Default: none.
  std::vector<PurgeConfig> purges;
  /// [output] dir: where `feedd serve` also writes every document and its
  /// .gz for static hosting. Default: empty, no static export.
  std::filesystem::path output_dir;
  /// Of the text (and folder) the config was loaded from; 0: the defaults.
  /// What the static export salts its fingerprints with.
  std::uint64_t fingerprint = 0;
};

/// The built-in defaults, with derived values filled in.
Config DefaultConfig();

}  // namespace feedd

#endif  // FEEDD_CONFIG_CONFIG_H_
