// daemon/rebuild/site_publisher.h
//
// Turns changes in the articles directory into new Publications, doing work
// in proportion to the change: Update() reads only the paths it is given,
// Rescan() lists the directory and reads only files whose stamp (size,
// mtime, inode) changed, Republish() reads nothing (an embargo came due).
// Each feeds the changes through the article index and the feed registry,
// writes what the index learned to the state store, and renders only the
// feeds whose shown items changed; every other document carries over.
//
// On the first Rescan() after a restart, a file whose stamp equals the one
// the state store recorded is not read at all: its stored metadata stands
// in, unless the parse options changed since (then every file is read).
//
// Thread safety: not thread-safe; the rebuild worker (or a one-shot
// command) is its only caller.

#ifndef FEEDD_DAEMON_REBUILD_SITE_PUBLISHER_H_
#define FEEDD_DAEMON_REBUILD_SITE_PUBLISHER_H_

#include <atomic>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "config/config.h"
#include "daemon/state/state_store.h"
#include "feeds/core/problem.h"
#include "feeds/index/article_index.h"
#include "feeds/index/catalog.h"
#include "feeds/index/feed_registry.h"
#include "feeds/input/article_folder.h"
#include "feeds/publish/article_pages.h"
#include "feeds/publish/article_reader.h"
#include "feeds/publish/feeds_on_request.h"
#include "feeds/publish/publication.h"
#include "feeds/render/body_cache.h"

namespace feedd {

class SitePublisher {
 public:
  /// |config| and |store| must outlive the publisher; |store| may be null
  /// (nothing is remembered: `feedd check`). What |store| remembers is read
  /// on the first scan.
  /// |depth| is how files are read for the index: kMetadata (the bodies
  /// are read when a feed shows them), or kFull to read every body now and
  /// report every problem in it (`feedd check`).
  /// |open_folder| gives the articles folder; null: config.articles_dir
  /// on disk.
  SitePublisher(const Config& config, StateStore* store, unsigned threads,
                ParseDepth depth = ParseDepth::kMetadata, OpenArticleFolder open_folder = nullptr);

  /// Errors, after which the previous state stays: a store error when what
  /// the store remembers cannot be read (then every later call gives it
  /// too: a half-read store would re-date articles), an I/O error when the
  /// articles directory cannot be listed (Update() too: a folder that is
  /// gone never reads as "every file was removed"). Problems with single files, and
  /// a store that cannot be written, are |problems|.
  Result<Publication> Rescan(UnixTime now, Problems* problems);
  Result<Publication> Update(const std::set<std::string>& paths, UnixTime now, Problems* problems);
  /// Reads nothing, so it cannot fail.
  Publication Republish(UnixTime now, Problems* problems);

  /// From now on, each file a scan reads adds one to |*files_read|
  /// (null: none); for a progress line.
  void CountReads(std::atomic<std::size_t>* files_read) { files_read_ = files_read; }
  /// Keeps up to |bytes| of the summaries archives show (8 MB unless told):
  /// an export of the whole site reads each article once, not once per
  /// archive that shows it.
  void KeepSummaries(std::size_t bytes) { archives_->KeepSummaries(bytes); }

  const ArticleIndex& index() const { return catalog_->index; }
  const FeedRegistry& registry() const { return catalog_->registry; }
  /// Null when site.item_link sends readers elsewhere.
  const ArticlePages* pages() const { return pages_.get(); }

 private:
  /// Reads what the store remembers into the index, once; the same Status
  /// every time after.
  Status LoadStore();
  Status LoadStoreOnce();
  Publication Apply(std::vector<FileChange> changes, UnixTime now, Problems* problems);
  /// Writes |records| (and any a failed write left) to the store; returns
  /// the problems instead of adding them, as it may run on another thread.
  Problems Persist(const std::vector<const IndexRecord*>& records);
  /// Reads a body for the feeds; what is wrong with the file goes to
  /// body_problems_ (the index saw only its metadata).
  std::optional<ArticleBody> LoadBody(const std::string& path);
  /// Warns about each changed feed document over feeds.size_budget.
  void WarnAboutSize(const Publication& publication, Problems* problems) const;
  /// Records what |publication| serves now, and the moved Last-Modified
  /// |floors| of documents rendered on request, in memory and in the store.
  void RememberServed(const Publication& publication, const ServedHistory& floors,
                      Problems* problems);

  const Config& config_;
  const OpenArticleFolder open_folder_;
  StateStore* store_;
  unsigned threads_;
  ParseDepth depth_;
  Problems body_problems_;
  std::shared_ptr<Catalog> catalog_;  // shared with archives_, which reads it on request
  ArticleIndex& index_;
  FeedRegistry& registry_;
  BodyCache bodies_;
  std::shared_ptr<ArticlePages> pages_;
  std::shared_ptr<FeedsOnRequest> archives_;
  std::shared_ptr<const LazyDocuments> lazy_;  // pages, archives, local images
  SnapshotPtr previous_;
  bool first_scan_ = true;
  bool loaded_ = false;
  Status load_status_;
  bool reclaim_ = false;  ///< stored metadata may stand in for unchanged files
  ArticleReader reader_;  // after open_folder_, which it copies
  std::string fingerprint_;
  std::vector<const IndexRecord*> unsaved_;  ///< to retry after a failed Save()
  /// Each route's last ETag and Last-Modified: of every route until the first
  /// publication, then of the documents rendered ahead only.
  ServedHistory served_;
  std::atomic<std::size_t>* files_read_ = nullptr;
};

}  // namespace feedd

#endif  // FEEDD_DAEMON_REBUILD_SITE_PUBLISHER_H_
