// `feedd build`. See daemon/commands.h.

#include <algorithm>
#include <ctime>
#include <ostream>
#include <thread>

#include "daemon/atomic_file.h"
#include "daemon/commands.h"
#include "daemon/exit_codes.h"
#include "daemon/local_images.h"
#include "daemon/problem_report.h"
#include "daemon/site_publisher.h"
#include "daemon/state_store.h"
#include "daemon/static_exporter.h"
#include "feeds/feed_view.h"

namespace fs = std::filesystem;

namespace feedd {

int RunBuild(const Config& config, const fs::path& out_dir, std::ostream& out, std::ostream& err,
             bool feeds_only) {
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
  if (feeds_only) {
    std::erase_if(publication.changed_pages, [](const std::string& r) {
      return r.starts_with("/articles/") || r.find("/archive/") != std::string::npos;
    });
  }
  // Counted for the summary line: article pages (and their images), and
  // archive documents; the rest are feeds and their previews.
  const std::size_t pages =
      std::count_if(publication.changed_pages.begin(), publication.changed_pages.end(),
                    [](const std::string& r) { return r.starts_with("/articles/"); });
  const std::size_t archives =
      std::count_if(publication.changed_pages.begin(), publication.changed_pages.end(),
                    [](const std::string& r) { return r.find("/archive/") != std::string::npos; });
  routes.insert(routes.end(), publication.changed_pages.begin(), publication.changed_pages.end());
  try {
    // One sync of the whole folder at the end, not two fsyncs per file.
    StaticExporter exporter(
        out_dir, std::max(1u, std::thread::hardware_concurrency()), /*durable=*/false,
        [&config, feeds_only](const std::string& route, const Document& doc) {
          return feeds_only ? std::vector<std::string>{} : PageImages(route, doc, config.site);
        });
    exporter.RemoveStaleTempFiles();
    const StaticExporter::Result result = exporter.Export(*publication.snapshot, routes, {});
    if (result.failed > 0) {
      err << "feedd: " << result.error << " (" << result.failed << " documents not written)\n";
      return kExitCantCreate;
    }
    SyncTree(out_dir);
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
      << routes.size() - pages - archives << " documents, " << pages << " article pages and "
      << archives << " archive documents written to " << shown.string() << "\n";
  for (const Feed* f : feeds) {
    const Feed& feed = *f;
    out << "  " << feed.title << " (" << feed.shown.size()
        << " items): " << (shown / (feed.path + FileExtension(FeedFormat::kRss))).string()
        << " .atom .json\n";
  }
  return kExitOk;
}

}  // namespace feedd
