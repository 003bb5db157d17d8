// feeds/publish/document.h
//
// A Document is one rendered, servable resource: its bytes, the same bytes
// gzip-compressed once at render time, a strong ETag for each of the two
// representations (both derived from the body's bytes, so replicas agree
// even when their libdeflate versions compress differently), its
// Last-Modified time (from content, never the clock) and its media type.
// Documents are immutable once made and shared as shared_ptr<const Document>,
// so any number of threads may read one while a newer one replaces it.

#ifndef FEEDD_FEEDS_PUBLISH_DOCUMENT_H_
#define FEEDD_FEEDS_PUBLISH_DOCUMENT_H_

#include <memory>
#include <string>
#include <vector>

#include "feeds/core/unix_time.h"

namespace feedd {

struct Document {
  std::string content_type;  ///< with charset where it is text
  std::string body;
  std::string gzip_body;
  std::string etag;       ///< quoted strong ETag of body
  std::string gzip_etag;  ///< quoted strong ETag of the gzip representation; differs from etag
  UnixTime last_modified = 0;
  std::string self_url;  ///< the document's public URL, for a Link rel="self" header; may be empty
  std::vector<std::string> hub_urls;  ///< WebSub hubs, for Link rel="hub" headers (feeds only)
  /// Cache-Control max-age in seconds; -1: the server's (server.max_age).
  int max_age = -1;
  /// Cache-Control immutable: the bytes are not expected to change (a closed archive).
  bool immutable = false;
  /// Its surrogate keys, space-separated (feeds/publish/surrogate_keys.h):
  /// doc:<path>, feed:<key> of each feed it belongs to, article:<id> of each
  /// article it shows. Made once, with the document; empty for a document
  /// made without them (tests).
  std::string keys;
};

using DocumentPtr = std::shared_ptr<const Document>;

/// The strong ETag MakeDocument() gives |body| (quoted).
std::string EtagOf(const std::string& body);

/// Compresses |body| and derives both ETags. Without |compress| (images,
/// compressed already) there is no gzip representation: gzip_body and
/// gzip_etag stay empty and the body is always sent as it is.
DocumentPtr MakeDocument(std::string content_type, std::string body, UnixTime last_modified,
                         std::string self_url = "", std::vector<std::string> hub_urls = {},
                         int max_age = -1, bool immutable = false, bool compress = true,
                         std::string keys = "");

/// libdeflate's compression level for documents. On 300 KB feeds, 6 measured
/// 3.5 to 5 times as fast as zlib's best, for output 4-7% larger
/// (bench/RESULTS.md): a change is published that much sooner.
inline constexpr int kGzipLevel = 6;

/// gzip (RFC 1952) of |data| (libdeflate at kGzipLevel), with no name and no
/// timestamp in the header, so the same input gives the same bytes.
/// Thread-safe.
std::string GzipCompress(const std::string& data);

}  // namespace feedd

#endif  // FEEDD_FEEDS_PUBLISH_DOCUMENT_H_
