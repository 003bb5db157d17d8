// feeds/index/feed_registry.h
//
// Every feed feedd publishes and the articles each one holds, newest first
// (published date, ties broken by id), kept current one article at a time.
// The definitions live here in one place: the main feed holds every
// published article, with feeds.category_feeds each category has a feed of
// its own, and with feeds.author_feeds each byline name has one. An article is published when its
// file is present, it is not a draft and its date has come; an embargoed article joins its feeds
// when Update() is called at or after that moment.
//
// A feed shows its newest feeds.items members. TakeChanges() reports the
// feeds whose shown items (or what any of them shows) changed since the last
// call, and the feeds that lost their last article, so only those are
// rendered again.
//
// Archives (RFC 5005 §4): what a feed's document does not show is cut into
// one archive per calendar month (UTC) of the published date, so that the
// subscription document and the archives together hold every member
// exactly once. Every archive but the newest is closed: no item or link
// joins it unless an article is edited, deleted or published backdated
// into it.
//
// Thread safety: not thread-safe; one caller at a time. It keeps pointers to
// the index's records, which must outlive it.

#ifndef FEEDD_FEEDS_INDEX_FEED_REGISTRY_H_
#define FEEDD_FEEDS_INDEX_FEED_REGISTRY_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "feeds/core/dates.h"
#include "feeds/core/problem.h"
#include "feeds/core/site.h"
#include "feeds/index/article_index.h"

namespace feedd {

struct FeedMember {
  UnixTime published;
  const IndexRecord* record;
};

/// Newest first; ties by id, ascending.
struct NewerFirst {
  bool operator()(const FeedMember& a, const FeedMember& b) const {
    if (a.published != b.published) return a.published > b.published;
    return a.record->id < b.record->id;
  }
};

struct Feed {
  enum class Kind { kMain, kCategory, kAuthor, kCustom };
  Kind kind = Kind::kMain;
  std::string key;   ///< "main", "category/<slug>", "author/<slug>", "custom/<path>"
  std::string slug;  ///< the category's or author's slug; the custom feed's path; else empty
  /// Relative to site.base_url, without extension: "feed", "category/world/feed".
  std::string path;
  std::set<FeedMember, NewerFirst> members;
  int items = 50;  ///< the members its document shows
  /// Its documents are rendered when asked for (feeds/publish/feeds_on_request.h),
  /// not by every rebuild: the author feeds, hundreds in a newsroom.
  bool on_request = false;
  bool summary_only = false;                   ///< its items carry summaries, not bodies
  const FeedDefinition* definition = nullptr;  ///< kCustom: its definition

  // As of the last TakeChanges():
  bool published = false;                 ///< it has documents: not an empty category
  std::vector<const IndexRecord*> shown;  ///< the newest members, at most feeds.items
  /// "Site", "Site: World", "Site: by Ana Ruiz" (the newest item's spelling)
  std::string title;
  std::string description;
  UnixTime updated = 0;  ///< the newest update among |shown|; 0 when empty
  /// The newest archive month (what the document's prev-archive names);
  /// none when |shown| holds every member (the feed is complete).
  std::optional<Month> newest_archive;

 private:
  friend class FeedRegistry;
  std::vector<std::uint64_t> shown_revisions_;
  bool touched_ = true;
  std::string spelling_;            // kCategory, kAuthor: the first spelling seen
  std::set<Month> archive_months_;  // as of the last TakeChanges()
};

/// A fingerprint of what |feed|'s document shows (items and their
/// revisions, title, newest archive): equal fingerprints, equal documents.
std::uint64_t ShownVersion(const Feed& feed);

/// A feed an article belongs to, as its page links it.
struct FeedRef {
  std::string title;
  std::string path;
  std::string key;  ///< as Feed::key
};
/// The feeds |article| (read from |path|) belongs to when published, by the
/// same rules as the registry: the main feed, its categories', its
/// authors', then the custom feeds it matches.
std::vector<FeedRef> FeedRefsOf(const Article& article, const std::string& path,
                                const SiteInfo& site, const FeedSettings& settings);

/// Whether |definition|'s filters select |article|, read from |path|.
bool Selects(const FeedDefinition& definition, const Article& article, const std::string& path);

class FeedRegistry {
 public:
  FeedRegistry(SiteInfo site, FeedSettings settings);
  FeedRegistry(const FeedRegistry&) = delete;
  FeedRegistry& operator=(const FeedRegistry&) = delete;

  /// Looks again at |records| (as ArticleIndex::Apply() reports them), and
  /// at every embargoed article whose moment has come by |now|. Two
  /// spellings of a category or author with one slug ("Anne-Marie Smith",
  /// "Anne Marie Smith") share one feed; the first time a second spelling
  /// joins a feed, a warning in |problems| names both and its file.
  void Update(const std::vector<const IndexRecord*>& records, UnixTime now,
              Problems* problems = nullptr);

