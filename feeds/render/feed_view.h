// feeds/render/feed_view.h
//
// One feed as the renderers see it: its title, links and the items it
// shows, each with its tag URI, absolute link, summary and HTML content
// (links made absolute). Building a view reads the shown articles' bodies
// through a BodyCache, so the three renderers only write.

#ifndef FEEDD_FEEDS_RENDER_FEED_VIEW_H_
#define FEEDD_FEEDS_RENDER_FEED_VIEW_H_

#include <cstdint>
#include <string>
#include <vector>

#include "feeds/core/article.h"
#include "feeds/core/site.h"
#include "feeds/index/feed_registry.h"
#include "feeds/render/body_cache.h"

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

/// A feed's public URL: base_url + |path| (percent-encoded) + extension.
std::string FeedUrl(const SiteInfo& site, const std::string& path, FeedFormat format);

/// The URL of a feed's HTML preview page: base_url + |path| + ".html".
std::string FeedPageUrl(const SiteInfo& site, const std::string& path);

/// One article as every format renders it.
struct FeedItem {
  const Article* article;
  std::string tag_id;              ///< tag URI
  std::string link;                ///< absolute
  std::string summary;             ///< plain text; may be empty
  std::string content_html;        ///< with absolute URLs; empty in a summary-only document
  std::string image_url;           ///< absolute, or empty
  std::string image_type;          ///< its media type, by extension; empty when not an image name
  std::uint64_t image_length = 0;  ///< its size in bytes when known (a local file), else 0
};

/// The media type of an image URL, by its extension ("image/jpeg"), or "".
std::string ImageMediaType(const std::string& url);

/// Where a feed's archive of |month| lives: "<feed path>/archive/2026-03".
std::string ArchivePath(const std::string& feed_path, const std::string& month);

struct FeedView {
  std::string key;  ///< "main" or "category/<slug>"
  std::string title;
  std::string description;
  std::string path;  ///< relative to base_url, without extension
  std::string tag_id;
  UnixTime updated = 0;  ///< newest item update; 0 when there are no items
  std::vector<FeedItem> items;
  bool summary_only = false;  ///< items carry summaries, not content

  // Feed history (RFC 5005): paths without extension, empty when absent.
  std::string prev_archive;  ///< the next older archive document
  std::string next_archive;  ///< the next newer archive document
  std::string current;       ///< in an archive: the subscription document
  bool archive = false;      ///< this is an archive document (fh:archive)
  bool complete = false;     ///< this document holds every item of the feed (fh:complete)

  std::string SelfUrl(const SiteInfo& site, FeedFormat format) const {
    return FeedUrl(site, path, format);
  }
};

/// The view of |feed| as it was at the registry's last TakeChanges(),
/// with bodies from |bodies| (loaded with |load| when not cached).
FeedView ViewOf(const Feed& feed, const SiteInfo& site, BodyCache* bodies, const BodyLoader& load);

/// One item of a view, for |article| with |body|.
FeedItem ItemOf(const Article& article, const SiteInfo& site, const ArticleBody& body);

}  // namespace feedd

#endif  // FEEDD_FEEDS_RENDER_FEED_VIEW_H_
