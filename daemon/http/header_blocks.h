// daemon/http/header_blocks.h
//
// The response header blocks of a served Document: status line and every
// header but Date and Connection, for 200 and 304, identity and gzip.
// HeaderBlock() makes one; HeaderBlockCache keeps the four blocks of each
// document the server has answered from, for as long as the document
// lives, so the hot path formats no header at all. The rules for what a
// document's headers say (ETag, Cache-Control, Vary, Link, CSP) live here.
//
// Thread safety: HeaderBlock() is pure; HeaderBlockCache may be used from
// any thread.

#ifndef FEEDD_DAEMON_HTTP_HEADER_BLOCKS_H_
#define FEEDD_DAEMON_HTTP_HEADER_BLOCKS_H_

#include <cstddef>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "feeds/publish/document.h"

namespace feedd::http {

/// What a response tells the caches in front of feedd, besides its ETag and
/// Last-Modified ([server] max_age, [cache]).
struct CacheHeaders {
  int max_age = 300;               ///< used when the document sets none
  int stale_while_revalidate = 0;  ///< 0: the directive is left out
  int stale_if_error = 0;          ///< 0: the directive is left out
  /// The header that carries the document's surrogate keys; "": none.
  std::string key_header;
  bool operator==(const CacheHeaders&) const = default;
};

/// The most bytes of keys on one key header line (feedd.vcl's contract,
/// within Varnish's 8 KiB per line); more keys go on further lines.
inline constexpr std::size_t kMaxKeyLineBytes = 4000;

/// RSS and Atom, which browsers show as text under their own media types.
bool XmlFeed(const Document& doc);

/// The ETag of the application/xml representation a browser gets of an
/// RSS or Atom document: |etag| with "-xml" before the closing quote.
std::string BrowserEtag(const std::string& etag);

/// One header block, each line ending in CRLF, without the blank line.
/// |cache| says what Cache-Control and the key header say; |browser| gives
/// RSS and Atom as application/xml.
std::string HeaderBlock(const Document& doc, bool gzip, bool not_modified,
                        const CacheHeaders& cache, UnixTime last_modified, bool browser = false);

/// The blocks of one document, made with its own last_modified: 200 and
/// 304, identity and gzip, and for RSS and Atom the same again as a browser
/// gets them (application/xml, under their own ETag).
struct HeaderBlocks {
  CacheHeaders cache;           ///< what they were made with
  std::string ok[2];            ///< 200: [0] identity, [1] gzip
  std::string not_modified[2];  ///< 304: [0] identity, [1] gzip
  /// RSS and Atom only (empty otherwise): BrowserEtag() of each ETag, and
  /// the browser's 200 and 304 blocks.
  std::string browser_etag[2];
  std::string browser_ok[2];
  std::string browser_not_modified[2];

  /// The block a reply starts with.
  const std::string& Block(bool browser, bool gzip, bool is_304) const {
    if (browser) return is_304 ? browser_not_modified[gzip] : browser_ok[gzip];
    return is_304 ? not_modified[gzip] : ok[gzip];
  }
};

class HeaderBlockCache {
 public:
  /// The blocks of |doc| for |cache|, made on the first call for this
  /// document and these settings. Never null. Only for a document whose
  /// last_modified is not in the future (else Last-Modified needs clamping
  /// to each request's Date).
  std::shared_ptr<const HeaderBlocks> Get(const DocumentPtr& doc, const CacheHeaders& cache);

  /// Documents with blocks kept (live or not yet pruned); for tests.
  std::size_t size() const;

 private:
  struct Entry {
    std::weak_ptr<const Document> doc;  ///< expired: the address may be reused
    std::shared_ptr<const HeaderBlocks> blocks;
  };
  mutable std::shared_mutex mu_;
  std::unordered_map<const Document*, Entry> entries_;
  std::size_t prune_at_ = 1024;  ///< drop dead documents' entries at this size
};

}  // namespace feedd::http

#endif  // FEEDD_DAEMON_HTTP_HEADER_BLOCKS_H_
