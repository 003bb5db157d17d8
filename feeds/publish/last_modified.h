// feeds/publish/last_modified.h
//
// Last-Modified that never goes back, for every document: rendered ahead
// (publication.h) or on request (feeds_on_request.h, article_pages.h). A
// client that revalidates by date alone (If-Modified-Since, no ETag) must
// see every change: an article added with an older date, the newest one
// deleted. So a document's Last-Modified is its newest item's date, except
// that whenever what it shows changes it moves past the one served before,
// and it is never earlier than that one; the served history (route ->
// validator and Last-Modified) carries this across restarts and reloads.
//
// The rule takes no clock: replicas fed the same changes agree on every
// Last-Modified (docs/deployment.md).

#ifndef FEEDD_FEEDS_PUBLISH_LAST_MODIFIED_H_
#define FEEDD_FEEDS_PUBLISH_LAST_MODIFIED_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "feeds/core/unix_time.h"
#include "feeds/index/article_index.h"

namespace feedd {

/// What was served at a route: the ETag of its bytes (rendered ahead), or
/// a validator of what it shows (rendered on request, whose bytes are not
/// made ahead), and its Last-Modified.
struct ServedDocument {
  std::string etag;
  UnixTime last_modified = 0;
  bool operator==(const ServedDocument&) const = default;
};
using ServedHistory = std::map<std::string, ServedDocument, std::less<>>;

/// The Last-Modified of a document whose validator is |version| and whose
/// newest item dates to |content|, after |before| (what its route served
/// last; null: nothing): |content|, but never earlier than before, and
/// later than before when the validator differs.
UnixTime NextLastModified(const ServedDocument* before, std::string_view version, UnixTime content);

/// A validator of what |records| show (with |extra|: the title, archive
/// links), from what the records hold and not from their revisions, which
/// count anew in every process: equal after a restart when nothing changed.
std::string ShownValidator(const std::vector<const IndexRecord*>& records, std::string_view extra);

}  // namespace feedd

#endif  // FEEDD_FEEDS_PUBLISH_LAST_MODIFIED_H_
