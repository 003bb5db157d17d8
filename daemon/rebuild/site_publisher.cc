#include "daemon/rebuild/site_publisher.h"

#include <algorithm>
#include <future>

#include "daemon/base/parallel.h"
#include "daemon/rebuild/article_scan.h"
#include "feeds/core/routes.h"
#include "feeds/input/article_tree.h"
#include "feeds/parse/article_checks.h"
#include "feeds/parse/article_parser.h"
#include "feeds/publish/article_reader.h"
#include "feeds/publish/local_images.h"

namespace feedd {
namespace {

constexpr const char* kFingerprintKey = "parse_fingerprint";

// Parse results as index changes, problems moved to |problems|.
void AddParsed(const std::vector<ArticleFile>& files, std::vector<ParsedFile> parsed,
               std::vector<FileChange>* changes, Problems* problems) {
  for (std::size_t i = 0; i < files.size(); ++i) {
    FileChange change;
    change.path = files[i].rel_path;
    change.stamp = files[i].stamp;
    change.kind = parsed[i].article ? FileChange::Kind::kParsed : FileChange::Kind::kFailed;
    if (parsed[i].article)
      change.article = std::make_unique<Article>(std::move(*parsed[i].article));
    for (Problem& p : parsed[i].problems) problems->push_back(std::move(p));
    changes->push_back(std::move(change));
  }
}

}  // namespace

SitePublisher::SitePublisher(const Config& config, StateStore* store, unsigned threads,
                             ParseDepth depth, OpenArticleFolder open_folder)
    : config_(config),
      open_folder_(open_folder ? std::move(open_folder)
                               : DiskFolder(config.articles_dir, config.follow_symlinks)),
      store_(store),
      threads_(std::max(1u, threads)),
      depth_(depth),
      catalog_(std::make_shared<Catalog>(config.site, config.feeds)),
      index_(catalog_->index),
      registry_(catalog_->registry),
      reader_(open_folder_, config.parse, config.site),
      fingerprint_(ParseFingerprint(config.parse)) {
  // The loaders run on the server's threads.
  if (config.site.item_link.empty()) {
    pages_ = std::make_shared<ArticlePages>(config.site, config.feeds, reader_.MakePageLoader());
  }
  // Feeds rendered on request read their items' bodies (archives: only the
  // summary, the lead, which only a full read finds).
  archives_ = std::make_shared<FeedsOnRequest>(
      catalog_, config.site, config.feeds, reader_.MakeBodyLoader(), config.feeds.archive_max_age);
  lazy_ = std::make_shared<LazyChain>(
      pages_, std::make_shared<LazyChain>(archives_, std::make_shared<LocalImages>(open_folder_)));
}

Status SitePublisher::LoadStore() {
  if (!store_ || loaded_) return load_status_;
  loaded_ = true;
  // A half-loaded index would re-date articles: a failure stays the answer.
  load_status_ = LoadStoreOnce();
  return load_status_;
}

Status SitePublisher::LoadStoreOnce() {
  const Result<std::size_t> stored = store_->Count();
  if (!stored.ok()) return stored.status();
  std::unique_lock lock(catalog_->mutex);
  index_.Reserve(*stored);
  if (pages_) pages_->Reserve(*stored);
  Status status = store_->LoadAll([this](IndexRecord record) {
    // The store gives a folder's category as the path spells it; the
    // parser's rule makes it text a feed can carry (a Latin-1 folder).
    if (record.article && record.article->categories_from_folder) {
      bool repaired = false;
      std::string category = FolderCategory(record.path, config_.parse, &repaired);
      record.article->categories.clear();
      if (!category.empty()) record.article->categories.push_back(std::move(category));
    }
    index_.Restore(std::move(record));
  });
  if (!status.ok()) return status;
  const Result<std::string> fingerprint = store_->Meta(kFingerprintKey);
  if (!fingerprint.ok()) return fingerprint.status();
  reclaim_ = *fingerprint == fingerprint_;
  Result<ServedHistory> served = store_->LoadServed();
  if (!served.ok()) return served.status();
  served_ = std::move(*served);
  return Status();
}

Result<Publication> SitePublisher::Rescan(UnixTime now, Problems* problems) {
  const std::shared_ptr<const ArticleFolder> folder = open_folder_();
  // On the first scan the store loads while the directory is listed.
  std::future<Status> loaded = std::async(std::launch::async, [this] { return LoadStore(); });
  Result<Listing> listed = folder->List(problems);
  const Status load = loaded.get();
  if (!load.ok()) return load;
  if (!listed.ok()) return listed.status();
  const Listing& listing = *listed;
  ArticleIndex::Plan plan = index_.PlanScan(listing, first_scan_ && reclaim_);
  AddParsed(plan.to_read,
            ParseArticleFiles(*folder, plan.to_read, config_.parse, depth_, threads_, files_read_),
            &plan.changes, problems);
  Publication publication = Apply(std::move(plan.changes), now, problems);
  if (first_scan_ && store_ && !reclaim_) {
    if (Status s = store_->SetMeta(kFingerprintKey, fingerprint_); !s.ok()) {
      problems->push_back({store_->file().string(), 0, Severity::kError, s.message()});
    }
  }
  first_scan_ = false;
  return publication;
}

Result<Publication> SitePublisher::Update(const std::set<std::string>& paths, UnixTime now,
                                          Problems* problems) {
  if (Status load = LoadStore(); !load.ok()) return load;
  const std::shared_ptr<const ArticleFolder> folder = open_folder_();
  // A folder that vanished would make every path look removed: an error
  // instead, so the last good feeds stay.
  if (Status reachable = folder->Reachable(); !reachable.ok()) return reachable;
  std::vector<FileChange> changes;
  std::vector<ArticleFile> to_read;
  for (const std::string& rel : paths) {
    if (FormatForPath(rel) == ArticleFormat::kIgnored) continue;
    const std::optional<FileStamp> stamp = folder->Stamp(rel);
    if (!stamp) {
      changes.push_back({FileChange::Kind::kRemoved, rel, {}, nullptr});  // deleted, or moved away
    } else if (!index_.Unchanged(rel, *stamp)) {
      to_read.push_back({rel, *stamp});
    }
  }
  AddParsed(to_read, ParseArticleFiles(*folder, to_read, config_.parse, depth_, threads_), &changes,
            problems);
  return Apply(std::move(changes), now, problems);
}

Publication SitePublisher::Republish(UnixTime now, Problems* problems) {
  return Apply({}, now, problems);
}

Publication SitePublisher::Apply(std::vector<FileChange> changes, UnixTime now,
                                 Problems* problems) {
  std::unique_lock lock(catalog_->mutex);  // archives read on request threads
  const ArticleIndex::Result result = index_.Apply(std::move(changes), problems);
  // The store writes while the feeds render: both only read the records,
  // which the next Apply() changes, so the write is joined before returning.
  std::future<Problems> persisted =
      std::async(result.to_store.size() > 256 ? std::launch::async : std::launch::deferred,
                 [this, &result] { return Persist(result.to_store); });
  registry_.Update(result.touched, now, problems);
  const FeedRegistry::Changes feed_changes = registry_.TakeChanges();
  // Documents rendered on request: their Last-Modified floors move with
  // the registry, under its lock, so no request renders the new content
  // with the old date.
  ServedHistory floors;
  archives_->Advance(feed_changes, served_, &floors);
  lock.unlock();
  PublishContext context(config_.site, config_.feeds);
  context.previous = previous_.get();
  context.bodies = &bodies_;
  context.load = [this](const std::string& path) { return LoadBody(path); };
  context.parallel = [this](std::size_t n, const std::function<void(std::size_t)>& body) {
    ParallelFor(n < 4 ? 1 : threads_, n, body);
  };
  context.history = &served_;
  context.lazy = lazy_;
  Publication publication = Publish(registry_, feed_changes, context);
  if (pages_) {
    const std::shared_ptr<const ArticleFolder> folder = open_folder_();
    for (const IndexRecord* record : feed_changes.reconsidered) {
      const bool published = registry_.published(record);
      const std::size_t before = publication.changed_pages.size();
      pages_->Update(*record, published, &publication.changed_pages, &publication.removed_pages,
                     &served_, &floors);
      // A page that changed may show a local image the export must copy.
      if (published && publication.changed_pages.size() > before) {
        if (auto image = FindLocalImage(*folder, config_.site, *record->article)) {
          publication.changed_pages.push_back(std::move(image->route));
        }
      }
    }
  }
  for (const FeedRegistry::Changes::ArchiveChange& change : feed_changes.archives) {
    for (const Route& route : ArchiveRoutes(change.feed->path, change.month)) {
      (change.exists ? publication.changed_pages : publication.removed_pages)
          .push_back(route.path());
    }
  }
  std::sort(publication.changed_pages.begin(), publication.changed_pages.end());
  std::sort(publication.removed_pages.begin(), publication.removed_pages.end());
  // A route one article left and another took in this batch (a contested
  // slug decided again) is served: changed, not removed.
  std::erase_if(publication.removed_pages, [&](const std::string& route) {
    return std::binary_search(publication.changed_pages.begin(), publication.changed_pages.end(),
                              route);
  });
  WarnAboutSize(publication, problems);
  // Read before RememberServed() trims the history to the documents
  // rendered ahead.
  for (const auto& [route, served] : floors) {
    if (served_.count(route)) publication.changed_since_history.push_back(route);
  }
  publication.complete = previous_ == nullptr;
  previous_ = publication.snapshot;
  // One transaction at a time on the store's connection: the served
  // history is written once the records are.
  for (Problem& p : persisted.get()) problems->push_back(std::move(p));
  RememberServed(publication, floors, problems);
  // Problems only a body shows (a reference to a character feeds cannot
  // carry), found when a feed first showed it.
  for (Problem& p : body_problems_) problems->push_back(std::move(p));
  body_problems_.clear();
  return publication;
}

void SitePublisher::WarnAboutSize(const Publication& publication, Problems* problems) const {
  for (const std::string& route : publication.changed_routes) {
    const DocumentPtr doc = publication.snapshot->Find(route);
    if (!doc || static_cast<long long>(doc->body.size()) <= config_.feeds.size_budget) continue;
    const std::optional<Route> parsed = Route::Parse(route);
    if (!parsed || parsed->kind != RouteKind::kFeed) continue;
    const Feed* feed = registry_.FeedAt(parsed->name);
    if (!feed) continue;
    problems->push_back({route, 0, Severity::kWarning,
                         "the feed \"" + feed->title + "\" is " + std::to_string(doc->body.size()) +
                             " bytes, over feeds.size_budget (" +
                             std::to_string(config_.feeds.size_budget) +
                             "): readers may refuse or cut it; lower feeds.items"});
  }
}

Problems SitePublisher::Persist(const std::vector<const IndexRecord*>& records) {
  Problems problems;
  if (!store_) return problems;
  unsaved_.insert(unsaved_.end(), records.begin(), records.end());
  if (unsaved_.empty()) return problems;
  std::sort(unsaved_.begin(), unsaved_.end());
  unsaved_.erase(std::unique(unsaved_.begin(), unsaved_.end()), unsaved_.end());
  if (Status saved = store_->Save(unsaved_); saved.ok()) {
    unsaved_.clear();
  } else {
    // Keep serving; the records are written with the next rebuild.
    problems.push_back(
        {store_->file().string(), 0, Severity::kError, saved.message() + " (will retry)"});
  }
  return problems;
}

void SitePublisher::RememberServed(const Publication& publication, const ServedHistory& floors,
                                   Problems* problems) {
  for (const std::string& route : publication.changed_routes) {
    const DocumentPtr doc = publication.snapshot->Find(route);
    served_[route] = {doc->etag, doc->last_modified};
  }
  // The history of documents rendered on request is read once, by the
  // first publication; from then on the page and feed sources keep their
  // own, so memory holds only that of the documents rendered ahead.
  if (publication.complete) {
    std::erase_if(served_, [&](const auto& entry) {
      return !publication.snapshot->routes.count(entry.first);
    });
  }
  if (!store_) return;
  std::vector<std::string> floor_routes;
  for (const auto& [route, served] : floors) floor_routes.push_back(route);
  Status saved = store_->SaveServed(served_, publication.changed_routes);
  if (saved.ok()) saved = store_->SaveServed(floors, floor_routes);
  if (!saved.ok()) {
    problems->push_back({store_->file().string(), 0, Severity::kError, saved.message()});
  }
}

std::optional<ArticleBody> SitePublisher::LoadBody(const std::string& path) {
  Problems problems;
  std::optional<LoadedArticle> loaded = reader_.Read(path, &problems);
  if (!loaded) return std::nullopt;
  if (depth_ == ParseDepth::kMetadata) {
    // Only what the full read adds: the index reported the rest.
    for (Problem& p : problems) {
      if (p.message == kDecodedCharactersRemoved) body_problems_.push_back(std::move(p));
    }
  }
  return BodyOf(std::move(*loaded));
}

}  // namespace feedd
