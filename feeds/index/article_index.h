// feeds/index/article_index.h
//
// The index of every article feedd has seen, kept in memory and changed one
// file at a time. It applies the identity and date rules (docs/identity.md):
//  - id: front matter id/guid, else the file name without extension; a name
//    another present file holds gets a path-qualified id and a warning; an id
//    once given never moves to another article;
//  - published: front matter date, else the moment first seen (the file's
//    mtime then), never changed afterwards;
//  - updated: front matter lastmod, else the moment the content last changed
//    (a touch, or a new view count, changes nothing);
//  - a moved or renamed file with the same content keeps its id and dates;
//  - a file that stops parsing keeps its last good version published;
//  - slug: every present article (not a draft, without its own link) gets a
//    slug no other one has. A slug several ask for (front matter slug, else
//    the id) goes to the one whose id it is, else to the one published
//    first (tie: the smaller id); each other one gets "<slug>-<id>" (the id
//    slugified, then "-2", "-3", ... until no article has or asks for it)
//    in Article::page_slug, and a warning. The contest is decided again
//    whenever a claimant comes, goes or changes: when the owner is deleted
//    the next one in line takes the plain slug, so every link an item shows
//    names a page that is served.
//
// For every id ever given out it keeps an IndexRecord; for every article
// present now, its metadata (no summary, no body). A batch of changes costs
// what it touches: nothing here walks every article. The state store
// persists the records (daemon/state/state_store.h) so a restart re-reads only
// files that changed meanwhile.
//
// Thread safety: not thread-safe; one caller at a time. Pointers to records
// stay valid for the index's lifetime (records are never erased).

#ifndef FEEDD_FEEDS_INDEX_ARTICLE_INDEX_H_
#define FEEDD_FEEDS_INDEX_ARTICLE_INDEX_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "feeds/core/article.h"
#include "feeds/core/problem.h"
#include "feeds/input/article_tree.h"
#include "feeds/input/file_stamp.h"

namespace feedd {

struct IndexRecord {
  std::string id;
  std::string path;                ///< where the article was last seen
  std::uint64_t hash = 0;          ///< ContentHash() of the last good version; 0: not known yet
  UnixTime first_seen = 0;         ///< never changes once written
  UnixTime changed = 0;            ///< when the content last changed; 0: never since first seen
  FileStamp stamp;                 ///< of the file |article| was read from; empty once deleted
  bool present = false;            ///< a file at |path| holds this article now: it is published
  std::uint64_t revision = 0;      ///< bumped whenever what a reader sees may change
  std::optional<Article> article;  ///< the last good metadata, id and dates assigned
};

/// One file's news, for ArticleIndex::Apply().
struct FileChange {
  enum class Kind {
    kRemoved,    ///< the file is gone
    kParsed,     ///< read and parsed: |article| (kMetadata depth is enough)
    kFailed,     ///< read or parsed with an error (reported by the parser)
    kUnchanged,  ///< a stored record's file, unchanged since: see Reclaimable()
  };
  Kind kind;
  std::string path;
  FileStamp stamp;
  std::unique_ptr<Article> article;  ///< kParsed only (held apart: a batch can be large)
};

class ArticleIndex {
 public:
  ArticleIndex() = default;
  ArticleIndex(const ArticleIndex&) = delete;
  ArticleIndex& operator=(const ArticleIndex&) = delete;

  /// Makes room for |records| records (before restoring that many).
  void Reserve(std::size_t records);

  /// Adds a record the state store remembered, as absent. Call before the
  /// first Apply(). Records restored with an unknown hash (0) adopt the hash
  /// of their first parse without counting it as a change.
  void Restore(IndexRecord record);

  /// True when the file at |path| is the one the index last read there, by
  /// size, mtime and inode: it need not be read again.
  bool Unchanged(const std::string& path, const FileStamp& stamp) const;

  /// What a full listing means for the index: files gone (except under
  /// folders the listing could not read), and files to read because they
  /// are new or their stamp changed. With |reclaim|, a file whose stamp
  /// equals the one a restored record was read with is not read: a
  /// FileChange::kUnchanged stands for it.
  struct Plan {
    std::vector<FileChange> changes;
    std::vector<ArticleFile> to_read;  ///< in path order
  };
  Plan PlanScan(const Listing& listing, bool reclaim);

