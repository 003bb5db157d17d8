// daemon/rebuild_worker.h
//
// Runs every rebuild on one thread of its own, so parsing and rendering never
// block the I/O threads, and at most one rebuild runs at a time: changes that
// arrive during a rebuild wait (merged) for the next one. After each rebuild
// it publishes the snapshot, exports the changed documents and logs problems.
// It also wakes on its own: when an embargoed article's time comes, for the
// periodic safety-net rescan, every poll interval in poll mode, and every
// few seconds while the static export has documents it could not write.
//
// Thread safety: Enqueue(), RequestRescan() and Stop() from any thread.

#ifndef FEEDD_DAEMON_REBUILD_WORKER_H_
#define FEEDD_DAEMON_REBUILD_WORKER_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "daemon/site_publisher.h"
#include "daemon/snapshot_holder.h"
#include "daemon/static_exporter.h"

namespace feedd {

struct RebuildSchedule {
  std::chrono::seconds rescan_interval{600};
  /// Zero: inotify tells us; else rescan this often.
  std::chrono::seconds poll_interval{0};
};

class RebuildWorker {
 public:
  /// |exporter| may be null. All must outlive the worker. |on_fatal| is
  /// called (on the worker's thread) when the first full scan cannot read
  /// the state store: without it every article would be re-dated, so the
  /// daemon must stop rather than serve.
  RebuildWorker(SitePublisher* publisher, SnapshotHolder* snapshots, StaticExporter* exporter,
                RebuildSchedule schedule, std::function<void()> on_fatal = nullptr);
  ~RebuildWorker();

  /// Starts the thread; its first job is a full scan.
  void Start();
  void Enqueue(std::set<std::string> paths);
  void RequestRescan();
  /// Finishes the rebuild in progress, if any, and joins the thread.
  void Stop();

 private:
  void Loop();
  void Rebuild(bool rescan, std::set<std::string> paths);
  /// Exports and logs failures (each cause once) and recovery.
  void Export(const Snapshot& snapshot, const std::vector<std::string>& changed,
              const std::vector<std::string>& removed);

  /// How often documents the exporter could not write are tried again.
  static constexpr std::chrono::seconds kExportRetry{5};
  /// Time between full scans: the poll interval in poll mode, else the
  /// safety-net rescan interval.
  std::chrono::seconds ScanInterval() const {
    return schedule_.poll_interval.count() > 0 ? schedule_.poll_interval
                                               : schedule_.rescan_interval;
  }

  SitePublisher* publisher_;
  SnapshotHolder* snapshots_;
  StaticExporter* exporter_;
  RebuildSchedule schedule_;
  std::function<void()> on_fatal_;

  std::mutex mu_;
  std::condition_variable wake_;
  std::set<std::string> pending_;  // guarded by mu_
  bool rescan_ = true;             // guarded by mu_
  bool stop_ = false;              // guarded by mu_
  std::atomic<bool> ready_{false};
  std::optional<UnixTime> next_embargo_;  // worker thread only
  std::string export_error_;              // worker thread only: the cause last logged
  std::thread thread_;
};

}  // namespace feedd

#endif  // FEEDD_DAEMON_REBUILD_WORKER_H_
