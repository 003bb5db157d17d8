// libFuzzer target: raw bytes as an HTTP/1.1 request, through Beast's parser
// with feedd's limits and then feedd's request handling against a small
// snapshot. Every request gets a reply; none crashes.

#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>

#include "daemon/http/router.h"
#include "tests/testing/article_builder.h"

namespace {

feedd::SnapshotPtr TheSnapshot() {
  static feedd::testing::TestSite* site = [] {
    auto* s = new feedd::testing::TestSite();
    s->Put(feedd::testing::MakeArticle("a", 1772323200, {"World"}));
    s->Put(feedd::testing::MakeArticle("b", 1772323100, {"Культура"}));
    return s;
  }();
  static const feedd::SnapshotPtr snapshot = site->Publish(1772400000).snapshot;
  return snapshot;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace http = boost::beast::http;
  http::request_parser<http::string_body> parser;
  parser.header_limit(8192);
  parser.body_limit(1024);
  parser.eager(true);
  boost::beast::error_code ec;
  std::size_t used = 0;
  while (used < size && !parser.is_done()) {
    const std::size_t n = parser.put(boost::asio::buffer(data + used, size - used), ec);
    if (ec == http::error::need_more) break;
    if (ec) {
      feedd::http::ErrorReply(http::status::bad_request, 11, ec.message(), 1772400000);
      return 0;
    }
    if (n == 0) break;
    used += n;
  }
  if (!parser.is_header_done()) return 0;
  feedd::http::Route(parser.get(), TheSnapshot(), feedd::http::RouterOptions{}, 1772400000);
  feedd::http::Route(parser.get(), nullptr, feedd::http::RouterOptions{}, 1772400000);
  return 0;
}
