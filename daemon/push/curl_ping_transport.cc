#include "daemon/push/curl_ping_transport.h"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>

namespace feedd {
namespace {

// What is kept of a response body (an XML-RPC answer is small).
constexpr std::size_t kMaxResponse = 64 * 1024;
// How often a batch in progress asks whether to abandon it.
constexpr int kPollMs = 100;

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

// Requests in flight together on one curl multi handle. Every request added
// is detached from the multi handle and freed, with its header list, when
// the batch goes, finished or not.
class ConcurrentPosts {
 public:
  ConcurrentPosts() : multi_(curl_multi_init()), agent_(std::string("feedd/") + FEEDD_VERSION) {}
  ~ConcurrentPosts() {
    for (Transfer& t : transfers_) curl_multi_remove_handle(multi_.get(), t.easy.get());
  }
  ConcurrentPosts(const ConcurrentPosts&) = delete;
  ConcurrentPosts& operator=(const ConcurrentPosts&) = delete;

  /// Adds |request|, whose answer goes to |response|; |request| stays alive
  /// (its body is not copied) until Run() returns. False (and the reason
  /// in |response|) when curl cannot take it.
  bool Add(const PingRequest& request, PingResponse* response);
  /// Runs until every request has its answer or |abandon| says yes.
  void Run(const std::function<bool()>& abandon);

 private:
  struct Transfer {
    EasyHandle easy;
    HeaderList headers;  // the easy handle points at it
  };

  /// Fills in the responses of the requests that finished since the last call.
  void CollectFinished(std::chrono::steady_clock::time_point started);

  MultiHandle multi_;
  std::vector<Transfer> transfers_;  // destroyed before multi_
  const std::string agent_;
};

bool ConcurrentPosts::Add(const PingRequest& request, PingResponse* response) {
  // An empty Content-Type line keeps curl from sending its own.
  const std::string content_type = "Content-Type: " + request.content_type;
  Transfer t{EasyHandle(curl_easy_init()),
             HeaderList(curl_slist_append(
                 nullptr, request.content_type.empty() ? "Content-Type:" : content_type.c_str()))};
  for (const std::string& line : request.headers) {
    if (!t.headers) break;
    curl_slist* more = curl_slist_append(t.headers.get(), line.c_str());
    if (!more) t.headers.reset();
  }
  if (!multi_ || !t.easy || !t.headers) {
    response->error = "cannot set up a curl request";
    return false;
  }
  CURL* h = t.easy.get();
  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  if (request.method != "POST") curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.c_str());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.body.size()));
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, t.headers.get());
  curl_easy_setopt(h, CURLOPT_USERAGENT, agent_.c_str());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(request.connect_timeout.count()));
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(h, CURLOPT_MAXREDIRS, 3L);
  curl_easy_setopt(h, CURLOPT_POSTREDIR, static_cast<long>(CURL_REDIR_POST_ALL));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, KeepBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &response->body);
  curl_easy_setopt(h, CURLOPT_PRIVATE, response);
  if (curl_multi_add_handle(multi_.get(), h) != CURLM_OK) {
    response->error = "cannot start a curl request";
    return false;
  }
  transfers_.push_back(std::move(t));
  return true;
}

void ConcurrentPosts::CollectFinished(std::chrono::steady_clock::time_point started) {
  CURLMsg* msg;
  int left = 0;
  while ((msg = curl_multi_info_read(multi_.get(), &left))) {
    if (msg->msg != CURLMSG_DONE) continue;
    PingResponse* r = nullptr;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &r);
    curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &r->status);
    curl_header* retry_after = nullptr;
    if (curl_easy_header(msg->easy_handle, "Retry-After", 0, CURLH_HEADER, -1, &retry_after) ==
        CURLHE_OK) {
      r->retry_after = retry_after->value;
    }
    if (msg->data.result != CURLE_OK) {
      r->status = 0;
      r->error = curl_easy_strerror(msg->data.result);
    }
    r->took = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
  }
}

void ConcurrentPosts::Run(const std::function<bool()>& abandon) {
  if (transfers_.empty()) return;
  const auto started = std::chrono::steady_clock::now();
  int running = 1;
  while (running > 0) {
    curl_multi_perform(multi_.get(), &running);
    CollectFinished(started);
    if (running == 0 || (abandon && abandon())) break;
    curl_multi_poll(multi_.get(), nullptr, 0, kPollMs, nullptr);
  }
}

}  // namespace

std::vector<PingResponse> CurlPingTransport::Send(const std::vector<PingRequest>& requests,
                                                  const std::function<bool()>& abandon) {
  std::vector<PingResponse> responses(requests.size());
  ConcurrentPosts posts;
  for (std::size_t i = 0; i < requests.size(); ++i) posts.Add(requests[i], &responses[i]);
  posts.Run(abandon);
  return responses;
}

}  // namespace feedd
