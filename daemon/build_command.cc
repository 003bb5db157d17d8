// `feedd build`. See daemon/commands.h.

#include <ctime>
#include <ostream>

#include "daemon/article_scan.h"
#include "daemon/atomic_file.h"
#include "daemon/commands.h"
#include "daemon/exit_codes.h"
#include "daemon/problem_report.h"
#include "daemon/state_store.h"
#include "feeds/catalog.h"
#include "feeds/feed_selection.h"
#include "feeds/renderers.h"

namespace fs = std::filesystem;

namespace feedd {

int RunBuild(const Config& config, const fs::path& out_dir, std::ostream& out, std::ostream& err) {
  std::optional<ScanResult> scanned = ScanArticlesOrReport(config.articles_dir, config.parse, err);
  if (!scanned) return kExitNoInput;
  ScanResult& scan = *scanned;

  std::vector<Article> articles;
  try {
    StateStore store(config.state_dir);
    store.Begin();
    Catalog catalog(&store);
    articles = catalog.ResolveScan(std::move(scan.files), &scan.problems);
    store.Commit();
  } catch (const StateStoreError& e) {
    err << "feedd: " << e.what() << "\n";
    return kExitCantCreate;
  }
  ReportProblems(config, scan.problems, err);

  const FeedSet set = SelectFeeds(articles, config.site, config.feeds, std::time(nullptr));
  const std::vector<FeedDocument> documents = RenderFeedSet(set, config.site, config.feeds);
  try {
    for (const FeedDocument& doc : documents) WriteFileAtomically(out_dir / doc.path, doc.body);
  } catch (const fs::filesystem_error& e) {
    err << "feedd: " << e.path1().string() << ": " << e.what() << "\n";
    return kExitCantCreate;
  }

  const fs::path shown = fs::absolute(out_dir).lexically_normal();
  out << "feedd: " << articles.size() << " articles, " << set.feeds.size() << " feeds, "
      << documents.size() << " documents written to " << shown.string() << "\n";
  for (const FeedView& feed : set.feeds) {
    out << "  " << feed.title << " (" << feed.items.size()
        << " items): " << (shown / (feed.path + FileExtension(FeedFormat::kRss))).string()
        << " .atom .json\n";
  }
  return kExitOk;
}

}  // namespace feedd
