#include "daemon/push/ping_sender.h"

#include <algorithm>
#include <set>
#include <string>

#include "daemon/base/log.h"
#include "daemon/push/ping_requests.h"
#include "daemon/push/purge_requests.h"
#include "feeds/core/routes.h"

namespace feedd {
namespace {

std::int64_t SystemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Topics per WebSub publish request; hubs accept several hub.url values.
constexpr std::size_t kTopicsPerRequest = 64;
// Requests in flight at one endpoint (a purge holds up to 4,000 bytes of
// keys); more wait until one ends, so an endpoint that hangs holds a
// bounded number of connections.
constexpr std::size_t kRequestsPerEndpoint = 16;
// The longest the thread waits with nothing due: Enqueue(), Purge(),
// Reconfigure() and Stop() wake it, and so does every answer.
constexpr std::chrono::milliseconds kIdleWait{60000};

// What logs and metrics call an endpoint: a cache by its URL.
std::string Shown(const std::string& endpoint) { return PurgeUrlOf(endpoint).value_or(endpoint); }
bool IsPurge(const std::string& endpoint) { return PurgeUrlOf(endpoint).has_value(); }

}  // namespace

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
  s.purges = config.purges;
  return s;
}

PingSender::PingSender(std::unique_ptr<StateStore> store, PingSettings settings, Metrics* metrics,
                       std::unique_ptr<PingTransport> transport, NowMs now_ms)
    : metrics_(metrics),
      transport_(std::move(transport)),
      now_ms_(now_ms ? std::move(now_ms) : NowMs(SystemNowMs)),
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
  transport_->Wake();
  if (thread_.joinable()) thread_.join();
}

const PurgeConfig* PingSender::PurgeConfigOf(const std::string& endpoint) const {
  const std::optional<std::string> url = PurgeUrlOf(endpoint);
  if (!url) return nullptr;
  for (const PurgeConfig& purge : settings_.purges) {
    if (purge.url == *url) return &purge;
  }
  return nullptr;
}

std::optional<PingSender::Kind> PingSender::KindOf(const std::string& endpoint) const {
  const auto listed = [&endpoint](const std::vector<std::string>& list) {
    return std::find(list.begin(), list.end(), endpoint) != list.end();
  };
  if (IsPurge(endpoint)) {
    return PurgeConfigOf(endpoint) ? std::optional<Kind>(Kind::kPurge) : std::nullopt;
  }
  if (listed(settings_.xmlrpc_pings)) return Kind::kXmlRpc;
  if (listed(settings_.hubs)) return Kind::kHub;
  return std::nullopt;
}

PendingPing PingSender::Row(const Key& key, const Entry& entry) const {
  return {key.first, key.second, entry.attempts, entry.due_ms, entry.changed_ms};
}

std::vector<PendingPing> PingSender::DropUnconfigured() {
  std::vector<PendingPing> dropped;
  for (auto it = pending_.begin(); it != pending_.end();) {
    const std::string& endpoint = it->first.first;
    if (KindOf(endpoint) || it->second.in_flight) {
      ++it;
      continue;
    }
    Log(LogLevel::kNotice,
        IsPurge(endpoint) ? "dropping a purge for an endpoint no longer configured"
                          : "dropping a ping for an endpoint no longer configured",
        {{"endpoint", Shown(endpoint)}, {IsPurge(endpoint) ? "key" : "topic", it->first.second}});
    dropped.push_back(Row(it->first, it->second));
    it = pending_.erase(it);
  }
  return dropped;
}

void PingSender::Queue(const std::string& endpoint, const std::string& topic,
                       std::int64_t changed_ms, std::int64_t now_ms, Rows* save) {
  auto [it, fresh] = pending_.try_emplace({endpoint, topic});
  Entry& e = it->second;
  ++e.generation;
  if (fresh) {
    e.due_ms = now_ms;
    e.changed_ms = changed_ms;
  } else if (e.in_flight) {
    e.changed_in_flight_ms = std::min(e.changed_in_flight_ms.value_or(changed_ms), changed_ms);
  } else {
    e.changed_ms = std::min(e.changed_ms, changed_ms);
  }
  // An entry waiting out a backoff keeps its time: a change does not make a
  // failing endpoint be asked sooner.
  save->push_back(Row(it->first, e));
}

