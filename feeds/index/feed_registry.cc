#include "feeds/index/feed_registry.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <iterator>

#include "feeds/core/fingerprint.h"
#include "feeds/core/routes.h"
#include "feeds/core/text_util.h"

namespace feedd {
namespace {

constexpr const char* kMainOrderKey = "";

const char* Prefix(Feed::Kind kind) {
  switch (kind) {
    case Feed::Kind::kAuthor:
      return "author/";
    case Feed::Kind::kCustom:
      return "custom/";
    default:
      return "category/";
  }
}

// Any of |wanted| equals any of |values|, by slug; true when nothing is wanted.
bool AnyBySlug(const std::vector<std::string>& wanted, const std::vector<std::string>& values) {
  if (wanted.empty()) return true;
  for (const std::string& w : wanted) {
    const std::string slug = Slugify(w);
    for (const std::string& v : values) {
      if (Slugify(v) == slug) return true;
    }
  }
  return false;
}

std::string PathOf(const FeedSettings& settings, Feed::Kind kind, const std::string& slug) {
  switch (kind) {
    case Feed::Kind::kMain:
      return MainFeedPath(settings);
    case Feed::Kind::kCategory:
      return CategoryFeedPath(settings, slug);
    case Feed::Kind::kAuthor:
      return AuthorFeedPath(settings, slug);
    case Feed::Kind::kCustom:
      return slug;
  }
  return slug;
}

std::string TitleOf(const SiteInfo& site, Feed::Kind kind, const std::string& name) {
  switch (kind) {
    case Feed::Kind::kMain:
      return site.title;
    case Feed::Kind::kCategory:
      return site.title + ": " + name;
    case Feed::Kind::kAuthor:
      return site.title + ": by " + name;
    case Feed::Kind::kCustom:
      return site.title + ": " + name;
  }
  return site.title;
}

std::string DescriptionOf(const SiteInfo& site, Feed::Kind kind, const std::string& name) {
  switch (kind) {
    case Feed::Kind::kMain:
      return site.description;
    case Feed::Kind::kCategory:
    case Feed::Kind::kCustom:
      return name + " — " + site.description;
    case Feed::Kind::kAuthor:
      return "Articles by " + name + " — " + site.description;
  }
  return site.description;
}

// A category or author as the newest article spells it; a custom feed's
// name.
std::string NameOf(const Feed& feed) {
  if (feed.definition) return feed.definition->name;
  if ((feed.kind != Feed::Kind::kCategory && feed.kind != Feed::Kind::kAuthor) ||
      feed.shown.empty()) {
    return feed.slug;
  }
  const Article& newest = *feed.shown.front()->article;
  for (const std::string& n :
       feed.kind == Feed::Kind::kAuthor ? newest.authors : newest.categories) {
    if (Slugify(n) == feed.slug) return n;
  }
  return feed.slug;
}

UnixTime MonthStart(Month month) {
  std::tm tm{};
  tm.tm_year = month / 12 - 1900;
  tm.tm_mon = month % 12;
  tm.tm_mday = 1;
  return static_cast<UnixTime>(timegm(&tm));
}

// Sorts before every record published at the same moment (ids are never
// empty).
const IndexRecord kFirstRecord{};

}  // namespace

std::uint64_t ShownVersion(const Feed& feed) {
  Fingerprint print;
  for (const IndexRecord* record : feed.shown) print.Add(record->id).Add(record->revision);
  return print.Add(feed.newest_archive.value_or(-1)).Add(feed.title).Value();
}

bool Selects(const FeedDefinition& def, const Article& article, const std::string& path) {
  if (!AnyBySlug(def.categories, article.categories) || !AnyBySlug(def.tags, article.tags) ||
      !AnyBySlug(def.authors, article.authors)) {
    return false;
  }
  if (def.folders.empty()) return true;
  for (std::string folder : def.folders) {
    while (!folder.empty() && folder.back() == '/') folder.pop_back();
    if (path.size() > folder.size() && path.starts_with(folder) && path[folder.size()] == '/') {
      return true;
    }
  }
  return false;
}

std::vector<FeedRef> FeedRefsOf(const Article& article, const std::string& path,
                                const SiteInfo& site, const FeedSettings& settings) {
  std::vector<FeedRef> refs = {{site.title, settings.main_path, "main"}};
  auto add = [&](Feed::Kind kind, const std::vector<std::string>& names) {
    for (const std::string& name : names) {
      const std::string slug = Slugify(name);
      if (slug.empty()) continue;
      FeedRef ref{TitleOf(site, kind, name), PathOf(settings, kind, slug), Prefix(kind) + slug};
      if (std::none_of(refs.begin(), refs.end(),
                       [&](const FeedRef& r) { return r.path == ref.path; })) {
        refs.push_back(std::move(ref));
      }
    }
  };
  if (settings.category_feeds) add(Feed::Kind::kCategory, article.categories);
  if (settings.author_feeds) add(Feed::Kind::kAuthor, article.authors);
  for (const FeedDefinition& def : settings.custom) {
    if (Selects(def, article, path))
      refs.push_back({TitleOf(site, Feed::Kind::kCustom, def.name), def.path,
                      Prefix(Feed::Kind::kCustom) + def.path});
  }
  return refs;
}

FeedRegistry::FeedRegistry(SiteInfo site, FeedSettings settings)
    : site_(std::move(site)), settings_(std::move(settings)) {
  FeedFor(Feed::Kind::kMain, "");  // the main feed exists even when empty
  // So do the custom ones: subscribers may come before their first article.
  for (const FeedDefinition& def : settings_.custom) {
    custom_.push_back(FeedFor(Feed::Kind::kCustom, def.path, &def));
  }
}

Feed* FeedRegistry::Named(Feed::Kind kind, const std::string& name, const std::string& path,
                          Problems* problems) {
  auto& cache = kind == Feed::Kind::kAuthor ? by_author_ : by_category_;
  auto it = cache.find(name);
  if (it != cache.end()) return it->second;
  const std::string slug = Slugify(name);
  Feed* feed = slug.empty() ? nullptr : FeedFor(kind, slug);
  cache.emplace(name, feed);
  if (!feed) return nullptr;
  // Case and punctuation variants are one feed, as wanted; but say so once
  // per pair, in case they are two people or two topics.
  if (feed->spelling_.empty()) {
    feed->spelling_ = name;
  } else if (problems) {
    const char* what = kind == Feed::Kind::kAuthor ? "author" : "category";
    problems->push_back({path, 0, Severity::kWarning,
                         std::string(what) + " '" + EscapeControls(name) + "' shares the feed " +
                             feed->path + " with '" + EscapeControls(feed->spelling_) +
                             "' (one slug, '" + slug + "'): their articles are in one feed"});
  }
  return feed;
}

void FeedRegistry::FeedsOf(const Article& article, const std::string& path,
                           std::vector<Feed*>* feeds, Problems* problems) {
  feeds->push_back(&feeds_.at(kMainOrderKey));
  auto add = [&](Feed::Kind kind, const std::vector<std::string>& names) {
    for (const std::string& name : names) {
      Feed* feed = Named(kind, name, path, problems);
      if (feed && std::find(feeds->begin(), feeds->end(), feed) == feeds->end()) {
        feeds->push_back(feed);
      }
    }
  };
  if (settings_.category_feeds) add(Feed::Kind::kCategory, article.categories);
  if (settings_.author_feeds) add(Feed::Kind::kAuthor, article.authors);
  for (Feed* feed : custom_) {
    if (Selects(*feed->definition, article, path)) feeds->push_back(feed);
  }
}

Feed* FeedRegistry::FeedFor(Feed::Kind kind, const std::string& slug,
                            const FeedDefinition* definition) {
  const std::string order_key = kind == Feed::Kind::kMain ? kMainOrderKey : Prefix(kind) + slug;
  auto [it, inserted] = feeds_.try_emplace(order_key);
  Feed& feed = it->second;
  if (inserted) {
    feed.kind = kind;
    feed.key = kind == Feed::Kind::kMain ? "main" : order_key;
    feed.slug = slug;
    feed.path = PathOf(settings_, kind, slug);
    feed.definition = definition;
    feed.items = definition && definition->items > 0 ? definition->items : settings_.items;
    feed.summary_only = definition && definition->summary_only;
    feed.on_request = kind == Feed::Kind::kAuthor;
    by_path_.emplace(feed.path, &feed);
  }
  return &feed;
}

void FeedRegistry::TouchArchive(Feed* feed, UnixTime published) {
  touched_archives_.emplace_back(feed, MonthOf(published));
}

void FeedRegistry::TakeArchiveChanges(Changes* changes) {
  std::sort(touched_archives_.begin(), touched_archives_.end());
  touched_archives_.erase(std::unique(touched_archives_.begin(), touched_archives_.end()),
                          touched_archives_.end());
  std::set<std::pair<Feed*, Month>> affected;
  for (const auto& [feed, month] : touched_archives_) {
    if (!feed->published) continue;  // reported gone with its feed
    const bool exists = HasArchive(*feed, month);
    const bool was = feed->archive_months_.count(month) > 0;
    if (!exists && !was) continue;
    affected.insert({feed, month});
    if (exists == was) continue;
    // The months beside it link to it now, or no longer.
    if (exists) {
      feed->archive_months_.insert(month);
    } else {
      feed->archive_months_.erase(month);
    }
    auto newer = feed->archive_months_.upper_bound(month);
    if (newer != feed->archive_months_.end()) affected.insert({feed, *newer});
    auto older = feed->archive_months_.lower_bound(month);
    if (older != feed->archive_months_.begin()) affected.insert({feed, *std::prev(older)});
  }
  touched_archives_.clear();
  for (const auto& [feed, month] : affected) {
    changes->archives.push_back({feed, month, feed->archive_months_.count(month) > 0});
  }
}

const Feed* FeedRegistry::FeedAt(std::string_view path) const {
  auto it = by_path_.find(std::string(path));
  return it == by_path_.end() ? nullptr : it->second;
}

std::set<FeedMember, NewerFirst>::const_iterator FeedRegistry::Boundary(const Feed& feed) const {
  const std::size_t limit = static_cast<std::size_t>(std::max(feed.items, 0));
  auto it = feed.members.begin();
  for (std::size_t i = 0; i < limit && it != feed.members.end(); ++i) ++it;
  return it;
}

std::pair<std::set<FeedMember, NewerFirst>::const_iterator,
          std::set<FeedMember, NewerFirst>::const_iterator>
FeedRegistry::MonthRange(const Feed& feed, Month month) const {
  return {feed.members.lower_bound({MonthStart(month + 1) - 1, &kFirstRecord}),
          feed.members.lower_bound({MonthStart(month) - 1, &kFirstRecord})};
}

bool FeedRegistry::HasArchive(const Feed& feed, Month month) const {
  const auto boundary = Boundary(feed);
  if (boundary == feed.members.end()) return false;
  const auto [first, last] = MonthRange(feed, month);
  return first != last && !NewerFirst()(*std::prev(last), *boundary);
}

std::optional<FeedRegistry::Archive> FeedRegistry::ArchiveOf(const Feed& feed, Month month) const {
  if (!HasArchive(feed, month)) return std::nullopt;
  const auto boundary = Boundary(feed);
  const auto [first, last] = MonthRange(feed, month);
  const bool whole = !NewerFirst()(*first, *boundary);  // no member of it is shown
  Archive archive;
  archive.month = month;
  for (auto it = whole ? first : boundary; it != last; ++it) archive.records.push_back(it->record);
  if (last != feed.members.end()) archive.older = MonthOf(last->published);
  if (whole && first != boundary) archive.newer = MonthOf(std::prev(first)->published);
  // Only the newest archive can gain items (as the document's oldest slide
  // out) or links (when a newer archive appears): the others are closed.
  archive.closed = archive.newer.has_value();
  return archive;
}

std::vector<Month> FeedRegistry::ArchiveMonths(const Feed& feed) const {
  std::vector<Month> months;
  for (auto it = Boundary(feed); it != feed.members.end();) {
    const Month month = MonthOf(it->published);
    months.push_back(month);
    it = MonthRange(feed, month).second;
  }
  return months;
}

bool FeedRegistry::published(const IndexRecord* record) const {
  auto it = memberships_.find(record);
  return it != memberships_.end() && !it->second.feeds.empty();
}

void FeedRegistry::Reconsider(const IndexRecord* record, UnixTime now, Problems* problems) {
  reconsidered_.push_back(record);
  Membership& m = memberships_[record];
  // Out of everything it was in...
  for (Feed* feed : m.feeds) {
    feed->members.erase({m.published, record});
    feed->touched_ = true;
    TouchArchive(feed, m.published);
  }
  if (!m.feeds.empty()) --published_;
  m.feeds.clear();
  if (m.embargoed) {
    auto [first, last] = embargoes_.equal_range(m.published);
    for (auto it = first; it != last; ++it) {
      if (it->second == record) {
        embargoes_.erase(it);
        break;
      }
    }
    m.embargoed = false;
  }
  // ...and into what it belongs to now.
  const Article* a = record->present && record->article ? &*record->article : nullptr;
  if (!a || a->draft) {
    memberships_.erase(record);
    return;
  }
  m.published = a->published;
  if (a->published > now) {
    m.embargoed = true;
    embargoes_.emplace(a->published, record);
    return;
  }
  FeedsOf(*a, record->path, &m.feeds, problems);
  for (Feed* feed : m.feeds) {
    feed->members.insert({m.published, record});
    feed->touched_ = true;
    TouchArchive(feed, m.published);
  }
  ++published_;
}

void FeedRegistry::Update(const std::vector<const IndexRecord*>& records, UnixTime now,
                          Problems* problems) {
  for (const IndexRecord* record : records) Reconsider(record, now, problems);
  std::vector<const IndexRecord*> due;
  for (auto it = embargoes_.begin(); it != embargoes_.end() && it->first <= now; ++it) {
    due.push_back(it->second);
  }
  for (const IndexRecord* record : due) Reconsider(record, now, problems);
}

std::optional<UnixTime> FeedRegistry::next_embargo() const {
  if (embargoes_.empty()) return std::nullopt;
  return embargoes_.begin()->first;
}

void FeedRegistry::CountShown(const std::vector<const IndexRecord*>& now_shown,
                              const std::vector<const IndexRecord*>& was_shown, Changes* changes) {
  for (const IndexRecord* r : now_shown) ++shown_in_[r];
  for (const IndexRecord* r : was_shown) {
    auto it = shown_in_.find(r);
    if (--it->second == 0) {
      shown_in_.erase(it);
      changes->unshown.push_back(r);
    }
  }
}

void FeedRegistry::Refresh(Feed* feed, Changes* changes) {
  const std::size_t limit = static_cast<std::size_t>(std::max(feed->items, 0));
  std::vector<const IndexRecord*> shown;
  std::vector<std::uint64_t> revisions;
  for (auto it = feed->members.begin(); it != feed->members.end() && shown.size() < limit; ++it) {
    shown.push_back(it->record);
    revisions.push_back(it->record->revision);
  }
  const auto boundary = Boundary(*feed);
  const std::optional<Month> newest_archive =
      boundary == feed->members.end() ? std::nullopt
                                      : std::optional<Month>(MonthOf(boundary->published));
  if (shown == feed->shown && revisions == feed->shown_revisions_ &&
      newest_archive == feed->newest_archive) {
    return;
  }
  feed->newest_archive = newest_archive;
  // Items that slid into or out of the document leave or join an archive.
  for (const std::vector<const IndexRecord*>* side : {&shown, &feed->shown}) {
    const auto& other = side == &shown ? feed->shown : shown;
    for (const IndexRecord* r : *side) {
      if (r->article && std::find(other.begin(), other.end(), r) == other.end()) {
        TouchArchive(feed, r->article->published);
      }
    }
  }

  CountShown(shown, feed->shown, changes);
  feed->shown = std::move(shown);
  feed->shown_revisions_ = std::move(revisions);
  feed->updated = 0;
  for (const IndexRecord* r : feed->shown) {
    feed->updated = std::max(feed->updated, r->article->updated);
  }
  const std::string name = NameOf(*feed);
  feed->title = TitleOf(site_, feed->kind, name);
  feed->description = DescriptionOf(site_, feed->kind, name);
  changes->changed.push_back(feed);
}

FeedRegistry::Changes FeedRegistry::TakeChanges() {
  Changes changes;
  std::sort(reconsidered_.begin(), reconsidered_.end());
  reconsidered_.erase(std::unique(reconsidered_.begin(), reconsidered_.end()), reconsidered_.end());
  changes.reconsidered = std::move(reconsidered_);
  reconsidered_.clear();
  for (auto it = feeds_.begin(); it != feeds_.end();) {
    Feed& feed = it->second;
    if (!feed.touched_) {
      ++it;
      continue;
    }
    feed.touched_ = false;
    if (feed.members.empty() && feed.kind != Feed::Kind::kMain &&
        feed.kind != Feed::Kind::kCustom) {
      // Kept (articles may point at it again) but no longer published.
      for (const IndexRecord* r : feed.shown) {
        auto s = shown_in_.find(r);
        if (--s->second == 0) {
          shown_in_.erase(s);
          changes.unshown.push_back(r);
        }
      }
      feed.shown.clear();
      feed.shown_revisions_.clear();
      feed.newest_archive.reset();
      for (Month month : feed.archive_months_) changes.archives.push_back({&feed, month, false});
      feed.archive_months_.clear();
      if (feed.published) changes.removed.push_back(feed.path);
      feed.published = false;
      ++it;
      continue;
    }
    feed.published = true;
    Refresh(&feed, &changes);
    ++it;
  }
  TakeArchiveChanges(&changes);
  // A record shown by one feed and dropped by another in the same batch
  // was counted down before it was counted up: keep only the truly unshown.
  std::erase_if(changes.unshown, [&](const IndexRecord* r) { return shown_in_.count(r) > 0; });
  return changes;
}

}  // namespace feedd
