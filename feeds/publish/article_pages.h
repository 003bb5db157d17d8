// feeds/publish/article_pages.h
//
// The article pages of every published article, at "/articles/<slug>.html"
// (the default item link). A newsroom has too many articles to keep every
// page rendered in memory, so a page is rendered when first asked for, from
// the article's file read again in full, and kept in a bounded cache (most
// recently used first) until its article changes. What the page shows is
// fixed by the article alone: its bytes change only when the article does.
//
// The publisher tells it, one record at a time, which articles are
// published (not drafts, not embargoed, present), and learns which page
// routes appeared, changed or went, for the static export.
//
// A page is dated its article's update, but its Last-Modified never goes
// back (last_modified.h): when what a route shows changes (an edit, another
// article taking the slug over), it moves past what the route served
// before, also across a restart, through the served history.
//
// A slug that would leave the articles/ folder ("..", "." or empty
// segments, a backslash) gets no page. Two articles never share a route:
// the index gives each a slug of its own (Article::page_slug).
//
// Thread safety: Update() has one caller at a time (the rebuild worker);
// Find() may be called from any thread at any time, also during Update().

#ifndef FEEDD_FEEDS_PUBLISH_ARTICLE_PAGES_H_
#define FEEDD_FEEDS_PUBLISH_ARTICLE_PAGES_H_

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "feeds/core/article.h"
#include "feeds/core/lru_cache.h"
#include "feeds/core/site.h"
#include "feeds/index/article_index.h"
#include "feeds/publish/last_modified.h"
#include "feeds/publish/snapshot.h"

namespace feedd {

/// An article file read again in full.
struct LoadedArticle {
  Article article;
  std::uint64_t image_length = 0;  ///< of its image, when that is a local file
};
/// Reads the article file at |path| again; nullopt when it cannot be read
/// or no longer parses.
using ArticleLoader = std::function<std::optional<LoadedArticle>(const std::string& path)>;

class ArticlePages final : public LazyDocuments {
 public:
  /// Keeps at most |cache_pages| rendered pages.
  ArticlePages(SiteInfo site, FeedSettings settings, ArticleLoader load,
               std::size_t cache_pages = 2000);

  /// The route of |article|'s page, not percent-encoded; empty when it has
  /// none (its own link, or an unsafe slug).
  static std::string RouteOf(const Article& article);

  /// Publishes |record|'s page when |published|, else withdraws it. Appends
  /// the route to |changed| when the page is new or its article changed,
  /// and the old route to |removed| when it went (withdrawn, or a new slug).
  /// A route with no page now starts from what |served| (the served
  /// history; may be null) says it served; a page whose validator or
  /// Last-Modified moved is added to |floors| (may be null), to be
  /// remembered.
  void Update(const IndexRecord& record, bool published, std::vector<std::string>* changed,
              std::vector<std::string>* removed, const ServedHistory* served = nullptr,
              ServedHistory* floors = nullptr);

  DocumentPtr Find(std::string_view path) const override;
  /// Of its validator (the article's content, file, slug, dates and
  /// categories): all a page shows.
  std::optional<std::uint64_t> Fingerprint(std::string_view path) const override;

  /// Makes room for |pages| pages (before a first scan publishes them).
  void Reserve(std::size_t pages);

  /// Pages published now.
  std::size_t size() const;

 private:
  struct Entry {
    const IndexRecord* record = nullptr;  // identity only; never read by Find()
    std::string id;
    std::string page_slug;  // as the index decided: the file alone does not say
    std::string path;
    UnixTime published = 0;
    UnixTime updated = 0;
    std::uint64_t revision = 0;
    ServedDocument served;  // its validator (ShownValidator()) and Last-Modified
  };
  struct Cached {
    // Revisions count per record: a route another article took over may
    // come back with the same number, so the id must match too.
    std::string id;
    std::uint64_t revision = 0;
    DocumentPtr doc;
    bool Shows(const Entry& entry) const {
      return id == entry.id && revision == entry.revision &&
             doc->last_modified == entry.served.last_modified;
    }
  };
  DocumentPtr Render(const Entry& entry) const;

  const SiteInfo site_;
  const FeedSettings settings_;
  const ArticleLoader load_;
  std::unordered_map<const IndexRecord*, std::string> route_of_;  // Update() only

  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;  // by route
  // What routes withdrawn in this process last served (the served history
  // passed to Update() is read at start only).
  std::unordered_map<std::string, ServedDocument> retired_;
  mutable LruCache<Cached> cache_;  // rendered pages by route
};

}  // namespace feedd

#endif  // FEEDD_FEEDS_PUBLISH_ARTICLE_PAGES_H_