Status PingSender::Enqueue(const std::vector<std::string>& topics, std::int64_t changed_ms) {
  Status stored;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (settings_.hubs.empty() && settings_.xmlrpc_pings.empty()) return stored;
    const std::int64_t now = now_ms_();
    Rows save;
    for (const std::string& hub : settings_.hubs) {
      for (const std::string& topic : topics) Queue(hub, topic, changed_ms, now, &save);
    }
    for (const std::string& service : settings_.xmlrpc_pings)
      Queue(service, settings_.main_feed_url, changed_ms, now, &save);
    stored = store_->UpdatePings(save, {});
  }
  transport_->Wake();
  return stored;
}

Status PingSender::Purge(const std::vector<std::string>& keys, std::int64_t changed_ms) {
  Status stored;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (settings_.purges.empty() || keys.empty()) return stored;
    const std::int64_t now = now_ms_();
    Rows save;
    for (const PurgeConfig& purge : settings_.purges) {
      const std::string endpoint = PurgeEndpointId(purge.url);
      for (const std::string& key : keys) Queue(endpoint, key, changed_ms, now, &save);
    }
    stored = store_->UpdatePings(save, {});
  }
  transport_->Wake();
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
  transport_->Wake();
}

std::vector<PingSender::Started> PingSender::TakeDue(std::int64_t now_ms,
                                                     std::optional<std::int64_t>* next_due) {
  std::map<std::string, std::size_t> busy;  // requests in flight per endpoint
  for (const auto& [ticket, r] : in_flight_) ++busy[r.endpoint];
  // An endpoint's entries are next to each other in pending_: each request
  // takes its topics until it is full, then the next one starts.
  std::vector<Request> requests;
  for (auto& [key, e] : pending_) {
    if (e.in_flight) continue;
    const auto& [endpoint, topic] = key;
    const std::optional<Kind> kind = KindOf(endpoint);
    if (!kind) continue;  // its endpoint went: dropped after the next answer
    if (e.due_ms > now_ms) {
      if (next_due && (!*next_due || e.due_ms < **next_due)) *next_due = e.due_ms;
      continue;
    }
    Request* r =
        requests.empty() || requests.back().endpoint != endpoint ? nullptr : &requests.back();
    const bool fits =
        r && (*kind == Kind::kHub     ? r->topics.size() < kTopicsPerRequest
              : *kind == Kind::kPurge ? r->key_bytes + 1 + topic.size() <= kMaxPurgeKeyBytes
                                      : false);
    if (!fits) {
      // Once an endpoint has its fill in flight, the rest waits for an
      // answer (which wakes the thread).
      if (busy[endpoint] >= kRequestsPerEndpoint) continue;
      ++busy[endpoint];
      r = &requests.emplace_back();
      r->endpoint = endpoint;
      r->kind = *kind;
    }
    r->key_bytes += (r->topics.empty() ? 0 : 1) + topic.size();
    r->topics.push_back({topic, e.generation});
    e.in_flight = true;
  }
  std::vector<Started> started;
  for (Request& r : requests) {
    std::vector<std::string> topics;
    for (const auto& [topic, generation] : r.topics) topics.push_back(topic);
    if (r.kind == Kind::kPurge) {
      r.http = PurgeRequest(*PurgeConfigOf(r.endpoint), topics);
    } else {
      r.http.url = r.endpoint;
      if (r.kind == Kind::kHub) {
        r.http.content_type = "application/x-www-form-urlencoded";
        r.http.body = PublishForm(topics);
      } else {
        r.http.content_type = "text/xml; charset=utf-8";
        r.http.body = ExtendedPingCall(settings_.site_name, settings_.site_url, settings_.site_url,
                                       topics.at(0));
      }
    }
    r.http.timeout = settings_.timeout;
    r.http.connect_timeout = settings_.connect_timeout;
    started.emplace_back(++last_ticket_, r.http);
    in_flight_.emplace(last_ticket_, std::move(r));
  }
  return started;
}

