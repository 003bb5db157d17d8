#include "feeds/publish/article_pages.h"

#include "feeds/core/fingerprint.h"
#include "feeds/core/routes.h"
#include "feeds/index/feed_registry.h"
#include "feeds/pages/article_page.h"
#include "feeds/publish/surrogate_keys.h"
#include "feeds/render/content_links.h"
#include "feeds/render/feed_view.h"

namespace feedd {

ArticlePages::ArticlePages(SiteInfo site, FeedSettings settings, ArticleLoader load,
                           std::size_t cache_pages)
    : site_(std::move(site)),
      settings_(std::move(settings)),
      load_(std::move(load)),
      cache_(std::max<std::size_t>(cache_pages, 1)) {}

std::string ArticlePages::RouteOf(const Article& article) {
  const std::optional<Route> route = ArticlePageRoute(article);
  return route ? route->path() : "";
}

void ArticlePages::Update(const IndexRecord& record, bool published,
                          std::vector<std::string>* changed, std::vector<std::string>* removed,
                          const ServedHistory* served, ServedHistory* floors) {
  const std::string route = published && record.article ? RouteOf(*record.article) : "";
  std::lock_guard lock(mu_);
  auto old = route_of_.find(&record);
  if (old != route_of_.end() && old->second != route) {
    auto it = entries_.find(old->second);
    if (it != entries_.end() && it->second.record == &record) {
      retired_[old->second] = std::move(it->second.served);  // for when it comes back
      entries_.erase(it);
      removed->push_back(old->second);
    }
    route_of_.erase(old);
  }
  if (route.empty()) return;
  route_of_[&record] = route;
  const Article& a = *record.article;
  Entry& entry = entries_[route];
  if (entry.record == &record && entry.revision == record.revision && entry.path == record.path &&
      entry.updated == a.updated) {
    return;
  }
  // What the route served last: this entry, else the history.
  std::optional<ServedDocument> before;
  if (entry.record) {
    before = entry.served;
  } else if (auto gone = retired_.find(route); gone != retired_.end()) {
    before = std::move(gone->second);
    retired_.erase(gone);
  } else if (served) {
    if (auto it = served->find(route); it != served->end()) before = it->second;
  }
  ServedDocument now{ShownValidator({&record}, ""), 0};
  now.last_modified = NextLastModified(before ? &*before : nullptr, now.etag, a.updated);
  if (floors && before != now) (*floors)[route] = now;
  // The index gives each article a slug of its own; a route another record
  // left this batch (its slug moved to this one) is this record's now.
  entry = Entry{&record,     a.id,      a.page_slug,     record.path,
                a.published, a.updated, record.revision, std::move(now)};
  changed->push_back(route);
}

DocumentPtr ArticlePages::Find(std::string_view path) const {
  const std::string route(path);
  Entry entry;
  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(route);
    if (it == entries_.end()) return nullptr;
    entry = it->second;
    if (const Cached* hit = cache_.Find(route); hit && hit->Shows(entry)) {
      return hit->doc;
    }
  }
  DocumentPtr doc = Render(entry);
  std::lock_guard lock(mu_);
  if (!doc) {  // unreadable now: the page last rendered for it stands in
    const Cached* hit = cache_.Find(route);
    return hit && hit->id == entry.id ? hit->doc : nullptr;
  }
  cache_.Put(route, Cached{entry.id, entry.revision, doc});
  return doc;
}

std::optional<std::uint64_t> ArticlePages::Fingerprint(std::string_view path) const {
  std::lock_guard lock(mu_);
  auto it = entries_.find(std::string(path));
  if (it == entries_.end()) return std::nullopt;
  return feedd::Fingerprint().Add(it->second.served.etag).Value();  // its validator
}

DocumentPtr ArticlePages::Render(const Entry& entry) const {
  std::optional<LoadedArticle> loaded = load_(entry.path);
  if (!loaded) return nullptr;
  Article* article = &loaded->article;
  article->id = entry.id;
  article->page_slug = entry.page_slug;
  article->published = entry.published;
  article->updated = entry.updated;
  const std::string link = ItemLink(*article, site_);
  const ArticleBody body{article->summary, PrepareBody(article->content_html, link),
                         loaded->image_length};
  const FeedItem item = ItemOf(*article, site_, body);
  const std::vector<FeedRef> feeds = FeedRefsOf(*article, entry.path, site_, settings_);
  std::vector<std::string> feed_keys;
  for (const FeedRef& feed : feeds) feed_keys.push_back(feed.key);
  return MakeDocument("text/html; charset=utf-8", RenderArticlePage(item, feeds, site_),
                      entry.served.last_modified, item.link, {}, -1, false, true,
                      DocumentKeys(RouteOf(*article), feed_keys, {article->id}));
}

void ArticlePages::Reserve(std::size_t pages) {
  std::lock_guard lock(mu_);
  route_of_.reserve(pages);
  entries_.reserve(pages);
}

std::size_t ArticlePages::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace feedd
