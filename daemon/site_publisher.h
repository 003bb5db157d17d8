// daemon/site_publisher.h
//
// Keeps the parsed form of every article file between rebuilds and turns
// changes into new Publications: Update() re-reads only the paths it is
// given, Rescan() lists the directory and re-reads only files whose size or
// mtime changed (or that are new), Republish() re-renders without reading
// (an embargo expired). Identities and dates go through the ledger.
//
// Memory: it keeps each article's metadata and content hash, not its body.
// Once an article is resolved (and so recorded in the ledger, which keeps
// the last good version), its HTML is dropped; the few articles that make it
// into a feed have theirs loaded back from the ledger at render time.
//
// Thread safety: not thread-safe; the rebuild worker is its only caller.

#ifndef FEEDD_DAEMON_SITE_PUBLISHER_H_
#define FEEDD_DAEMON_SITE_PUBLISHER_H_

#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "config/config.h"
#include "feeds/article_files.h"
#include "feeds/catalog.h"
#include "feeds/identity_ledger.h"
#include "feeds/problem.h"
#include "feeds/publication.h"

namespace feedd {

class SitePublisher {
 public:
  /// |config| and |ledger| must outlive the publisher.
  SitePublisher(const Config& config, IdentityLedger* ledger, unsigned threads);

  /// Throws std::filesystem::filesystem_error when the articles directory
  /// cannot be listed; the previous state stays.
  Publication Rescan(UnixTime now, Problems* problems);
  Publication Update(const std::set<std::string>& paths, UnixTime now, Problems* problems);
  Publication Republish(UnixTime now, Problems* problems);

  std::size_t files() const { return files_.size(); }

 private:
  struct Entry {
    UnixTime mtime = 0;
    std::uintmax_t size = 0;
    std::optional<Article> parsed;  ///< content_html dropped once resolved
    std::string hash;               ///< ContentHash() of the full parse
  };
  /// The article's content: its own if still held, else the ledger's copy.
  std::string LoadContent(const Article& article);
  void Store(const std::vector<ArticleFile>& listed, Problems* problems);
  Publication Resolve(UnixTime now, const std::set<std::string>& report, bool report_all,
                      Problems* problems);

  const Config& config_;
  IdentityLedger* ledger_;
  unsigned threads_;
  Catalog catalog_;
  std::map<std::string, Entry> files_;
  SnapshotPtr previous_;
};

}  // namespace feedd

#endif  // FEEDD_DAEMON_SITE_PUBLISHER_H_
