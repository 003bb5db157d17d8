#include "daemon/rebuild_worker.h"

#include <malloc.h>

#include <ctime>
#include <utility>

#include "daemon/log.h"

namespace feedd {

using Clock = std::chrono::system_clock;

RebuildWorker::RebuildWorker(SitePublisher* publisher, SnapshotHolder* snapshots,
                             StaticExporter* exporter, RebuildSchedule schedule,
                             std::function<void()> on_fatal)
    : publisher_(publisher),
      snapshots_(snapshots),
      exporter_(exporter),
      schedule_(schedule),
      on_fatal_(std::move(on_fatal)) {}

RebuildWorker::~RebuildWorker() { Stop(); }

void RebuildWorker::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void RebuildWorker::Enqueue(std::set<std::string> paths) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    pending_.merge(paths);
  }
  wake_.notify_one();
}

void RebuildWorker::RequestRescan() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    rescan_ = true;
  }
  wake_.notify_one();
}

void RebuildWorker::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void RebuildWorker::Loop() {
  auto next_rescan = Clock::now() + ScanInterval();
  for (;;) {
    bool rescan = false;
    std::set<std::string> paths;
    {
      std::unique_lock<std::mutex> lock(mu_);
      // Compared in seconds: a date past 2262 overflows the clock's
      // nanoseconds, and the rescan comes within a week anyway.
      auto deadline = next_rescan;
      if (next_embargo_ && *next_embargo_ < Clock::to_time_t(next_rescan)) {
        deadline = Clock::from_time_t(*next_embargo_);
      }
      const bool retry_export = exporter_ && exporter_->pending();
      if (retry_export) deadline = std::min(deadline, Clock::now() + kExportRetry);
      const bool woken =
          wake_.wait_until(lock, deadline, [&] { return stop_ || rescan_ || !pending_.empty(); });
      if (stop_) return;
      if (!woken && retry_export && Clock::now() < next_rescan &&
          !(next_embargo_ && Clock::to_time_t(Clock::now()) >= *next_embargo_)) {
        lock.unlock();
        if (SnapshotPtr current = snapshots_->Current()) Export(*current, {}, {});
        continue;
      }
      if (Clock::now() >= next_rescan) rescan_ = true;
      rescan = std::exchange(rescan_, false);
      paths.swap(pending_);
    }
    if (rescan) {
      next_rescan = Clock::now() + ScanInterval();
    }
    // With no file event, the wake-up was an embargo coming due.
    Rebuild(rescan, std::move(paths));
  }
}

void RebuildWorker::Export(const Snapshot& snapshot, const std::vector<std::string>& changed,
                           const std::vector<std::string>& removed) {
  if (!exporter_) return;
  const StaticExporter::Result result = exporter_->Export(snapshot, changed, removed);
  // Each cause once, and once more when it clears: not a line per retry.
  if (result.failed > 0 && result.error != export_error_) {
    Log(LogLevel::kError, "static export: " + result.error + "; " + std::to_string(result.failed) +
                              " documents wait and are retried every " +
                              std::to_string(kExportRetry.count()) + " s");
  } else if (result.failed == 0 && !export_error_.empty()) {
    Log(LogLevel::kNotice, "static export caught up");
  }
  export_error_ = result.error;
}

void RebuildWorker::Rebuild(bool rescan, std::set<std::string> paths) {
  const auto started = std::chrono::steady_clock::now();
  const UnixTime now = static_cast<UnixTime>(std::time(nullptr));
  Problems problems;
  Publication publication;
  try {
    publication = rescan          ? publisher_->Rescan(now, &problems)
                  : paths.empty() ? publisher_->Republish(now, &problems)
                                  : publisher_->Update(paths, now, &problems);
  } catch (const StateStoreError& e) {
    if (!ready_ && on_fatal_) {
      // What the store remembers cannot be read: starting anyway would
      // give every article a new date.
      Log(LogLevel::kError, std::string("cannot start: ") + e.what());
      on_fatal_();
      return;
    }
    Log(LogLevel::kError,
        std::string("rebuild failed, still serving the last good feeds: ") + e.what());
    return;
  } catch (const std::exception& e) {
    // The articles directory vanished or the state store failed: keep
    // serving what we have and try again at the next change or rescan.
    Log(LogLevel::kError,
        std::string("rebuild failed, still serving the last good feeds: ") + e.what());
    return;
  }
  for (const Problem& p : problems) {
    // The log line shows the level: "feedd: warning: a.txt: ...".
    Log(p.severity == Severity::kError ? LogLevel::kError : LogLevel::kWarning, p.Located());
  }
  next_embargo_ = publication.next_embargo;
  // A full scan holds every body at once; once they are dropped, give the
  // memory back to the system instead of keeping glibc's high-water mark.
  if (rescan) ::malloc_trim(0);
  if (!publication.changed_routes.empty() || !publication.removed_routes.empty() || !ready_) {
    snapshots_->Publish(publication.snapshot);
  }
  Export(*publication.snapshot, publication.changed_routes, publication.removed_routes);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count();
  if (!ready_.exchange(true)) {
    Log(LogLevel::kNotice, "ready: " + std::to_string(publication.snapshot->articles) +
                               " articles published from " +
                               std::to_string(publisher_->index().files().size()) + " files in " +
                               std::to_string(ms) + " ms");
  } else if (!publication.changed_routes.empty() || !publication.removed_routes.empty()) {
    Log(LogLevel::kInfo, "rebuilt in " + std::to_string(ms) +
                             " ms: " + std::to_string(publication.changed_routes.size()) +
                             " documents changed, " +
                             std::to_string(publication.snapshot->articles) + " articles");
  }
}

}  // namespace feedd
