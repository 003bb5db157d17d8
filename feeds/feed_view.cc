#include "feeds/feed_view.h"

#include "feeds/links.h"

namespace feedd {

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

std::string FeedUrl(const SiteInfo& site, const std::string& path, FeedFormat format) {
  return site.base_url + PercentEncodePath(path) + FileExtension(format);
}

std::string FeedPageUrl(const SiteInfo& site, const std::string& path) {
  return site.base_url + PercentEncodePath(path) + ".html";
}

FeedItem ItemOf(const Article& article, const SiteInfo& site, const ArticleBody& body) {
  FeedItem item;
  item.article = &article;
  item.tag_id = TagUri(site, article.id);
  item.link = ItemLink(article, site);
  item.summary = body.summary;
  item.content_html = body.content_html;
  item.image_url = article.image_url.empty() ? "" : ResolveUrl(item.link, article.image_url);
  return item;
}

FeedView ViewOf(const Feed& feed, const SiteInfo& site, BodyCache* bodies, const BodyLoader& load) {
  FeedView view;
  view.key = feed.key;
  view.title = feed.title;
  view.description = feed.description;
  view.path = feed.path;
  view.tag_id = TagUri(site, feed.kind == Feed::Kind::kMain ? "feeds/main" : "feeds/" + feed.key);
  view.updated = feed.updated;
  view.items.reserve(feed.shown.size());
  for (const IndexRecord* record : feed.shown) {
    const Article& article = *record->article;
    const std::string link = ItemLink(article, site);
    view.items.push_back(ItemOf(article, site, *bodies->Get(*record, link, load)));
  }
  return view;
}

}  // namespace feedd
