#include "feeds/publish/publication.h"

#include <algorithm>
#include <iterator>

#include "feeds/pages/feed_page.h"
#include "feeds/pages/index_page.h"
#include "feeds/render/feed_stylesheet.h"
#include "feeds/render/feed_view.h"
#include "feeds/render/renderers.h"

namespace feedd {
namespace {

// Keeps the previous document when nothing about it changed; else makes a
// new one whose Last-Modified is later than any served before at |route|.
DocumentPtr Reuse(const Snapshot* previous, const ServedHistory* history, const std::string& route,
                  std::string content_type, std::string body, UnixTime last_modified,
                  std::string self_url, std::vector<std::string> hubs, bool* changed,
                  bool* new_bytes) {
  const DocumentPtr old = previous ? previous->Find(route) : nullptr;
  *new_bytes = true;
  if (old) {
    if (old->body == body && old->self_url == self_url && old->hub_urls == hubs) {
      *changed = false;
      *new_bytes = false;
      return old;
    }
    *new_bytes = old->body != body;
    if (old->body != body) last_modified = std::max(last_modified, old->last_modified + 1);
  } else if (history) {
    auto it = history->find(route);
    if (it != history->end()) {
      *new_bytes = it->second.etag != EtagOf(body);
      last_modified = !*new_bytes ? std::max(last_modified, it->second.last_modified)
                                  : std::max(last_modified, it->second.last_modified + 1);
    }
  }
  *changed = true;
  return MakeDocument(std::move(content_type), std::move(body), last_modified, std::move(self_url),
                      std::move(hubs));
}

}  // namespace

void Sequential(std::size_t count, const std::function<void(std::size_t)>& body) {
  for (std::size_t i = 0; i < count; ++i) body(i);
}

Publication Publish(const FeedRegistry& registry, const FeedRegistry::Changes& changes,
                    const SiteInfo& site, const FeedSettings& settings, const Snapshot* previous,
                    BodyCache* bodies, const BodyLoader& load, const ParallelRunner& parallel,
                    const ServedHistory* history, std::shared_ptr<const LazyDocuments> lazy) {
  Publication out;
  out.next_embargo = registry.next_embargo();
  auto snapshot = std::make_shared<Snapshot>();
  if (previous) snapshot->routes = previous->routes;
  snapshot->articles = registry.published();
  snapshot->lazy = std::move(lazy);

  for (const std::string& path : changes.removed) {
    for (const char* extension : {".rss", ".atom", ".json", ".html"}) {
      const std::string route = "/" + path + extension;
      if (snapshot->routes.erase(route)) {
        out.removed_routes.push_back(route);
      } else {  // a feed rendered on request
        out.removed_pages.push_back(route);
      }
    }
  }

  // Views first (they read bodies through the cache, one at a time), then
  // every document rendered and compressed, in parallel.
  std::vector<FeedView> views;
  views.reserve(changes.changed.size());
  for (const Feed* feed : changes.changed) {
    if (feed->on_request) {
      // Rendered when asked for: what changed is exported and announced.
      const std::string version = "v-" + std::to_string(ShownVersion(*feed));
      for (FeedFormat format : kAllFormats) {
        const std::string route = "/" + feed->path + FileExtension(format);
        out.changed_pages.push_back(route);
        out.on_request_versions[route] = version;
        // After a restart, announced only when it shows something new.
        const bool seen =
            !previous && history && history->count(route) && history->at(route).etag == version;
        if (!seen) out.new_bytes_routes.push_back(route);
      }
      out.changed_pages.push_back("/" + feed->path + ".html");
      continue;
    }
    views.push_back(ViewOf(*feed, site, bodies, load));
  }
  for (const IndexRecord* record : changes.unshown) bodies->Forget(record);

  struct Rendered {
    std::string route;
    DocumentPtr doc;
    bool changed = false;
    bool new_bytes = false;
  };
  // Per feed: its three formats and its HTML preview.
  constexpr std::size_t kPerFeed = std::size(kAllFormats) + 1;
  const std::string stylesheet_route = "/" + std::string(kFeedStylesheetPath);
  const bool add_stylesheet = !snapshot->routes.count(stylesheet_route);
  std::vector<Rendered> rendered(views.size() * kPerFeed + 1 + (add_stylesheet ? 1 : 0));
  parallel(rendered.size(), [&](std::size_t i) {
    Rendered& r = rendered[i];
    if (i == views.size() * kPerFeed + 1) {  // the stylesheet, once
      r.route = stylesheet_route;
      r.doc = Reuse(previous, history, r.route, "application/xslt+xml; charset=utf-8",
                    FeedStylesheet(), FeedUpdated(0, site), "", {}, &r.changed, &r.new_bytes);
      return;
    }
    if (i == views.size() * kPerFeed) {  // the index page
      std::vector<FeedListing> listings;
      UnixTime newest = 0;
      for (const auto& [order, feed] : registry.feeds()) {
        if (!feed.published) continue;
        listings.push_back({feed.title, feed.path, feed.shown.size(), feed.updated});
        newest = std::max(newest, FeedUpdated(feed.updated, site));
      }
      r.route.assign(1, '/');  // (= "/" trips GCC 12 -Wrestrict, a false positive)
      r.doc = Reuse(previous, history, r.route, "text/html; charset=utf-8",
                    RenderIndexPage(listings, site), newest, site.base_url, {}, &r.changed,
                    &r.new_bytes);
      return;
    }
    const FeedView& view = views[i / kPerFeed];
    if (i % kPerFeed == kPerFeed - 1) {
      r.route = "/" + view.path + ".html";
      r.doc = Reuse(previous, history, r.route, "text/html; charset=utf-8",
                    RenderFeedPage(view, site), FeedUpdated(view, site),
                    FeedPageUrl(site, view.path), {}, &r.changed, &r.new_bytes);
      return;
    }
    const FeedFormat format = kAllFormats[i % kPerFeed];
    r.route = "/" + view.path + FileExtension(format);
    r.doc = Reuse(previous, history, r.route, ContentType(format),
                  RenderFeed(format, view, site, settings), FeedUpdated(view, site),
                  FeedUrl(site, view.path, format), site.hubs, &r.changed, &r.new_bytes);
  });
  for (Rendered& r : rendered) {
    snapshot->routes[r.route] = std::move(r.doc);
    if (r.changed) out.changed_routes.push_back(r.route);
    if (r.new_bytes) out.new_bytes_routes.push_back(r.route);
  }

  std::sort(out.changed_routes.begin(), out.changed_routes.end());
  std::sort(out.removed_routes.begin(), out.removed_routes.end());
  std::sort(out.new_bytes_routes.begin(), out.new_bytes_routes.end());
  out.snapshot = std::move(snapshot);
  return out;
}

}  // namespace feedd
