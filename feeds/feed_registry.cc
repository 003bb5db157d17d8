#include "feeds/feed_registry.h"

#include <algorithm>

#include "feeds/links.h"
#include "feeds/text_util.h"

namespace feedd {
namespace {

constexpr const char* kMainOrderKey = "";

}  // namespace

FeedRegistry::FeedRegistry(SiteInfo site, FeedSettings settings)
    : site_(std::move(site)), settings_(std::move(settings)) {
  FeedFor(kMainOrderKey);  // the main feed exists even when empty
}

void FeedRegistry::FeedsOf(const Article& article, std::vector<Feed*>* feeds) {
  feeds->push_back(&feeds_.at(kMainOrderKey));
  if (!settings_.category_feeds) return;
  for (const std::string& category : article.categories) {
    auto it = by_category_.find(category);
    if (it == by_category_.end()) {
      const std::string slug = Slugify(category);
      it = by_category_.emplace(category, slug.empty() ? nullptr : FeedFor("category/" + slug))
               .first;
    }
    Feed* feed = it->second;
    if (feed && std::find(feeds->begin(), feeds->end(), feed) == feeds->end()) {
      feeds->push_back(feed);
    }
  }
}

Feed* FeedRegistry::FeedFor(const std::string& order_key) {
  auto [it, inserted] = feeds_.try_emplace(order_key);
  Feed& feed = it->second;
  if (inserted) {
    if (order_key == kMainOrderKey) {
      feed.kind = Feed::Kind::kMain;
      feed.key = "main";
      feed.path = settings_.main_path;
    } else {
      feed.kind = Feed::Kind::kCategory;
      feed.key = order_key;
      feed.slug = order_key.substr(order_key.find('/') + 1);
      feed.path = settings_.category_path;
      ReplaceAll(&feed.path, "{category}", feed.slug);
    }
  }
  return &feed;
}

void FeedRegistry::Reconsider(const IndexRecord* record, UnixTime now) {
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
  if (feed->kind == Feed::Kind::kMain) {
    feed->title = site_.title;
    feed->description = site_.description;
  } else {
    // The category as the newest article spells it.
    std::string name = feed->slug;
    if (!feed->shown.empty()) {
      for (const std::string& c : feed->shown.front()->article->categories) {
        if (Slugify(c) == feed->slug) {
          name = c;
          break;
        }
      }
    }
    feed->title = site_.title + ": " + name;
    feed->description = name + " — " + site_.description;
  }
  changes->changed.push_back(feed);
}

FeedRegistry::Changes FeedRegistry::TakeChanges() {
  Changes changes;
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