void PingSender::Loop() {
  for (;;) {
    std::vector<Started> started;
    std::chrono::milliseconds wait = kIdleWait;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stop_) return;  // what is in flight stays pending in the store
      const std::int64_t now = now_ms_();
      std::optional<std::int64_t> next_due;
      started = TakeDue(now, &next_due);
      if (next_due)
        wait = std::clamp(std::chrono::milliseconds(*next_due - now), std::chrono::milliseconds(0),
                          kIdleWait);
    }
    for (const auto& [ticket, http] : started) transport_->Start(ticket, http);
    std::vector<PingAnswer> answers = transport_->Wait(wait);
    if (!answers.empty()) Record(std::move(answers));
  }
}

std::size_t PingSender::SendDue() {
  std::vector<Started> started;
  {
    std::lock_guard<std::mutex> lock(mu_);
    started = TakeDue(now_ms_(), nullptr);
  }
  std::set<std::uint64_t> waiting;
  for (const auto& [ticket, http] : started) {
    transport_->Start(ticket, http);
    waiting.insert(ticket);
  }
  while (!waiting.empty()) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stop_) break;
    }
    std::vector<PingAnswer> answers = transport_->Wait(kIdleWait);
    for (const PingAnswer& a : answers) waiting.erase(a.ticket);
    Record(std::move(answers));
  }
  return started.size();
}

PingSender::Verdict PingSender::Judge(Kind kind, const PingResponse& answer) {
  Verdict v{OutcomeOf(answer.status),
            answer.error.empty() ? "HTTP " + std::to_string(answer.status) : answer.error};
  if (v.outcome == PingOutcome::kDelivered && kind == Kind::kXmlRpc) {
    if (std::optional<std::string> failure = XmlRpcFailure(answer.body)) {
      v.outcome = PingOutcome::kGiveUp;
      v.why = std::move(*failure);
    }
  }
  return v;
}

void PingSender::Record(std::vector<PingAnswer> answers) {
  std::lock_guard<std::mutex> lock(mu_);
  const std::int64_t now = now_ms_();
  Rows save, done;
  std::uniform_real_distribution<double> jitter(0.0, 1.0);
  for (const PingAnswer& answer : answers) {
    const auto node = in_flight_.extract(answer.ticket);
    if (!node) continue;  // not one of ours
    const Request& r = node.mapped();
    const Verdict verdict = Judge(r.kind, answer.response);
    if (metrics_ && r.kind != Kind::kPurge) metrics_->CountPing(r.endpoint, "sent");
    if (metrics_ && r.kind == Kind::kPurge) CountPurge(r, verdict, now);
    const Backoff backoff{jitter(random_), ParseRetryAfter(answer.response.retry_after,
                                                           static_cast<UnixTime>(now / 1000))};
    const int attempts = Apply(r, verdict.outcome, backoff, now, &save, &done);
    if (metrics_ && r.kind == Kind::kPurge && verdict.outcome != PingOutcome::kDelivered &&
        (verdict.outcome == PingOutcome::kGiveUp || attempts >= settings_.retry_limit)) {
      metrics_->CountPurge(Shown(r.endpoint), "given_up");
    }
    LogAnswer(r, answer.response, verdict, attempts);
  }
  // A reload that removed an endpoint while its ping was in flight.
  for (PendingPing& p : DropUnconfigured()) done.push_back(std::move(p));
  if (Status s = store_->UpdatePings(save, done); !s.ok()) Log(LogLevel::kError, s.message());
}

int PingSender::Apply(const Request& request, PingOutcome outcome, const Backoff& backoff,
                      std::int64_t now_ms, Rows* save, Rows* done) {
  int attempts = 0;
  for (const auto& [topic, generation] : request.topics) {
    auto it = pending_.find({request.endpoint, topic});
    if (it == pending_.end()) continue;  // dropped by a reload meanwhile
    it->second.in_flight = false;
    if (outcome == PingOutcome::kDelivered) {
      RecordDelivered(it, generation, now_ms, save, done);
    } else {
      attempts = it->second.attempts + 1;
      RecordFailed(it, generation, outcome, backoff, now_ms, save, done);
    }
  }
  return attempts;
}

