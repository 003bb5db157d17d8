#include "feeds/feed_selection.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "feeds/links.h"
#include "feeds/text_util.h"

namespace feedd {
namespace {

bool Newer(const Article* a, const Article* b) {
  if (a->published != b->published) return a->published > b->published;
  return a->id < b->id;
}

}  // namespace

const char* FileExtension(FeedFormat format) {
  switch (format) {
    case FeedFormat::kRss:
      return ".rss";
    case FeedFormat::kAtom:
      return ".atom";
    case FeedFormat::kJson:
      return ".json";
  }
  return "";
}

const char* MediaType(FeedFormat format) {
  switch (format) {
    case FeedFormat::kRss:
      return "application/rss+xml";
    case FeedFormat::kAtom:
      return "application/atom+xml";
    case FeedFormat::kJson:
      return "application/feed+json";
  }
  return "";
}

std::string ContentType(FeedFormat format) {
  return std::string(MediaType(format)) + "; charset=utf-8";
}

const char* FormatName(FeedFormat format) {
  switch (format) {
    case FeedFormat::kRss:
      return "RSS";
    case FeedFormat::kAtom:
      return "Atom";
    case FeedFormat::kJson:
      return "JSON Feed";
  }
  return "";
}

std::string FeedView::SelfUrl(const SiteInfo& site, FeedFormat format) const {
  return site.base_url + PercentEncodePath(path) + FileExtension(format);
}

FeedSet SelectFeeds(const std::vector<Article>& articles, const SiteInfo& site,
                    const FeedSettings& settings, UnixTime now, const ContentLoader& content) {
  std::vector<const Article*> publishable;
  for (const Article& a : articles) {
    if (!a.draft && a.published <= now) publishable.push_back(&a);
  }
  std::sort(publishable.begin(), publishable.end(), Newer);
  const std::size_t limit = static_cast<std::size_t>(std::max(settings.items, 0));

  // Which articles each feed holds.
  struct Pending {
    FeedView view;
    std::vector<const Article*> articles;
  };
  std::vector<Pending> pending;
  Pending main;
  main.view.key = "main";
  main.view.title = site.title;
  main.view.description = site.description;
  main.view.path = settings.main_path;
  main.view.tag_id = TagUri(site, "feeds/main");
  main.articles.assign(publishable.begin(),
                       publishable.begin() + std::min(limit, publishable.size()));
  pending.push_back(std::move(main));

  if (settings.category_feeds) {
    std::map<std::string, Pending> by_slug;  // sorted by slug: deterministic
    for (const Article* a : publishable) {
      for (const std::string& category : a->categories) {
        const std::string slug = Slugify(category);
        if (slug.empty()) continue;
        Pending& p = by_slug[slug];
        if (p.view.key.empty()) {
          p.view.key = "category/" + slug;
          p.view.title = site.title + ": " + category;
          p.view.description = category + " — " + site.description;
          p.view.path = settings.category_path;
          ReplaceAll(&p.view.path, "{category}", slug);
          p.view.tag_id = TagUri(site, "feeds/category/" + slug);
        }
        if (p.articles.size() < limit && (p.articles.empty() || p.articles.back() != a)) {
          p.articles.push_back(a);
        }
      }
    }
    for (auto& [slug, p] : by_slug) pending.push_back(std::move(p));
  }

  // One FeedItem per distinct article, then point the views at them.
  FeedSet set;
  std::unordered_map<const Article*, std::size_t> index;
  for (const Pending& p : pending) {
    for (const Article* a : p.articles) index.emplace(a, 0);
  }
  set.items.reserve(index.size());
  for (const Article* a : publishable) {
    auto it = index.find(a);
    if (it == index.end()) continue;
    it->second = set.items.size();
    FeedItem item;
    item.article = a;
    item.tag_id = TagUri(site, a->id);
    item.link = ItemLink(*a, site);
    item.content_html = AbsolutizeUrls(content ? content(*a) : a->content_html, item.link);
    item.image_url = a->image_url.empty() ? "" : ResolveUrl(item.link, a->image_url);
    set.items.push_back(std::move(item));
  }
  for (Pending& p : pending) {
    for (const Article* a : p.articles) {
      const FeedItem* item = &set.items[index[a]];
      p.view.items.push_back(item);
      p.view.updated = std::max(p.view.updated, a->updated);
    }
    set.feeds.push_back(std::move(p.view));
  }
  return set;
}

}  // namespace feedd
