// daemon/rebuild/rebuild_worker.h
//
// Runs every rebuild on one thread of its own, so parsing and rendering never
// block the I/O threads, and at most one rebuild runs at a time: changes that
// arrive during a rebuild wait (merged) for the next one. After each rebuild
// it publishes the snapshot, exports the changed documents and logs problems.
// Nothing is published until a full scan has succeeded: while the articles
// folder is missing or cannot be listed the daemon is not ready, and every
// wake-up (each poll or rescan) tries the full scan again. A failure later
// keeps the last good feeds. Each failure is logged once, and again only
// when its message changes; a notice says when the folder reads again.
// It also wakes on its own: when an embargoed article's time comes, for the
// periodic safety-net rescan, every poll interval in poll mode, and every
// few seconds while the static export has documents it could not write.
//
// A reload hands it a whole new RebuildSite (config, publisher, exporter,
// schedule) with Replace(); the next rebuild, a full rescan, uses it.
//
// Thread safety: Enqueue(), RequestRescan(), Replace(), busy_for() and
// Stop() from any thread.

#ifndef FEEDD_DAEMON_REBUILD_REBUILD_WORKER_H_
#define FEEDD_DAEMON_REBUILD_REBUILD_WORKER_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include "config/config.h"
#include "daemon/base/snapshot_holder.h"
#include "daemon/export/static_exporter.h"
#include "daemon/rebuild/clock.h"
#include "daemon/rebuild/site_publisher.h"

namespace feedd {

struct RebuildSchedule {
  std::chrono::seconds rescan_interval{600};
  /// Zero: inotify tells us; else rescan this often.
  std::chrono::seconds poll_interval{0};
};

/// Everything a rebuild runs with. |publisher| was made with |config|
/// (which it refers to); |exporter| is null without a static export.
struct RebuildSite {
  std::shared_ptr<const Config> config;
  std::unique_ptr<SitePublisher> publisher;
  std::unique_ptr<StaticExporter> exporter;
  RebuildSchedule schedule;
};

/// What one rebuild did, for the service manager's status and the log.
struct RebuildReport {
  bool first = false;         ///< the first one: the daemon is ready now
  bool reconfigured = false;  ///< the first one with a site Replace() gave
  bool failed = false;        ///< nothing published; the last good feeds stay
  std::string error;          ///< why, when |failed|
  std::size_t articles = 0;   ///< published
  std::size_t documents = 0;  ///< rendered ahead (pages, archives and author feeds come on request)
  std::size_t feeds = 0;      ///< feeds served (each in three formats)
  std::size_t changed = 0;    ///< documents changed or removed
  /// The self URLs of the feed documents whose bytes changed (since the
  /// last snapshot, or since the last run), now served.
  std::vector<std::string> changed_feeds;
  /// The surrogate keys (doc:<path>, sorted) of the documents whose bytes
  /// changed or that are gone, now served: what the caches in front must
  /// drop. Pages and archives (rendered on request) count from the second
  /// publication of a site on: its first (at start, after a reload) lists
  /// them all as changed.
  std::vector<std::string> purge_keys;
  std::size_t errors = 0;  ///< problems logged, by severity
  std::size_t warnings = 0;
  std::size_t export_failures = 0;  ///< documents the static export could not write
  std::chrono::steady_clock::duration took{};
  /// From the first file event of the changes it published to their
  /// being served; unset when it published no change from a file event.
  std::optional<std::chrono::steady_clock::duration> change_to_served;
};

class RebuildWorker {
 public:
  using OnRebuilt = std::function<void(const RebuildReport&)>;

  /// |snapshots| must outlive the worker. |on_fatal| is called (on the
  /// worker's thread) when the first full scan cannot read the state store:
  /// without it every article would be re-dated, so the daemon must stop
  /// rather than serve. |on_rebuilt| is called (on the worker's thread)
  /// after every rebuild. Either may be null.
  /// |clock| (null: the system's) tells the time rebuilds run at, which
  /// decides embargoes; it must outlive the worker.
  RebuildWorker(RebuildSite site, SnapshotHolder* snapshots, std::function<void()> on_fatal,
                OnRebuilt on_rebuilt, const Clock* clock = nullptr);
  ~RebuildWorker();

