#include "feeds/article.h"

#include <xxhash.h>

#include <cstdio>

#include "feeds/article_json.h"

namespace feedd {

std::string ContentHash(const Article& article) {
  Article visible = article;
  // A move is not a content change.
  visible.source_path.clear();
  if (visible.categories_from_folder) visible.categories.clear();
  visible.categories_from_folder = false;
  const std::string canonical = ArticleToJson(visible);
  const XXH64_hash_t h = XXH3_64bits(canonical.data(), canonical.size());
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

const std::string& EffectiveSlug(const Article& article) {
  return article.slug.empty() ? article.id : article.slug;
}

}  // namespace feedd
