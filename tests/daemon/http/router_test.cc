#include "daemon/http/router.h"

#include <gtest/gtest.h>

#include <sstream>

#include "daemon/http/header_blocks.h"

namespace feedd::http {
namespace {

constexpr UnixTime kNow = 1772330000;

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = std::make_shared<Snapshot>();
    doc_ = MakeDocument("application/rss+xml; charset=utf-8", "<rss>feed</rss>\n", 1772323200,
                        "https://e.org/feed.rss");
    s->routes["/feed.rss"] = doc_;
    snapshot_ = s;
  }

  Reply Get(const std::string& target,
            std::initializer_list<std::pair<beast_http::field, std::string>> headers = {},
            beast_http::verb verb = beast_http::verb::get) {
    Request req{verb, target, 11};
    req.set(beast_http::field::host, "feeds.example.org");
    for (const auto& [field, value] : headers) req.set(field, value);
    return Route(req, snapshot_, RouterOptions{}, kNow);
  }

  // What the reply puts on the wire, parsed back: raw replies and Beast
  // messages are checked the same way.
  struct Wire {
    beast_http::response<beast_http::string_body> message;
    std::string bytes;
  };
  static Wire ToWire(const Reply& r, bool head_request = false) {
    Wire w;
    if (r.raw) {
      w.bytes = std::string(r.head) + r.Tail() + std::string(r.body);
    } else {
      std::ostringstream out;
      out << r.message;
      w.bytes = out.str();
    }
    beast_http::response_parser<beast_http::string_body> parser;
    parser.eager(true);
    parser.skip(head_request);
    boost::beast::error_code ec;
    parser.put(boost::asio::buffer(w.bytes), ec);
    if (!ec && !parser.is_done()) parser.put_eof(ec);
    EXPECT_FALSE(ec) << ec.message() << "\n" << w.bytes;
    w.message = parser.release();
    return w;
  }
  static std::string Body(const Reply& r) { return ToWire(r).message.body(); }
  static std::string H(const Reply& r, beast_http::field f, bool head_request = false) {
    const Wire w = ToWire(r, head_request);
    auto it = w.message.find(f);
    return it == w.message.end() ? "(none)" : std::string(it->value());
  }
  static std::string H(const Reply& r, std::string_view name) {
    const Wire w = ToWire(r);
    auto it = w.message.find(name);
    return it == w.message.end() ? "(none)" : std::string(it->value());
  }
  static beast_http::status Status(const Reply& r, bool head_request = false) {
    return ToWire(r, head_request).message.result();
  }

  DocumentPtr doc_;
  SnapshotPtr snapshot_;
};

TEST_F(RouterTest, GetServesDocumentWithValidatorsAndCaching) {
  const Reply r = Get("/feed.rss");
  EXPECT_EQ(beast_http::status::ok, Status(r));
  EXPECT_EQ("<rss>feed</rss>\n", Body(r));
  EXPECT_EQ(doc_->etag, H(r, beast_http::field::etag));
  EXPECT_EQ("Sun, 01 Mar 2026 00:00:00 GMT", H(r, beast_http::field::last_modified));
  EXPECT_EQ("public, max-age=300", H(r, beast_http::field::cache_control));
  EXPECT_EQ("Accept-Encoding, Accept", H(r, beast_http::field::vary));
  EXPECT_EQ("application/rss+xml; charset=utf-8", H(r, beast_http::field::content_type));
  EXPECT_EQ("16", H(r, beast_http::field::content_length));
  EXPECT_EQ("<https://e.org/feed.rss>; rel=\"self\"", H(r, beast_http::field::link));
  EXPECT_NE("(none)", H(r, beast_http::field::date));
}

TEST_F(RouterTest, QueryStringIsIgnoredForRouting) {
  EXPECT_EQ(beast_http::status::ok, Status(Get("/feed.rss?cachebust=123")));
}