  /// Starts the thread; its first job is a full scan.
  void Start();
  /// |since|: when the first of these changes happened (for the
  /// change-to-served latency).
  void Enqueue(std::set<std::string> paths,
               std::chrono::steady_clock::time_point since = std::chrono::steady_clock::now());
  void RequestRescan();
  /// Rebuilds with |site| from the next rebuild on, a full rescan.
  void Replace(RebuildSite site);
  /// How long the rebuild in progress has run; zero when idle. A watchdog
  /// uses it to tell a long rebuild from a wedged one.
  std::chrono::steady_clock::duration busy_for() const;
  /// Finishes the rebuild in progress, if any, and joins the thread.
  void Stop();

 private:
  void Loop();
  void Rebuild(bool rescan, std::set<std::string> paths,
               std::optional<std::chrono::steady_clock::time_point> since);
  // The steps of one Rebuild():
  Result<Publication> RunPublisher(bool rescan, const std::set<std::string>& paths,
                                   Problems* problems);
  /// Logs why a rebuild failed; false when the daemon must stop instead.
  bool Failed(const Status& why);
  static void LogProblems(const Problems& problems, RebuildReport* report);
  /// Hands the snapshot to the server when it changed (always the first).
  void Serve(const Publication& publication,
             std::optional<std::chrono::steady_clock::time_point> since, RebuildReport* report);
  /// Exports what changed; returns how many documents wait for a retry.
  std::size_t ExportChanges(const Publication& publication);
  void Summarize(const Publication& publication, RebuildReport* report) const;
  void LogRebuilt(const Publication& publication, const RebuildReport& report,
                  std::int64_t ms) const;
  /// Exports and logs failures (each cause once) and recovery; returns
  /// how many documents wait for a retry.
  std::size_t Export(const Snapshot& snapshot, const std::vector<std::string>& changed,
                     const std::vector<std::string>& removed,
                     StaticExporter::Scope scope = StaticExporter::Scope::kChanges);

  /// How often documents the exporter could not write are tried again.
  static constexpr std::chrono::seconds kExportRetry{5};
  /// While an embargo is pending, the wall clock is asked at least this
  /// often, so a clock stepped forward (or back) moves the embargo with it.
  static constexpr std::chrono::seconds kWallClockCheck{1};
  /// Time between full scans: the poll interval in poll mode, else the
  /// safety-net rescan interval.
  std::chrono::seconds ScanInterval() const {
    return site_.schedule.poll_interval.count() > 0 ? site_.schedule.poll_interval
                                                    : site_.schedule.rescan_interval;
  }

  RebuildSite site_;  // worker thread only (and before Start())
  SnapshotHolder* snapshots_;
  std::function<void()> on_fatal_;
  OnRebuilt on_rebuilt_;

  std::mutex mu_;
  std::condition_variable wake_;
  std::set<std::string> pending_;                                       // guarded by mu_
  std::optional<std::chrono::steady_clock::time_point> pending_since_;  // guarded by mu_
  bool rescan_ = true;                                                  // guarded by mu_
  bool stop_ = false;                                                   // guarded by mu_
  std::optional<RebuildSite> next_site_;                                // guarded by mu_
  bool reconfigured_ = false;                                           // worker thread only
  std::atomic<std::int64_t> busy_since_{0};  // steady clock ns; 0 when idle
  std::atomic<bool> ready_{false};
  std::optional<UnixTime> next_embargo_;  // worker thread only
  std::string export_error_;              // worker thread only: the cause last logged
  std::string scan_error_;                // worker thread only: the failed rebuild last logged
  SystemClock system_clock_;
  const Clock* clock_;
  std::thread thread_;
};

}  // namespace feedd

#endif  // FEEDD_DAEMON_REBUILD_REBUILD_WORKER_H_
