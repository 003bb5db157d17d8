#include "daemon/rebuild/rebuild_worker.h"

#include <malloc.h>

#include <ctime>
#include <set>
#include <utility>

#include "daemon/base/log.h"
#include "daemon/rebuild/wake_schedule.h"
#include "feeds/core/routes.h"
#include "feeds/publish/surrogate_keys.h"

namespace feedd {

using Steady = std::chrono::steady_clock;

RebuildWorker::RebuildWorker(RebuildSite site, SnapshotHolder* snapshots,
                             std::function<void()> on_fatal, OnRebuilt on_rebuilt,
                             const Clock* clock)
    : site_(std::move(site)),
      snapshots_(snapshots),
      on_fatal_(std::move(on_fatal)),
      on_rebuilt_(std::move(on_rebuilt)),
      clock_(clock ? clock : &system_clock_) {}

RebuildWorker::~RebuildWorker() { Stop(); }

void RebuildWorker::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void RebuildWorker::Enqueue(std::set<std::string> paths,
                            std::chrono::steady_clock::time_point since) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    pending_.merge(paths);
    if (!pending_since_ || since < *pending_since_) pending_since_ = since;
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

void RebuildWorker::Replace(RebuildSite site) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    next_site_ = std::move(site);
    rescan_ = true;
  }
  wake_.notify_one();
}

std::chrono::steady_clock::duration RebuildWorker::busy_for() const {
  const std::int64_t since = busy_since_.load();
  if (since == 0) return {};
  return std::chrono::steady_clock::now().time_since_epoch() -
         std::chrono::steady_clock::duration(since);
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
  using std::chrono::milliseconds;
  auto next_rescan = Steady::now() + ScanInterval();
  std::optional<Steady::time_point> export_retry_at;
  for (;;) {
    bool rescan = false;
    std::set<std::string> paths;
    std::optional<std::chrono::steady_clock::time_point> since;
    {
      std::unique_lock<std::mutex> lock(mu_);
      const bool retry_export = site_.exporter && site_.exporter->pending();
      if (!retry_export) {
        export_retry_at.reset();
      } else if (!export_retry_at) {
        export_retry_at = Steady::now() + kExportRetry;
      }
      const auto now = Steady::now();
      const Wake wake = NextWake(
          clock_->Now(), std::chrono::duration_cast<milliseconds>(next_rescan - now), next_embargo_,
          retry_export,
          export_retry_at ? std::chrono::duration_cast<milliseconds>(*export_retry_at - now)
                          : milliseconds(kExportRetry));
      // An embargo ends at a time of day, but the wait runs on the monotonic
      // clock, and the wall clock may be stepped meanwhile (NTP, an
      // operator): while one is pending, the wall clock is asked again at
      // least every kWallClockCheck.
      const bool recheck = next_embargo_ && wake.after > kWallClockCheck;
      const bool woken = wake_.wait_for(lock, recheck ? kWallClockCheck : wake.after,
                                        [&] { return stop_ || rescan_ || !pending_.empty(); });
      if (stop_) return;
      if (!woken && recheck) continue;
      if (!woken && wake.reason == Wake::Reason::kExportRetry) {
        export_retry_at.reset();
        lock.unlock();
        if (SnapshotPtr current = snapshots_->Current()) Export(*current, {}, {});
        continue;
      }
      if (Steady::now() >= next_rescan) rescan_ = true;
      rescan = std::exchange(rescan_, false);
      paths.swap(pending_);
      since = std::exchange(pending_since_, std::nullopt);
      if (next_site_) {
        // The old publisher goes first: the two share the state store.
        site_ = RebuildSite();
        site_ = std::move(*next_site_);
        next_site_.reset();
        reconfigured_ = true;
        rescan = true;
      }
    }
    // Until a full scan has succeeded, nothing else may publish: an
    // update or an embargo would serve an empty index as if it were ready.
    if (!ready_) rescan = true;
    if (rescan) {
      next_rescan = Steady::now() + ScanInterval();
    }
    // With no file event, the wake-up was an embargo coming due.
    Rebuild(rescan, std::move(paths), since);
    export_retry_at.reset();  // the rebuild exported too: the retry waits anew
  }
}

