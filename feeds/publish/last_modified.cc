#include "feeds/publish/last_modified.h"

#include <xxhash.h>

#include <algorithm>
#include <cstdio>

namespace feedd {
namespace {

void Add(XXH3_state_t* state, std::string_view text) {
  XXH3_64bits_update(state, text.data(), text.size());
  XXH3_64bits_update(state, "", 1);  // "ab" "c" is not "a" "bc"
}

template <typename T>
void AddValue(XXH3_state_t* state, const T& value) {
  XXH3_64bits_update(state, &value, sizeof value);
}

}  // namespace

UnixTime NextLastModified(const ServedDocument* before, std::string_view version,
                          UnixTime content) {
  if (!before) return content;
  if (before->etag == version) return std::max(content, before->last_modified);
  return std::max(content, before->last_modified + 1);
}

std::string ShownValidator(const std::vector<const IndexRecord*>& records, std::string_view extra) {
  XXH3_state_t* state = XXH3_createState();
  XXH3_64bits_reset(state);
  for (const IndexRecord* record : records) {
    Add(state, record->id);
    Add(state, record->path);
    AddValue(state, record->hash);
    if (record->article) {
      const Article& a = *record->article;
      AddValue(state, a.published);
      AddValue(state, a.updated);
      Add(state, a.page_slug);
      AddValue(state, a.categories.size());
      for (const std::string& category : a.categories) Add(state, category);
    }
  }
  Add(state, extra);
  const std::uint64_t digest = XXH3_64bits_digest(state);
  XXH3_freeState(state);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(digest));
  return std::string("s-") + hex;
}

}  // namespace feedd
