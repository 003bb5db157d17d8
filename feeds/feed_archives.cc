#include "feeds/feed_archives.h"

#include <xxhash.h>

#include <cstring>

#include "feeds/links.h"
#include "feeds/renderers.h"

namespace feedd {
namespace {

constexpr std::string_view kArchiveSegment = "/archive/";

// What one archive document shows, copied out under the catalog's lock.
struct ArchiveCopy {
  std::string feed_key;
  std::string feed_path;
  std::string title;
  std::string description;
  FeedRegistry::Archive archive;
  std::vector<Article> articles;  // metadata, id and dates assigned
  std::vector<std::string> paths;
  std::uint64_t version = 0;  // changes whenever the document may
};

std::optional<ArchiveCopy> CopyArchive(const Catalog& catalog, const std::string& feed_path,
                                       Month month) {
  std::shared_lock lock(catalog.mutex);
  const Feed* feed = catalog.registry.FeedAt(feed_path);
  if (!feed || !feed->published) return std::nullopt;
  std::optional<FeedRegistry::Archive> archive = catalog.registry.ArchiveOf(*feed, month);
  if (!archive) return std::nullopt;
  ArchiveCopy copy{feed->key, feed->path, feed->title, feed->description, *archive, {}, {}, 0};
  XXH3_state_t* state = XXH3_createState();
  XXH3_64bits_reset(state);
  for (const IndexRecord* record : archive->records) {
    copy.articles.push_back(*record->article);
    copy.paths.push_back(record->path);
    XXH3_64bits_update(state, record->id.data(), record->id.size() + 1);
    XXH3_64bits_update(state, &record->revision, sizeof record->revision);
  }
  const int links[] = {archive->older.value_or(-1), archive->newer.value_or(-1),
                       archive->closed ? 1 : 0};
  XXH3_64bits_update(state, links, sizeof links);
  XXH3_64bits_update(state, copy.title.data(), copy.title.size());
  copy.version = XXH3_64bits_digest(state);
  XXH3_freeState(state);
  return copy;
}

}  // namespace

FeedArchives::FeedArchives(std::shared_ptr<const Catalog> catalog, SiteInfo site,
                           FeedSettings settings, BodyLoader load, int closed_max_age,
                           std::size_t cache_documents)
    : catalog_(std::move(catalog)),
      site_(std::move(site)),
      settings_(std::move(settings)),
      load_(std::move(load)),
      closed_max_age_(closed_max_age),
      cache_documents_(std::max<std::size_t>(cache_documents, 1)) {}

std::vector<std::string> FeedArchives::RoutesOf(const std::string& feed_path, Month month) {
  std::vector<std::string> routes;
  for (FeedFormat format : kAllFormats) {
    routes.push_back("/" + ArchivePath(feed_path, MonthName(month)) + FileExtension(format));
  }
  return routes;
}

DocumentPtr FeedArchives::Find(std::string_view path) const {
  // "/<feed path>/archive/<YYYY-MM>.<ext>"
  std::optional<FeedFormat> format;
  for (FeedFormat f : kAllFormats) {
    if (path.ends_with(FileExtension(f))) format = f;
  }
  if (!format || path.empty() || path.front() != '/') return nullptr;
  const std::string_view stem = path.substr(0, path.size() - std::strlen(FileExtension(*format)));
  const std::size_t at = stem.rfind(kArchiveSegment);
  if (at == std::string_view::npos || at == 0) return nullptr;
  const std::optional<Month> month = ParseMonthName(stem.substr(at + kArchiveSegment.size()));
  if (!month) return nullptr;
  const std::optional<ArchiveCopy> copy =
      CopyArchive(*catalog_, std::string(stem.substr(1, at - 1)), *month);
  if (!copy) return nullptr;

  const std::string route(path);
  {
    std::lock_guard lock(mu_);
    auto hit = cache_.find(route);
    if (hit != cache_.end() && hit->second.version == copy->version) {
      used_.splice(used_.begin(), used_, hit->second.used);
      return hit->second.doc;
    }
  }

  FeedView view;
  view.key = copy->feed_key;
  view.title = copy->title + " (" + MonthName(*month) + ")";
  view.description = copy->description;
  view.path = ArchivePath(copy->feed_path, MonthName(*month));
  view.tag_id = TagUri(site_, "feeds/" + copy->feed_key + "/archive/" + MonthName(*month));
  view.summary_only = true;
  view.archive = true;
  view.current = copy->feed_path;
  if (copy->archive.older)
    view.prev_archive = ArchivePath(copy->feed_path, MonthName(*copy->archive.older));
  if (copy->archive.newer)
    view.next_archive = ArchivePath(copy->feed_path, MonthName(*copy->archive.newer));
  view.items.reserve(copy->articles.size());
  for (std::size_t i = 0; i < copy->articles.size(); ++i) {
    const Article& a = copy->articles[i];
    std::optional<ArticleBody> body = load_ ? load_(copy->paths[i]) : std::nullopt;
    if (!body) body = ArticleBody{a.summary, "", 0};  // unreadable now: what the index knows
    body->content_html.clear();
    view.items.push_back(ItemOf(a, site_, *body));
    view.updated = std::max(view.updated, a.updated);
  }
  DocumentPtr doc = MakeDocument(ContentType(*format), RenderFeed(*format, view, site_, settings_),
                                 FeedUpdated(view, site_), view.SelfUrl(site_, *format), {},
                                 copy->archive.closed ? closed_max_age_ : -1, copy->archive.closed);

  std::lock_guard lock(mu_);
  auto hit = cache_.find(route);
  if (hit != cache_.end()) {
    hit->second = Cached{copy->version, doc, hit->second.used};
    used_.splice(used_.begin(), used_, hit->second.used);
  } else {
    used_.push_front(route);
    cache_.emplace(route, Cached{copy->version, doc, used_.begin()});
    while (cache_.size() > cache_documents_) {
      cache_.erase(used_.back());
      used_.pop_back();
    }
  }
  return doc;
}

}  // namespace feedd
