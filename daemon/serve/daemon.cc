#include "daemon/serve/daemon.h"

#include <ostream>
#include <thread>
#include <utility>

#include "config/listen_address.h"
#include "daemon/base/exit_codes.h"
#include "daemon/base/fd_limit.h"
#include "daemon/base/log.h"
#include "daemon/export/static_exporter.h"
#include "daemon/push/curl_ping_transport.h"
#include "daemon/rebuild/site_publisher.h"
#include "daemon/serve/service_manager.h"
#include "feeds/publish/local_images.h"

namespace net = boost::asio;

namespace feedd {
namespace {

std::string UrlOf(const net::ip::tcp::endpoint& endpoint) {
  const std::string host = endpoint.address().is_v6() ? "[" + endpoint.address().to_string() + "]"
                                                      : endpoint.address().to_string();
  return "http://" + host + ":" + std::to_string(endpoint.port()) + "/";
}

// Keys a running daemon cannot change: |next| keeps the values in force,
// and each one that differs is logged.
void KeepRestartOnlyKeys(const Config& current, Config* next) {
  auto keep = [](auto& value, const auto& in_force, const char* key) {
    if (value == in_force) return;
    Log(LogLevel::kWarning,
        std::string(key) + " changes only on restart; keeping the value in force");
    value = in_force;
  };
  keep(next->server.listen, current.server.listen, "server.listen");
  keep(next->server.threads, current.server.threads, "server.threads");
  keep(next->state_dir, current.state_dir, "state.dir");
}

// Lowers server.max_connections to what RLIMIT_NOFILE allows, after
// raising the soft limit as far as the hard one lets it.
Config FitToFdLimit(Config config) {
  const std::size_t asked = static_cast<std::size_t>(config.server.max_connections);
  const std::uint64_t limit = RaiseFdLimit(asked + kReservedDescriptors);
  const ConnectionCap cap = CapConnections(limit, asked);
  if (cap.lowered) {
    Log(LogLevel::kWarning,
        "the open-file limit (RLIMIT_NOFILE) is " + std::to_string(limit) + " (hard limit " +
            std::to_string(HardFdLimit()) + "), too few for server.max_connections = " +
            std::to_string(asked) + " plus " + std::to_string(kReservedDescriptors) +
            " for the daemon itself: serving at most " + std::to_string(cap.max_connections) +
            " connections; raise LimitNOFILE= to " + std::to_string(asked + kReservedDescriptors));
  }
  config.server.max_connections = static_cast<int>(cap.max_connections);
  return config;
}

std::string StatusLine(const RebuildReport& report) {
  auto count = [](std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  return "serving " + count(report.articles, "article", "articles") + " in " +
         count(report.feeds, "feed", "feeds") + " (" +
         count(report.documents, "document", "documents") + ")";
}

}  // namespace

Daemon::Daemon(Config config, ReloadConfig reload, DaemonParts parts)
    : reload_(std::move(reload)),
      parts_(std::move(parts)),
      config_(std::make_shared<const Config>(FitToFdLimit(std::move(config)))),
      ioc_(std::max(1, config_->server.threads)),
      strand_(net::make_strand(ioc_)),
      server_(ioc_, config_->server, config_->log.access, &snapshots_, &metrics_,
              [this] { return MetricsPage(); }),
      debouncer_(strand_, std::chrono::milliseconds(config_->watch.debounce_ms),
                 std::chrono::milliseconds(config_->watch.debounce_max_ms),
                 [this](std::set<std::string> paths, bool rescan,
                        std::chrono::steady_clock::time_point first) {
                   if (rescan) worker_->RequestRescan();
                   if (!paths.empty()) worker_->Enqueue(std::move(paths), first);
                 }),
      watcher_(
          strand_, config_->articles_dir,
          [this](const std::string& rel) {
            metrics_.CountWatchEvent();
            debouncer_.Add(rel);
          },
          [this](bool overflow) {
            if (overflow) {
              metrics_.CountWatchOverflow();
              Log(LogLevel::kWarning, "the inotify queue overflowed; rescanning everything");
            }
            debouncer_.AddRescan();
          },
          [this](const std::string& why) {
            // Not from inside the watcher's own handler: it stops the watcher.
            net::post(strand_, [this, why] { PollInstead(why); });
          },
          nullptr, [](const std::string& what) { Log(LogLevel::kNotice, what); }),
      stop_signals_(ioc_, SIGINT, SIGTERM),
      reload_signals_(ioc_, SIGHUP),
      drain_timer_(strand_),
      watchdog_timer_(strand_) {}

Daemon::~Daemon() = default;

bool Daemon::Listen(std::ostream& err) {
  auto failed = [&err](const Status& why) {
    err << "feedd: " << why.message() << "\n";
    return false;
  };
  const Result<std::vector<InheritedSocket>> inherited = TakeInheritedSockets();
  if (!inherited.ok()) return failed(inherited.status());
  std::vector<net::ip::tcp::endpoint> bound;
  for (const InheritedSocket& socket : *inherited) {
    const Result<net::ip::tcp::endpoint> endpoint = server_.Adopt(socket.fd);
    if (!endpoint.ok()) return failed(endpoint.status());
    Log(LogLevel::kNotice, "socket-activated: serving on " + UrlOf(*endpoint) + " (fd " +
                               std::to_string(socket.fd) + ", " + socket.name + ")");
    bound.push_back(*endpoint);
  }
  // With inherited sockets, the manager owns the addresses.
  if (inherited->empty()) {
    for (const std::string& address : config_->server.listen) {
      const Result<net::ip::tcp::endpoint> endpoint = server_.Listen(*ParseListenAddress(address));
      if (!endpoint.ok()) return failed(endpoint.status());
      Log(LogLevel::kNotice, "listening on " + UrlOf(*endpoint));
      bound.push_back(*endpoint);
    }
  }
  if (parts_.on_listening) parts_.on_listening(bound);
  return true;
}

std::optional<RebuildSite> Daemon::MakeSite(std::shared_ptr<const Config> config,
                                            std::string* why) {
  RebuildSite site;
  if (!config->output_dir.empty()) {
    StaticExporter::Options options;
    // The first export (of everything) renders what changed while feedd
    // was stopped on every core; later ones are a few documents.
    options.threads = std::max(1u, std::thread::hardware_concurrency());
    options.companions = [site_info = config->site](const std::string& route, const Document& doc) {
      return PageImages(route, doc, site_info);
    };
    options.store = store_.get();
    options.salt = ExportSalt(config->fingerprint);
    options.progress = &start_counts_.documents_done;
    site.exporter = std::make_unique<StaticExporter>(config->output_dir, std::move(options));
    const Result<int> stale = site.exporter->Open();
    if (!stale.ok()) {
      *why = stale.status().message();
      return std::nullopt;
    }
    if (*stale > 0) {
      Log(LogLevel::kNotice, "removed " + std::to_string(*stale) +
                                 " temporary files an earlier run left in " +
                                 config->output_dir.string());
    }
  }
  site.publisher = std::make_unique<SitePublisher>(
      *config, store_.get(), std::max(1u, std::thread::hardware_concurrency()),
      ParseDepth::kMetadata, parts_.open_folder);
  site.publisher->CountReads(&start_counts_.files_read);
  site.schedule.rescan_interval = std::chrono::seconds(config->watch.rescan_interval);
  site.config = std::move(config);
  return site;
}

std::chrono::seconds Daemon::Watch(const Config& config) {
  if (parts_.open_folder) {
    watcher_.Stop();  // the folder is not config.articles_dir
  } else if (config.watch.mode != "poll") {
    std::string why;
    if (watcher_.Restart(config.articles_dir, &why)) {
      if (std::exchange(polling_, false)) {
        Log(LogLevel::kNotice,
            "watching " + config.articles_dir.string() + " with inotify again; polling stops");
      }
      return std::chrono::seconds(0);
    }
    polling_ = true;
    Log(LogLevel::kWarning, "cannot watch with inotify (" + why + "); polling every " +
                                std::to_string(config.watch.poll_interval) +
                                " s instead, until a reload tries inotify again");
  } else {
    watcher_.Stop();
  }
  return std::chrono::seconds(config.watch.poll_interval);
}

void Daemon::PollInstead(const std::string& why) {
  if (stopping_ || parts_.open_folder) return;
  Log(LogLevel::kWarning, "cannot watch a folder with inotify (" + why + "); polling every " +
                              std::to_string(config_->watch.poll_interval) +
                              " s instead, until a reload tries inotify again");
  polling_ = true;
  watcher_.Stop();
  std::string error;
  std::optional<RebuildSite> site = MakeSite(config_, &error);
  if (!site) {
    Log(LogLevel::kError, "cannot switch to polling: " + error);
    return;
  }
  site->schedule.poll_interval = std::chrono::seconds(config_->watch.poll_interval);
  worker_->Replace(std::move(*site));
}

int Daemon::Run(std::ostream& err) {
  SetLogLevel(*ParseLogLevel(config_->log.level));
  if (!Listen(err) || !OpenStore(err)) return kExitCantCreate;
  std::string why;
  std::optional<RebuildSite> site = MakeSite(config_, &why);
  if (!site) {
    err << "feedd: " << why << "\n";
    return kExitCantCreate;
  }
  // The watches exist before the first scan: nothing falls between them.
  site->schedule.poll_interval = Watch(*config_);
  MakeWorker(std::move(*site));
  ping_sender_->Start();
  start_progress_ = std::make_unique<ProgressLine>(
      [](const std::string& line) {
        // The log line has its own "feedd: " prefix.
        Log(LogLevel::kNotice, "starting: " + line.substr(line.find(' ') + 1));
      },
      &start_counts_);
  worker_->Start();
  server_.Start();
  WaitForSignals();
  if (const auto interval = WatchdogInterval()) {
    net::post(strand_, [this, interval] { Heartbeat(*interval); });
  }
  RunLoop();
  worker_->Stop();
  ping_sender_->Stop();
  Log(LogLevel::kNotice, "stopped");
  return exit_code_;
}

bool Daemon::OpenStore(std::ostream& err) {
  auto failed = [&err](const Status& why) {
    err << "feedd: " << why.message() << "\n";
    return false;
  };
  Result<std::unique_ptr<StateStore>> store = StateStore::Open(config_->state_dir);
  if (!store.ok()) return failed(store.status());
  // The ping sender's own connection: it writes from its own thread.
  Result<std::unique_ptr<StateStore>> sender_store = StateStore::Open(config_->state_dir);
  if (!sender_store.ok()) return failed(sender_store.status());
  store_ = std::move(*store);
  ping_sender_ = std::make_unique<PingSender>(std::move(*sender_store), PingSettingsFrom(*config_),
                                              &metrics_, std::make_unique<CurlPingTransport>());
  if (Status loaded = ping_sender_->Load(); !loaded.ok()) return failed(loaded);
  return true;
}

void Daemon::MakeWorker(RebuildSite site) {
  worker_ = std::make_unique<RebuildWorker>(
      std::move(site), &snapshots_, [this] { StopWith(kExitCantCreate); },
      [this](const RebuildReport& report) {
        // On the worker's thread, once the snapshot is served: queue (and
        // store) the purges and pings before anything else can happen.
        const auto now = std::chrono::system_clock::now();
        const auto changed =
            now - std::chrono::duration_cast<std::chrono::system_clock::duration>(
                      report.change_to_served.value_or(std::chrono::steady_clock::duration{}));
        const std::int64_t changed_ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(changed.time_since_epoch())
                .count();
        if (!report.purge_keys.empty()) {
          const Status queued = ping_sender_->Purge(report.purge_keys, changed_ms);
          if (!queued.ok()) Log(LogLevel::kError, "cannot store purges: " + queued.message());
        }
        if (!report.changed_feeds.empty()) {
          const Status queued = ping_sender_->Enqueue(report.changed_feeds, changed_ms);
          if (!queued.ok()) Log(LogLevel::kError, "cannot store pings: " + queued.message());
        }
        net::post(strand_, [this, report] { OnRebuilt(report); });
      });
}

void Daemon::WaitForSignals() {
  stop_signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    Log(LogLevel::kNotice, "stopping:", {{"signal", signal == SIGINT ? "SIGINT" : "SIGTERM"}});
    StopWith(kExitOk);
  });
  WaitForReload();
}

