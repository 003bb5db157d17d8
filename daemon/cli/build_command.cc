// `feedd build`. See daemon/cli/commands.h.

#include <algorithm>
#include <ctime>
#include <ostream>
#include <thread>

#include "daemon/base/exit_codes.h"
#include "daemon/cli/commands.h"
#include "daemon/cli/problem_report.h"
#include "daemon/export/atomic_file.h"
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

// Writes |routes| of |snapshot| beneath |out_dir|, then one sync of the
// whole folder (not two fsyncs per file). An error naming what failed.
Status WriteTree(const Config& config, const fs::path& out_dir, const Snapshot& snapshot,
                 const std::vector<std::string>& routes, bool feeds_only) {
  StaticExporter exporter(
      out_dir, std::max(1u, std::thread::hardware_concurrency()), /*durable=*/false,
      [&config, feeds_only](const std::string& route, const Document& doc) {
        return feeds_only ? std::vector<std::string>{} : PageImages(route, doc, config.site);
      });
  if (const Result<int> cleaned = exporter.RemoveStaleTempFiles(); !cleaned.ok()) {
    return cleaned.status();
  }
  const StaticExporter::Outcome result = exporter.Export(snapshot, routes, {});
  if (result.failed > 0) {
    return Status::IoError(result.error + " (" + std::to_string(result.failed) +
                           " documents not written)");
  }
  return SyncTree(out_dir);
}

void PrintSummary(const SitePublisher& publisher, const Publication& publication,
                  const BuildRoutes& written, const fs::path& out_dir, std::ostream& out) {
  const fs::path shown = fs::absolute(out_dir).lexically_normal();
  std::vector<const Feed*> feeds;
  for (const auto& [order, feed] : publisher.registry().feeds()) {
    if (feed.published) feeds.push_back(&feed);
  }
  out << "feedd: " << publication.snapshot->articles << " articles, " << feeds.size() << " feeds, "
      << written.routes.size() - written.pages - written.archives << " documents, " << written.pages
      << " article pages and " << written.archives << " archive documents written to "
      << shown.string() << "\n";
  for (const Feed* f : feeds) {
    const Feed& feed = *f;
    out << "  " << feed.title << " (" << feed.shown.size() << " items): "
        << (shown / Route::Feed(feed.path, FeedFormat::kRss).path().substr(1)).string()
        << " .atom .json\n";
  }
}

}  // namespace

int RunBuild(const Config& config, const fs::path& out_dir, std::ostream& out, std::ostream& err,
             bool feeds_only) {
  Problems problems;
  Result<std::unique_ptr<StateStore>> store = StateStore::Open(config.state_dir);
  if (!store.ok()) {
    err << "feedd: " << store.status().message() << "\n";
    return kExitCantCreate;
  }
  SitePublisher publisher(config, store->get(), std::thread::hardware_concurrency());
  Result<Publication> scanned = publisher.Rescan(std::time(nullptr), &problems);
  if (!scanned.ok()) {
    err << "feedd: " << scanned.status().message() << "\n";
    return scanned.status().code() == Status::Code::kStoreError ? kExitCantCreate : kExitNoInput;
  }
  Publication& publication = *scanned;
  ReportProblems(config, problems, err);

  const BuildRoutes written = RoutesToWrite(&publication, feeds_only);
  if (const Status wrote =
          WriteTree(config, out_dir, *publication.snapshot, written.routes, feeds_only);
      !wrote.ok()) {
    err << "feedd: " << wrote.message() << "\n";
    return kExitCantCreate;
  }
  PrintSummary(publisher, publication, written, out_dir, out);
  return kExitOk;
}

}  // namespace feedd
