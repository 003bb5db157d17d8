#include "feeds/index/article_index.h"

#include <algorithm>
#include <set>

#include "feeds/core/routes.h"
#include "feeds/core/text_util.h"

namespace feedd {

std::string PathQualifiedId(const std::string& rel_path) {
  const std::size_t slash = rel_path.rfind('/');
  const std::size_t dot = rel_path.rfind('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return rel_path;
  return rel_path.substr(0, dot);
}

std::string IdFromFileName(const std::string& rel_path) {
  const std::string qualified = PathQualifiedId(rel_path);
  const std::size_t slash = qualified.rfind('/');
  return slash == std::string::npos ? qualified : qualified.substr(slash + 1);
}

std::string QualifiedId(const std::string& rel_path, const std::string& taken) {
  const std::string qualified = PathQualifiedId(rel_path);
  // "story.md" beside "story.txt": the path without its extension is the
  // taken id itself, so the extension stays.
  return qualified == taken ? rel_path : qualified;
}

IndexRecord* ArticleIndex::FindMutable(std::string_view id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second;
}

const IndexRecord* ArticleIndex::Find(std::string_view id) const { return FindMutable(id); }

IndexRecord* ArticleIndex::Create(const std::string& id) {
  IndexRecord& record = records_.emplace_back();
  record.id = id;
  by_id_[record.id] = &record;
  return &record;
}

void ArticleIndex::SetPath(IndexRecord* record, const std::string& path) {
  // Each key views the path of the record it maps to, so a key's text
  // changes only with its own entry.
  auto old = by_path_.find(record->path);
  if (old != by_path_.end() && old->second == record) by_path_.erase(old);
  record->path = path;
  auto taken = by_path_.find(record->path);
  if (taken != by_path_.end()) by_path_.erase(taken);  // the newest record seen here wins it
  by_path_.emplace(record->path, record);
}

void ArticleIndex::Reserve(std::size_t records) {
  by_id_.reserve(records);
  by_path_.reserve(records);
  files_.reserve(records);
}

void ArticleIndex::Restore(IndexRecord record) {
  IndexRecord* r = FindMutable(record.id);
  if (!r) r = Create(record.id);
  // Field by field: the maps' keys are views of r->id and r->path, which
  // must keep their buffers.
  r->hash = record.hash;
  r->first_seen = record.first_seen;
  r->changed = record.changed;
  r->stamp = record.stamp;
  r->present = false;
  r->article = std::move(record.article);
  SetPath(r, record.path);
  restored_unhashed_ = true;
}

const ArticleIndex::FileEntry* ArticleIndex::FindFile(std::string_view path) const {
  auto it = files_.find(path);
  return it == files_.end() ? nullptr : &*it;
}

const ArticleIndex::FileEntry& ArticleIndex::FileAt(const std::string& path) {
  auto it = files_.find(std::string_view(path));
  if (it == files_.end()) {
    FileEntry entry;
    entry.path = path;
    it = files_.insert(std::move(entry)).first;
  }
  return *it;
}

bool ArticleIndex::Unchanged(const std::string& path, const FileStamp& stamp) const {
  const FileEntry* entry = FindFile(path);
  return entry && entry->stamp == stamp;
}

ArticleIndex::Plan ArticleIndex::PlanScan(const Listing& listing, bool reclaim) {
  Plan plan;
  const std::uint64_t scan = ++scans_;
  for (const ArticleFile& f : listing.files) {
    auto it = files_.find(std::string_view(f.rel_path));
    if (it != files_.end()) {
      it->listed = scan;
      if (it->stamp != f.stamp) plan.to_read.push_back(f);
      continue;
    }
    if (reclaim) {
      auto r = by_path_.find(f.rel_path);
      if (r != by_path_.end() && !r->second->present && r->second->article &&
          r->second->hash != 0 && !f.stamp.empty() && r->second->stamp == f.stamp) {
        plan.changes.push_back({FileChange::Kind::kUnchanged, f.rel_path, f.stamp, nullptr});
        continue;
      }
    }
    plan.to_read.push_back(f);
  }
  for (const FileEntry& entry : files_) {
    if (entry.listed != scan && !listing.Unknown(entry.path)) {
      plan.changes.push_back({FileChange::Kind::kRemoved, entry.path, {}, nullptr});
    }
  }
  return plan;
}

ArticleIndex::Result ArticleIndex::Apply(std::vector<FileChange> changes, Problems* problems) {
  auto rank = [](FileChange::Kind k) {
    return k == FileChange::Kind::kRemoved ? 0 : k == FileChange::Kind::kUnchanged ? 1 : 2;
  };
  // Order by kind, then path. Callers pass each kind in path order (a
  // listing is sorted), so this sorts pointers, not the (large) changes.
  std::vector<FileChange*> order;
  order.reserve(changes.size());
  for (FileChange& c : changes) order.push_back(&c);
  std::stable_sort(order.begin(), order.end(), [&](const FileChange* a, const FileChange* b) {
    return rank(a->kind) < rank(b->kind);
  });
  auto by_path = [](const FileChange* a, const FileChange* b) { return a->path < b->path; };
  const auto parsed = std::find_if(order.begin(), order.end(),
                                   [&](const FileChange* c) { return rank(c->kind) == 2; });
  if (!std::is_sorted(parsed, order.end(), by_path)) std::sort(parsed, order.end(), by_path);

  Result result;
  for (FileChange* c : order) {
    FileChange& change = *c;
    // Restored records still absent now may match a renamed file.
    if (rank(change.kind) == 2) HashAbsent();
    switch (change.kind) {
      case FileChange::Kind::kRemoved:
        Remove(change, &result);
        break;
      case FileChange::Kind::kUnchanged:
        Reclaim(change, &result);
        break;
      case FileChange::Kind::kParsed:
        Place(std::move(change), &result, problems);
        break;
      case FileChange::Kind::kFailed:
        Fail(change, &result, problems);
        break;
    }
  }
  HashAbsent();
  ResolveSlugs(&result, problems);
  return result;
}

namespace {

// The slug |record| asks for now; none when it needs none of feedd's: absent,
// a draft, or its own link.
std::optional<std::string> ClaimOf(const IndexRecord& record) {
  if (!record.present || !record.article) return std::nullopt;
  const Article& a = *record.article;
  if (a.draft || !a.link.empty()) return std::nullopt;
  return RequestedSlug(a);
}

}  // namespace

void ArticleIndex::SetPageSlug(IndexRecord* record, std::string page_slug, Result* result) {
  Article& a = *record->article;
  if (a.page_slug == page_slug) return;
  if (!a.page_slug.empty()) {
    auto held = suffixed_.find(a.page_slug);
    if (held != suffixed_.end() && held->second == record) suffixed_.erase(held);
  }
  a.page_slug = std::move(page_slug);
  if (!a.page_slug.empty()) suffixed_[a.page_slug] = record;
  ++record->revision;
  result->touched.push_back(record);
}

void ArticleIndex::ResolveSlugs(Result* result, Problems* problems) {
  std::set<std::string> work;  // in order, so the outcome does not hang on addresses
  const std::size_t touched = result->touched.size();
  for (std::size_t i = 0; i < touched; ++i) {
    IndexRecord* record = FindMutable(result->touched[i]->id);
    const std::optional<std::string> claim = ClaimOf(*record);
    auto old = claim_of_.find(record);
    if (old != claim_of_.end() && (!claim || *claim != old->second)) {
      auto it = claimants_.find(old->second);
      if (it != claimants_.end()) {
        std::erase(it->second, record);
        if (it->second.empty()) claimants_.erase(it);
      }
      work.insert(old->second);
      claim_of_.erase(old);
    }
    if (!claim) {
      // Out of the contest: whatever suffixed slug it held is free again.
      if (record->article && !record->article->page_slug.empty()) {
        auto held = suffixed_.find(record->article->page_slug);
        if (held != suffixed_.end() && held->second == record) suffixed_.erase(held);
        record->article->page_slug.clear();
      }
      continue;
    }
    auto [it, inserted] = claim_of_.try_emplace(record, *claim);
    if (inserted) claimants_[*claim].push_back(record);
    work.insert(*claim);  // its date may have changed, and with it the owner
  }
  std::set<std::string> done;
  while (!work.empty()) {
    const std::string slug = *work.begin();
    work.erase(work.begin());
    if (done.insert(slug).second) DecideSlug(slug, &work, result, problems);
  }
  if (result->touched.size() > touched) {  // moved slugs: each record once
    std::unordered_set<const IndexRecord*> seen;
    std::erase_if(result->touched, [&](const IndexRecord* r) { return !seen.insert(r).second; });
  }
}

void ArticleIndex::DecideSlug(const std::string& slug, std::set<std::string>* work, Result* result,
                              Problems* problems) {
  // A suffixed slug given out earlier that an article now asks for: its
  // holder must give it up.
  if (auto held = suffixed_.find(slug); held != suffixed_.end() && claimants_.count(slug)) {
    work->insert(claim_of_.at(held->second));
  }
  auto it = claimants_.find(slug);
  if (it == claimants_.end()) return;
  std::vector<IndexRecord*> line = it->second;
  std::sort(line.begin(), line.end(), [&](const IndexRecord* a, const IndexRecord* b) {
    const bool a_own = a->id == slug;
    const bool b_own = b->id == slug;
    if (a_own != b_own) return a_own;
    if (a->article->published != b->article->published) {
      return a->article->published < b->article->published;
    }
    return a->id < b->id;
  });
  SetPageSlug(line.front(), "", result);
  for (std::size_t i = 1; i < line.size(); ++i) {
    IndexRecord* record = line[i];
    const std::string& current = record->article->page_slug;
    auto free = [&](const std::string& candidate) {
      if (claimants_.count(candidate)) return false;
      auto held = suffixed_.find(candidate);
      return held == suffixed_.end() || held->second == record;
    };
    const std::string id_part = Slugify(record->id);
    const std::string base = id_part.empty() ? slug : slug + "-" + id_part;
    // Given this one before and still free: it stays, and so do its links.
    if ((current == base || current.starts_with(base + "-")) && free(current)) continue;
    std::string candidate = base;
    for (int n = 2; candidate == slug || !free(candidate); ++n) {
      candidate = base + "-" + std::to_string(n);
    }
    SetPageSlug(record, candidate, result);
    problems->push_back({record->path, 0, Severity::kWarning,
                         "slug '" + slug + "' is already used by " + line.front()->path +
                             "; this article's page is " + Route::ArticlePage(candidate).path()});
  }
}

void ArticleIndex::HashAbsent() {
  if (!restored_unhashed_) return;
  absent_by_hash_.clear();
  for (IndexRecord& r : records_) {
    if (!r.present && r.hash != 0) absent_by_hash_.emplace(r.hash, &r);
  }
  restored_unhashed_ = false;
}

void ArticleIndex::MakeAbsent(IndexRecord* record, Result* result) {
  record->present = false;
  record->stamp = {};
  ++record->revision;
  if (record->hash != 0) absent_by_hash_.emplace(record->hash, record);
  result->touched.push_back(record);
  result->to_store.push_back(record);
}

void ArticleIndex::Remove(const FileChange& change, Result* result) {
  auto it = files_.find(std::string_view(change.path));
  if (it == files_.end()) return;
  IndexRecord* record = it->record;
  files_.erase(it);
  if (record && record->present && record->path == change.path) MakeAbsent(record, result);
}

void ArticleIndex::ForgetAbsent(IndexRecord* record) {
  if (restored_unhashed_) return;  // HashAbsent() will see it is present
  auto [first, last] = absent_by_hash_.equal_range(record->hash);
  for (auto it = first; it != last; ++it) {
    if (it->second == record) {
      absent_by_hash_.erase(it);
      return;
    }
  }
}

void ArticleIndex::Reclaim(const FileChange& change, Result* result) {
  IndexRecord* record = by_path_.at(change.path);
  ForgetAbsent(record);
  record->present = true;
  ++record->revision;
  const FileEntry& entry = FileAt(change.path);
  entry.stamp = change.stamp;
  entry.record = record;
  result->touched.push_back(record);
}

std::string ArticleIndex::ResolveId(const std::string& path, const Article& article,
                                    std::uint64_t hash, Problems* problems) const {
  std::string id;
  if (!article.explicit_id.empty()) {
    id = article.explicit_id;
  } else if (auto it = by_path_.find(path); it != by_path_.end()) {
    id = it->second->id;  // the article last seen here
  } else {
    const std::string stem = IdFromFileName(path);
    const IndexRecord* owner = Find(stem);
    if (owner && owner->present && owner->path != path) {
      id = QualifiedId(path, stem);
      problems->push_back(
          {path, 0, Severity::kWarning,
           "id '" + stem + "' belongs to " + owner->path + "; this file gets '" + id + "'"});
    } else if (owner) {
      id = stem;  // the same article, moved here
    } else {
      id = stem;
      // Renamed while nobody watched: the same content under a vanished path.
      const IndexRecord* best = nullptr;
      auto [first, last] = absent_by_hash_.equal_range(hash);
      for (auto it = first; it != last; ++it) {
        if (!it->second->present && (!best || it->second->id < best->id)) best = it->second;
      }
      if (best) id = best->id;
    }
  }
  const IndexRecord* holder = Find(id);
  if (holder && holder->present && holder->path != path) {
    const std::string qualified = QualifiedId(path, id);
    problems->push_back({path, 0, Severity::kWarning,
                         "id '" + id + "' is already used by " + holder->path +
                             "; this file gets '" + qualified + "'"});
    id = qualified;
  }
  return id;
}

void ArticleIndex::Place(FileChange change, Result* result, Problems* problems) {
  Article& article = *change.article;
  const std::string& path = change.path;
  const std::uint64_t hash = ContentHash(article);
  const std::string id = ResolveId(path, article, hash, problems);
  IndexRecord* record = FindMutable(id);
  if (record && record->present && record->path != path) {
    // Even the path-qualified id is in use: publishing would break a
    // reader's promise that ids never repeat.
    problems->push_back({path, 0, Severity::kError,
                         "id '" + id + "' is already used by " + record->path +
                             "; rename the file or set 'id' in its front matter"});
    Fail(change, result, problems);
    return;
  }
  const FileEntry& entry = FileAt(path);
  if (entry.record && entry.record != record && entry.record->present &&
      entry.record->path == path) {
    MakeAbsent(entry.record, result);  // this file now holds another article
  }
  const bool is_new = !record;
  if (is_new) record = Create(id);

  const bool was_present = record->present;
  const std::uint64_t old_hash = record->hash;
  const std::string old_path = record->path;
  if (is_new) {
    record->first_seen = change.stamp.mtime();
    record->changed = 0;
  } else if (old_hash != 0 && old_hash != hash) {
    record->changed = std::max(change.stamp.mtime(), record->changed);
  }
  if (!was_present) ForgetAbsent(record);
  SetPath(record, path);
  record->hash = hash;
  record->stamp = change.stamp;
  record->present = true;

  article.id = id;
  article.source_path.clear();  // the record's path says where: one copy is enough
  // The contest decides again after the batch; until then the slug it won stays.
  if (record->article) article.page_slug = record->article->page_slug;
  article.published = article.date.value_or(record->first_seen);
  article.updated = article.lastmod.value_or(std::max(record->changed, article.published));
  const bool seen_differently = !was_present || !record->article || old_hash != hash ||
                                old_path != path ||
                                record->article->published != article.published ||
                                record->article->updated != article.updated ||
                                record->article->categories != article.categories;
  record->article = std::move(article);
  entry.stamp = change.stamp;
  entry.record = record;
  if (seen_differently) {
    ++record->revision;
    result->touched.push_back(record);
  }
  result->to_store.push_back(record);
}

void ArticleIndex::Fail(const FileChange& change, Result* result, Problems* problems) {
  const FileEntry& entry = FileAt(change.path);
  entry.stamp = change.stamp;
  if (!entry.record) {
    // At start-up, the version the state store remembered stands in.
    auto it = by_path_.find(change.path);
    if (it != by_path_.end() && !it->second->present && it->second->article) {
      IndexRecord* record = it->second;
      ForgetAbsent(record);
      entry.record = record;
      record->present = true;
      ++record->revision;
      result->touched.push_back(record);
    }
  }
  if (entry.record && entry.record->present && entry.record->path == change.path) {
    problems->push_back(
        {change.path, 0, Severity::kWarning, "the last version that parsed stays published"});
  }
}

}  // namespace feedd