TEST_F(RouterTest, AbsoluteFormTargetIsAccepted) {
  EXPECT_EQ(beast_http::status::ok, Status(Get("http://feeds.example.org/feed.rss")));
}

TEST_F(RouterTest, HeadHasGetLengthAndNoBody) {
  const Reply r = Get("/feed.rss", {}, beast_http::verb::head);
  EXPECT_EQ(beast_http::status::ok, Status(r, true));
  EXPECT_EQ("16", H(r, beast_http::field::content_length, true));
  EXPECT_TRUE(r.raw);
  EXPECT_EQ(0u, r.body.size());
}

TEST_F(RouterTest, GzipIsChosenWithItsOwnEtag) {
  const Reply r = Get("/feed.rss", {{beast_http::field::accept_encoding, "gzip"}});
  EXPECT_EQ("gzip", H(r, beast_http::field::content_encoding));
  EXPECT_EQ(doc_->gzip_etag, H(r, beast_http::field::etag));
  EXPECT_NE(doc_->etag, doc_->gzip_etag);
  EXPECT_EQ(doc_->gzip_body, Body(r));
}

TEST_F(RouterTest, MatchingEtagGives304WithHeadersAndNoLength) {
  const Reply r = Get("/feed.rss", {{beast_http::field::if_none_match, doc_->etag}});
  EXPECT_EQ(beast_http::status::not_modified, Status(r));
  EXPECT_EQ(doc_->etag, H(r, beast_http::field::etag));
  EXPECT_EQ("public, max-age=300", H(r, beast_http::field::cache_control));
  EXPECT_EQ("Accept-Encoding, Accept", H(r, beast_http::field::vary));
  EXPECT_NE("(none)", H(r, beast_http::field::date));
  EXPECT_NE("(none)", H(r, beast_http::field::last_modified));
  EXPECT_EQ("(none)", H(r, beast_http::field::content_length));
  EXPECT_EQ("", Body(r));
}

TEST_F(RouterTest, IdentityEtagDoesNotMatchGzipRepresentation) {
  const Reply r = Get("/feed.rss", {{beast_http::field::if_none_match, doc_->etag},
                                    {beast_http::field::accept_encoding, "gzip"}});
  EXPECT_EQ(beast_http::status::ok, Status(r));
}

TEST_F(RouterTest, NotAcceptableCodingGives406) {
  const Reply r = Get("/feed.rss", {{beast_http::field::accept_encoding, "identity;q=0, gzip"}});
  EXPECT_EQ(beast_http::status::ok, Status(r));  // gzip is still acceptable
  const Reply refused = Get("/feed.rss", {{beast_http::field::accept_encoding, "identity;q=0"}});
  EXPECT_EQ(beast_http::status::not_acceptable, Status(refused));
  const Reply none = Get("/feed.rss", {{beast_http::field::accept_encoding, "*;q=0"}});
  EXPECT_EQ(beast_http::status::not_acceptable, Status(none));
}

TEST_F(RouterTest, UnknownPathIs404) {
  EXPECT_EQ(beast_http::status::not_found, Status(Get("/nope.xml")));
  EXPECT_EQ(beast_http::status::not_found, Status(Get("/../etc/passwd")));
}

TEST_F(RouterTest, PostGets405WithAllow) {
  const Reply r = Get("/feed.rss", {}, beast_http::verb::post);
  EXPECT_EQ(beast_http::status::method_not_allowed, Status(r));
  EXPECT_EQ("GET, HEAD, OPTIONS", H(r, beast_http::field::allow));
}

TEST_F(RouterTest, OptionsGets204WithAllow) {
  const Reply r = Get("/feed.rss", {}, beast_http::verb::options);
  EXPECT_EQ(beast_http::status::no_content, Status(r));
  EXPECT_EQ("GET, HEAD, OPTIONS", H(r, beast_http::field::allow));
}

