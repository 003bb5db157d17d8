#include "daemon/push/ping_sender.h"

#include <curl/curl.h>

#include <algorithm>
#include <set>

#include "daemon/base/log.h"
#include "daemon/push/ping_requests.h"
#include "feeds/core/dates.h"
#include "feeds/core/routes.h"

namespace feedd {
namespace {

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Topics per WebSub publish request; hubs accept several hub.url values.
constexpr std::size_t kTopicsPerRequest = 64;
// What is kept of a response body (an XML-RPC answer is small).
constexpr std::size_t kMaxResponse = 64 * 1024;

std::size_t OnBody(char* data, std::size_t size, std::size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  const std::size_t n = size * count;
  if (body->size() < kMaxResponse) body->append(data, std::min(n, kMaxResponse - body->size()));
  return n;
}

}  // namespace

/// One HTTP request: a publish for several topics of one hub, or one
/// extendedPing.
struct PingSender::Request {
  std::string endpoint;
  bool xmlrpc = false;
  std::vector<std::pair<std::string, std::uint64_t>> topics;  // topic, generation sent
  std::string body;
  // The answer:
  long status = 0;
  std::string error;  ///< libcurl's, when there is no HTTP answer
  std::string response;
  std::string retry_after;
  std::chrono::steady_clock::duration took{};
};

PingSettings PingSettingsFrom(const Config& config) {
  PingSettings s;
  s.hubs = config.site.hubs;
  s.xmlrpc_pings = config.websub.xmlrpc_pings;
  s.site_name = config.site.title;
  s.site_url = config.site.link;
  s.main_feed_url = Route::Feed(MainFeedPath(config.feeds), FeedFormat::kRss).Url(config.site);
  s.timeout = std::chrono::seconds(config.websub.timeout);
  s.connect_timeout = std::chrono::seconds(config.websub.connect_timeout);
  s.retry_min = std::chrono::milliseconds(config.websub.retry_min_ms);
  s.retry_max = std::chrono::milliseconds(config.websub.retry_max_ms);
  s.retry_limit = config.websub.retry_limit;
  return s;
}

PingSender::PingSender(std::unique_ptr<StateStore> store, PingSettings settings, Metrics* metrics)
    : metrics_(metrics),
      store_(std::move(store)),
      settings_(std::move(settings)),
      random_(std::random_device{}()) {}

Status PingSender::Load() {
  std::lock_guard<std::mutex> lock(mu_);
  Result<std::vector<PendingPing>> stored = store_->LoadPings();
  if (!stored.ok()) return stored.status();
  for (const PendingPing& p : *stored) {
    Entry& e = pending_[{p.endpoint, p.topic}];
    e.attempts = p.attempts;
    e.due_ms = p.due_ms;
    e.changed_ms = p.changed_ms;
  }
  const std::vector<PendingPing> dropped = DropUnconfigured();
  if (Status s = store_->UpdatePings({}, dropped); !s.ok()) return s;
  if (!pending_.empty()) {
    Log(LogLevel::kNotice,
        "pings pending from the last run:", {{"count", std::to_string(pending_.size())}});
  }
  return Status();
}

PingSender::~PingSender() { Stop(); }

void PingSender::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void PingSender::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool PingSender::IsXmlRpc(const std::string& endpoint) const {
  return std::find(settings_.xmlrpc_pings.begin(), settings_.xmlrpc_pings.end(), endpoint) !=
         settings_.xmlrpc_pings.end();
}

PendingPing PingSender::Row(const Key& key, const Entry& entry) const {
  return {key.first, key.second, entry.attempts, entry.due_ms, entry.changed_ms};
}

std::vector<PendingPing> PingSender::DropUnconfigured() {
  std::vector<PendingPing> dropped;
  for (auto it = pending_.begin(); it != pending_.end();) {
    const std::string& endpoint = it->first.first;
    const bool hub =
        std::find(settings_.hubs.begin(), settings_.hubs.end(), endpoint) != settings_.hubs.end();
    if (hub || IsXmlRpc(endpoint) || it->second.in_flight) {
      ++it;
      continue;
    }
    Log(LogLevel::kNotice, "dropping a ping for an endpoint no longer configured",
        {{"endpoint", endpoint}, {"topic", it->first.second}});
    dropped.push_back(Row(it->first, it->second));
    it = pending_.erase(it);
  }
  return dropped;
}

Status PingSender::Enqueue(const std::vector<std::string>& topics, std::int64_t changed_ms) {
  Status stored;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (settings_.hubs.empty() && settings_.xmlrpc_pings.empty()) return stored;
    const std::int64_t now = NowMs();
    std::vector<PendingPing> save;
    auto queue = [&](const std::string& endpoint, const std::string& topic) {
      auto [it, fresh] = pending_.try_emplace({endpoint, topic});
      Entry& e = it->second;
      ++e.generation;
      if (fresh) {
        e.due_ms = now;
        e.changed_ms = changed_ms;
      }
      // An entry waiting out a backoff keeps its time: a change does not
      // make a failing endpoint be asked sooner.
      save.push_back(Row(it->first, e));
    };
    for (const std::string& hub : settings_.hubs) {
      for (const std::string& topic : topics) queue(hub, topic);
    }
    for (const std::string& service : settings_.xmlrpc_pings)
      queue(service, settings_.main_feed_url);
    stored = store_->UpdatePings(save, {});
  }
  wake_.notify_all();
  return stored;
}

