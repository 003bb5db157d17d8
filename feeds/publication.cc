#include "feeds/publication.h"

#include <algorithm>

#include "feeds/feed_selection.h"
#include "feeds/index_page.h"
#include "feeds/renderers.h"

namespace feedd {
namespace {

// Keeps the previous document when the bytes are the same.
DocumentPtr Reuse(const Snapshot* previous, const std::string& route, std::string content_type,
                  std::string body, UnixTime last_modified, std::string self_url, bool* changed) {
  if (previous) {
    DocumentPtr old = previous->Find(route);
    if (old && old->body == body && old->last_modified == last_modified &&
        old->self_url == self_url) {
      *changed = false;
      return old;
    }
  }
  *changed = true;
  return MakeDocument(std::move(content_type), std::move(body), last_modified, std::move(self_url));
}

}  // namespace

Publication Publish(const std::vector<Article>& articles, const SiteInfo& site,
                    const FeedSettings& settings, UnixTime now, const Snapshot* previous,
                    const ContentLoader& content) {
  Publication out;
  std::size_t published = 0;
  for (const Article& a : articles) {
    if (a.draft) continue;
    if (a.published > now) {
      out.next_embargo = std::min(out.next_embargo.value_or(a.published), a.published);
    } else {
      ++published;
    }
  }
  const FeedSet set = SelectFeeds(articles, site, settings, now, content);
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->generation = previous ? previous->generation + 1 : 1;
  snapshot->articles = published;

  auto add = [&](const std::string& route, const std::string& type, std::string body,
                 UnixTime modified) {
    bool changed = false;
    snapshot->routes[route] = Reuse(previous, route, type, std::move(body), modified,
                                    site.base_url + route.substr(1), &changed);
    if (changed) out.changed_routes.push_back(route);
  };
  UnixTime newest = 0;
  for (FeedDocument& doc : RenderFeedSet(set, site, settings)) {
    newest = std::max(newest, doc.updated);
    add("/" + doc.path, ContentType(doc.format), std::move(doc.body), doc.updated);
  }
  add("/", "text/html; charset=utf-8", RenderIndexPage(set, site), newest);

  if (previous) {
    for (const auto& [route, doc] : previous->routes) {
      if (!snapshot->routes.count(route)) out.removed_routes.push_back(route);
    }
  }
  std::sort(out.changed_routes.begin(), out.changed_routes.end());
  out.snapshot = std::move(snapshot);
  return out;
}

}  // namespace feedd
