// feeds/publish/surrogate_keys.h
//
// Surrogate keys: the names a cache in front of feedd (Varnish with xkey, a
// CDN) files each response under, so that a purge by key drops exactly the
// objects that show what changed. A document's keys name the document
// (doc:<path>), each feed it belongs to (feed:<feed key>: feed:main,
// feed:category/world) and each article it shows (article:<id>). They are
// made once per Document, when it is rendered, and kept in it as one
// string; daemon/http sends them in the [cache] key_header, daemon/push
// sends the changed documents' doc: keys to the [[purge]] endpoints.
//
// Encoding (deploy/varnish/feedd.vcl, "The purge contract"): ASCII, never a
// space or a comma; every byte of a name outside A-Z a-z 0-9 - . _ ~ / is
// %XX (uppercase hex); keys are separated by single spaces.
//
// Thread safety: pure functions.

#ifndef FEEDD_FEEDS_PUBLISH_SURROGATE_KEYS_H_
#define FEEDD_FEEDS_PUBLISH_SURROGATE_KEYS_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "feeds/render/feed_view.h"

namespace feedd {

/// The most bytes of keys one document carries: article keys past it are
/// left out (its doc: and feed: keys always stay). Varnish's limits allow
/// 24,000 bytes of xkey lines with the shipped drop-in.
inline constexpr std::size_t kMaxDocumentKeyBytes = 24000;

/// |kind| + ":" + |name| percent-encoded: SurrogateKey("article", "my story")
/// is "article:my%20story".
std::string SurrogateKey(std::string_view kind, std::string_view name);

/// "doc:" + the route path (percent-decoded, as the snapshot keys it).
inline std::string DocKey(std::string_view path) { return SurrogateKey("doc", path); }

/// The key string of the document at |path|: its doc: key, a feed: key for
/// each of |feeds| (Feed::key), then an article: key for each of
/// |article_ids|, space-separated, at most kMaxDocumentKeyBytes.
std::string DocumentKeys(std::string_view path, const std::vector<std::string>& feeds = {},
                         const std::vector<std::string_view>& article_ids = {});

/// The keys of a document of |view| (a feed, its archive or its preview)
/// at |path|: the feed and every item it shows.
std::string FeedDocumentKeys(std::string_view path, const FeedView& view);

}  // namespace feedd

#endif  // FEEDD_FEEDS_PUBLISH_SURROGATE_KEYS_H_