std::size_t RebuildWorker::Export(const Snapshot& snapshot, const std::vector<std::string>& changed,
                                  const std::vector<std::string>& removed,
                                  StaticExporter::Scope scope) {
  if (!site_.exporter) return 0;
  const StaticExporter::Outcome result = site_.exporter->Export(snapshot, changed, removed, scope);
  if (scope == StaticExporter::Scope::kEverything && result.failed == 0) {
    Log(LogLevel::kNotice, "static export up to date",
        {{"written", std::to_string(result.written)},
         {"unchanged", std::to_string(result.unchanged)},
         {"removed", std::to_string(result.removed)}});
  }
  // Each cause once, and once more when it clears: not a line per retry.
  if (result.failed > 0 && result.error != export_error_) {
    Log(LogLevel::kError, "static export: " + result.error + "; retrying",
        {{"waiting", std::to_string(result.failed)},
         {"retry_s", std::to_string(kExportRetry.count())}});
  } else if (result.failed == 0 && !export_error_.empty()) {
    Log(LogLevel::kNotice, "static export caught up");
  }
  export_error_ = result.error;
  return result.failed;
}

void RebuildWorker::Rebuild(bool rescan, std::set<std::string> paths,
                            std::optional<std::chrono::steady_clock::time_point> since) {
  const auto started = std::chrono::steady_clock::now();
  busy_since_.store(started.time_since_epoch().count());
  struct Idle {
    std::atomic<std::int64_t>* busy_since;
    ~Idle() { busy_since->store(0); }
  } idle{&busy_since_};
  RebuildReport report;
  report.reconfigured = std::exchange(reconfigured_, false);
  auto tell = [&] {
    report.took = std::chrono::steady_clock::now() - started;
    if (on_rebuilt_) on_rebuilt_(report);
  };
  Problems problems;
  Result<Publication> rebuilt = RunPublisher(rescan, paths, &problems);
  if (!rebuilt.ok()) {
    if (!Failed(rebuilt.status())) return;  // the daemon stops
    report.failed = true;
    report.error = rebuilt.status().message();
    tell();
    return;
  }
  Publication& publication = *rebuilt;
  // Only a scan or an update read the folder: a republish says nothing.
  if (!scan_error_.empty() && (rescan || !paths.empty())) {
    Log(LogLevel::kNotice, "rebuilt again: the error logged before has cleared");
    scan_error_.clear();
  }
  LogProblems(problems, &report);
  next_embargo_ = publication.next_embargo;
  Serve(publication, since, &report);
  if (site_.exporter) report.export_failures = ExportChanges(publication);
  // A full scan holds every body at once, and a full export the manifest;
  // once they are dropped, give the memory back to the system instead of
  // keeping glibc's high-water mark.
  if (rescan) ::malloc_trim(0);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count();
  report.first = !ready_.exchange(true);
  Summarize(publication, &report);
  LogRebuilt(publication, report, ms);
  tell();
}

Result<Publication> RebuildWorker::RunPublisher(bool rescan, const std::set<std::string>& paths,
                                                Problems* problems) {
  SitePublisher* publisher = site_.publisher.get();
  const UnixTime now = clock_->Now();
  // With no file event, the wake-up was an embargo coming due.
  return rescan          ? publisher->Rescan(now, problems)
         : paths.empty() ? publisher->Republish(now, problems)
                         : publisher->Update(paths, now, problems);
}

