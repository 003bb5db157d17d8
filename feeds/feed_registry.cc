#include "feeds/feed_registry.h"

#include <algorithm>

#include "feeds/links.h"
#include "feeds/text_util.h"

namespace feedd {
namespace {

constexpr const char* kMainOrderKey = "";

const char* Prefix(Feed::Kind kind) {
  return kind == Feed::Kind::kAuthor ? "author/" : "category/";
}

std::string PathOf(const FeedSettings& settings, Feed::Kind kind, const std::string& slug) {
  if (kind == Feed::Kind::kMain) return settings.main_path;
  std::string path = kind == Feed::Kind::kAuthor ? settings.author_path : settings.category_path;
  ReplaceAll(&path, kind == Feed::Kind::kAuthor ? "{author}" : "{category}", slug);
  return path;
}

std::string TitleOf(const SiteInfo& site, Feed::Kind kind, const std::string& name) {
  switch (kind) {
    case Feed::Kind::kMain:
      return site.title;
    case Feed::Kind::kCategory:
      return site.title + ": " + name;
    case Feed::Kind::kAuthor:
      return site.title + ": by " + name;
  }
  return site.title;
}

}  // namespace

std::vector<FeedRef> FeedRefsOf(const Article& article, const SiteInfo& site,
                                const FeedSettings& settings) {
  std::vector<FeedRef> refs = {{site.title, settings.main_path}};
  auto add = [&](Feed::Kind kind, const std::vector<std::string>& names) {
    for (const std::string& name : names) {
      const std::string slug = Slugify(name);
      if (slug.empty()) continue;
      FeedRef ref{TitleOf(site, kind, name), PathOf(settings, kind, slug)};
      if (std::none_of(refs.begin(), refs.end(),
                       [&](const FeedRef& r) { return r.path == ref.path; })) {
        refs.push_back(std::move(ref));
      }
    }
  };
  if (settings.category_feeds) add(Feed::Kind::kCategory, article.categories);
  if (settings.author_feeds) add(Feed::Kind::kAuthor, article.authors);
  return refs;
}

FeedRegistry::FeedRegistry(SiteInfo site, FeedSettings settings)
    : site_(std::move(site)), settings_(std::move(settings)) {
  FeedFor(Feed::Kind::kMain, "");  // the main feed exists even when empty
}

Feed* FeedRegistry::Named(Feed::Kind kind, const std::string& name) {
  auto& cache = kind == Feed::Kind::kAuthor ? by_author_ : by_category_;
  auto it = cache.find(name);
  if (it == cache.end()) {
    const std::string slug = Slugify(name);
    it = cache.emplace(name, slug.empty() ? nullptr : FeedFor(kind, slug)).first;
  }
  return it->second;
}

void FeedRegistry::FeedsOf(const Article& article, std::vector<Feed*>* feeds) {
  feeds->push_back(&feeds_.at(kMainOrderKey));
  auto add = [&](Feed::Kind kind, const std::vector<std::string>& names) {
    for (const std::string& name : names) {
      Feed* feed = Named(kind, name);
      if (feed && std::find(feeds->begin(), feeds->end(), feed) == feeds->end()) {
        feeds->push_back(feed);
      }
    }
  };
  if (settings_.category_feeds) add(Feed::Kind::kCategory, article.categories);
  if (settings_.author_feeds) add(Feed::Kind::kAuthor, article.authors);
}

Feed* FeedRegistry::FeedFor(Feed::Kind kind, const std::string& slug) {
  const std::string order_key = kind == Feed::Kind::kMain ? kMainOrderKey : Prefix(kind) + slug;
  auto [it, inserted] = feeds_.try_emplace(order_key);
  Feed& feed = it->second;
  if (inserted) {
    feed.kind = kind;
    feed.key = kind == Feed::Kind::kMain ? "main" : order_key;
    feed.slug = slug;
    feed.path = PathOf(settings_, kind, slug);
  }
  return &feed;
}

bool FeedRegistry::published(const IndexRecord* record) const {
  auto it = memberships_.find(record);
  return it != memberships_.end() && !it->second.feeds.empty();
}

void FeedRegistry::Reconsider(const IndexRecord* record, UnixTime now) {
  reconsidered_.push_back(record);
  Membership& m = memberships_[record];
  // Out of everything it was in...
  for (Feed* feed : m.feeds) {
    feed->members.erase({m.published, record});
    feed->touched_ = true;
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
  FeedsOf(*a, &m.feeds);
  for (Feed* feed : m.feeds) {
    feed->members.insert({m.published, record});
    feed->touched_ = true;
  }
  ++published_;
}

void FeedRegistry::Update(const std::vector<const IndexRecord*>& records, UnixTime now) {
  for (const IndexRecord* record : records) Reconsider(record, now);
  std::vector<const IndexRecord*> due;
  for (auto it = embargoes_.begin(); it != embargoes_.end() && it->first <= now; ++it) {
    due.push_back(it->second);
  }
  for (const IndexRecord* record : due) Reconsider(record, now);
}

std::optional<UnixTime> FeedRegistry::next_embargo() const {
  if (embargoes_.empty()) return std::nullopt;
  return embargoes_.begin()->first;
}

void FeedRegistry::Refresh(Feed* feed, Changes* changes) {
  const std::size_t limit = static_cast<std::size_t>(std::max(settings_.items, 0));
  std::vector<const IndexRecord*> shown;
  std::vector<std::uint64_t> revisions;
  for (auto it = feed->members.begin(); it != feed->members.end() && shown.size() < limit; ++it) {
    shown.push_back(it->record);
    revisions.push_back(it->record->revision);
  }
  if (shown == feed->shown && revisions == feed->shown_revisions_) return;

  for (const IndexRecord* r : shown) ++shown_in_[r];
  for (const IndexRecord* r : feed->shown) {
    auto it = shown_in_.find(r);
    if (--it->second == 0) {
      shown_in_.erase(it);
      changes->unshown.push_back(r);
    }
  }
  feed->shown = std::move(shown);
  feed->shown_revisions_ = std::move(revisions);
  feed->updated = 0;
  for (const IndexRecord* r : feed->shown) {
    feed->updated = std::max(feed->updated, r->article->updated);
  }
  // A category or author as the newest article spells it.
  std::string name = feed->slug;
  if (feed->kind != Feed::Kind::kMain && !feed->shown.empty()) {
    const Article& newest = *feed->shown.front()->article;
    for (const std::string& n :
         feed->kind == Feed::Kind::kAuthor ? newest.authors : newest.categories) {
      if (Slugify(n) == feed->slug) {
        name = n;
        break;
      }
    }
  }
  feed->title = TitleOf(site_, feed->kind, name);
  switch (feed->kind) {
    case Feed::Kind::kMain:
      feed->description = site_.description;
      break;
    case Feed::Kind::kCategory:
      feed->description = name + " — " + site_.description;
      break;
    case Feed::Kind::kAuthor:
      feed->description = "Articles by " + name + " — " + site_.description;
      break;
  }
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
    if (feed.members.empty() && feed.kind != Feed::Kind::kMain) {
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
      if (feed.published) changes.removed.push_back(feed.path);
      feed.published = false;
      ++it;
      continue;
    }
    feed.published = true;
    Refresh(&feed, &changes);
    ++it;
  }
  // A record shown by one feed and dropped by another in the same batch
  // was counted down before it was counted up: keep only the truly unshown.
  std::erase_if(changes.unshown, [&](const IndexRecord* r) { return shown_in_.count(r) > 0; });
  return changes;
}

}  // namespace feedd