void Daemon::WaitForReload() {
  reload_signals_.async_wait([this](const boost::system::error_code& ec, int) {
    if (ec) return;
    net::post(strand_, [this] { Reload(); });
    WaitForReload();
  });
}

void Daemon::RunLoop() {
  const unsigned threads = static_cast<unsigned>(std::max(1, config_->server.threads));
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; ++i) pool.emplace_back([this] { ioc_.run(); });
  ioc_.run();
  for (std::thread& t : pool) t.join();
}

void Daemon::Reload() {
  if (stopping_) return;
  NotifyReloading();
  Log(LogLevel::kNotice, "reloading:", {{"signal", "SIGHUP"}});
  auto refuse = [this](const std::string& why) {
    metrics_.CountReload(false);
    Log(LogLevel::kError, "reload refused, the config in force stays: " + why);
    NotifyReady(status_);
  };
  std::string error;
  std::optional<Config> next = reload_ ? reload_(&error) : std::nullopt;
  if (!next) return refuse(error);
  KeepRestartOnlyKeys(*config_, &*next);
  auto config = std::make_shared<const Config>(FitToFdLimit(std::move(*next)));
  std::optional<RebuildSite> site = MakeSite(config, &error);
  if (!site) return refuse(error);

  SetLogLevel(*ParseLogLevel(config->log.level));
  server_.Reconfigure(config->server, config->log.access);
  debouncer_.SetWindows(std::chrono::milliseconds(config->watch.debounce_ms),
                        std::chrono::milliseconds(config->watch.debounce_max_ms));
  site->schedule.poll_interval = Watch(*config);
  ping_sender_->Reconfigure(PingSettingsFrom(*config));
  config_ = std::move(config);
  metrics_.CountReload(true);
  // READY=1 follows once the worker has rebuilt with it (OnRebuilt).
  worker_->Replace(std::move(*site));
}

