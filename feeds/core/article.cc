#include "feeds/core/article.h"

#define XXH_STATIC_LINKING_ONLY  // XXH3_state_t on the stack
#include <xxhash.h>

namespace feedd {
namespace {

// Feeds fields into one XXH3 state, each with its length, so that no two
// different field lists hash the same stream.
class Hasher {
 public:
  Hasher() { XXH3_64bits_reset(&state_); }
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;

  void Add(std::string_view s) {
    Add(static_cast<std::uint64_t>(s.size()));
    XXH3_64bits_update(&state_, s.data(), s.size());
  }
  void Add(std::uint64_t v) { XXH3_64bits_update(&state_, &v, sizeof v); }
  void Add(const std::vector<std::string>& list) {
    Add(static_cast<std::uint64_t>(list.size()));
    for (const std::string& s : list) Add(s);
  }
  void Add(const std::optional<UnixTime>& t) {
    Add(static_cast<std::uint64_t>(t.has_value()));
    Add(static_cast<std::uint64_t>(t.value_or(0)));
  }
  /// Each of |fields| in turn, in the order given.
  template <class... Fields>
  void AddAll(const Fields&... fields) {
    (Add(fields), ...);
  }
  std::uint64_t Digest() { return XXH3_64bits_digest(&state_); }

 private:
  XXH3_state_t state_;
};

}  // namespace

std::uint64_t ContentHash(const Article& a) {
  Hasher h;
  // A move is not a content change: folder categories follow the path. The
  // summary is the lead paragraph (already in body_hash) unless the front
  // matter sets one; only the front matter's is read at every depth.
  h.AddAll(a.explicit_id, a.title, a.authors, a.author_role, a.image_url, a.image_credit,
           a.categories_from_folder ? std::vector<std::string>() : a.categories, a.tags, a.language,
           a.slug, a.link, a.date, a.lastmod, static_cast<std::uint64_t>(a.draft), a.body_hash,
           a.summary_from_front_matter ? a.summary : std::string());
  const std::uint64_t digest = h.Digest();
  return digest == 0 ? 1 : digest;
}

const std::string& EffectiveSlug(const Article& article) {
  if (!article.page_slug.empty()) return article.page_slug;
  return RequestedSlug(article);
}

const std::string& RequestedSlug(const Article& article) {
  return article.slug.empty() ? article.id : article.slug;
}

}  // namespace feedd