TEST_F(RouterTest, UnknownMethodGets501) {
  Request req;
  req.method_string("BREW");
  req.target("/pot");
  req.version(11);
  req.set(beast_http::field::host, "x");
  EXPECT_EQ(beast_http::status::not_implemented,
            Status(Route(req, snapshot_, RouterOptions{}, kNow)));
}

TEST_F(RouterTest, MissingOrDuplicateHostGets400AndCloses) {
  Request missing{beast_http::verb::get, "/feed.rss", 11};
  Reply r = Route(missing, snapshot_, RouterOptions{}, kNow);
  EXPECT_EQ(beast_http::status::bad_request, Status(r));
  EXPECT_FALSE(r.keep_alive());
  Request twice{beast_http::verb::get, "/feed.rss", 11};
  twice.insert(beast_http::field::host, "a");
  twice.insert(beast_http::field::host, "b");
  EXPECT_EQ(beast_http::status::bad_request,
            Status(Route(twice, snapshot_, RouterOptions{}, kNow)));
}

TEST_F(RouterTest, Http10WithoutHostIsFine) {
  Request req{beast_http::verb::get, "/feed.rss", 10};
  const Reply r = Route(req, snapshot_, RouterOptions{}, kNow);
  EXPECT_EQ(beast_http::status::ok, Status(r));
  EXPECT_FALSE(r.keep_alive());
  Request kept{beast_http::verb::get, "/feed.rss", 10};
  kept.set(beast_http::field::connection, "keep-alive");
  const Reply k = Route(kept, snapshot_, RouterOptions{}, kNow);
  EXPECT_TRUE(k.keep_alive());
  EXPECT_EQ("keep-alive", H(k, beast_http::field::connection));
}

TEST_F(RouterTest, AnyTransferEncodingGets400AndCloses) {
  const Reply r = Get("/feed.rss", {{beast_http::field::transfer_encoding, "gzip, chunked"}});
  EXPECT_EQ(beast_http::status::bad_request, Status(r));
  EXPECT_FALSE(r.keep_alive());
}

TEST_F(RouterTest, LongTargetGets414) {
  EXPECT_EQ(beast_http::status::uri_too_long, Status(Get("/" + std::string(3000, 'a'))));
}

TEST_F(RouterTest, HealthRoutes) {
  EXPECT_EQ(beast_http::status::ok, Status(Get("/livez")));
  EXPECT_EQ(beast_http::status::ok, Status(Get("/healthz")));
  EXPECT_EQ(beast_http::status::ok, Status(Get("/readyz")));
  snapshot_ = nullptr;
  EXPECT_EQ(beast_http::status::ok, Status(Get("/livez")));
  EXPECT_EQ(beast_http::status::service_unavailable, Status(Get("/readyz")));
  EXPECT_EQ(beast_http::status::service_unavailable, Status(Get("/feed.rss")));
}

TEST_F(RouterTest, DocumentsUseThePrecomputedPathAndCloseWhenAsked) {
  HeaderBlockCache cache;
  RequestContext context;
  context.header_blocks = &cache;
  Request req{beast_http::verb::get, "/feed.rss", 11};
  req.set(beast_http::field::host, "feeds.example.org");
  req.set(beast_http::field::connection, "close");
  const Reply r = Route(req, snapshot_, RouterOptions{}, kNow, &context);
  EXPECT_TRUE(r.raw);
  EXPECT_FALSE(r.keep_alive());
  EXPECT_EQ("close", H(r, beast_http::field::connection));
  req.erase(beast_http::field::connection);
  const Reply again = Route(req, snapshot_, RouterOptions{}, kNow, &context);
  EXPECT_EQ(r.head.data(), again.head.data());  // the same bytes, made once
}

TEST_F(RouterTest, LastModifiedIsNeverAfterDate) {
  auto s = std::make_shared<Snapshot>();
  s->routes["/f"] = MakeDocument("text/plain", "x", kNow + 86400);
  snapshot_ = s;
  EXPECT_EQ(H(Get("/f"), beast_http::field::date), H(Get("/f"), beast_http::field::last_modified));
}