void Daemon::OnRebuilt(const RebuildReport& report) {
  metrics_.CountRebuild(report.took, report.failed, report.errors, report.warnings,
                        report.export_failures);
  if (report.change_to_served) metrics_.ObserveChangeToServed(*report.change_to_served);
  if (stopping_) return;
  if (!report.failed) status_ = StatusLine(report);
  if (report.failed && !ready_) {
    // Not ready: no READY=1 (and /readyz answers 503) until a full scan
    // succeeds; the manager's status says why.
    const std::string waiting = "not ready: " + report.error;
    if (waiting != status_) NotifyStatus(status_ = waiting);
  } else if (report.first && !report.failed) {
    start_progress_.reset();
    ready_ = true;
    NotifyReady(status_);
    if (parts_.on_ready) parts_.on_ready(status_);
  } else if (report.reconfigured) {
    if (report.failed) {
      Log(LogLevel::kError, "reloaded, but the rebuild failed (see above)");
    } else {
      Log(LogLevel::kNotice, "reloaded:",
          {{"articles", std::to_string(report.articles)},
           {"documents", std::to_string(report.documents)},
           {"ms",
            std::to_string(
                std::chrono::duration_cast<std::chrono::milliseconds>(report.took).count())}});
    }
    NotifyReady(status_);
  } else if (report.changed > 0) {
    NotifyStatus(status_);
  }
}