void PingSender::Reconfigure(PingSettings settings) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    settings_ = std::move(settings);
    if (Status s = store_->UpdatePings({}, DropUnconfigured()); !s.ok()) {
      Log(LogLevel::kError, s.message());
    }
  }
  wake_.notify_all();
}

std::vector<PingSender::Request> PingSender::TakeDue(std::int64_t now_ms) {
  std::map<std::string, Request> by_hub;
  std::vector<Request> requests;
  for (auto& [key, e] : pending_) {
    if (e.in_flight || e.due_ms > now_ms) continue;
    const auto& [endpoint, topic] = key;
    if (IsXmlRpc(endpoint)) {
      Request r;
      r.endpoint = endpoint;
      r.xmlrpc = true;
      r.topics.push_back({topic, e.generation});
      r.body = ExtendedPingCall(settings_.site_name, settings_.site_url, settings_.site_url, topic);
      requests.push_back(std::move(r));
    } else {
      Request& r = by_hub[endpoint];
      if (r.topics.size() >= kTopicsPerRequest) continue;  // the next round takes it
      r.endpoint = endpoint;
      r.topics.push_back({topic, e.generation});
    }
    e.in_flight = true;
  }
  for (auto& [hub, r] : by_hub) {
    std::vector<std::string> topics;
    for (const auto& [topic, generation] : r.topics) topics.push_back(topic);
    r.body = PublishForm(topics);
    requests.push_back(std::move(r));
  }
  return requests;
}

void PingSender::Loop() {
  for (;;) {
    std::vector<Request> requests;
    {
      std::unique_lock<std::mutex> lock(mu_);
      for (;;) {
        if (stop_) return;
        const std::int64_t now = NowMs();
        requests = TakeDue(now);
        if (!requests.empty()) break;
        std::int64_t next = -1;
        for (const auto& [key, e] : pending_) {
          if (!e.in_flight && (next < 0 || e.due_ms < next)) next = e.due_ms;
        }
        if (next < 0) {
          wake_.wait(lock);
        } else {
          wake_.wait_for(lock, std::chrono::milliseconds(next - now));
        }
      }
    }
    Perform(&requests);
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stop_) return;  // abandoned: still pending in the store
    }
    Finish(requests);
  }
}

void PingSender::Perform(std::vector<Request>* requests) {
  PingSettings settings;
  {
    std::lock_guard<std::mutex> lock(mu_);
    settings = settings_;
  }
  CURLM* multi = curl_multi_init();
  std::vector<CURL*> handles;
  std::vector<curl_slist*> headers;
  const std::string agent = std::string("feedd/") + FEEDD_VERSION;
  for (Request& r : *requests) {
    CURL* h = curl_easy_init();
    curl_slist* list =
        curl_slist_append(nullptr, r.xmlrpc ? "Content-Type: text/xml; charset=utf-8"
                                            : "Content-Type: application/x-www-form-urlencoded");
    curl_easy_setopt(h, CURLOPT_URL, r.endpoint.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, r.body.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(r.body.size()));
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(h, CURLOPT_USERAGENT, agent.c_str());
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(settings.timeout.count()));
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(settings.connect_timeout.count()));
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 3L);
    curl_easy_setopt(h, CURLOPT_POSTREDIR, static_cast<long>(CURL_REDIR_POST_ALL));
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &r.response);
    curl_easy_setopt(h, CURLOPT_PRIVATE, &r);
    curl_multi_add_handle(multi, h);
    handles.push_back(h);
    headers.push_back(list);
  }
  const auto started = std::chrono::steady_clock::now();
  int running = 1;
  while (running > 0) {
    curl_multi_perform(multi, &running);
    CURLMsg* msg;
    int left = 0;
    while ((msg = curl_multi_info_read(multi, &left))) {
      if (msg->msg != CURLMSG_DONE) continue;
      Request* r = nullptr;
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
      r->took = std::chrono::steady_clock::now() - started;
    }
    if (running == 0) break;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stop_) break;
    }
    curl_multi_poll(multi, nullptr, 0, 100, nullptr);
  }
  for (std::size_t i = 0; i < handles.size(); ++i) {
    curl_multi_remove_handle(multi, handles[i]);
    curl_easy_cleanup(handles[i]);
    curl_slist_free_all(headers[i]);
  }
  curl_multi_cleanup(multi);
}