void PingSender::RecordDelivered(Pending::iterator it, std::uint64_t generation_sent,
                                 std::int64_t now_ms, Rows* save, Rows* done) {
  Entry& e = it->second;
  if (metrics_ && !IsPurge(it->first.first)) {
    metrics_->CountPing(it->first.first, "delivered");
    metrics_->ObservePingLatency(std::chrono::milliseconds(now_ms - e.changed_ms));
  }
  if (e.generation == generation_sent) {
    done->push_back(Row(it->first, e));
    pending_.erase(it);
    return;
  }
  SendAgain(it, now_ms, save);  // changed again while the ping was on its way
}

void PingSender::RecordFailed(Pending::iterator it, std::uint64_t generation_sent,
                              PingOutcome outcome, const Backoff& backoff, std::int64_t now_ms,
                              Rows* save, Rows* done) {
  Entry& e = it->second;
  const std::string& endpoint = it->first.first;
  e.attempts += 1;
  const bool ping = !IsPurge(endpoint);
  if (outcome == PingOutcome::kGiveUp || e.attempts >= settings_.retry_limit) {
    if (metrics_ && ping) metrics_->CountPing(endpoint, "failed");
    if (e.generation != generation_sent) {
      // What was sent is given up; the change made since is news to the
      // endpoint and gets its own attempts.
      SendAgain(it, now_ms, save);
      return;
    }
    done->push_back(Row(it->first, e));
    pending_.erase(it);
    return;
  }
  if (metrics_ && ping) metrics_->CountPing(endpoint, "retried");
  const auto delay = RetryDelay(e.attempts, settings_.retry_min, settings_.retry_max, backoff.roll,
                                backoff.retry_after);
  e.due_ms = now_ms + delay.count();
  e.changed_in_flight_ms.reset();  // the retry carries it; changed_ms is still the oldest
  save->push_back(Row(it->first, e));
}

void PingSender::SendAgain(Pending::iterator it, std::int64_t now_ms, Rows* save) {
  Entry& e = it->second;
  e.attempts = 0;
  e.due_ms = now_ms;
  // The latency is measured from the first change not acknowledged.
  e.changed_ms = e.changed_in_flight_ms.value_or(now_ms);
  e.changed_in_flight_ms.reset();
  save->push_back(Row(it->first, e));
}

void PingSender::CountPurge(const Request& request, const Verdict& verdict,
                            std::int64_t now_ms) const {
  const std::string endpoint = Shown(request.endpoint);
  metrics_->CountPurge(endpoint, "sent");
  if (verdict.outcome != PingOutcome::kDelivered) {
    metrics_->CountPurge(endpoint, "failed");
    return;
  }
  // From the oldest change among its keys (still pending: read before Apply()).
  std::optional<std::int64_t> oldest;
  for (const auto& [key, generation] : request.topics) {
    auto it = pending_.find({request.endpoint, key});
    if (it != pending_.end() && (!oldest || it->second.changed_ms < *oldest)) {
      oldest = it->second.changed_ms;
    }
  }
  if (oldest) metrics_->ObservePurgeLatency(std::chrono::milliseconds(now_ms - *oldest));
}

void PingSender::LogAnswer(const Request& request, const PingResponse& answer,
                           const Verdict& verdict, int attempts) const {
  const bool purge = request.kind == Kind::kPurge;
  const LogField count{purge ? "keys" : "topics", std::to_string(request.topics.size())};
  const std::string endpoint = Shown(request.endpoint);
  if (verdict.outcome == PingOutcome::kDelivered) {
    Log(LogLevel::kInfo, purge ? "purged:" : "pinged:",
        {{"endpoint", endpoint},
         count,
         {"status", std::to_string(answer.status)},
         {"ms", std::to_string(answer.took.count())}});
  } else if (verdict.outcome == PingOutcome::kGiveUp || attempts >= settings_.retry_limit) {
    Log(LogLevel::kError, purge ? "purge given up:" : "ping given up:",
        {{"endpoint", endpoint},
         count,
         {"why", verdict.why},
         {"attempts", std::to_string(std::max(attempts, 1))}});
  } else {
    Log(LogLevel::kWarning, purge ? "purge failed, will retry:" : "ping failed, will retry:",
        {{"endpoint", endpoint},
         count,
         {"why", verdict.why},
         {"attempts", std::to_string(attempts)}});
  }
}

}  // namespace feedd
