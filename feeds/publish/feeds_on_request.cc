#include "feeds/publish/feeds_on_request.h"

#include <algorithm>
#include <functional>
#include <iterator>

#include "feeds/core/fingerprint.h"
#include "feeds/core/media_types.h"
#include "feeds/pages/feed_page.h"
#include "feeds/publish/surrogate_keys.h"
#include "feeds/render/content_links.h"
#include "feeds/render/renderers.h"

namespace feedd {
namespace {

// What one document shows, copied out under the catalog's lock when it
// must be rendered.
struct FeedCopy {
  std::uint64_t version = 0;  // changes whenever the documents may
  UnixTime floor = 0;         // the earliest Last-Modified they may have
  FeedHead head;
  std::optional<FeedRegistry::Archive> archive;  // set for an archive
  std::vector<Article> articles;                 // metadata, id and dates assigned
  std::vector<std::string> paths;
  std::vector<std::uint64_t> hashes;  // of each article's content
};

std::uint64_t ArchiveVersion(const FeedRegistry::Archive& archive, const std::string& title) {
  Fingerprint print;
  for (const IndexRecord* record : archive.records) print.Add(record->id).Add(record->revision);
  print.Add(archive.older.value_or(-1)).Add(archive.newer.value_or(-1)).Add(archive.closed);
  return print.Add(title).Value();
}

// The cache's and the floors' key of a feed's documents, or of its archive
// of |month|.
std::string Key(const std::string& feed_path, std::optional<Month> month) {
  return month ? feed_path + "\n" + MonthName(*month) : feed_path;
}

std::string ArchiveValidator(const FeedRegistry::Archive& archive, const std::string& title) {
  const std::string links = std::to_string(archive.older.value_or(-1)) + " " +
                            std::to_string(archive.newer.value_or(-1)) +
                            (archive.closed ? " closed " : " open ") + title;
  return ShownValidator(archive.records, links);
}

UnixTime NewestUpdate(const std::vector<const IndexRecord*>& records) {
  UnixTime newest = 0;
  for (const IndexRecord* r : records) {
    if (r->article) newest = std::max(newest, r->article->updated);
  }
  return newest;
}

// Under the catalog's shared lock: the version of the document of the feed
// at |feed_path| (with |month|, of its archive of that month) and its
// floor; nothing when there is none. Only when |stale(version, floor)| says
// the cached documents are out of date is what it shows copied (a cache hit
// copies nothing).
std::optional<FeedCopy> Look(const Catalog& catalog,
                             const std::unordered_map<std::string, ServedDocument>& floors,
                             const std::string& feed_path, std::optional<Month> month,
                             const std::function<bool(std::uint64_t, UnixTime)>& stale) {
  std::shared_lock lock(catalog.mutex);
  const Feed* feed = catalog.registry.FeedAt(feed_path);
  if (!feed || !feed->published) return std::nullopt;
  if (!month && !feed->on_request) return std::nullopt;  // rendered ahead: the snapshot's
  FeedCopy copy;
  if (month) {
    copy.archive = catalog.registry.ArchiveOf(*feed, *month);
    if (!copy.archive) return std::nullopt;
    copy.version = ArchiveVersion(*copy.archive, feed->title);
  } else {
    copy.version = ShownVersion(*feed);
  }
  if (auto it = floors.find(Key(feed_path, month)); it != floors.end()) {
    copy.floor = it->second.last_modified;
  }
  if (!stale(copy.version, copy.floor)) return copy;
  copy.head = HeadOf(*feed);
  for (const IndexRecord* record : month ? copy.archive->records : feed->shown) {
    copy.articles.push_back(*record->article);
    copy.paths.push_back(record->path);
    copy.hashes.push_back(record->hash);
  }
  return copy;
}

// Every document of what |copy| shows: by kAllFormats, then (feeds only)
// the preview.
std::vector<DocumentPtr> Render(const FeedCopy& copy, const SiteInfo& site,
                                const FeedSettings& settings, const BodyLoader& load,
                                int closed_max_age, SummaryCache* summaries_kept) {
  const bool summaries = copy.archive || copy.head.summary_only;
  std::vector<FeedItem> items;
  items.reserve(copy.articles.size());
  for (std::size_t i = 0; i < copy.articles.size(); ++i) {
    const Article& a = copy.articles[i];
    const bool known = summaries && copy.hashes[i] != 0;
    std::optional<ArticleBody> body =
        known ? summaries_kept->Find(copy.paths[i], copy.hashes[i]) : std::nullopt;
    if (!body && load) {
      body = load(copy.paths[i]);
      if (body && known) summaries_kept->Put(copy.paths[i], copy.hashes[i], *body);
    }
    if (!body) body = ArticleBody{a.summary, a.content_html, 0};  // unreadable now
    if (summaries) {
      body->content_html.clear();
    } else {
      body->content_html = PrepareBody(body->content_html, ItemLink(a, site));
    }
    items.push_back(ItemOf(a, site, *body));
  }
  const FeedView view = copy.archive
                            ? ArchiveViewOf(copy.head, *copy.archive, site, std::move(items))
                            : FeedViewOf(copy.head, site, std::move(items));
  // Every format at once: a reader or an export asking for one asks for the
  // others next, and the bodies are read once.
  const bool closed = copy.archive && copy.archive->closed;
  const UnixTime last_modified = std::max(FeedUpdated(view, site), copy.floor);
  std::vector<DocumentPtr> docs;
  for (FeedFormat f : kAllFormats) {
    docs.push_back(MakeDocument(
        ContentType(f), RenderFeed(f, view, site, settings), last_modified, view.SelfUrl(site, f),
        copy.archive ? std::vector<std::string>{} : site.hubs, closed ? closed_max_age : -1, closed,
        true, FeedDocumentKeys(view.SelfRoute(f).path(), view)));
  }
  if (!copy.archive) {
    const Route preview = Route::Preview(view.path);
    docs.push_back(MakeDocument(kHtmlType, RenderFeedPage(view, site), last_modified,
                                preview.Url(site), {}, -1, false, true,
                                FeedDocumentKeys(preview.path(), view)));
  }
  return docs;
}

}  // namespace

std::string OnRequestValidator(const Feed& feed) {
  const std::string extra =
      std::to_string(feed.newest_archive.value_or(-1)) + " " + feed.title + "\n" + feed.description;
  return ShownValidator(feed.shown, extra);
}

FeedsOnRequest::FeedsOnRequest(std::shared_ptr<const Catalog> catalog, SiteInfo site,
                               FeedSettings settings, BodyLoader load, int closed_max_age,
                               std::size_t cache_bytes, std::size_t summary_bytes)
    : catalog_(std::move(catalog)),
      site_(std::move(site)),
      settings_(std::move(settings)),
      load_(std::move(load)),
      closed_max_age_(closed_max_age),
      summaries_(summary_bytes),
      cache_(cache_bytes) {}

DocumentPtr FeedsOnRequest::Find(std::string_view path) const {
  const std::optional<Route> route = Route::Parse(path);
  if (!route) return nullptr;
  // Which of the cached documents: the formats by kAllFormats, then the preview.
  std::size_t slot = std::size(kAllFormats);
  std::optional<Month> month;
  switch (route->kind) {
    case RouteKind::kArchive:
      month = route->month;
      [[fallthrough]];
    case RouteKind::kFeed:
      slot = static_cast<std::size_t>(
          std::find(std::begin(kAllFormats), std::end(kAllFormats), route->format) -
          std::begin(kAllFormats));
      break;
    case RouteKind::kFeedPreview:
      break;
    default:
      return nullptr;
  }
  const std::string key = Key(route->name, month);
  DocumentPtr hit;
  const std::optional<FeedCopy> copy =
      Look(*catalog_, floors_, route->name, month, [&](std::uint64_t v, UnixTime floor) {
        hit = Cached(key, v, floor, slot);
        return hit == nullptr;
      });
  if (!copy) return nullptr;
  if (hit) return hit;
  return Cache(key, copy->version, copy->floor,
               Render(*copy, site_, settings_, load_, closed_max_age_, &summaries_), slot);
}

std::optional<std::uint64_t> FeedsOnRequest::Fingerprint(std::string_view path) const {
  const std::optional<Route> route = Route::Parse(path);
  if (!route || (route->kind != RouteKind::kArchive && route->kind != RouteKind::kFeed &&
                 route->kind != RouteKind::kFeedPreview)) {
    return std::nullopt;
  }
  std::shared_lock lock(catalog_->mutex);
  const Feed* feed = catalog_->registry.FeedAt(route->name);
  if (!feed || !feed->published) return std::nullopt;
  // The validators the Last-Modified floors move with: what it shows.
  if (route->kind == RouteKind::kArchive) {
    const std::optional<FeedRegistry::Archive> archive =
        catalog_->registry.ArchiveOf(*feed, route->month);
    if (!archive) return std::nullopt;
    return feedd::Fingerprint().Add(ArchiveValidator(*archive, feed->title)).Value();
  }
  if (!feed->on_request) return std::nullopt;
  return feedd::Fingerprint().Add(OnRequestValidator(*feed)).Value();
}

void FeedsOnRequest::Advance(const FeedRegistry::Changes& changes, const ServedHistory& served,
                             ServedHistory* floors) {
  const FeedRegistry& registry = catalog_->registry;
  for (const Feed* feed : changes.changed) {
    if (!feed->on_request) continue;
    Move(Key(feed->path, std::nullopt), FeedRoutes(feed->path), OnRequestValidator(*feed),
         FeedUpdated(feed->updated, site_), served, floors);
  }
  for (const std::string& path : changes.removed) {
    if (floors_.count(path)) Move(path, FeedRoutes(path), "", 0, served, floors);
  }
  for (const FeedRegistry::Changes::ArchiveChange& change : changes.archives) {
    const std::string key = Key(change.feed->path, change.month);
    const std::vector<Route> routes = ArchiveRoutes(change.feed->path, change.month);
    const std::optional<FeedRegistry::Archive> archive =
        change.exists ? registry.ArchiveOf(*change.feed, change.month) : std::nullopt;
    if (archive) {
      Move(key, routes, ArchiveValidator(*archive, change.feed->title),
           FeedUpdated(NewestUpdate(archive->records), site_), served, floors);
    } else if (floors_.count(key)) {
      Move(key, routes, "", 0, served, floors);
    }
  }
}

void FeedsOnRequest::Move(const std::string& key, const std::vector<Route>& routes,
                          std::string version, UnixTime content, const ServedHistory& served,
                          ServedHistory* floors) {
  const ServedDocument* before = nullptr;
  auto known = floors_.find(key);
  if (known != floors_.end()) {
    before = &known->second;
  } else if (auto it = served.find(routes.front().path()); it != served.end()) {
    before = &it->second;
  }
  ServedDocument now{std::move(version), 0};
  // Gone: the floor stays where it was, for when it comes back.
  now.last_modified = now.etag.empty() ? (before ? before->last_modified : 0)
                                       : NextLastModified(before, now.etag, content);
  if (!before || !(*before == now)) {
    for (const Route& route : routes) (*floors)[route.path()] = now;
  }
  floors_[key] = std::move(now);
}

DocumentPtr FeedsOnRequest::Cached(const std::string& key, std::uint64_t version, UnixTime floor,
                                   std::size_t slot) const {
  std::lock_guard lock(mu_);
  const struct Cached* hit = cache_.Find(key);
  if (!hit || hit->version != version || hit->floor != floor || slot >= hit->docs.size()) {
    return nullptr;
  }
  return hit->docs[slot];
}

DocumentPtr FeedsOnRequest::Cache(const std::string& key, std::uint64_t version, UnixTime floor,
                                  std::vector<DocumentPtr> docs, std::size_t slot) const {
  DocumentPtr doc = slot < docs.size() ? docs[slot] : nullptr;
  std::size_t bytes = 0;
  for (const DocumentPtr& d : docs) bytes += d->body.size() + d->gzip_body.size();
  std::lock_guard lock(mu_);
  cache_.Put(key, {version, floor, std::move(docs)}, bytes);
  return doc;
}

}  // namespace feedd