void Daemon::Heartbeat(std::chrono::microseconds interval) {
  // From the event loop, so a wedged loop stops the heartbeat; withheld
  // too while a rebuild runs longer than the interval, so a wedged worker
  // does. Before the first index, TimeoutStartSec= is the limit instead.
  const bool wedged = ready_ && worker_->busy_for() >= interval;
  if (wedged && !wedged_) {
    Log(LogLevel::kError, "a rebuild has run for longer than the watchdog interval (" +
                              std::to_string(interval.count() / 1000) +
                              " ms); withholding the watchdog heartbeat");
  }
  wedged_ = wedged;
  if (!wedged) NotifyWatchdog();
  watchdog_timer_.expires_after(interval / 2);
  watchdog_timer_.async_wait([this, interval](const boost::system::error_code& ec) {
    if (!ec) Heartbeat(interval);
  });
}

std::string Daemon::MetricsPage() const {
  Metrics::Gauges gauges;
  if (SnapshotPtr snapshot = snapshots_.Current()) {
    gauges.ready = true;
    gauges.articles = snapshot->articles;
    gauges.documents = snapshot->routes.size();
  }
  gauges.open_connections = server_.connections();
  gauges.poller_clients = server_.poller_clients();
  return metrics_.Render(gauges);
}

void Daemon::Stop() {
  Log(LogLevel::kNotice, "stopping:", {{"asked", "Stop()"}});
  StopWith(kExitOk);
}

void Daemon::StopWith(int code) {
  net::post(strand_, [this, code] {
    if (std::exchange(stopping_, true)) return;
    NotifyStopping();
    exit_code_ = code;
    boost::system::error_code ignored;
    stop_signals_.cancel(ignored);
    reload_signals_.cancel(ignored);
    watchdog_timer_.cancel();
    server_.Drain();
    watcher_.Stop();
    debouncer_.Stop();
    StopWhenDrained(std::chrono::steady_clock::now() +
                    std::chrono::seconds(config_->server.drain_timeout));
  });
}

void Daemon::StopWhenDrained(std::chrono::steady_clock::time_point deadline) {
  // Waits for the connections to finish, at most until |deadline|.
  if (server_.connections() == 0 || std::chrono::steady_clock::now() >= deadline) {
    if (server_.connections() > 0) {
      Log(LogLevel::kWarning, std::to_string(server_.connections()) +
                                  " connections still open at the drain timeout; closing");
    }
    ioc_.stop();
    return;
  }
  drain_timer_.expires_after(std::chrono::milliseconds(20));
  drain_timer_.async_wait([this, deadline](const boost::system::error_code& ec) {
    if (!ec) StopWhenDrained(deadline);
  });
}

}  // namespace feedd
