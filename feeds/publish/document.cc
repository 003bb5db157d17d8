#include "feeds/publish/document.h"

#include <libdeflate.h>
#include <xxhash.h>

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
  // One compressor per thread: they are not shareable, and costly to make.
  struct Compressor {
    libdeflate_compressor* c = libdeflate_alloc_compressor(kGzipLevel);
    ~Compressor() { libdeflate_free_compressor(c); }
  };
  thread_local Compressor compressor;
  if (!compressor.c) throw std::runtime_error("libdeflate: cannot allocate a compressor");
  std::string out(libdeflate_gzip_compress_bound(compressor.c, data.size()), '\0');
  const std::size_t n =
      libdeflate_gzip_compress(compressor.c, data.data(), data.size(), out.data(), out.size());
  if (n == 0) throw std::runtime_error("libdeflate: gzip output did not fit its bound");
  out.resize(n);
  return out;
}

std::string EtagOf(const std::string& body) { return QuotedHash(body, ""); }

DocumentPtr MakeDocument(std::string content_type, std::string body, UnixTime last_modified,
                         std::string self_url, std::vector<std::string> hub_urls, int max_age,
                         bool immutable, bool compress, std::string keys) {
  auto doc = std::make_shared<Document>();
  doc->content_type = std::move(content_type);
  if (compress) doc->gzip_body = GzipCompress(body);
  doc->body = std::move(body);
  doc->etag = QuotedHash(doc->body, "");
  if (compress) doc->gzip_etag = QuotedHash(doc->body, "-gz");
  doc->last_modified = last_modified;
  doc->self_url = std::move(self_url);
  doc->hub_urls = std::move(hub_urls);
  doc->max_age = max_age;
  doc->immutable = immutable;
  doc->keys = std::move(keys);
  return doc;
}

}  // namespace feedd
