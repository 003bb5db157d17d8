#include "feeds/publish/last_modified.h"

#include <algorithm>
#include <cstdio>

#include "feeds/core/fingerprint.h"

namespace feedd {
UnixTime NextLastModified(const ServedDocument* before, std::string_view version,
                          UnixTime content) {
  if (!before) return content;
  if (before->etag == version) return std::max(content, before->last_modified);
  return std::max(content, before->last_modified + 1);
}

std::string ShownValidator(const std::vector<const IndexRecord*>& records, std::string_view extra) {
  Fingerprint print;
  for (const IndexRecord* record : records) {
    print.Add(record->id).Add(record->path).Add(record->hash);
    if (record->article) {
      const Article& a = *record->article;
      print.Add(a.published).Add(a.updated).Add(a.page_slug).Add(a.categories.size());
      for (const std::string& category : a.categories) print.Add(category);
    }
  }
  print.Add(extra);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(print.Value()));
  return std::string("s-") + hex;
}

}  // namespace feedd