TEST_F(RouterTest, AChangedMaxAgeIsServedAtOnce) {
  RouterOptions options;
  HeaderBlockCache cache;
  RequestContext context;
  context.header_blocks = &cache;
  Request req{beast_http::verb::get, "/feed.rss", 11};
  req.set(beast_http::field::host, "feeds.example.org");
  EXPECT_EQ("public, max-age=300",
            H(Route(req, snapshot_, options, kNow, &context), beast_http::field::cache_control));
  options.cache.max_age = 60;  // a reload; the document's blocks were made with 300
  const Reply r = Route(req, snapshot_, options, kNow, &context);
  EXPECT_EQ("public, max-age=60", H(r, beast_http::field::cache_control));
  EXPECT_EQ(doc_->etag, H(r, beast_http::field::etag));
}

TEST_F(RouterTest, GetHeadAnd304AllCarryTheKeysAndTheStaleDirectives) {
  auto s = std::make_shared<Snapshot>();
  const DocumentPtr doc =
      MakeDocument("application/rss+xml; charset=utf-8", "<rss>feed</rss>\n", 1772323200, "", {},
                   -1, false, true, "doc:/feed.rss feed:main article:a");
  s->routes["/feed.rss"] = doc;
  RouterOptions options;
  options.cache = CacheHeaders{300, 30, 86400, "xkey"};
  HeaderBlockCache cache;
  RequestContext context;
  context.header_blocks = &cache;
  for (const beast_http::verb verb : {beast_http::verb::get, beast_http::verb::head}) {
    for (const bool conditional : {false, true}) {
      Request req{verb, "/feed.rss", 11};
      req.set(beast_http::field::host, "feeds.example.org");
      if (conditional) req.set(beast_http::field::if_none_match, doc->etag);
      const Reply r = Route(req, s, options, kNow, &context);
      EXPECT_EQ(conditional ? 304u : 200u, r.status());
      const Wire w = ToWire(r, verb == beast_http::verb::head);
      EXPECT_EQ("doc:/feed.rss feed:main article:a", w.message["xkey"]);
      EXPECT_EQ("public, max-age=300, stale-while-revalidate=30, stale-if-error=86400",
                w.message[beast_http::field::cache_control]);
    }
  }
}

TEST_F(RouterTest, RepliesNameTheirRouteClassAndStatus) {
  EXPECT_EQ("feed", Get("/feed.rss").route);
  EXPECT_EQ(200u, Get("/feed.rss").status());
  EXPECT_EQ(304u, Get("/feed.rss", {{beast_http::field::if_none_match, doc_->etag}}).status());
  EXPECT_EQ("health", Get("/livez").route);
  EXPECT_EQ("other", Get("/missing").route);
  EXPECT_EQ(404u, Get("/missing").status());
  EXPECT_EQ("other", Get("/feed.rss", {}, beast_http::verb::post).route);
  Request bad{beast_http::verb::get, "/feed.rss", 11};  // no Host
  EXPECT_EQ("error", Route(bad, snapshot_, RouterOptions{}, kNow).route);
}

TEST_F(RouterTest, MetricsAndHealthAnswerOnlyAllowedAddresses) {
  RouterOptions options;
  options.metrics_allow = {*ParseAddressRange("127.0.0.0/8")};
  options.health_allow = {*ParseAddressRange("10.0.0.0/8")};
  RequestContext context;
  context.metrics = [] { return std::string("feedd_up 1\n"); };
  auto get = [&](const char* target, const char* peer) {
    context.peer = *ParseIpAddress(peer);
    Request req{beast_http::verb::get, target, 11};
    req.set(beast_http::field::host, "feeds.example.org");
    return Route(req, snapshot_, options, kNow, &context);
  };
  const Reply metrics = get("/metrics", "127.0.0.1");
  EXPECT_EQ(200u, metrics.status());
  EXPECT_EQ("feedd_up 1\n", Body(metrics));
  EXPECT_EQ("text/plain; version=0.0.4; charset=utf-8",
            H(metrics, beast_http::field::content_type));
  EXPECT_EQ("no-store", H(metrics, beast_http::field::cache_control));
  EXPECT_EQ(403u, get("/metrics", "10.1.1.1").status());
  EXPECT_EQ(403u, get("/livez", "127.0.0.1").status());
  EXPECT_EQ(200u, get("/readyz", "10.9.9.9").status());
  EXPECT_EQ(200u, get("/feed.rss", "192.0.2.1").status());  // feeds are for everyone
  // Without a context (no server), /metrics does not exist.
  EXPECT_EQ(404u, Get("/metrics").status());
}