  struct Result {
    /// Records whose published state or content changed: the feeds must
    /// look at them again.
    std::vector<const IndexRecord*> touched;
    /// Records whose stored fields changed: the state store must write them.
    std::vector<const IndexRecord*> to_store;
  };

  /// Applies one batch: removals first, then unchanged reclaims, then the
  /// rest in path order (so on a first scan the path that sorts first keeps
  /// a contested name). Id conflicts, contested slugs and kept last good
  /// versions are warnings in |problems|. A record whose slug the contest
  /// moved is in |touched| with a new revision.
  Result Apply(std::vector<FileChange> changes, Problems* problems);

  /// One article file present now, parsed or not.
  struct FileEntry {
    std::string path;
    // Not part of the set's key:
    mutable FileStamp stamp;
    mutable IndexRecord* record = nullptr;  ///< the article it holds; null if it never parsed
    mutable std::uint64_t listed = 0;       ///< the last PlanScan() that saw it
  };
  struct PathHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view p) const { return std::hash<std::string_view>()(p); }
    std::size_t operator()(const FileEntry& e) const { return (*this)(e.path); }
  };
  struct PathEq {
    using is_transparent = void;
    static std::string_view Of(std::string_view p) { return p; }
    static std::string_view Of(const FileEntry& e) { return e.path; }
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return Of(a) == Of(b);
    }
  };
  using Files = std::unordered_set<FileEntry, PathHash, PathEq>;

  /// The article files present now.
  const Files& files() const { return files_; }
  /// nullptr when no article file is at |path|.
  const FileEntry* FindFile(std::string_view path) const;

  /// nullptr when no article ever had |id|.
  const IndexRecord* Find(std::string_view id) const;
  std::size_t records() const { return records_.size(); }

 private:
  IndexRecord* FindMutable(std::string_view id) const;
  IndexRecord* Create(const std::string& id);
  std::string ResolveId(const std::string& path, const Article& article, std::uint64_t hash,
                        Problems* problems) const;
  void SetPath(IndexRecord* record, const std::string& path);
  void MakeAbsent(IndexRecord* record, Result* result);
  void ForgetAbsent(IndexRecord* record);
  void HashAbsent();
  void Remove(const FileChange& change, Result* result);
  void Reclaim(const FileChange& change, Result* result);
  void Place(FileChange change, Result* result, Problems* problems);
  void Fail(const FileChange& change, Result* result, Problems* problems);
  /// Decides again the slugs |result|'s touched records ask for or held.
  void ResolveSlugs(Result* result, Problems* problems);
  /// Gives the slug |slug| to its claimants by the owner rule.
  void DecideSlug(const std::string& slug, std::set<std::string>* work, Result* result,
                  Problems* problems);
  void SetPageSlug(IndexRecord* record, std::string page_slug, Result* result);

  std::deque<IndexRecord> records_;                                      // stable addresses
  std::unordered_map<std::string_view, IndexRecord*> by_id_;             // keys view record->id
  std::unordered_map<std::string_view, IndexRecord*> by_path_;           // keys view record->path
  std::unordered_multimap<std::uint64_t, IndexRecord*> absent_by_hash_;  // rename matching
  bool restored_unhashed_ = false;  // restored records are not in absent_by_hash_ yet
  const FileEntry& FileAt(const std::string& path);  // added when missing
  Files files_;
  std::uint64_t scans_ = 0;
  // Slugs: what each present article asks for, who asks for each, and who
  // holds each suffixed slug given out.
  std::unordered_map<const IndexRecord*, std::string> claim_of_;
  std::unordered_map<std::string, std::vector<IndexRecord*>> claimants_;
  std::unordered_map<std::string, IndexRecord*> suffixed_;
};

/// The id a file at |rel_path| gets when |taken|, its own file-name id, is
/// another present file's: PathQualifiedId(rel_path), or the whole path when
/// that is |taken| too ("story.md" beside "story.txt").
std::string QualifiedId(const std::string& rel_path, const std::string& taken);

/// "world/000_x.txt" -> "000_x".
std::string IdFromFileName(const std::string& rel_path);
/// "world/000_x.txt" -> "world/000_x".
std::string PathQualifiedId(const std::string& rel_path);

}  // namespace feedd

#endif  // FEEDD_FEEDS_INDEX_ARTICLE_INDEX_H_
