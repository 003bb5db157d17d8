#include "feeds/render/feed_view.h"

#include <algorithm>

#include "feeds/core/urls.h"

namespace feedd {

FeedHead HeadOf(const Feed& feed) {
  return {feed.key,     feed.title,          feed.description, feed.path,
          feed.updated, feed.newest_archive, feed.summary_only};
}

Route FeedView::SelfRoute(FeedFormat format) const {
  return archive_month ? Route::Archive(path, *archive_month, format) : Route::Feed(path, format);
}

FeedView::History FeedView::HistoryUrls(const SiteInfo& site, FeedFormat format) const {
  History history;
  if (archive_month) history.current = Route::Feed(path, format).Url(site);
  if (prev_archive) history.prev_archive = Route::Archive(path, *prev_archive, format).Url(site);
  if (next_archive) history.next_archive = Route::Archive(path, *next_archive, format).Url(site);
  return history;
}

FeedItem ItemOf(const Article& article, const SiteInfo& site, const ArticleBody& body) {
  FeedItem item;
  item.article = &article;
  item.tag_id = TagUri(site, article.id);
  item.link = ItemLink(article, site);
  item.summary = body.summary;
  item.content_html = body.content_html;
  item.image_url = article.image_url.empty() ? "" : ResolveUrl(item.link, article.image_url);
  item.image_type = ImageMediaType(item.image_url);
  item.image_length = body.image_length;
  return item;
}

FeedView FeedViewOf(const FeedHead& head, const SiteInfo& site, std::vector<FeedItem> items) {
  FeedView view;
  view.key = head.key;
  view.title = head.title;
  view.description = head.description;
  view.path = head.path;
  view.tag_id = FeedTagUri(site, head.key);
  view.updated = head.updated;
  view.summary_only = head.summary_only;
  view.prev_archive = head.newest_archive;
  view.complete = !head.newest_archive;
  view.items = std::move(items);
  return view;
}

FeedView ArchiveViewOf(const FeedHead& head, const FeedRegistry::Archive& archive,
                       const SiteInfo& site, std::vector<FeedItem> items) {
  FeedView view;
  view.key = head.key;
  view.title = head.title + " (" + MonthName(archive.month) + ")";
  view.description = head.description;
  view.path = head.path;
  view.archive_month = archive.month;
  view.tag_id = ArchiveTagUri(site, head.key, archive.month);
  view.summary_only = true;
  view.prev_archive = archive.older;
  view.next_archive = archive.newer;
  for (const FeedItem& item : items) view.updated = std::max(view.updated, item.article->updated);
  view.items = std::move(items);
  return view;
}

FeedView ViewOf(const Feed& feed, const SiteInfo& site, BodyCache* bodies, const BodyLoader& load) {
  std::vector<FeedItem> items;
  items.reserve(feed.shown.size());
  for (const IndexRecord* record : feed.shown) {
    const Article& article = *record->article;
    const std::string link = ItemLink(article, site);
    items.push_back(ItemOf(article, site, *bodies->Get(*record, link, load)));
  }
  return FeedViewOf(HeadOf(feed), site, std::move(items));
}

}  // namespace feedd
