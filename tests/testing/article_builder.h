// tests/testing/article_builder.h
//
// Articles and a small in-memory site for tests of the stages after parsing
// (index, registry, views, rendering, publication). Articles go through the
// real ArticleIndex and FeedRegistry; their own summary and content stand
// in for the body a file would give.

#ifndef FEEDD_TESTS_TESTING_ARTICLE_BUILDER_H_
#define FEEDD_TESTS_TESTING_ARTICLE_BUILDER_H_

#include <string>
#include <vector>

#include "feeds/core/article.h"
#include "feeds/index/article_index.h"
#include "feeds/index/feed_registry.h"
#include "feeds/publish/publication.h"
#include "feeds/render/body_cache.h"
#include "feeds/render/feed_view.h"

namespace feedd::testing {

/// An article whose front matter sets its id and date, so the index gives
/// it exactly that id and |published|.
inline Article MakeArticle(const std::string& id, UnixTime published,
                           std::vector<std::string> categories = {}) {
  Article a;
  a.explicit_id = id;
  a.title = "Title " + id;
  a.date = published;
  a.categories = std::move(categories);
  a.content_html = "<p>x</p>";
  a.body_hash = 1;
  return a;
}

/// The site a list of articles makes: index, registry, rendered snapshots.
class TestSite {
 public:
  explicit TestSite(SiteInfo site = {}, FeedSettings settings = {})
      : site_(std::move(site)), settings_(std::move(settings)), registry_(site_, settings_) {}

  /// Adds |a| at "<explicit_id>.txt", or replaces what that file held.
  void Put(const Article& a, UnixTime mtime = 1700000000) {
    FileChange change{
        FileChange::Kind::kParsed, a.explicit_id + ".txt", {}, std::make_unique<Article>(a)};
    change.stamp = {1, mtime * 1000000000LL + ++stamps_, 1};
    Apply(std::move(change));
  }
  void Remove(const std::string& id) {
    Apply({FileChange::Kind::kRemoved, id + ".txt", {}, nullptr});
  }

  /// Publishes what changed since the last call, as the daemon would at |now|.
  const Publication& Publish(UnixTime now) {
    registry_.Update(touched_, now, &problems_);
    touched_.clear();
    const FeedRegistry::Changes changes = registry_.TakeChanges();
    PublishContext context(site_, settings_);
    context.previous = publication_.snapshot.get();
    context.bodies = &bodies_;
    publication_ = feedd::Publish(registry_, changes, context);
    return publication_;
  }

  /// The view of the feed with |key| ("main", "category/world") as last published.
  FeedView View(const std::string& key) {
    for (const auto& [order, feed] : registry_.feeds()) {
      if (feed.key == key) return ViewOf(feed, site_, &bodies_, nullptr);
    }
    return {};
  }

  const FeedRegistry& registry() const { return registry_; }
  Problems& problems() { return problems_; }

 private:
  void Apply(FileChange change) {
    std::vector<FileChange> changes;
    changes.push_back(std::move(change));
    const ArticleIndex::Result r = index_.Apply(std::move(changes), &problems_);
    touched_.insert(touched_.end(), r.touched.begin(), r.touched.end());
  }

  SiteInfo site_;
  FeedSettings settings_;
  ArticleIndex index_;
  FeedRegistry registry_;
  BodyCache bodies_;
  Publication publication_;
  std::vector<const IndexRecord*> touched_;
  Problems problems_;
  std::int64_t stamps_ = 0;
};

}  // namespace feedd::testing

#endif  // FEEDD_TESTS_TESTING_ARTICLE_BUILDER_H_
