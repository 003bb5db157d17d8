#include "feeds/document.h"

#include <xxhash.h>
#include <zlib.h>

#include <cstdio>
#include <stdexcept>

namespace feedd {
namespace {

std::string QuotedHash(const std::string& bytes, const char* suffix) {
  const XXH128_hash_t h = XXH3_128bits(bytes.data(), bytes.size());
  char hex[40];
  std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(h.high64),
                static_cast<unsigned long long>(h.low64));
  return std::string("\"") + hex + suffix + "\"";
}

}  // namespace

std::string GzipCompress(const std::string& data) {
  z_stream z{};
  // 15 window bits + 16: a gzip wrapper with a zeroed header (no mtime).
  if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("zlib: deflateInit2 failed");
  }
  std::string out(deflateBound(&z, data.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("zlib: deflate did not finish");
  return out;
}

DocumentPtr MakeDocument(std::string content_type, std::string body, UnixTime last_modified,
                         std::string self_url) {
  auto doc = std::make_shared<Document>();
  doc->content_type = std::move(content_type);
  doc->gzip_body = GzipCompress(body);
  doc->body = std::move(body);
  doc->etag = QuotedHash(doc->body, "");
  doc->gzip_etag = QuotedHash(doc->body, "-gz");
  doc->last_modified = last_modified;
  doc->self_url = std::move(self_url);
  return doc;
}

}  // namespace feedd
