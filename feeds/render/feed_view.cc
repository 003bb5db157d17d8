#include "feeds/render/feed_view.h"

#include <cctype>

#include "feeds/core/links.h"

namespace feedd {

namespace {

struct FormatNames {
  const char* extension;
  const char* media_type;
  const char* name;
};

const FormatNames& NamesOf(FeedFormat format) {
  static constexpr FormatNames kRss{".rss", "application/rss+xml", "RSS"};
  static constexpr FormatNames kAtom{".atom", "application/atom+xml", "Atom"};
  static constexpr FormatNames kJson{".json", "application/feed+json", "JSON Feed"};
  return format == FeedFormat::kRss ? kRss : format == FeedFormat::kAtom ? kAtom : kJson;
}

}  // namespace

const char* FileExtension(FeedFormat format) { return NamesOf(format).extension; }

const char* MediaType(FeedFormat format) { return NamesOf(format).media_type; }

std::string ContentType(FeedFormat format) {
  return std::string(MediaType(format)) + "; charset=utf-8";
}

const char* FormatName(FeedFormat format) { return NamesOf(format).name; }

std::string FeedUrl(const SiteInfo& site, const std::string& path, FeedFormat format) {
  return site.base_url + PercentEncodePath(path) + FileExtension(format);
}

std::string FeedPageUrl(const SiteInfo& site, const std::string& path) {
  return site.base_url + PercentEncodePath(path) + ".html";
}

std::string ImageMediaType(const std::string& url) {
  std::string path = url.substr(0, url.find_first_of("?#"));
  const std::size_t dot = path.rfind('.');
  if (dot == std::string::npos || path.find('/', dot) != std::string::npos) return "";
  std::string ext = path.substr(dot + 1);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "png" || ext == "gif" || ext == "webp" || ext == "avif") return "image/" + ext;
  if (ext == "svg") return "image/svg+xml";
  return "";
}

std::string ArchivePath(const std::string& feed_path, const std::string& month) {
  return feed_path + "/archive/" + month;
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

FeedView ViewOf(const Feed& feed, const SiteInfo& site, BodyCache* bodies, const BodyLoader& load) {
  FeedView view;
  view.key = feed.key;
  view.title = feed.title;
  view.description = feed.description;
  view.path = feed.path;
  view.tag_id = TagUri(site, feed.kind == Feed::Kind::kMain ? "feeds/main" : "feeds/" + feed.key);
  view.updated = feed.updated;
  view.summary_only = feed.summary_only;
  if (feed.newest_archive) {
    view.prev_archive = ArchivePath(feed.path, MonthName(*feed.newest_archive));
  } else {
    view.complete = true;
  }
  view.items.reserve(feed.shown.size());
  for (const IndexRecord* record : feed.shown) {
    const Article& article = *record->article;
    const std::string link = ItemLink(article, site);
    view.items.push_back(ItemOf(article, site, *bodies->Get(*record, link, load)));
  }
  return view;
}

}  // namespace feedd
