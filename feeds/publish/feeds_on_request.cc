#include "feeds/publish/feeds_on_request.h"

#include <xxhash.h>

#include <cstring>
#include <functional>

#include "feeds/core/links.h"
#include "feeds/pages/feed_page.h"
#include "feeds/render/renderers.h"

namespace feedd {
namespace {

constexpr std::string_view kArchiveSegment = "/archive/";

// What one document shows, copied out under the catalog's lock when it
// must be rendered.
struct FeedCopy {
  std::uint64_t version = 0;  // changes whenever the documents may
  std::string key, path, title, description;
  UnixTime updated = 0;
  std::optional<Month> newest_archive;
  std::optional<FeedRegistry::Archive> archive;  // set for an archive
  std::vector<Article> articles;                 // metadata, id and dates assigned
  std::vector<std::string> paths;
};

std::uint64_t ArchiveVersion(const FeedRegistry::Archive& archive, const std::string& title) {
  XXH3_state_t* state = XXH3_createState();
  XXH3_64bits_reset(state);
  for (const IndexRecord* record : archive.records) {
    XXH3_64bits_update(state, record->id.data(), record->id.size() + 1);
    XXH3_64bits_update(state, &record->revision, sizeof record->revision);
  }
  const int links[] = {archive.older.value_or(-1), archive.newer.value_or(-1),
                       archive.closed ? 1 : 0};
  XXH3_64bits_update(state, links, sizeof links);
  XXH3_64bits_update(state, title.data(), title.size());
  const std::uint64_t version = XXH3_64bits_digest(state);
  XXH3_freeState(state);
  return version;
}

// Under the catalog's shared lock: the version of the document of the feed
// at |feed_path| (with |month|, of its archive of that month); nothing when
// there is none. Only when |stale(version)| says the cached documents are
// out of date is what it shows copied (a cache hit copies nothing).
std::optional<FeedCopy> Look(const Catalog& catalog, const std::string& feed_path,
                             std::optional<Month> month,
                             const std::function<bool(std::uint64_t)>& stale) {
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
  if (!stale(copy.version)) return copy;
  copy.key = feed->key;
  copy.path = feed->path;
  copy.title = feed->title;
  copy.description = feed->description;
  copy.updated = feed->updated;
  copy.newest_archive = feed->newest_archive;
  for (const IndexRecord* record : month ? copy.archive->records : feed->shown) {
    copy.articles.push_back(*record->article);
    copy.paths.push_back(record->path);
  }
  return copy;
}

}  // namespace

FeedsOnRequest::FeedsOnRequest(std::shared_ptr<const Catalog> catalog, SiteInfo site,
                               FeedSettings settings, BodyLoader load, int closed_max_age,
                               std::size_t cache_bytes)
    : catalog_(std::move(catalog)),
      site_(std::move(site)),
      settings_(std::move(settings)),
      load_(std::move(load)),
      closed_max_age_(closed_max_age),
      cache_(cache_bytes) {}

std::vector<std::string> FeedsOnRequest::ArchiveRoutes(const std::string& feed_path, Month month) {
  std::vector<std::string> routes;
  for (FeedFormat format : kAllFormats) {
    routes.push_back("/" + ArchivePath(feed_path, MonthName(month)) + FileExtension(format));
  }
  return routes;
}

std::vector<std::string> FeedsOnRequest::FeedRoutes(const std::string& feed_path) {
  std::vector<std::string> routes;
  for (FeedFormat format : kAllFormats) routes.push_back("/" + feed_path + FileExtension(format));
  routes.push_back("/" + feed_path + ".html");
  return routes;
}

DocumentPtr FeedsOnRequest::Find(std::string_view path) const {
  // "/<feed path>[/archive/<YYYY-MM>].<ext>"
  std::optional<std::size_t> slot;
  for (std::size_t i = 0; i < std::size(kAllFormats); ++i) {
    if (path.ends_with(FileExtension(kAllFormats[i]))) slot = i;
  }
  if (path.ends_with(".html")) slot = std::size(kAllFormats);
  if (!slot || path.size() < 2 || path.front() != '/') return nullptr;
  const std::string_view stem =
      path.substr(0, path.size() - (*slot < std::size(kAllFormats)
                                        ? std::strlen(FileExtension(kAllFormats[*slot]))
                                        : std::strlen(".html")));
  std::string feed_path(stem.substr(1));
  std::optional<Month> month;
  if (const std::size_t at = stem.rfind(kArchiveSegment); at != std::string_view::npos && at > 0) {
    month = ParseMonthName(stem.substr(at + kArchiveSegment.size()));
    if (month) feed_path = std::string(stem.substr(1, at - 1));
  }
  if (month && *slot == std::size(kAllFormats)) return nullptr;  // archives have no preview
  const std::string key(stem);
  DocumentPtr hit;
  const std::optional<FeedCopy> copy = Look(*catalog_, feed_path, month, [&](std::uint64_t v) {
    hit = Cached(key, v, *slot);
    return hit == nullptr;
  });
  if (!copy) return nullptr;
  if (hit) return hit;

  FeedView view;
  view.key = copy->key;
  view.description = copy->description;
  if (month) {
    view.title = copy->title + " (" + MonthName(*month) + ")";
    view.path = ArchivePath(copy->path, MonthName(*month));
    view.tag_id = TagUri(site_, "feeds/" + copy->key + "/archive/" + MonthName(*month));
    view.summary_only = true;
    view.archive = true;
    view.current = copy->path;
    if (copy->archive->older) {
      view.prev_archive = ArchivePath(copy->path, MonthName(*copy->archive->older));
    }
    if (copy->archive->newer) {
      view.next_archive = ArchivePath(copy->path, MonthName(*copy->archive->newer));
    }
  } else {
    view.title = copy->title;
    view.path = copy->path;
    view.tag_id = TagUri(site_, "feeds/" + copy->key);
    view.updated = copy->updated;
    if (copy->newest_archive) {
      view.prev_archive = ArchivePath(copy->path, MonthName(*copy->newest_archive));
    } else {
      view.complete = true;
    }
  }
  view.items.reserve(copy->articles.size());
  for (std::size_t i = 0; i < copy->articles.size(); ++i) {
    const Article& a = copy->articles[i];
    std::optional<ArticleBody> body = load_ ? load_(copy->paths[i]) : std::nullopt;
    if (!body) body = ArticleBody{a.summary, a.content_html, 0};  // unreadable now
    if (view.summary_only) {
      body->content_html.clear();
    } else {
      body->content_html = AbsolutizeUrls(body->content_html, ItemLink(a, site_));
    }
    view.items.push_back(ItemOf(a, site_, *body));
    if (month) view.updated = std::max(view.updated, a.updated);
  }
  // Every format at once: a reader or an export asking for one asks for the
  // others next, and the bodies are read once.
  const bool closed = month && copy->archive->closed;
  std::vector<DocumentPtr> docs;
  for (FeedFormat f : kAllFormats) {
    docs.push_back(MakeDocument(ContentType(f), RenderFeed(f, view, site_, settings_),
                                FeedUpdated(view, site_), view.SelfUrl(site_, f),
                                month ? std::vector<std::string>{} : site_.hubs,
                                closed ? closed_max_age_ : -1, closed));
  }
  if (!month) {
    docs.push_back(MakeDocument("text/html; charset=utf-8", RenderFeedPage(view, site_),
                                FeedUpdated(view, site_), FeedPageUrl(site_, view.path)));
  }
  return Cache(key, copy->version, std::move(docs), *slot);
}

DocumentPtr FeedsOnRequest::Cached(const std::string& key, std::uint64_t version,
                                   std::size_t slot) const {
  std::lock_guard lock(mu_);
  const struct Cached* hit = cache_.Find(key);
  if (!hit || hit->version != version || slot >= hit->docs.size()) return nullptr;
  return hit->docs[slot];
}

DocumentPtr FeedsOnRequest::Cache(const std::string& key, std::uint64_t version,
                                  std::vector<DocumentPtr> docs, std::size_t slot) const {
  DocumentPtr doc = slot < docs.size() ? docs[slot] : nullptr;
  std::size_t bytes = 0;
  for (const DocumentPtr& d : docs) bytes += d->body.size() + d->gzip_body.size();
  std::lock_guard lock(mu_);
  cache_.Put(key, {version, std::move(docs)}, bytes);
  return doc;
}

}  // namespace feedd
