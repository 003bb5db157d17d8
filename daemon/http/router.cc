#include "daemon/http/router.h"

#include <algorithm>
#include <boost/url/parse.hpp>
#include <optional>
#include <string>

#include "daemon/base/metrics.h"
#include "daemon/http/header_blocks.h"
#include "daemon/http/negotiation.h"
#include "feeds/core/dates.h"
#include "feeds/core/routes.h"

namespace feedd::http {
namespace {

constexpr const char* kAllow = "GET, HEAD, OPTIONS";
constexpr const char* kServer = "feedd";

std::optional<std::string_view> Header(const Request& req, beast_http::field field) {
  auto it = req.find(field);
  if (it == req.end()) return std::nullopt;
  return std::string_view(it->value().data(), it->value().size());
}

void CommonHeaders(Reply* reply, UnixTime now) {
  reply->message.set(beast_http::field::server, kServer);
  reply->message.set(beast_http::field::date, FormatHttpDate(now));
}

// A reply whose body is |text|, kept alive by the reply itself.
Reply TextReply(beast_http::status status, unsigned version, std::string text, UnixTime now,
                bool keep_alive, bool head = false) {
  auto body = std::make_shared<const std::string>(std::move(text));
  Reply reply;
  reply.message.result(status);
  reply.message.version(version);
  CommonHeaders(&reply, now);
  reply.message.set(beast_http::field::content_type, "text/plain; charset=utf-8");
  reply.message.content_length(body->size());
  if (!head) reply.message.body() = {body->data(), body->size()};
  reply.message.keep_alive(keep_alive);
  reply.owner = std::move(body);
  return reply;
}

// The path of a request target, percent-decoded (routes are stored
// decoded: "/category/культура/feed.rss"), from origin-form ("/a?q") or
// absolute-form ("http://host/a"); nullopt when it is neither.
std::optional<std::string> PathOf(std::string_view target) {
  const auto parsed = !target.empty() && target.front() == '/'
                          ? boost::urls::parse_origin_form(target)
                          : boost::urls::parse_absolute_uri(target);
  if (!parsed) return std::nullopt;
  std::string path = parsed->path();
  if (path.empty()) path = "/";
  return path;
}

bool ValidHost(std::string_view host) {
  return !host.empty() && host.find_first_of(" \t/\\@") == std::string_view::npos;
}

// A browser opening an RSS or Atom document (its Accept names text/html)
// gets it as application/xml, the type under which browsers apply the
// document's <?xml-stylesheet?>; feed readers get the feed's own type. The
// two are different representations, so they have different ETags.
bool ForBrowser(const Document& doc, std::string_view accept) {
  return XmlFeed(doc) && accept.find("text/html") != std::string_view::npos;
}

Reply ServeDocument(const Request& req, const DocumentPtr& doc, const RouterOptions& options,
                    UnixTime now, HeaderBlockCache* cache) {
  const bool head = req.method() == beast_http::verb::head;
  const Coding coding = ChooseCoding(Header(req, beast_http::field::accept_encoding));
  if (coding == Coding::kNoneAcceptable) {
    Reply r = TextReply(beast_http::status::not_acceptable, req.version(),
                        "Neither identity nor gzip is acceptable.\n", now, req.keep_alive(), head);
    r.message.set(beast_http::field::vary, "Accept-Encoding");
    return r;
  }
  const bool gzip = coding == Coding::kGzip && !doc->gzip_body.empty();
  const bool browser = ForBrowser(*doc, Header(req, beast_http::field::accept).value_or(""));
  // The blocks made once per document. A future lastmod is the exception:
  // Last-Modified must not be later than Date (RFC 9110 §8.8.2.1), so its
  // block is clamped to now and made per request, as every block is when
  // no cache is given.
  const std::shared_ptr<const HeaderBlocks> blocks =
      cache && doc->last_modified <= now ? cache->Get(doc, options.cache) : nullptr;
  const std::string& plain_etag = gzip ? doc->gzip_etag : doc->etag;
  const std::string made_etag = browser && !blocks ? BrowserEtag(plain_etag) : std::string();
  const std::string& etag = !browser ? plain_etag : blocks ? blocks->browser_etag[gzip] : made_etag;
  const std::string& bytes = gzip ? doc->gzip_body : doc->body;
  const bool not_modified =
      NotModified(Header(req, beast_http::field::if_none_match),
                  Header(req, beast_http::field::if_modified_since), etag, doc->last_modified);

  Reply reply;
  reply.raw = true;
  reply.raw_status = not_modified ? 304 : 200;
  reply.close = !req.keep_alive();
  reply.announce_keep_alive = req.version() < 11 && req.keep_alive();
  reply.date = now;
  if (blocks) {
    reply.head = blocks->Block(browser, gzip, not_modified);
    reply.owner = doc;
    reply.head_owner = blocks;
  } else {
    auto owned = std::make_shared<std::pair<DocumentPtr, std::string>>(
        doc, HeaderBlock(*doc, gzip, not_modified, options.cache, std::min(doc->last_modified, now),
                         browser));
    reply.head = owned->second;
    reply.owner = std::move(owned);
  }
  if (!not_modified && !head) reply.body = bytes;
  return reply;
}

// The poller policy (poller_policy.h) on |reply|, the answer to a GET of
// |doc| at |path|: a feed's own document, asked for by a feed reader, may
// be refused with 429.
void Police(const Request& req, const std::string& path, const DocumentPtr& doc,
            const RouterOptions& options, UnixTime now, const RequestContext& context,
            Reply* reply) {
  const PollerOptions& policy = options.pollers;
  if (!policy.enabled || !context.pollers || req.method() != beast_http::verb::get || !reply->raw) {
    return;
  }
  if (ForBrowser(*doc, Header(req, beast_http::field::accept).value_or(""))) return;
  const std::optional<feedd::Route> route = feedd::Route::Parse(path);
  if (!route || route->kind != RouteKind::kFeed) return;
  std::string forwarded;
  for (auto [it, end] = req.equal_range("X-Forwarded-For"); it != end; ++it) {
    if (!forwarded.empty()) forwarded += ",";
    forwarded.append(it->value().data(), it->value().size());
  }
  const std::optional<std::string> client = PollingClient(
      context.peer, context.address,
      req.count("X-Forwarded-For") ? std::optional<std::string_view>(forwarded) : std::nullopt,
      policy.trusted);
  if (!client) {
    reply->poll_family = static_cast<int>(Metrics::kClientFamilies.size() - 1);  // exempt
    reply->poll_behaviour =
        static_cast<int>(Header(req, beast_http::field::if_none_match) ||
                                 Header(req, beast_http::field::if_modified_since)
                             ? PollerBehaviour::kConditional
                             : PollerBehaviour::kUnconditional);
    return;
  }
  const std::string_view agent = Header(req, beast_http::field::user_agent).value_or("");
  const int window = policy.window > 0   ? policy.window
                     : doc->max_age >= 0 ? doc->max_age
                                         : options.cache.max_age;
  const PollerPolicy::Verdict verdict = context.pollers->Decide(
      *client, agent, path, *doc, Header(req, beast_http::field::if_none_match),
      Header(req, beast_http::field::if_modified_since), reply->raw_status == 304, now, window);
  const int family = static_cast<int>(ClientFamily(agent));
  if (verdict.retry_after > 0) {
    const std::string seconds = std::to_string(verdict.retry_after);
    *reply = TextReply(beast_http::status::too_many_requests, req.version(),
                       "Too Many Requests: this feed was sent to you in full less than " +
                           std::to_string(window) +
                           " seconds ago (pollers.window). Poll it at most that often, and "
                           "send If-None-Match or If-Modified-Since: a conditional request "
                           "is always answered. Retry after " +
                           seconds + " seconds.\n",
                       now, req.keep_alive());
    reply->message.set(beast_http::field::retry_after, seconds);
    reply->message.set(beast_http::field::cache_control, "no-store");
  }
  reply->route = "feed";
  reply->poll_family = family;
  reply->poll_behaviour = static_cast<int>(verdict.behaviour);
}

// A decoded |path|: the health endpoints, then the snapshot's documents.
// Sets the route class of what it finds ("health" is set by the caller).
Reply RouteDocument(const Request& req, const std::string& path, const SnapshotPtr& snapshot,
                    const RouterOptions& options, UnixTime now, const RequestContext* context) {
  HeaderBlockCache* cache = context ? context->header_blocks : nullptr;
  const unsigned version = req.version();
  const bool keep_alive = req.keep_alive();
  const bool head = req.method() == beast_http::verb::head;
  if (path == "/livez" || path == "/healthz") {
    return TextReply(beast_http::status::ok, version, "ok\n", now, keep_alive, head);
  }
  if (path == "/readyz") {
    return snapshot
               ? TextReply(beast_http::status::ok, version, "ready\n", now, keep_alive, head)
               : TextReply(beast_http::status::service_unavailable, version,
                           "not ready: the first index is being built\n", now, keep_alive, head);
  }
  if (!snapshot) {
    Reply r = TextReply(beast_http::status::service_unavailable, version,
                        "Starting: the first index is being built.\n", now, keep_alive, head);
    r.message.set(beast_http::field::retry_after, "1");
    r.route = "feed";
    return r;
  }
  if (DocumentPtr doc = snapshot->Find(path)) {
    Reply r = ServeDocument(req, doc, options, now, cache);
    r.route = "feed";
    if (context) Police(req, path, doc, options, now, *context, &r);
    return r;
  }
  Reply r =
      TextReply(beast_http::status::not_found, version, "Not found.\n", now, keep_alive, head);
  r.route = "other";
  return r;
}

}  // namespace

void Reply::SetClose() {
  if (raw) {
    close = true;
  } else {
    message.keep_alive(false);
  }
}

std::string Reply::Tail() const {
  // Formatting the date is most of a request's own work: once a second.
  thread_local UnixTime cached_at = -1;
  thread_local std::string cached;
  if (date != cached_at) {
    cached_at = date;
    cached = "Date: " + FormatHttpDate(date) + "\r\n";
  }
  if (close) return cached + "Connection: close\r\n\r\n";
  if (announce_keep_alive) return cached + "Connection: keep-alive\r\n\r\n";
  return cached + "\r\n";
}

Reply ErrorReply(beast_http::status status, unsigned version, std::string_view detail,
                 UnixTime now) {
  return TextReply(
      status, version ? version : 11,
      std::string(beast_http::obsolete_reason(status)) + ": " + std::string(detail) + "\n", now,
      /*keep_alive=*/false);
}

namespace {

// Framing the server cannot trust: any Transfer-Encoding on a request
// (Beast 1.81 accepts some that smuggle), a missing, doubled or malformed
// Host, an overlong target. Nothing when the request may go on.
std::optional<Reply> RefuseFraming(const Request& req, const RouterOptions& options, UnixTime now) {
  const unsigned version = req.version();
  if (req.count(beast_http::field::transfer_encoding) > 0) {
    return ErrorReply(beast_http::status::bad_request, version,
                      "requests with Transfer-Encoding are not accepted", now);
  }
  const std::size_t hosts = req.count(beast_http::field::host);
  if (version >= 11 && hosts != 1) {
    return ErrorReply(beast_http::status::bad_request, version,
                      hosts == 0 ? "missing Host header" : "more than one Host header", now);
  }
  if (hosts == 1 && !ValidHost(*Header(req, beast_http::field::host))) {
    return ErrorReply(beast_http::status::bad_request, version, "invalid Host header", now);
  }
  if (req.target().size() > options.max_target_bytes) {
    return ErrorReply(beast_http::status::uri_too_long, version, "request target too long", now);
  }
  return std::nullopt;
}

// The answer to any method but GET and HEAD: OPTIONS lists them, an
// unknown method is 501, a known one 405. Nothing for GET and HEAD.
std::optional<Reply> AnswerOtherMethod(const Request& req, UnixTime now) {
  const unsigned version = req.version();
  const bool keep_alive = req.keep_alive();
  switch (req.method()) {
    case beast_http::verb::get:
    case beast_http::verb::head:
      return std::nullopt;
    case beast_http::verb::options: {
      Reply r = TextReply(beast_http::status::no_content, version, "", now, keep_alive);
      r.message.erase(beast_http::field::content_type);
      r.message.erase(beast_http::field::content_length);
      r.message.set(beast_http::field::allow, kAllow);
      r.route = "other";
      return r;
    }
    case beast_http::verb::unknown: {
      Reply r = TextReply(beast_http::status::not_implemented, version, "Method not implemented.\n",
                          now, keep_alive);
      r.route = "other";
      return r;
    }
    default: {
      Reply r = TextReply(beast_http::status::method_not_allowed, version,
                          "Only GET and HEAD are allowed here.\n", now, keep_alive);
      r.message.set(beast_http::field::allow, kAllow);
      r.route = "other";
      return r;
    }
  }
}

// The health endpoints and /metrics, for the addresses allowed to see
// them: 403 for others, the metrics page for /metrics. Nothing when the
// health endpoint may answer (RouteDocument does, from the snapshot).
std::optional<Reply> RouteOperatorEndpoint(const Request& req, const std::string& path,
                                           const RouterOptions& options, UnixTime now,
                                           const RequestContext* context) {
  if (!context) return std::nullopt;
  const bool metrics = path == "/metrics";
  const bool head = req.method() == beast_http::verb::head;
  if (!AnyContains(metrics ? options.metrics_allow : options.health_allow, context->peer)) {
    Reply r = TextReply(beast_http::status::forbidden, req.version(),
                        "Not for this address (server.metrics_allow, server.health_allow).\n", now,
                        req.keep_alive(), head);
    r.route = metrics ? "metrics" : "health";
    return r;
  }
  if (metrics && context->metrics) {
    Reply r = TextReply(beast_http::status::ok, req.version(), context->metrics(), now,
                        req.keep_alive(), head);
    r.message.set(beast_http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
    r.message.set(beast_http::field::cache_control, "no-store");
    r.route = "metrics";
    return r;
  }
  return std::nullopt;
}

}  // namespace

Reply Route(const Request& req, const SnapshotPtr& snapshot, const RouterOptions& options,
            UnixTime now, const RequestContext* context) {
  if (std::optional<Reply> refused = RefuseFraming(req, options, now)) return std::move(*refused);
  if (std::optional<Reply> other = AnswerOtherMethod(req, now)) return std::move(*other);
  const std::optional<std::string> decoded =
      PathOf(std::string_view(req.target().data(), req.target().size()));
  if (!decoded) {
    return ErrorReply(beast_http::status::bad_request, req.version(), "malformed request target",
                      now);
  }
  const std::string& path = *decoded;
  const bool health = path == "/livez" || path == "/healthz" || path == "/readyz";
  if (health || path == "/metrics") {
    if (std::optional<Reply> r = RouteOperatorEndpoint(req, path, options, now, context)) {
      return std::move(*r);
    }
  }
  Reply reply = RouteDocument(req, path, snapshot, options, now, context);
  reply.route = health ? "health" : path == "/" ? "index" : reply.route;
  return reply;
}

}  // namespace feedd::http