  struct Changes {
    std::vector<const Feed*> changed;  ///< feeds to render again, in feeds() order
    std::vector<std::string> removed;  ///< paths of feeds that no longer exist
    /// Records no feed shows any more (their bodies need not be kept).
    std::vector<const IndexRecord*> unshown;
    /// Records looked at again since the last call: published() tells
    /// whether each is published now.
    std::vector<const IndexRecord*> reconsidered;
    /// Archive documents whose content may have changed, and those gone.
    struct ArchiveChange {
      const Feed* feed;
      Month month;
      bool exists;
    };
    std::vector<ArchiveChange> archives;
  };
  /// What changed since the last call (everything, the first time).
  Changes TakeChanges();

  /// Every feed: the main feed first, then authors and categories by slug. Skip those
  /// not |published| (categories that lost their last article).
  const std::map<std::string, Feed>& feeds() const { return feeds_; }
  /// Articles published now.
  std::size_t published() const { return published_; }
  /// Whether |record|'s article is published now: in the feeds.
  bool published(const IndexRecord* record) const;
  /// The feed at |path| (as Feed::path), published or not; null if none.
  const Feed* FeedAt(std::string_view path) const;

  /// One archive document's content: |feed|'s members of |month| that its
  /// document does not show, newest first, and the archive months next to
  /// it. Nothing when the month has no such member.
  struct Archive {
    Month month = 0;
    std::vector<const IndexRecord*> records;
    std::optional<Month> older;  ///< prev-archive
    std::optional<Month> newer;  ///< next-archive; none: the newest archive
    bool closed = false;         ///< not the newest archive: nothing joins it any more
  };
  std::optional<Archive> ArchiveOf(const Feed& feed, Month month) const;
  /// Every archive month of |feed|, newest first.
  std::vector<Month> ArchiveMonths(const Feed& feed) const;

  /// The earliest moment an embargoed article is due.
  std::optional<UnixTime> next_embargo() const;

 private:
  struct Membership {
    UnixTime published = 0;
    std::vector<Feed*> feeds;
    bool embargoed = false;
  };
  void Reconsider(const IndexRecord* record, UnixTime now, Problems* problems);
  void FeedsOf(const Article& article, const std::string& path, std::vector<Feed*>* feeds,
               Problems* problems);
  Feed* FeedFor(Feed::Kind kind, const std::string& slug,
                const FeedDefinition* definition = nullptr);
  /// The feed of a category or author as spelled (cached: slugs cost). A
  /// spelling other than the feed's first is a warning naming |path|.
  Feed* Named(Feed::Kind kind, const std::string& name, const std::string& path,
              Problems* problems);
  void Refresh(Feed* feed, Changes* changes);
  /// Counts how many feeds show each record after a feed's shown items
  /// went from |was_shown| to |now_shown|; records no feed shows any more
  /// go to changes->unshown.
  void CountShown(const std::vector<const IndexRecord*>& now_shown,
                  const std::vector<const IndexRecord*>& was_shown, Changes* changes);
  /// The first member the document does not show (end() if none).
  std::set<FeedMember, NewerFirst>::const_iterator Boundary(const Feed& feed) const;
  /// Members of |month|: [first, last).
  std::pair<std::set<FeedMember, NewerFirst>::const_iterator,
            std::set<FeedMember, NewerFirst>::const_iterator>
  MonthRange(const Feed& feed, Month month) const;
  bool HasArchive(const Feed& feed, Month month) const;
  void TouchArchive(Feed* feed, UnixTime published);
  void TakeArchiveChanges(Changes* changes);

  SiteInfo site_;
  FeedSettings settings_;
  std::map<std::string, Feed> feeds_;  // by order key: "" for main, then "category/<slug>"
  std::unordered_map<std::string, Feed*> by_category_;  // a category as spelled -> its feed
  std::unordered_map<std::string, Feed*> by_author_;    // an author as spelled -> its feed
  std::unordered_map<const IndexRecord*, Membership> memberships_;
  std::multimap<UnixTime, const IndexRecord*> embargoes_;
  std::unordered_map<const IndexRecord*, int> shown_in_;  // how many feeds show a record
  std::size_t published_ = 0;
  std::vector<const IndexRecord*> reconsidered_;
  std::unordered_map<std::string, Feed*> by_path_;
  std::vector<Feed*> custom_;                              // in settings_.custom order
  std::vector<std::pair<Feed*, Month>> touched_archives_;  // sorted and deduplicated when taken
};

}  // namespace feedd

#endif  // FEEDD_FEEDS_INDEX_FEED_REGISTRY_H_