void PingSender::Finish(const std::vector<Request>& requests) {
  std::lock_guard<std::mutex> lock(mu_);
  const std::int64_t now = NowMs();
  std::vector<PendingPing> save, done;
  std::uniform_real_distribution<double> jitter(0.0, 1.0);
  for (const Request& r : requests) {
    PingOutcome outcome = OutcomeOf(r.status);
    std::string why = r.error.empty() ? "HTTP " + std::to_string(r.status) : r.error;
    if (outcome == PingOutcome::kDelivered && r.xmlrpc) {
      if (auto failure = XmlRpcFailure(r.response)) {
        outcome = PingOutcome::kGiveUp;
        why = *failure;
      }
    }
    if (metrics_) metrics_->CountPing(r.endpoint, "sent");
    const std::string took =
        std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(r.took).count());
    int attempts = 0;
    // One delay for the whole request: its topics stay together.
    const double roll = jitter(random_);
    const auto retry_after = ParseRetryAfter(r.retry_after, static_cast<UnixTime>(now / 1000));
    for (const auto& [topic, generation] : r.topics) {
      auto it = pending_.find({r.endpoint, topic});
      if (it == pending_.end()) continue;  // dropped by a reload meanwhile
      Entry& e = it->second;
      e.in_flight = false;
      if (outcome == PingOutcome::kDelivered) {
        if (metrics_) {
          metrics_->CountPing(r.endpoint, "delivered");
          metrics_->ObservePingLatency(std::chrono::milliseconds(now - e.changed_ms));
        }
        if (e.generation == generation) {
          done.push_back(Row(it->first, e));
          pending_.erase(it);
        } else {  // changed again while the ping was on its way: once more
          e.attempts = 0;
          e.due_ms = now;
          e.changed_ms = now;
          save.push_back(Row(it->first, e));
        }
        continue;
      }
      e.attempts += 1;
      attempts = e.attempts;
      if (outcome == PingOutcome::kGiveUp || e.attempts >= settings_.retry_limit) {
        if (metrics_) metrics_->CountPing(r.endpoint, "failed");
        done.push_back(Row(it->first, e));
        pending_.erase(it);
        continue;
      }
      if (metrics_) metrics_->CountPing(r.endpoint, "retried");
      const auto delay =
          RetryDelay(e.attempts, settings_.retry_min, settings_.retry_max, roll, retry_after);
      e.due_ms = now + delay.count();
      save.push_back(Row(it->first, e));
    }
    const std::string topics = std::to_string(r.topics.size());
    if (outcome == PingOutcome::kDelivered) {
      Log(LogLevel::kInfo, "pinged:",
          {{"endpoint", r.endpoint},
           {"topics", topics},
           {"status", std::to_string(r.status)},
           {"ms", took}});
    } else if (outcome == PingOutcome::kGiveUp || attempts >= settings_.retry_limit) {
      Log(LogLevel::kError, "ping given up:",
          {{"endpoint", r.endpoint},
           {"topics", topics},
           {"why", why},
           {"attempts", std::to_string(std::max(attempts, 1))}});
    } else {
      Log(LogLevel::kWarning, "ping failed, will retry:",
          {{"endpoint", r.endpoint},
           {"topics", topics},
           {"why", why},
           {"attempts", std::to_string(attempts)}});
    }
  }
  // A reload that removed an endpoint while its ping was in flight.
  for (PendingPing& p : DropUnconfigured()) done.push_back(std::move(p));
  if (Status s = store_->UpdatePings(save, done); !s.ok()) Log(LogLevel::kError, s.message());
}

}  // namespace feedd
