// feeds/feed_selection.h
//
// Decides which articles go into which feed: the main feed and one per
// category, each the newest N publishable articles by published date, ties
// broken by id. Drafts and embargoed articles (dated in the future) are left
// out. Each article's link, tag URI and absolute-URL content are worked out
// once here, so the three renderers only write.

#ifndef FEEDD_FEEDS_FEED_SELECTION_H_
#define FEEDD_FEEDS_FEED_SELECTION_H_

#include <functional>
#include <string>
#include <vector>

#include "feeds/article.h"
#include "feeds/site.h"

namespace feedd {

enum class FeedFormat { kRss, kAtom, kJson };

/// ".rss", ".atom", ".json".
const char* FileExtension(FeedFormat format);
/// The media type: "application/rss+xml", "application/atom+xml",
/// "application/feed+json".
const char* MediaType(FeedFormat format);
/// The media type with charset, e.g. "application/rss+xml; charset=utf-8".
std::string ContentType(FeedFormat format);
/// "RSS", "Atom", "JSON Feed".
const char* FormatName(FeedFormat format);
inline constexpr FeedFormat kAllFormats[] = {FeedFormat::kRss, FeedFormat::kAtom,
                                             FeedFormat::kJson};

/// One article as every format renders it.
struct FeedItem {
  const Article* article;
  std::string tag_id;        ///< tag URI
  std::string link;          ///< absolute
  std::string content_html;  ///< with absolute URLs
  std::string image_url;     ///< absolute, or empty
};

struct FeedView {
  std::string key;  ///< "main" or "category/<slug>"
  std::string title;
  std::string description;
  std::string path;  ///< relative to base_url, without extension
  std::string tag_id;
  UnixTime updated = 0;  ///< newest item update; 0 when there are no items
  std::vector<const FeedItem*> items;

  /// base_url + path + extension.
  std::string SelfUrl(const SiteInfo& site, FeedFormat format) const;
};

/// The selection for one set of articles. Feeds point into items, so a
/// FeedSet can be moved but not copied.
struct FeedSet {
  FeedSet() = default;
  FeedSet(FeedSet&&) = default;
  FeedSet& operator=(FeedSet&&) = default;
  FeedSet(const FeedSet&) = delete;
  FeedSet& operator=(const FeedSet&) = delete;

  std::vector<FeedItem> items;  ///< every article in at least one feed
  std::vector<FeedView> feeds;  ///< main first, then categories by slug
};

/// Gives an article's HTML content. The index may keep articles without
/// their bodies; selection asks for the content of the articles that make
/// it into a feed only.
using ContentLoader = std::function<std::string(const Article&)>;

/// REQUIRES: |articles| have ids and dates (see Catalog) and outlive the
/// result. Without |content|, each article's own content_html is used.
FeedSet SelectFeeds(const std::vector<Article>& articles, const SiteInfo& site,
                    const FeedSettings& settings, UnixTime now,
                    const ContentLoader& content = nullptr);

}  // namespace feedd

#endif  // FEEDD_FEEDS_FEED_SELECTION_H_
