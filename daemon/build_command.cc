// `feedd build`. See daemon/commands.h.

#include <algorithm>
#include <ctime>
#include <ostream>
#include <thread>

#include "daemon/commands.h"
#include "daemon/exit_codes.h"
#include "daemon/problem_report.h"
#include "daemon/site_publisher.h"
#include "daemon/state_store.h"
#include "daemon/static_exporter.h"
#include "feeds/feed_view.h"

namespace fs = std::filesystem;

namespace feedd {

int RunBuild(const Config& config, const fs::path& out_dir, std::ostream& out, std::ostream& err) {
  Problems problems;
  Publication publication;
  std::unique_ptr<StateStore> store;
  std::unique_ptr<SitePublisher> publisher;
  try {
    store = std::make_unique<StateStore>(config.state_dir);
    publisher =
        std::make_unique<SitePublisher>(config, store.get(), std::thread::hardware_concurrency());
    publication = publisher->Rescan(std::time(nullptr), &problems);
  } catch (const StateStoreError& e) {
    err << "feedd: " << e.what() << "\n";
    return kExitCantCreate;
  } catch (const fs::filesystem_error& e) {
    err << "feedd: " << config.articles_dir.string()
        << ": cannot read the articles directory: " << e.code().message() << "\n";
    return kExitNoInput;
  }
  ReportProblems(config, problems, err);

  // Every document the server would serve, with its .gz, as the static
  // export writes them.
  std::vector<std::string> routes;
  for (const auto& [route, doc] : publication.snapshot->routes) routes.push_back(route);
  const std::size_t lazy = publication.changed_pages.size();
  const std::size_t pages =
      std::count_if(publication.changed_pages.begin(), publication.changed_pages.end(),
                    [](const std::string& r) { return r.starts_with("/articles/"); });
  routes.insert(routes.end(), publication.changed_pages.begin(), publication.changed_pages.end());
  try {
    StaticExporter exporter(out_dir);
    exporter.RemoveStaleTempFiles();
    const StaticExporter::Result result = exporter.Export(*publication.snapshot, routes, {});
    if (result.failed > 0) {
      err << "feedd: " << result.error << " (" << result.failed << " documents not written)\n";
      return kExitCantCreate;
    }
  } catch (const fs::filesystem_error& e) {
    err << "feedd: " << e.what() << "\n";
    return kExitCantCreate;
  }

  const fs::path shown = fs::absolute(out_dir).lexically_normal();
  std::vector<const Feed*> feeds;
  for (const auto& [order, feed] : publisher->registry().feeds()) {
    if (feed.published) feeds.push_back(&feed);
  }
  out << "feedd: " << publication.snapshot->articles << " articles, " << feeds.size() << " feeds, "
      << routes.size() - lazy << " documents, " << pages << " article pages and " << lazy - pages
      << " archive documents written to " << shown.string() << "\n";
  for (const Feed* f : feeds) {
    const Feed& feed = *f;
    out << "  " << feed.title << " (" << feed.shown.size()
        << " items): " << (shown / (feed.path + FileExtension(FeedFormat::kRss))).string()
        << " .atom .json\n";
  }
  return kExitOk;
}

}  // namespace feedd
