// feeds/core/site.h
//
// What the renderers need to know about the publisher and the feeds, filled
// from [site] and [feeds] of the config. Defaults are the built-in ones used
// without a config file.

#ifndef FEEDD_FEEDS_CORE_SITE_H_
#define FEEDD_FEEDS_CORE_SITE_H_

#include <string>
#include <vector>

namespace feedd {

struct SiteInfo {
  std::string title = "feedd";
  std::string description = "News feeds published by feedd";
  /// The publisher's home page. Default: base_url.
  std::string link = "http://127.0.0.1:8080/";
  /// Where the feeds themselves are reachable; self links are built from it.
  /// Always ends in '/'.
  std::string base_url = "http://127.0.0.1:8080/";
  std::string language = "en";
  /// Feed-level author (Atom requires one). Default: title.
  std::string author;
  /// Tag URI (RFC 4151) authority and date: ids are
  /// "tag:<authority>,<date>:<article id>". Authority default: link's host.
  std::string tag_authority = "localhost";
  std::string tag_date = "2026-01-01";
  /// Item link template with {slug}, {id}, {category}. Empty: base_url +
  /// "articles/{slug}.html", feedd's own article page.
  std::string item_link;
  std::string icon;  ///< square image URL, optional
  std::string logo;  ///< wide image URL, optional
  /// WebSub hubs ([websub] hubs), advertised in every feed and its Link
  /// headers.
  std::vector<std::string> hubs;
};

/// A feed the publisher defines ([[feeds.custom]]): the articles that match
/// every kind of filter given (any one value of each), newest first.
/// Categories, tags and authors match by slug ("World News" = "world-news");
/// a folder matches articles under that subfolder of the articles folder.
struct FeedDefinition {
  std::string name;  ///< in the title: "<site title>: <name>"
  std::string path;  ///< relative to base_url, without extension
  std::vector<std::string> categories;
  std::vector<std::string> tags;
  std::vector<std::string> authors;
  std::vector<std::string> folders;
  int items = 0;              ///< items in its document; 0: feeds.items
  bool summary_only = false;  ///< content = "summary": items without the body
};

struct FeedSettings {
  /// Items per feed document. Default: 50.
  int items = 50;
  /// One feed per category besides the main one. Default: true.
  bool category_feeds = true;
  /// One feed per author (byline name). Default: true.
  bool author_feeds = true;
  /// Path (without extension, relative to base_url) of the main feed.
  std::string main_path = "feed";
  /// Path of each category feed; {category} is the category's slug.
  std::string category_path = "category/{category}/feed";
  /// Path of each author feed; {author} is the byline name's slug.
  std::string author_path = "author/{author}/feed";
  /// Feeds the publisher defines, besides the built-in ones.
  std::vector<FeedDefinition> custom;
  /// Cache-Control max-age of a closed month's archive documents (with
  /// immutable). Default: 30 days.
  int archive_max_age = 30 * 24 * 3600;
  /// A feed document larger than this many bytes is logged (Google News
  /// reads at most 2 MB). Default: 2 MiB.
  long long size_budget = 2 * 1024 * 1024;
  /// Poll hints: <ttl> minutes and sy:updatePeriod/updateFrequency.
  int ttl_minutes = 60;
  std::string update_period = "hourly";
  int update_frequency = 1;
};

}  // namespace feedd

#endif  // FEEDD_FEEDS_CORE_SITE_H_
