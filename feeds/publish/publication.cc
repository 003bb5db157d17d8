#include "feeds/publish/publication.h"

#include <algorithm>
#include <iterator>

#include "feeds/core/media_types.h"
#include "feeds/core/routes.h"
#include "feeds/pages/feed_page.h"
#include "feeds/pages/index_page.h"
#include "feeds/publish/feeds_on_request.h"
#include "feeds/publish/surrogate_keys.h"
#include "feeds/render/feed_stylesheet.h"
#include "feeds/render/feed_view.h"
#include "feeds/render/renderers.h"

namespace feedd {
namespace {

// A document as rendered, before it is compared with what was served.
struct Draft {
  std::string content_type;
  std::string body;
  UnixTime last_modified = 0;
  std::string self_url;
  std::vector<std::string> hubs;
  std::string keys;  // surrogate keys
};

// One document to render ahead: its route, and how to make it.
struct RenderJob {
  std::string route;
  std::function<Draft()> render;
};

struct Rendered {
  DocumentPtr doc;
  bool changed = false;    // a new Document object
  bool new_bytes = false;  // bytes that differ from what was served before
};

// Keeps the previous document when nothing about it changed; else makes a
// new one whose Last-Modified never goes back (NextLastModified()).
Rendered Reuse(const PublishContext& context, const std::string& route, Draft draft) {
  Rendered out;
  const DocumentPtr old = context.previous ? context.previous->Find(route) : nullptr;
  out.new_bytes = true;
  if (old) {
    if (old->body == draft.body && old->self_url == draft.self_url && old->hub_urls == draft.hubs &&
        old->keys == draft.keys) {
      out.doc = old;
      out.new_bytes = false;
      return out;
    }
    out.new_bytes = old->body != draft.body;
    const ServedDocument before{old->etag, old->last_modified};
    draft.last_modified =
        NextLastModified(&before, out.new_bytes ? "" : old->etag, draft.last_modified);
  } else if (context.history) {
    auto it = context.history->find(route);
    if (it != context.history->end()) {
      const std::string etag = EtagOf(draft.body);
      out.new_bytes = it->second.etag != etag;
      draft.last_modified = NextLastModified(&it->second, etag, draft.last_modified);
    }
  }
  out.changed = true;
  out.doc = MakeDocument(std::move(draft.content_type), std::move(draft.body), draft.last_modified,
                         std::move(draft.self_url), std::move(draft.hubs), -1, false, true,
                         std::move(draft.keys));
  return out;
}

// The documents of feeds that are gone leave the snapshot (those rendered
// on request leave the export).
void RemoveFeeds(const std::vector<std::string>& feed_paths, Snapshot* snapshot, Publication* out) {
  for (const std::string& path : feed_paths) {
    for (const Route& route : FeedRoutes(path)) {
      std::string gone = route.path();
      if (snapshot->routes.erase(gone)) {
        out->removed_routes.push_back(std::move(gone));
      } else {
        out->removed_pages.push_back(std::move(gone));
      }
    }
  }
}

// A feed rendered when asked for: what changed is exported, and announced
// when what it shows differs from what its routes served (after a restart,
// by the served history's validator).
void AnnounceOnRequestFeed(const Feed& feed, const PublishContext& context, Publication* out) {
  const std::string version = OnRequestValidator(feed);
  for (const Route& route : FeedRoutes(feed.path)) {
    std::string path = route.path();
    out->changed_pages.push_back(path);
    if (route.kind != RouteKind::kFeed) continue;
    const ServedHistory* history = context.history;
    const bool seen =
        !context.previous && history && history->count(path) && history->at(path).etag == version;
    if (!seen) out->new_bytes_routes.push_back(std::move(path));
  }
}

// A feed's document in each format.
void AddFeedDocuments(const FeedView& view, const PublishContext& context,
                      std::vector<RenderJob>* jobs) {
  for (FeedFormat format : kAllFormats) {
    std::string path = view.SelfRoute(format).path();
    jobs->push_back({path, [&view, &context, format, path] {
                       return Draft{ContentType(format),
                                    RenderFeed(format, view, context.site, context.settings),
                                    FeedUpdated(view, context.site),
                                    view.SelfUrl(context.site, format),
                                    context.site.hubs,
                                    FeedDocumentKeys(path, view)};
                     }});
  }
}

// A feed's HTML preview.
void AddFeedPreview(const FeedView& view, const PublishContext& context,
                    std::vector<RenderJob>* jobs) {
  const Route route = Route::Preview(view.path);
  jobs->push_back({route.path(), [&view, &context, route] {
                     return Draft{kHtmlType,
                                  RenderFeedPage(view, context.site),
                                  FeedUpdated(view, context.site),
                                  route.Url(context.site),
                                  {},
                                  FeedDocumentKeys(route.path(), view)};
                   }});
}

// The index page, listing every published feed.
void AddIndexPage(const FeedRegistry& registry, const PublishContext& context,
                  std::vector<RenderJob>* jobs) {
  jobs->push_back({Route::Index().path(), [&registry, &context] {
                     std::vector<FeedListing> listings;
                     UnixTime newest = 0;
                     for (const auto& [order, feed] : registry.feeds()) {
                       if (!feed.published) continue;
                       listings.push_back({feed.title, feed.path, feed.shown.size(), feed.updated});
                       newest = std::max(newest, FeedUpdated(feed.updated, context.site));
                     }
                     return Draft{kHtmlType, RenderIndexPage(listings, context.site),
                                  newest,    Route::Index().Url(context.site),
                                  {},        DocumentKeys(Route::Index().path())};
                   }});
}

// The stylesheet feeds point at, once.
void AddStylesheet(const PublishContext& context, std::vector<RenderJob>* jobs) {
  jobs->push_back({Route::Stylesheet().path(), [&context] {
                     return Draft{kStylesheetType,
                                  FeedStylesheet(),
                                  FeedUpdated(0, context.site),
                                  "",
                                  {},
                                  DocumentKeys(Route::Stylesheet().path())};
                   }});
}

}  // namespace

void Sequential(std::size_t count, const std::function<void(std::size_t)>& body) {
  for (std::size_t i = 0; i < count; ++i) body(i);
}

Publication Publish(const FeedRegistry& registry, const FeedRegistry::Changes& changes,
                    const PublishContext& context) {
  Publication out;
  out.next_embargo = registry.next_embargo();
  auto snapshot = std::make_shared<Snapshot>();
  if (context.previous) snapshot->routes = context.previous->routes;
  snapshot->articles = registry.published();
  snapshot->lazy = context.lazy;
  RemoveFeeds(changes.removed, snapshot.get(), &out);

  // Views first (they read bodies through the cache, one at a time), then
  // every document rendered and compressed, in parallel.
  std::vector<FeedView> views;
  views.reserve(changes.changed.size());
  for (const Feed* feed : changes.changed) {
    if (feed->on_request) {
      AnnounceOnRequestFeed(*feed, context, &out);
    } else {
      views.push_back(ViewOf(*feed, context.site, context.bodies, context.load));
    }
  }
  for (const IndexRecord* record : changes.unshown) context.bodies->Forget(record);

  std::vector<RenderJob> jobs;
  for (const FeedView& view : views) {
    AddFeedDocuments(view, context, &jobs);
    AddFeedPreview(view, context, &jobs);
  }
  AddIndexPage(registry, context, &jobs);
  if (!snapshot->routes.count(Route::Stylesheet().path())) AddStylesheet(context, &jobs);

  std::vector<Rendered> rendered(jobs.size());
  context.parallel(jobs.size(), [&](std::size_t i) {
    rendered[i] = Reuse(context, jobs[i].route, jobs[i].render());
  });
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    snapshot->routes[jobs[i].route] = std::move(rendered[i].doc);
    if (rendered[i].changed) out.changed_routes.push_back(jobs[i].route);
    if (rendered[i].new_bytes) out.new_bytes_routes.push_back(jobs[i].route);
  }

  std::sort(out.changed_routes.begin(), out.changed_routes.end());
  std::sort(out.removed_routes.begin(), out.removed_routes.end());
  std::sort(out.new_bytes_routes.begin(), out.new_bytes_routes.end());
  out.snapshot = std::move(snapshot);
  return out;
}

}  // namespace feedd
