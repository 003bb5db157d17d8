// daemon/serve/daemon.h
//
// The running `feedd serve`, as one object that owns its parts (as MPD's
// Instance does): the config in force, the HTTP server, the state store, the
// watcher and debouncer, and the rebuild worker with its publisher and
// static exporter. Data flows one way: watcher -> debouncer -> worker ->
// snapshot -> server.
//
// It counts what operators watch in metrics_, served at /metrics, and
// hands each rebuild's changed feeds to the PingSender, which pings the WebSub
// hubs once the new documents are served.
//
// At start (and on reload) server.max_connections is fitted to the
// open-file limit (daemon/base/fd_limit.h): the soft RLIMIT_NOFILE is
// raised toward max_connections + 64, and when even the hard limit is
// lower the cap is lowered to fit, with a warning.
//
// Signals: SIGTERM and SIGINT drain and stop (exit 0), as Stop() does;
// SIGHUP reloads the config. A reload validates the new config first and
// keeps the old one on any error; a good one takes effect without closing
// a connection, and every document is rendered again with it.
// server.listen, server.threads and state.dir take effect only on restart.
//
// Ready means served: until a full scan of the articles folder succeeds
// (the folder missing or unreadable), nothing is published, /readyz answers
// 503 and READY=1 is withheld; the process keeps running, scans again every
// poll (or rescan) interval and becomes ready once the folder can be read.
//
// The service manager hears READY=1 once the first full index is served,
// RELOADING=1 / READY=1 around a reload, STOPPING=1, STATUS= lines, and
// WATCHDOG=1 from a timer on the event loop, withheld while a rebuild has
// run for longer than the watchdog interval.
//
// Seams (DaemonParts), all empty for `feedd serve`: a test can hand it the
// articles folder (a MemoryFolder, say; then nothing watches the disk and
// the folder is scanned every watch.poll_interval), hear the addresses it
// bound (listen on port 0 and learn the real one) and hear when it is
// ready, and Stop() it from another thread.
//
// Thread safety: construct and Run() on one thread; Stop() from any
// thread, before, during or after Run().

#ifndef FEEDD_DAEMON_SERVE_DAEMON_H_
#define FEEDD_DAEMON_SERVE_DAEMON_H_

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/config_loader.h"
#include "daemon/base/metrics.h"
#include "daemon/base/progress_line.h"
#include "daemon/base/snapshot_holder.h"
#include "daemon/http/server.h"
#include "daemon/push/ping_sender.h"
#include "daemon/rebuild/change_debouncer.h"
#include "daemon/rebuild/directory_watcher.h"
#include "daemon/rebuild/rebuild_worker.h"
#include "daemon/state/state_store.h"
#include "feeds/input/article_folder.h"

namespace feedd {

/// What a caller may hand the daemon in place of what its config names,
/// and what it may hear from it. Each member may be left empty, as
/// `feedd serve` leaves them all.
struct DaemonParts {
  /// Gives the articles folder for every scan; null: config.articles_dir
  /// on disk. With a folder given, nothing watches the disk: the folder is
  /// scanned every watch.poll_interval, whatever watch.mode says.
  OpenArticleFolder open_folder;
  /// Called once, on Run()'s thread, when every address is bound (or every
  /// inherited socket adopted) and before anything is served: the real
  /// ports, when port 0 was asked for.
  std::function<void(const std::vector<boost::asio::ip::tcp::endpoint>&)> on_listening;
  /// Called once, on the event loop, where READY=1 is sent: the first full
  /// index is being served. |status| is the STATUS= line sent with it.
  std::function<void(const std::string& status)> on_ready;
};

class Daemon {
 public:
  /// |reload| reads the config again on SIGHUP.
  Daemon(Config config, ReloadConfig reload, DaemonParts parts = {});
  ~Daemon();

  /// Listens, starts the worker and runs until stopped; returns the exit
  /// code (daemon/base/exit_codes.h). Startup errors go to |err|.
  int Run(std::ostream& err);

  /// Drains and stops, as SIGTERM does: Run() returns kExitOk once the
  /// open connections have finished (at most server.drain_timeout). Posts
  /// onto the event loop, so it may be called from any thread; called
  /// before Run(), Run() stops as soon as it has started.
  void Stop();

 private:
  using Strand = boost::asio::strand<boost::asio::io_context::executor_type>;

  // The steps of Run():
  bool Listen(std::ostream& err);
  /// Opens the state store (twice: the ping sender has its own connection)
  /// and loads the pings it holds; false, with the reason in |err|, when
  /// it cannot.
  bool OpenStore(std::ostream& err);
  /// Makes the rebuild worker for |site|, wired to the ping sender and
  /// OnRebuilt().
  void MakeWorker(RebuildSite site);
  /// Waits for SIGTERM/SIGINT (stop) and SIGHUP (reload, again and again).
  void WaitForSignals();
  void WaitForReload();
  /// Runs the io_context on server.threads threads until it stops.
  void RunLoop();

  /// A publisher and exporter for |config|; nothing (and |why|) when the
  /// export folder cannot be prepared.
  std::optional<RebuildSite> MakeSite(std::shared_ptr<const Config> config, std::string* why);
  /// Starts (or moves) the watcher; returns the poll interval, zero when
  /// inotify watches. A folder DaemonParts gave is polled, never watched.
  std::chrono::seconds Watch(const Config& config);
  void Reload();
  /// The watcher lost track of a folder (|why|): poll from now on, until a
  /// reload tries inotify again.
  void PollInstead(const std::string& why);
  void OnRebuilt(const RebuildReport& report);
  void Heartbeat(std::chrono::microseconds interval);
  void StopWith(int code);
  std::string MetricsPage() const;
  void StopWhenDrained(std::chrono::steady_clock::time_point deadline);

  ReloadConfig reload_;
  DaemonParts parts_;
  std::shared_ptr<const Config> config_;  // in force; replaced on the strand
  boost::asio::io_context ioc_;
  Strand strand_;
  SnapshotHolder snapshots_;
  Metrics metrics_;
  http::Server server_;
  // What the first scan and export have done (the worker counts into it
  // from then on, unread): it outlives the worker.
  ProgressLine::Counters start_counts_;
  std::unique_ptr<StateStore> store_;
  ChangeDebouncer debouncer_;
  DirectoryWatcher watcher_;
  std::unique_ptr<PingSender> ping_sender_;  // hears of changed feeds from the worker
  std::unique_ptr<RebuildWorker> worker_;    // destroyed before the ping sender and the store
  boost::asio::signal_set stop_signals_;
  boost::asio::signal_set reload_signals_;
  boost::asio::steady_timer drain_timer_;
  boost::asio::steady_timer watchdog_timer_;
  // On the strand:
  bool stopping_ = false;
  bool ready_ = false;
  bool wedged_ = false;   ///< the watchdog is being withheld
  bool polling_ = false;  ///< inotify could not watch everything: polling instead
  int exit_code_ = 0;
  std::string status_;
  // Until the first scan and export are done: a log line every few seconds.
  std::unique_ptr<ProgressLine> start_progress_;
};

}  // namespace feedd

#endif  // FEEDD_DAEMON_SERVE_DAEMON_H_