// Lazily made documents (article pages) answer like any other, and HTML
// pages carry a policy that keeps scripts in article bodies from running.
class PagesOnRequest : public LazyDocuments {
 public:
  DocumentPtr Find(std::string_view path) const override {
    ++asked;
    if (path != "/articles/a.html") return nullptr;
    return MakeDocument("text/html; charset=utf-8", "<!DOCTYPE html><p>a</p>\n", 1772323200);
  }
  mutable int asked = 0;
};

TEST_F(RouterTest, LazyDocumentsAreServedWithAScriptFreePolicy) {
  auto lazy = std::make_shared<PagesOnRequest>();
  auto s = std::make_shared<Snapshot>(*snapshot_);
  s->lazy = lazy;
  snapshot_ = s;
  const Reply page = Get("/articles/a.html");
  EXPECT_EQ(beast_http::status::ok, Status(page));
  EXPECT_EQ("<!DOCTYPE html><p>a</p>\n", Body(page));
  EXPECT_NE(std::string::npos, H(page, "Content-Security-Policy").find("default-src 'none'"));
  EXPECT_EQ("nosniff", H(page, "X-Content-Type-Options"));
  EXPECT_EQ(beast_http::status::not_found, Status(Get("/articles/b.html")));
  // Feeds are found in the table and carry no page policy.
  EXPECT_EQ("(none)", H(Get("/feed.rss"), "Content-Security-Policy"));
  EXPECT_EQ(2, lazy->asked);
}

TEST_F(RouterTest, BrowsersGetFeedsAsXmlSoTheStylesheetApplies) {
  const char* kBrowser =
      "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8";
  const Reply browser = Get("/feed.rss", {{beast_http::field::accept, kBrowser}});
  EXPECT_EQ(beast_http::status::ok, Status(browser));
  EXPECT_EQ("application/xml; charset=utf-8", H(browser, beast_http::field::content_type));
  EXPECT_EQ("Accept-Encoding, Accept", H(browser, beast_http::field::vary));
  const std::string browser_etag = H(browser, beast_http::field::etag);
  EXPECT_NE(doc_->etag, browser_etag);
  EXPECT_EQ(Body(Get("/feed.rss")), Body(browser));  // the same bytes
  // Each representation revalidates against its own ETag.
  EXPECT_EQ(beast_http::status::not_modified,
            Status(Get("/feed.rss", {{beast_http::field::accept, kBrowser},
                                     {beast_http::field::if_none_match, browser_etag}})));
  EXPECT_EQ(beast_http::status::ok,
            Status(Get("/feed.rss", {{beast_http::field::if_none_match, browser_etag}})));
  // Feed readers keep the feed's own type.
  const Reply reader =
      Get("/feed.rss",
          {{beast_http::field::accept, "application/rss+xml, application/xml;q=0.9, */*;q=0.8"}});
  EXPECT_EQ("application/rss+xml; charset=utf-8", H(reader, beast_http::field::content_type));
  EXPECT_EQ(doc_->etag, H(reader, beast_http::field::etag));
  EXPECT_EQ("Accept-Encoding, Accept", H(reader, beast_http::field::vary));
}

}  // namespace
}  // namespace feedd::http
