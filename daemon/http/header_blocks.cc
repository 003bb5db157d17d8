#include "daemon/http/header_blocks.h"

#include <algorithm>
#include <mutex>
#include <string_view>

#include "feeds/core/dates.h"
#include "feeds/core/media_types.h"

namespace feedd::http {
namespace {

constexpr const char* kServer = "feedd";

// The document's keys on lines of at most kMaxKeyLineBytes, split between
// keys.
void AppendKeyLines(const std::string& header, const std::string& keys, std::string* h) {
  std::string_view rest = keys;
  while (!rest.empty()) {
    std::size_t n = rest.size();
    if (n > kMaxKeyLineBytes) {
      n = rest.rfind(' ', kMaxKeyLineBytes);
      if (n == std::string_view::npos || n == 0) n = rest.find(' ');  // one key longer than a line
      if (n == std::string_view::npos) n = rest.size();
    }
    *h += header + ": ";
    h->append(rest.substr(0, n));
    *h += "\r\n";
    rest.remove_prefix(std::min(rest.size(), n + 1));
  }
}

std::string CacheControl(const Document& doc, const CacheHeaders& cache) {
  std::string v =
      "public, max-age=" + std::to_string(doc.max_age >= 0 ? doc.max_age : cache.max_age);
  if (doc.immutable) v += ", immutable";
  if (cache.stale_while_revalidate > 0) {
    v += ", stale-while-revalidate=" + std::to_string(cache.stale_while_revalidate);
  }
  if (cache.stale_if_error > 0) v += ", stale-if-error=" + std::to_string(cache.stale_if_error);
  return v;
}

}  // namespace

// RSS and Atom: browsers show them as text under their own media types.
bool XmlFeed(const Document& doc) {
  return doc.content_type.starts_with("application/rss+xml") ||
         doc.content_type.starts_with("application/atom+xml");
}

std::string BrowserEtag(const std::string& etag) {
  return etag.empty() ? etag : etag.substr(0, etag.size() - 1) + "-xml\"";
}

std::string HeaderBlock(const Document& doc, bool gzip, bool not_modified,
                        const CacheHeaders& cache, UnixTime last_modified, bool browser) {
  std::string h = not_modified ? "HTTP/1.1 304 Not Modified\r\n" : "HTTP/1.1 200 OK\r\n";
  h += std::string("Server: ") + kServer + "\r\n";
  const std::string& etag = gzip ? doc.gzip_etag : doc.etag;
  h += "ETag: " + (browser ? BrowserEtag(etag) : etag) + "\r\n";
  h += "Last-Modified: " + FormatHttpDate(last_modified) + "\r\n";
  h += "Cache-Control: " + CacheControl(doc, cache) + "\r\n";
  h += XmlFeed(doc) ? "Vary: Accept-Encoding, Accept\r\n" : "Vary: Accept-Encoding\r\n";
  for (const std::string& hub : doc.hub_urls) h += "Link: <" + hub + ">; rel=\"hub\"\r\n";
  if (!doc.self_url.empty()) h += "Link: <" + doc.self_url + ">; rel=\"self\"\r\n";
  if (!cache.key_header.empty()) AppendKeyLines(cache.key_header, doc.keys, &h);
  if (!not_modified) {
    h +=
        "Content-Type: " + (browser ? "application/xml; charset=utf-8" : doc.content_type) + "\r\n";
    if (doc.content_type.starts_with("text/html") ||
        doc.content_type.starts_with("image/svg+xml")) {
      // Pages carry article bodies, whose Markdown may hold raw HTML: no
      // script runs, nothing loads but images, media and the inline style.
      h += "Content-Security-Policy: " + std::string(kPageContentSecurityPolicy) + "\r\n";
      h += "X-Content-Type-Options: nosniff\r\n";
    }
    if (gzip) h += "Content-Encoding: gzip\r\n";
    h +=
        "Content-Length: " + std::to_string(gzip ? doc.gzip_body.size() : doc.body.size()) + "\r\n";
  }
  return h;
}

std::shared_ptr<const HeaderBlocks> HeaderBlockCache::Get(const DocumentPtr& doc,
                                                          const CacheHeaders& cache) {
  {
    std::shared_lock<std::shared_mutex> lock(mu_);
    auto it = entries_.find(doc.get());
    if (it != entries_.end() && !it->second.doc.expired() && it->second.blocks->cache == cache) {
      return it->second.blocks;
    }
  }
  auto blocks = std::make_shared<HeaderBlocks>();
  blocks->cache = cache;
  const bool xml_feed = XmlFeed(*doc);
  for (int gzip = 0; gzip < 2; ++gzip) {
    blocks->ok[gzip] = HeaderBlock(*doc, gzip, false, cache, doc->last_modified);
    blocks->not_modified[gzip] = HeaderBlock(*doc, gzip, true, cache, doc->last_modified);
    if (!xml_feed) continue;
    blocks->browser_etag[gzip] = BrowserEtag(gzip ? doc->gzip_etag : doc->etag);
    blocks->browser_ok[gzip] = HeaderBlock(*doc, gzip, false, cache, doc->last_modified, true);
    blocks->browser_not_modified[gzip] =
        HeaderBlock(*doc, gzip, true, cache, doc->last_modified, true);
  }
  std::unique_lock<std::shared_mutex> lock(mu_);
  if (entries_.size() >= prune_at_) {
    std::erase_if(entries_, [](const auto& e) { return e.second.doc.expired(); });
    prune_at_ = std::max<std::size_t>(1024, 2 * entries_.size());
  }
  entries_[doc.get()] = Entry{doc, blocks};
  return blocks;
}

std::size_t HeaderBlockCache::size() const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  return entries_.size();
}

}  // namespace feedd::http
