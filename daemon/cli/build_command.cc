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

  // Every document the server would serve, with its .gz, as the static
  // export writes them.
  std::vector<std::string> routes;
  for (const auto& [route, doc] : publication.snapshot->routes) routes.push_back(route);
  // Article pages (and their images), and archive documents; the rest are
  // feeds and their previews.
  auto kind_of = [](const std::string& r) {
    const std::optional<Route> route = Route::Parse(r);
    return route ? route->kind : RouteKind::kIndex;
  };
  // Article pages and the images beside them.
  auto is_page = [&](const std::string& r) {
    const RouteKind kind = kind_of(r);
    return kind == RouteKind::kArticlePage || kind == RouteKind::kImage;
  };
  auto is_archive = [&](const std::string& r) { return kind_of(r) == RouteKind::kArchive; };
  if (feeds_only) {
    std::erase_if(publication.changed_pages,
                  [&](const std::string& r) { return is_page(r) || is_archive(r); });
  }
  const std::vector<std::string>& extra = publication.changed_pages;
  const std::size_t pages = std::count_if(extra.begin(), extra.end(), is_page);
  const std::size_t archives = std::count_if(extra.begin(), extra.end(), is_archive);
  routes.insert(routes.end(), publication.changed_pages.begin(), publication.changed_pages.end());
  // One sync of the whole folder at the end, not two fsyncs per file.
  StaticExporter exporter(
      out_dir, std::max(1u, std::thread::hardware_concurrency()), /*durable=*/false,
      [&config, feeds_only](const std::string& route, const Document& doc) {
        return feeds_only ? std::vector<std::string>{} : PageImages(route, doc, config.site);
      });
  if (const Result<int> cleaned = exporter.RemoveStaleTempFiles(); !cleaned.ok()) {
    err << "feedd: " << cleaned.status().message() << "\n";
    return kExitCantCreate;
  }
  const StaticExporter::Outcome result = exporter.Export(*publication.snapshot, routes, {});
  if (result.failed > 0) {
    err << "feedd: " << result.error << " (" << result.failed << " documents not written)\n";
    return kExitCantCreate;
  }
  if (const Status synced = SyncTree(out_dir); !synced.ok()) {
    err << "feedd: " << synced.message() << "\n";
    return kExitCantCreate;
  }

  const fs::path shown = fs::absolute(out_dir).lexically_normal();
  std::vector<const Feed*> feeds;
  for (const auto& [order, feed] : publisher.registry().feeds()) {
    if (feed.published) feeds.push_back(&feed);
  }
  out << "feedd: " << publication.snapshot->articles << " articles, " << feeds.size() << " feeds, "
      << routes.size() - pages - archives << " documents, " << pages << " article pages and "
      << archives << " archive documents written to " << shown.string() << "\n";
  for (const Feed* f : feeds) {
    const Feed& feed = *f;
    out << "  " << feed.title << " (" << feed.shown.size() << " items): "
        << (shown / Route::Feed(feed.path, FeedFormat::kRss).path().substr(1)).string()
        << " .atom .json\n";
  }
  return kExitOk;
}

}  // namespace feedd
