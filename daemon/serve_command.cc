// `feedd serve`: the long-running daemon. Wiring only; each part is its own
// unit. See daemon/commands.h.
//
// Threads: the io_context (server.threads of them) runs the listeners, the
// sessions, the watcher, the debouncer and the signals; the RebuildWorker
// runs parse -> index -> render on its own thread and hands snapshots over
// through the SnapshotHolder.

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <ostream>
#include <thread>
#include <utility>

#include "config/config_loader.h"
#include "daemon/change_debouncer.h"
#include "daemon/commands.h"
#include "daemon/directory_watcher.h"
#include "daemon/exit_codes.h"
#include "daemon/http/server.h"
#include "daemon/log.h"
#include "daemon/rebuild_worker.h"
#include "daemon/site_publisher.h"
#include "daemon/state_store.h"
#include "daemon/static_exporter.h"

namespace net = boost::asio;

namespace feedd {
namespace {

std::string UrlOf(const net::ip::tcp::endpoint& endpoint) {
  const std::string host = endpoint.address().is_v6() ? "[" + endpoint.address().to_string() + "]"
                                                      : endpoint.address().to_string();
  return "http://" + host + ":" + std::to_string(endpoint.port()) + "/";
}

// Waits for the connections to finish, at most |deadline|, then stops |ioc|.
void StopWhenDrained(net::io_context& ioc, net::steady_timer& timer, http::Server& server,
                     std::chrono::steady_clock::time_point deadline) {
  if (server.connections() == 0 || std::chrono::steady_clock::now() >= deadline) {
    if (server.connections() > 0) {
      Log(LogLevel::kWarning, std::to_string(server.connections()) +
                                  " connections still open at the drain timeout; closing");
    }
    ioc.stop();
    return;
  }
  timer.expires_after(std::chrono::milliseconds(20));
  timer.async_wait([&ioc, &timer, &server, deadline](const boost::system::error_code& ec) {
    if (!ec) StopWhenDrained(ioc, timer, server, deadline);
  });
}

}  // namespace

int RunServe(const Config& config, std::ostream& err) {
  const unsigned threads = static_cast<unsigned>(config.server.threads);
  net::io_context ioc(static_cast<int>(threads));
  SnapshotHolder snapshots;
  http::Server server(ioc, config.server, &snapshots);
  try {
    for (const std::string& address : config.server.listen) {
      const auto endpoint = server.Listen(*ParseListenAddress(address));
      Log(LogLevel::kNotice, "listening on " + UrlOf(endpoint));
    }
  } catch (const std::system_error& e) {
    err << "feedd: " << e.what() << "\n";
    return kExitCantCreate;
  }

  std::unique_ptr<StateStore> store;
  std::unique_ptr<SitePublisher> publisher;
  try {
    store = std::make_unique<StateStore>(config.state_dir);
    publisher = std::make_unique<SitePublisher>(config, store.get(),
                                                std::max(1u, std::thread::hardware_concurrency()));
  } catch (const StateStoreError& e) {
    err << "feedd: " << e.what() << "\n";
    return kExitCantCreate;
  }
  std::unique_ptr<StaticExporter> exporter;
  if (!config.output_dir.empty()) {
    try {
      exporter = std::make_unique<StaticExporter>(config.output_dir);
      if (int stale = exporter->RemoveStaleTempFiles(); stale > 0) {
        Log(LogLevel::kNotice, "removed " + std::to_string(stale) +
                                   " temporary files an earlier run left in " +
                                   config.output_dir.string());
      }
    } catch (const std::filesystem::filesystem_error& e) {
      err << "feedd: " << e.what() << "\n";
      return kExitCantCreate;
    }
  }

  // Watching decides the schedule: inotify, or polling where it cannot work.
  auto strand = net::make_strand(ioc);
  RebuildSchedule schedule;
  schedule.rescan_interval = std::chrono::seconds(config.watch.rescan_interval);
  std::unique_ptr<RebuildWorker> worker;
  ChangeDebouncer debouncer(strand, std::chrono::milliseconds(config.watch.debounce_ms),
                            std::chrono::milliseconds(config.watch.debounce_max_ms),
                            [&worker](std::set<std::string> paths, bool rescan) {
                              if (rescan) worker->RequestRescan();
                              if (!paths.empty()) worker->Enqueue(std::move(paths));
                            });
  DirectoryWatcher watcher(
      strand, config.articles_dir, [&debouncer](const std::string& rel) { debouncer.Add(rel); },
      [&debouncer] { debouncer.AddRescan(); });
  bool polling = config.watch.mode == "poll";
  if (!polling) {
    std::string why;
    if (!watcher.Start(&why)) {
      polling = true;
      Log(LogLevel::kWarning, "cannot watch with inotify (" + why + "); polling every " +
                                  std::to_string(config.watch.poll_interval) + " s instead");
    }
  }
  if (polling) schedule.poll_interval = std::chrono::seconds(config.watch.poll_interval);
  net::signal_set signals(ioc, SIGINT, SIGTERM);
  net::steady_timer drain_timer(ioc);
  int exit_code = kExitOk;
  bool stopping = false;  // on the strand
  auto stop = [&](int code) {
    net::post(strand, [&, code] {
      if (std::exchange(stopping, true)) return;
      exit_code = code;
      signals.cancel();
      server.Drain();
      watcher.Stop();
      debouncer.Stop();
      StopWhenDrained(
          ioc, drain_timer, server,
          std::chrono::steady_clock::now() + std::chrono::seconds(config.server.drain_timeout));
    });
  };
  worker = std::make_unique<RebuildWorker>(publisher.get(), &snapshots, exporter.get(), schedule,
                                           [&stop] { stop(kExitCantCreate); });
  worker->Start();  // after the watches exist: nothing falls between them and the scan
  server.Start();

  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    Log(LogLevel::kNotice, std::string("stopping on ") + (signal == SIGINT ? "SIGINT" : "SIGTERM"));
    stop(kExitOk);
  });

  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; ++i) pool.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (std::thread& t : pool) t.join();
  worker->Stop();
  Log(LogLevel::kNotice, "stopped");
  return exit_code;
}

}  // namespace feedd