bool RebuildWorker::Failed(const Status& why) {
  if (why.code() == Status::Code::kStoreError && !ready_ && on_fatal_) {
    // What the store remembers cannot be read: starting anyway would
    // give every article a new date.
    Log(LogLevel::kError, "cannot start: " + why.message());
    on_fatal_();
    return false;
  }
  // The articles directory vanished, or the store cannot be read: keep
  // serving what we have (before the first good scan: nothing, not ready)
  // and try again at the next change or rescan. Each cause is logged once,
  // and again only when it changes: not a line every poll interval.
  if (why.message() == scan_error_) return true;
  scan_error_ = why.message();
  const std::string retry = "; trying again at the next change, and every " +
                            std::to_string(ScanInterval().count()) +
                            " s (logged again only when the error changes)";
  if (!ready_) {
    Log(LogLevel::kError,
        (why.code() == Status::Code::kIoError
             ? "not ready, serving nothing until the articles folder (articles.dir) can be read: "
             : "not ready, serving nothing: ") +
            why.message() + retry);
  } else {
    Log(LogLevel::kError,
        "rebuild failed, still serving the last good feeds: " + why.message() + retry);
  }
  return true;
}

void RebuildWorker::LogProblems(const Problems& problems, RebuildReport* report) {
  for (const Problem& p : problems) {
    // The log line shows the level: "feedd: warning: a.txt: ...".
    Log(p.severity == Severity::kError ? LogLevel::kError : LogLevel::kWarning, p.Located());
    ++(p.severity == Severity::kError ? report->errors : report->warnings);
  }
}

void RebuildWorker::Serve(const Publication& publication,
                          std::optional<std::chrono::steady_clock::time_point> since,
                          RebuildReport* report) {
  const bool changed = !publication.changed_routes.empty() || !publication.removed_routes.empty();
  if (!changed && ready_) return;
  snapshots_->Publish(publication.snapshot);
  if (since && changed) report->change_to_served = std::chrono::steady_clock::now() - *since;
}

std::size_t RebuildWorker::ExportChanges(const Publication& publication) {
  std::vector<std::string> changed = publication.changed_routes;
  std::vector<std::string> removed = publication.removed_routes;
  changed.insert(changed.end(), publication.changed_pages.begin(), publication.changed_pages.end());
  removed.insert(removed.end(), publication.removed_pages.begin(), publication.removed_pages.end());
  return Export(
      *publication.snapshot, changed, removed,
      publication.complete ? StaticExporter::Scope::kEverything : StaticExporter::Scope::kChanges);
}

void RebuildWorker::Summarize(const Publication& publication, RebuildReport* report) const {
  report->articles = publication.snapshot->articles;
  report->documents = publication.snapshot->routes.size();
  for (const auto& [order, feed] : site_.publisher->registry().feeds()) {
    report->feeds += feed.published;
  }
  report->changed = publication.changed_routes.size() + publication.removed_routes.size();
  for (const std::string& route : publication.new_bytes_routes) {
    const DocumentPtr doc = publication.snapshot->Find(route);
    const std::optional<Route> parsed = Route::Parse(route);
    const bool feed = parsed && parsed->kind == RouteKind::kFeed;
    if (feed && doc && !doc->self_url.empty()) report->changed_feeds.push_back(doc->self_url);
  }
  std::set<std::string> keys;
  const auto add = [&keys](const std::vector<std::string>& routes) {
    for (const std::string& route : routes) keys.insert(DocKey(route));
  };
  add(publication.new_bytes_routes);
  add(publication.removed_routes);
  if (!report->first && !report->reconfigured) {
    add(publication.changed_pages);
    add(publication.removed_pages);
  } else {
    // A first publication lists every page: only those the served history
    // shows as different changed while feedd was stopped.
    add(publication.changed_since_history);
  }
  report->purge_keys.assign(keys.begin(), keys.end());
}

void RebuildWorker::LogRebuilt(const Publication& publication, const RebuildReport& report,
                               std::int64_t ms) const {
  if (report.first) {
    Log(LogLevel::kNotice, "ready:",
        {{"articles", std::to_string(report.articles)},
         {"files", std::to_string(site_.publisher->index().files().size())},
         {"documents", std::to_string(report.documents)},
         {"ms", std::to_string(ms)}});
  } else if (report.changed > 0) {
    Log(LogLevel::kInfo, "rebuilt:",
        {{"ms", std::to_string(ms)},
         {"changed", std::to_string(publication.changed_routes.size())},
         {"removed", std::to_string(publication.removed_routes.size())},
         {"articles", std::to_string(report.articles)}});
  }
}

}  // namespace feedd
