#include "daemon/push/curl_ping_transport.h"

#include <curl/curl.h>
#include <strings.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <map>
#include <string>
#include <thread>
#include <utility>

namespace feedd {
namespace {

// What is kept of a response body (an XML-RPC answer is small).
constexpr std::size_t kMaxResponse = 64 * 1024;

struct EasyCleanup {
  void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};
struct HeaderListCleanup {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
struct MultiCleanup {
  void operator()(CURLM* multi) const { curl_multi_cleanup(multi); }
};
using EasyHandle = std::unique_ptr<CURL, EasyCleanup>;
using HeaderList = std::unique_ptr<curl_slist, HeaderListCleanup>;
using MultiHandle = std::unique_ptr<CURLM, MultiCleanup>;

std::size_t KeepBody(char* data, std::size_t size, std::size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  const std::size_t n = size * count;
  if (body->size() < kMaxResponse) body->append(data, std::min(n, kMaxResponse - body->size()));
  return n;
}

PingAnswer NotStarted(std::uint64_t ticket, const char* why) {
  PingAnswer a;
  a.ticket = ticket;
  a.response.error = why;
  return a;
}

bool IsHttps(const std::string& url) {
  return url.size() > 6 && !strncasecmp(url.data(), "https:", 6);
}

}  // namespace

// The requests in flight on one curl multi handle. Each is removed from the
// multi handle and freed, with its header list, when it ends or when the
// transport goes.
class CurlPingTransport::Transfers {
 public:
  Transfers() : multi_(curl_multi_init()), agent_(std::string("feedd/") + FEEDD_VERSION) {}
  ~Transfers() {
    for (auto& [easy, t] : running_) curl_multi_remove_handle(multi_.get(), easy);
  }
  Transfers(const Transfers&) = delete;
  Transfers& operator=(const Transfers&) = delete;

  void Add(std::uint64_t ticket, const PingRequest& request);
  std::vector<PingAnswer> Wait(std::chrono::milliseconds limit);
  void Wake() {
    woken_ = true;
    if (multi_) curl_multi_wakeup(multi_.get());
  }

 private:
  struct Transfer {
    std::uint64_t ticket = 0;
    EasyHandle easy;
    HeaderList headers;  // the easy handle points at it
    std::string body;    // and at this (POSTFIELDS is not copied)
    PingResponse response;
    std::chrono::steady_clock::time_point started;
  };

  /// Moves the requests that ended since the last call to ended_.
  void CollectFinished();

  MultiHandle multi_;
  std::map<CURL*, std::unique_ptr<Transfer>> running_;  // destroyed before multi_
  std::vector<PingAnswer> ended_;
  std::atomic<bool> woken_{false};
  const std::string agent_;
};

void CurlPingTransport::Transfers::Add(std::uint64_t ticket, const PingRequest& request) {
  auto t = std::make_unique<Transfer>();
  t->ticket = ticket;
  t->body = request.body;
  t->started = std::chrono::steady_clock::now();
  t->easy.reset(curl_easy_init());
  // An empty Content-Type line keeps curl from sending its own.
  const std::string content_type = "Content-Type: " + request.content_type;
  t->headers.reset(curl_slist_append(
      nullptr, request.content_type.empty() ? "Content-Type:" : content_type.c_str()));
  for (const std::string& line : request.headers) {
    if (!t->headers) break;
    curl_slist* more = curl_slist_append(t->headers.get(), line.c_str());
    if (!more) t->headers.reset();
  }
  if (!multi_ || !t->easy || !t->headers) {
    ended_.push_back(NotStarted(ticket, "cannot set up a curl request"));
    return;
  }
  CURL* h = t->easy.get();
  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  if (request.method != "POST") curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, t->body.c_str());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(t->body.size()));
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, t->headers.get());
  curl_easy_setopt(h, CURLOPT_USERAGENT, agent_.c_str());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(request.connect_timeout.count()));
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  if (request.follow_redirects) {
    // A ping to an https endpoint is never sent on in clear text.
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, IsHttps(request.url) ? "https" : "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 3L);
    curl_easy_setopt(h, CURLOPT_POSTREDIR, static_cast<long>(CURL_REDIR_POST_ALL));
  }
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, KeepBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &t->response.body);
  if (curl_multi_add_handle(multi_.get(), h) != CURLM_OK) {
    ended_.push_back(NotStarted(ticket, "cannot start a curl request"));
    return;
  }
  running_.emplace(h, std::move(t));
}

void CurlPingTransport::Transfers::CollectFinished() {
  CURLMsg* msg;
  int left = 0;
  while ((msg = curl_multi_info_read(multi_.get(), &left))) {
    if (msg->msg != CURLMSG_DONE) continue;
    CURL* easy = msg->easy_handle;
    const CURLcode result = msg->data.result;  // msg is gone once the handle is removed
    const auto it = running_.find(easy);
    if (it == running_.end()) continue;
    PingResponse& r = it->second->response;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &r.status);
    curl_header* retry_after = nullptr;
    if (curl_easy_header(easy, "Retry-After", 0, CURLH_HEADER, -1, &retry_after) == CURLHE_OK) {
      r.retry_after = retry_after->value;
    }
    if (result != CURLE_OK) {
      r.status = 0;
      r.error = curl_easy_strerror(result);
    }
    r.took = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - it->second->started);
    curl_multi_remove_handle(multi_.get(), easy);
    ended_.push_back({it->second->ticket, std::move(r)});
    running_.erase(it);
  }
}

std::vector<PingAnswer> CurlPingTransport::Transfers::Wait(std::chrono::milliseconds limit) {
  if (!multi_) {  // nothing can run; do not spin
    std::this_thread::sleep_for(std::min(limit, std::chrono::milliseconds(100)));
    return std::exchange(ended_, {});
  }
  const auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    int running = 0;
    curl_multi_perform(multi_.get(), &running);
    CollectFinished();
    if (!ended_.empty() || woken_.exchange(false)) break;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    curl_multi_poll(multi_.get(), nullptr, 0,
                    static_cast<int>(std::min<long long>(left.count(), INT_MAX)), nullptr);
  }
  return std::exchange(ended_, {});
}

CurlPingTransport::CurlPingTransport() : transfers_(std::make_unique<Transfers>()) {}
CurlPingTransport::~CurlPingTransport() = default;

void CurlPingTransport::Start(std::uint64_t ticket, const PingRequest& request) {
  transfers_->Add(ticket, request);
}

std::vector<PingAnswer> CurlPingTransport::Wait(std::chrono::milliseconds limit) {
  return transfers_->Wait(limit);
}

void CurlPingTransport::Wake() { transfers_->Wake(); }

}  // namespace feedd
