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

/// RSS and Atom, which browsers show as text under their own media types.
bool XmlFeed(const Document& doc);

/// The ETag of the application/xml representation a browser gets of an
/// RSS or Atom document: |etag| with "-xml" before the closing quote.
std::string BrowserEtag(const std::string& etag);

/// One header block, each line ending in CRLF, without the blank line.
/// |max_age| is the server's Cache-Control max-age, used when the document
/// sets none; |browser| gives RSS and Atom as application/xml.
std::string HeaderBlock(const Document& doc, bool gzip, bool not_modified, int max_age,
                        UnixTime last_modified, bool browser = false);

/// The blocks of one document, made with its own last_modified: 200 and
/// 304, identity and gzip, and for RSS and Atom the same again as a browser
/// gets them (application/xml, under their own ETag).
struct HeaderBlocks {
  int max_age = 0;              ///< the server max_age they were made with
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
  /// The blocks of |doc| for |max_age|, made on the first call for this
  /// document and this max_age. Never null. Only for a document whose
  /// last_modified is not in the future (else Last-Modified needs clamping
  /// to each request's Date).
  std::shared_ptr<const HeaderBlocks> Get(const DocumentPtr& doc, int max_age);

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
