// `feedd build`. See daemon/cli/commands.h.

#include <algorithm>
#include <atomic>
#include <ctime>
#include <optional>
#include <ostream>
#include <thread>

#include "daemon/base/exit_codes.h"
#include "daemon/base/progress_line.h"
#include "daemon/cli/commands.h"
#include "daemon/cli/problem_report.h"
#include "daemon/export/static_exporter.h"
#include "daemon/rebuild/site_publisher.h"
#include "daemon/state/state_store.h"
#include "feeds/core/routes.h"
#include "feeds/publish/local_images.h"

namespace fs = std::filesystem;

namespace feedd {

namespace {

// What `feedd build` writes: every document the server would serve, with
// its .gz, as the static export writes them, and how many of them are
// article pages (and their images) and archive documents.
struct BuildRoutes {
  std::vector<std::string> routes;
  std::size_t pages = 0;
  std::size_t archives = 0;
};

RouteKind KindOf(const std::string& path) {
  const std::optional<Route> route = Route::Parse(path);
  return route ? route->kind : RouteKind::kIndex;
}

bool IsPage(const std::string& path) {
  const RouteKind kind = KindOf(path);
  return kind == RouteKind::kArticlePage || kind == RouteKind::kImage;
}

bool IsArchive(const std::string& path) { return KindOf(path) == RouteKind::kArchive; }

// The snapshot's routes, then the pages and archives rendered on request
// (none with --feeds-only).
BuildRoutes RoutesToWrite(Publication* publication, bool feeds_only) {
  BuildRoutes out;
  for (const auto& [route, doc] : publication->snapshot->routes) out.routes.push_back(route);
  std::vector<std::string>& extra = publication->changed_pages;
  if (feeds_only) {
    std::erase_if(extra, [](const std::string& r) { return IsPage(r) || IsArchive(r); });
  }
  out.pages = std::count_if(extra.begin(), extra.end(), IsPage);
  out.archives = std::count_if(extra.begin(), extra.end(), IsArchive);
  out.routes.insert(out.routes.end(), extra.begin(), extra.end());
  return out;
}

// Brings |out_dir| up to date with |routes| of |snapshot|, every one of
// them: what changed is written, what is gone deleted, the rest left alone;
// the exporter syncs once at the end. An error naming what failed.
Result<StaticExporter::Outcome> WriteTree(const Config& config, StateStore* store,
                                          const fs::path& out_dir, const Snapshot& snapshot,
                                          const std::vector<std::string>& routes,
                                          const BuildOptions& build,
                                          std::atomic<std::size_t>* progress) {
  StaticExporter::Options options;
  options.threads = std::max(1u, std::thread::hardware_concurrency());
  options.companions = [&config, &build](const std::string& route, const Document& doc) {
    return build.feeds_only ? std::vector<std::string>{} : PageImages(route, doc, config.site);
  };
  options.store = store;
  // The folder ends holding exactly what this build writes: after a full
  // build, a --feeds-only one into the same folder deletes the pages and
  // archives (and a full build after it writes them again).
  options.salt = ExportSalt(config.fingerprint);
  options.rewrite_all = build.rewrite_all;
  options.progress = progress;
  StaticExporter exporter(out_dir, std::move(options));
  if (const Result<int> cleaned = exporter.Open(); !cleaned.ok()) return cleaned.status();
  StaticExporter::Outcome result =
      exporter.Export(snapshot, routes, {}, StaticExporter::Scope::kEverything);
  if (result.failed > 0) {
    return Status::IoError(result.error + " (" + std::to_string(result.failed) +
                           " documents not written)");
  }
  return result;
}

void PrintSummary(const SitePublisher& publisher, const Publication& publication,
                  const BuildRoutes& written, const StaticExporter::Outcome& outcome,
                  const fs::path& out_dir, std::ostream& out) {
  const fs::path shown = fs::absolute(out_dir).lexically_normal();
  std::vector<const Feed*> feeds;
  for (const auto& [order, feed] : publisher.registry().feeds()) {
    if (feed.published) feeds.push_back(&feed);
  }
  out << "feedd: " << publication.snapshot->articles << " articles, " << feeds.size() << " feeds, "
      << written.routes.size() - written.pages - written.archives << " documents, " << written.pages
      << " article pages and " << written.archives << " archive documents written to "
      << shown.string() << "\n";
  out << "  " << outcome.written << " written, " << outcome.unchanged << " unchanged, "
      << outcome.removed << " removed\n";
  for (const Feed* f : feeds) {
    const Feed& feed = *f;
    out << "  " << feed.title << " (" << feed.shown.size() << " items): "
        << (shown / Route::Feed(feed.path, FeedFormat::kRss).path().substr(1)).string()
        << " .atom .json\n";
  }
}

// After the documents: how many problems, and where they were listed.
void PrintProblemCount(const Problems& problems, std::ostream& err) {
  const auto errors = std::count_if(problems.begin(), problems.end(), [](const Problem& p) {
    return p.severity == Severity::kError;
  });
  const auto warnings = static_cast<std::ptrdiff_t>(problems.size()) - errors;
  if (problems.empty()) return;
  err << "feedd: " << errors << (errors == 1 ? " error" : " errors") << " and " << warnings
      << (warnings == 1 ? " warning" : " warnings") << " in the articles (listed above)"
      << (errors > 0 ? "; the site was written without what could not be read\n" : "\n");
}

}  // namespace

int RunBuild(const Config& config, const fs::path& out_dir, std::ostream& out, std::ostream& err,
             const BuildOptions& options) {
  Problems problems;
  Result<std::unique_ptr<StateStore>> store = StateStore::Open(config.state_dir);
  if (!store.ok()) {
    err << "feedd: " << store.status().message() << "\n";
    return kExitCantCreate;
  }
  ProgressLine::Counters counters;
  std::optional<ProgressLine> progress;
  if (options.terminal) {
    progress.emplace(err, &counters);
  } else {
    progress.emplace([&err](const std::string& line) { err << line << std::endl; }, &counters);
  }
  SitePublisher publisher(config, store->get(), std::thread::hardware_concurrency());
  publisher.CountReads(&counters.files_read);
  publisher.KeepSummaries(512 << 20);
  Result<Publication> scanned = publisher.Rescan(std::time(nullptr), &problems);
  if (!scanned.ok()) {
    progress.reset();
    err << "feedd: " << scanned.status().message() << "\n";
    return scanned.status().code() == Status::Code::kStoreError ? kExitCantCreate : kExitNoInput;
  }
  Publication& publication = *scanned;

  const BuildRoutes written = RoutesToWrite(&publication, options.feeds_only);
  counters.documents_total = written.routes.size();
  const Result<StaticExporter::Outcome> outcome =
      WriteTree(config, store->get(), out_dir, *publication.snapshot, written.routes, options,
                &counters.documents_done);
  progress.reset();
  ReportProblems(config, problems, err);
  if (!outcome.ok()) {
    err << "feedd: " << outcome.status().message() << "\n";
    return kExitCantCreate;
  }
  PrintSummary(publisher, publication, written, *outcome, out_dir, out);
  PrintProblemCount(problems, err);
  const bool errors = std::any_of(problems.begin(), problems.end(),
                                  [](const Problem& p) { return p.severity == Severity::kError; });
  return errors ? kExitDataError : kExitOk;
}

}  // namespace feedd
