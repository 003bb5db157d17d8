#include "daemon/push/ping_sender.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

#include "daemon/push/ping_requests.h"
#include "daemon/push/purge_requests.h"

namespace feedd {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;

constexpr char kHubA[] = "http://hub-a.test/hub";
constexpr char kHubB[] = "http://hub-b.test/hub";
constexpr char kTopic[] = "http://news.test/feed.rss";

PingResponse Answer(long status, std::string retry_after = "") {
  PingResponse r;
  r.status = status;
  r.retry_after = std::move(retry_after);
  r.took = milliseconds(3);
  return r;
}

PingResponse TimedOut() {
  PingResponse r;
  r.error = "Timeout was reached";
  r.took = milliseconds(10000);
  return r;
}

// Keeps every request it is given, in batches (those started between two
// Wait()s), and answers each with what |answer| says for it (204 by
// default) at once, except those |holds| names: those never end.
class FakeTransport final : public PingTransport {
 public:
  std::function<PingResponse(const PingRequest&)> answer = [](const PingRequest&) {
    return Answer(204);
  };
  std::function<bool(const PingRequest&)> holds = [](const PingRequest&) { return false; };

  void Start(std::uint64_t ticket, const PingRequest& request) override {
    const bool held = holds(request);
    // |answer| may call into the sender: not under mu_.
    PingAnswer done{ticket, held ? PingResponse() : answer(request)};
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!batch_open_) batches_.emplace_back();
      batch_open_ = true;
      batches_.back().push_back(request);
      if (!held) ended_.push_back(std::move(done));
    }
    changed_.notify_all();
  }
  std::vector<PingAnswer> Wait(milliseconds limit) override {
    std::unique_lock<std::mutex> lock(mu_);
    batch_open_ = false;
    changed_.wait_for(lock, limit, [this] { return !ended_.empty() || woken_; });
    woken_ = false;
    return std::exchange(ended_, {});
  }
  void Wake() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      woken_ = true;
    }
    changed_.notify_all();
  }

  std::vector<std::vector<PingRequest>> batches() {
    std::lock_guard<std::mutex> lock(mu_);
    return batches_;
  }
  /// The requests sent to |url| so far.
  std::size_t SentTo(const std::string& url) {
    std::lock_guard<std::mutex> lock(mu_);
    std::size_t n = 0;
    for (const auto& batch : batches_) {
      n += std::count_if(batch.begin(), batch.end(),
                         [&url](const PingRequest& r) { return r.url == url; });
    }
    return n;
  }
  /// Waits (for another thread) until |count| batches were sent.
  bool WaitForBatches(std::size_t count) {
    std::unique_lock<std::mutex> lock(mu_);
    return changed_.wait_for(lock, std::chrono::seconds(10),
                             [&] { return batches_.size() >= count; });
  }

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  std::vector<std::vector<PingRequest>> batches_;
  bool batch_open_ = false;
  std::vector<PingAnswer> ended_;
  bool woken_ = false;
};

class PingSenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("feedd-ping-sender-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    settings_.hubs = {kHubA};
    settings_.retry_min = milliseconds(1000);
    settings_.retry_max = milliseconds(8000);
    settings_.retry_limit = 12;
    settings_.timeout = milliseconds(700);
    settings_.connect_timeout = milliseconds(300);
  }
  void TearDown() override {
    sender_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::unique_ptr<StateStore> OpenStore() {
    Result<std::unique_ptr<StateStore>> store = StateStore::Open(dir_);
    EXPECT_TRUE(store.ok()) << store.status().message();
    return store.ok() ? std::move(*store) : nullptr;
  }

  // A sender with settings_, the fake transport and the test's clock, its
  // store loaded.
  void MakeSender() {
    auto transport = std::make_unique<FakeTransport>();
    transport_ = transport.get();
    sender_ = std::make_unique<PingSender>(OpenStore(), settings_, &metrics_, std::move(transport),
                                           [this] { return now_.load(); });
    ASSERT_TRUE(sender_->Load().ok());
  }

  // What the store holds now, read through a connection of its own.
  std::vector<PendingPing> Stored() {
    std::unique_ptr<StateStore> store = OpenStore();
    Result<std::vector<PendingPing>> pings = store->LoadPings();
    EXPECT_TRUE(pings.ok()) << pings.status().message();
    return pings.ok() ? *pings : std::vector<PendingPing>{};
  }
  std::optional<PendingPing> StoredFor(const std::string& endpoint) {
    for (const PendingPing& p : Stored()) {
      if (p.endpoint == endpoint) return p;
    }
    return std::nullopt;
  }

  std::string MetricsText() { return metrics_.Render({}); }
  // The value of the counter |name| for |endpoint|; "none" when it has none.
  std::string Counter(const std::string& name, const std::string& endpoint) {
    const std::string text = MetricsText();
    const std::string line = name + "{endpoint=\"" + endpoint + "\"} ";
    const std::size_t at = text.find(line);
    return at == std::string::npos
               ? "none"
               : text.substr(at + line.size(), text.find('\n', at) - at - line.size());
  }
  // Waits (for the sender's thread) until |done| holds; false after 10 s.
  static bool WaitFor(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(milliseconds(1));
    }
    return true;
  }

  std::filesystem::path dir_;
  PingSettings settings_;
  Metrics metrics_;
  std::atomic<std::int64_t> now_{1'800'000'000'000};
  FakeTransport* transport_ = nullptr;  // owned by sender_
  std::unique_ptr<PingSender> sender_;
};

TEST_F(PingSenderTest, ASuccessRemovesTheRowFromTheStore) {
  MakeSender();
  ASSERT_TRUE(sender_->Enqueue({kTopic}, now_ - 500).ok());
  ASSERT_EQ(1u, Stored().size());  // stored before Enqueue() returns

  EXPECT_EQ(1u, sender_->SendDue());
  ASSERT_EQ(1u, transport_->batches().size());
  const PingRequest sent = transport_->batches()[0].at(0);
  EXPECT_EQ(kHubA, sent.url);
  EXPECT_EQ("application/x-www-form-urlencoded", sent.content_type);
  EXPECT_EQ(PublishForm({kTopic}), sent.body);
  EXPECT_EQ(milliseconds(700), sent.timeout);
  EXPECT_EQ(milliseconds(300), sent.connect_timeout);
  EXPECT_TRUE(sent.follow_redirects);
  EXPECT_TRUE(Stored().empty());
  EXPECT_EQ(0u, sender_->SendDue());  // nothing left
  EXPECT_THAT(MetricsText(),
              HasSubstr("feedd_pings_delivered_total{endpoint=\"" + std::string(kHubA) + "\"} 1"));
}

TEST_F(PingSenderTest, AServiceUnavailableIsRetriedWithGrowingDelays) {
  MakeSender();
  transport_->answer = [](const PingRequest&) { return Answer(503); };
  ASSERT_TRUE(sender_->Enqueue({kTopic}, now_).ok());
  std::int64_t last_delay = 0;
  for (int attempt = 1; attempt <= 6; ++attempt) {
    ASSERT_EQ(1u, sender_->SendDue()) << "attempt " << attempt;
    const std::optional<PendingPing> row = StoredFor(kHubA);
    ASSERT_TRUE(row) << "attempt " << attempt;
    EXPECT_EQ(attempt, row->attempts);
    const std::int64_t delay = row->due_ms - now_;
    // retry_min * 2^(attempt-1), at most retry_max, with a jitter of ±20%.
    const std::int64_t base = std::min<std::int64_t>(1000LL << (attempt - 1), 8000);
    EXPECT_GE(delay, base * 8 / 10) << "attempt " << attempt;
    EXPECT_LE(delay, base * 12 / 10) << "attempt " << attempt;
    if (base < 8000) {
      EXPECT_GT(delay, last_delay) << "attempt " << attempt;
    }
    last_delay = delay;
    now_ = row->due_ms - 1;
    EXPECT_EQ(0u, sender_->SendDue()) << "asked before its time, attempt " << attempt;
    now_ = row->due_ms;
  }
  EXPECT_THAT(MetricsText(),
              HasSubstr("feedd_pings_retried_total{endpoint=\"" + std::string(kHubA) + "\"} 6"));
}

TEST_F(PingSenderTest, RetryAfterIsHonoured) {
  settings_.retry_min = milliseconds(100);
  MakeSender();
  transport_->answer = [](const PingRequest&) { return Answer(429, "30"); };
  ASSERT_TRUE(sender_->Enqueue({kTopic}, now_).ok());
  ASSERT_EQ(1u, sender_->SendDue());
  const std::optional<PendingPing> row = StoredFor(kHubA);
  ASSERT_TRUE(row);
  EXPECT_EQ(1, row->attempts);
  EXPECT_EQ(now_ + 30000, row->due_ms);
}

TEST_F(PingSenderTest, ANotFoundIsGivenUpAtOnceAndLeavesTheStore) {
  MakeSender();
  transport_->answer = [](const PingRequest&) { return Answer(404); };
  ASSERT_TRUE(sender_->Enqueue({kTopic}, now_).ok());
  ASSERT_EQ(1u, sender_->SendDue());
  EXPECT_TRUE(Stored().empty());
  now_ += 3600 * 1000;
  EXPECT_EQ(0u, sender_->SendDue());
  EXPECT_THAT(MetricsText(),
              HasSubstr("feedd_pings_failed_total{endpoint=\"" + std::string(kHubA) + "\"} 1"));
}

TEST_F(PingSenderTest, AnXmlRpcFlerrorIsGivenUpAtOnce) {
  settings_.hubs.clear();
  settings_.xmlrpc_pings = {"http://rpc.test/RPC2"};
  settings_.main_feed_url = kTopic;
  MakeSender();
  transport_->answer = [](const PingRequest&) {
    PingResponse r = Answer(200);
    r.body =
        "<methodResponse><params><param><value><struct>"
        "<member><name>flerror</name><value><boolean>1</boolean></value></member>"
        "<member><name>message</name><value>Blog not found</value></member>"
        "</struct></value></param></params></methodResponse>";
    return r;
  };
  ASSERT_TRUE(sender_->Enqueue({"http://news.test/other.atom"}, now_).ok());
  ASSERT_EQ(1u, sender_->SendDue());
  const PingRequest sent = transport_->batches().at(0).at(0);
  EXPECT_EQ("text/xml; charset=utf-8", sent.content_type);
  EXPECT_THAT(sent.body, HasSubstr(kTopic));  // the main feed, whatever changed
  EXPECT_TRUE(Stored().empty());
}

TEST_F(PingSenderTest, TheRetryLimitReachedIsGivenUp) {
  settings_.retry_limit = 3;
  MakeSender();
  transport_->answer = [](const PingRequest&) { return TimedOut(); };
  ASSERT_TRUE(sender_->Enqueue({kTopic}, now_).ok());
  for (int attempt = 1; attempt < 3; ++attempt) {
    ASSERT_EQ(1u, sender_->SendDue());
    const std::optional<PendingPing> row = StoredFor(kHubA);
    ASSERT_TRUE(row);
    EXPECT_EQ(attempt, row->attempts);
    now_ = row->due_ms;
  }
  ASSERT_EQ(1u, sender_->SendDue());  // the third and last
  EXPECT_TRUE(Stored().empty());
  now_ += 3600 * 1000;
  EXPECT_EQ(0u, sender_->SendDue());
  EXPECT_EQ(3u, transport_->batches().size());
}

TEST_F(PingSenderTest, AHubThatNeverAnswersDoesNotHoldBackAnother) {
  settings_.hubs = {kHubA, kHubB};
  MakeSender();
  transport_->answer = [](const PingRequest& r) {
    return r.url == kHubA ? TimedOut() : Answer(204);
  };
  ASSERT_TRUE(sender_->Enqueue({kTopic}, now_).ok());
  ASSERT_EQ(2u, sender_->SendDue());
  // Both went out in the same batch, each with its own timeout.
  ASSERT_EQ(1u, transport_->batches().size());
  const std::vector<PingRequest> batch = transport_->batches()[0];
  ASSERT_EQ(2u, batch.size());
  for (const PingRequest& r : batch) EXPECT_EQ(milliseconds(700), r.timeout);
  const std::vector<PendingPing> stored = Stored();
  ASSERT_EQ(1u, stored.size());
  EXPECT_EQ(kHubA, stored[0].endpoint);
  EXPECT_EQ(1, stored[0].attempts);
}

TEST_F(PingSenderTest, AFeedChangedWhileInFlightIsPingedOnceMore) {
  MakeSender();
  bool changed = false;
  transport_->answer = [&](const PingRequest&) {
    if (!changed) {  // the feed changes again while its ping is out
      changed = true;
      EXPECT_TRUE(sender_->Enqueue({kTopic}, now_).ok());
    }
    return Answer(204);
  };
  ASSERT_TRUE(sender_->Enqueue({kTopic}, now_).ok());
  ASSERT_EQ(1u, sender_->SendDue());
  const std::optional<PendingPing> row = StoredFor(kHubA);
  ASSERT_TRUE(row);
  EXPECT_EQ(0, row->attempts);
  EXPECT_EQ(now_, row->due_ms);

  ASSERT_EQ(1u, sender_->SendDue());
  EXPECT_TRUE(Stored().empty());
  EXPECT_EQ(0u, sender_->SendDue());
  EXPECT_EQ(2u, transport_->batches().size());
}

TEST_F(PingSenderTest, ChangesOfABurstGoInOneRequestPerHub) {
  settings_.hubs = {kHubA, kHubB};
  MakeSender();
  ASSERT_TRUE(sender_->Enqueue({kTopic, "http://news.test/feed.atom"}, now_).ok());
  ASSERT_TRUE(sender_->Enqueue({kTopic}, now_).ok());  // again before it went out
  ASSERT_EQ(2u, sender_->SendDue());
  const std::vector<PingRequest> batch = transport_->batches().at(0);
  ASSERT_EQ(2u, batch.size());
  for (const PingRequest& r : batch) {
    EXPECT_EQ(PublishForm({"http://news.test/feed.atom", kTopic}), r.body) << r.url;
  }
  EXPECT_TRUE(Stored().empty());
}

TEST_F(PingSenderTest, AChangeMadeWhileItsPingIsRefusedIsStillSent) {
  MakeSender();
  int calls = 0;
  transport_->answer = [&](const PingRequest&) {
    if (++calls > 1) return Answer(204);
    // The feed changes again while its ping is out, and the hub refuses
    // that ping.
    EXPECT_TRUE(sender_->Enqueue({kTopic}, now_).ok());
    return Answer(404);
  };
  ASSERT_TRUE(sender_->Enqueue({kTopic}, now_).ok());
  ASSERT_EQ(1u, sender_->SendDue());
  const std::optional<PendingPing> row = StoredFor(kHubA);
  ASSERT_TRUE(row);  // the newer change, with attempts of its own
  EXPECT_EQ(0, row->attempts);
  EXPECT_EQ(now_, row->due_ms);

  ASSERT_EQ(1u, sender_->SendDue());
  EXPECT_TRUE(Stored().empty());
  EXPECT_EQ(2, calls);
  EXPECT_EQ("1", Counter("feedd_pings_failed_total", kHubA));
  EXPECT_EQ("1", Counter("feedd_pings_delivered_total", kHubA));
}

TEST_F(PingSenderTest, APingSentAgainCountsFromTheFirstChangeNotAcknowledged) {
  MakeSender();
  std::int64_t second = 0;
  transport_->answer = [&](const PingRequest&) {
    if (!second) {
      // The ping takes a second; 800 ms before its answer the feed changed
      // again, and once more 100 ms before it.
      now_ += 1000;
      second = now_ - 800;
      EXPECT_TRUE(sender_->Enqueue({kTopic}, second).ok());
      EXPECT_TRUE(sender_->Enqueue({kTopic}, now_ - 100).ok());
    }
    return Answer(204);
  };
  ASSERT_TRUE(sender_->Enqueue({kTopic}, now_ - 500).ok());
  ASSERT_EQ(1u, sender_->SendDue());
  const std::optional<PendingPing> row = StoredFor(kHubA);
  ASSERT_TRUE(row);
  EXPECT_EQ(second, row->changed_ms);

  now_ += 300;
  ASSERT_EQ(1u, sender_->SendDue());
  EXPECT_TRUE(Stored().empty());
  // 1.5 s and 1.1 s: neither within a second.
  EXPECT_THAT(MetricsText(), HasSubstr("feedd_ping_latency_seconds_bucket{le=\"1\"} 0\n"));
  EXPECT_THAT(MetricsText(), HasSubstr("feedd_ping_latency_seconds_bucket{le=\"2.5\"} 2\n"));
}

// Issue 20, item 23: each hub on its own.
TEST_F(PingSenderTest, AHubThatNeverAnswersDelaysNoPingToAnother) {
  settings_.hubs = {kHubA, kHubB};
  MakeSender();
  transport_->holds = [](const PingRequest& r) { return r.url == kHubA; };
  sender_->Start();
  const auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(sender_->Enqueue({kTopic}, now_).ok());
  ASSERT_TRUE(WaitFor([&] { return Counter("feedd_pings_delivered_total", kHubB) == "1"; }));
  // The feed changes again while hub A still holds its first ping.
  ASSERT_TRUE(sender_->Enqueue({kTopic}, now_).ok());
  ASSERT_TRUE(WaitFor([&] { return Counter("feedd_pings_delivered_total", kHubB) == "2"; }));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
  EXPECT_EQ(2u, transport_->SentTo(kHubB));
  // One request per hub and topic in flight: hub A hears of the second
  // change once it answers the first.
  EXPECT_EQ(1u, transport_->SentTo(kHubA));
  sender_->Stop();
  const std::vector<PendingPing> stored = Stored();
  ASSERT_EQ(1u, stored.size());
  EXPECT_EQ(kHubA, stored[0].endpoint);
}

TEST_F(PingSenderTest, PendingPingsFromTheStoreAreSentAfterStart) {
  {
    std::unique_ptr<StateStore> store = OpenStore();
    ASSERT_TRUE(store
                    ->UpdatePings({{kHubA, kTopic, 2, now_ - 10, now_ - 60000},
                                   {"http://gone.test/hub", kTopic, 1, now_ - 10, now_ - 60000}},
                                  {})
                    .ok());
  }
  MakeSender();
  // The endpoint no longer configured is dropped by Load().
  ASSERT_EQ(1u, Stored().size());
  EXPECT_EQ(0u, transport_->batches().size());  // nothing before Start()

  sender_->Start();
  ASSERT_TRUE(transport_->WaitForBatches(1));
  const std::vector<PingRequest> batch = transport_->batches().at(0);
  ASSERT_EQ(1u, batch.size());
  EXPECT_EQ(kHubA, batch[0].url);
  EXPECT_EQ(PublishForm({kTopic}), batch[0].body);
  // The answer is recorded on the sender's thread.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!Stored().empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(2));
  }
  EXPECT_TRUE(Stored().empty());
  sender_->Stop();
}

TEST_F(PingSenderTest, ARequestInFlightAtStopStaysPending) {
  MakeSender();
  transport_->holds = [](const PingRequest&) { return true; };
  ASSERT_TRUE(sender_->Enqueue({kTopic}, now_).ok());
  sender_->Start();
  ASSERT_TRUE(transport_->WaitForBatches(1));
  sender_->Stop();
  const std::optional<PendingPing> row = StoredFor(kHubA);
  ASSERT_TRUE(row);
  EXPECT_EQ(0, row->attempts);  // as queued: the failure was not recorded
}

}  // namespace
}  // namespace feedd

namespace feedd {
namespace {

constexpr char kEdgeA[] = "http://edge-a.test:6081/";
constexpr char kEdgeB[] = "http://edge-b.test:6081/";

// The sender with two cache endpoints: one as feedd.vcl expects it (url
// alone), one with every key set.
class PurgeTest : public PingSenderTest {
 protected:
  void SetUp() override {
    PingSenderTest::SetUp();
    settings_.hubs.clear();
    PurgeConfig a;
    a.url = kEdgeA;
    PurgeConfig b;
    b.url = kEdgeB;
    b.method = "BAN";
    b.key_header = "Cache-Tag";
    b.secret_header = "X-Token";
    b.secret = "s3cret";
    settings_.purges = {a, b};
  }
  static const PingRequest* To(const std::vector<PingRequest>& batch, const std::string& url) {
    for (const PingRequest& r : batch) {
      if (r.url == url) return &r;
    }
    return nullptr;
  }
  // The keys a request names in its header |name|.
  static std::vector<std::string> KeysOf(const PingRequest& r, const std::string& name) {
    for (const std::string& line : r.headers) {
      if (!line.starts_with(name + ": ")) continue;
      std::vector<std::string> keys;
      std::string rest = line.substr(name.size() + 2);
      for (std::size_t at; (at = rest.find(' ')) != std::string::npos; rest.erase(0, at + 1)) {
        keys.push_back(rest.substr(0, at));
      }
      keys.push_back(rest);
      return keys;
    }
    return {};
  }
  std::string Count(const std::string& what, const std::string& endpoint) {
    return Counter("feedd_purges_" + what + "_total", endpoint);
  }
};

TEST_F(PurgeTest, EveryEndpointGetsTheKeysInOneRequestWithItsMethodAndHeaders) {
  MakeSender();
  transport_->answer = [](const PingRequest&) { return Answer(200); };
  ASSERT_TRUE(sender_->Purge({"doc:/feed.rss", "doc:/feed.atom"}, now_ - 40).ok());
  ASSERT_EQ(4u, Stored().size());  // two keys for each of two endpoints, stored at once

  EXPECT_EQ(2u, sender_->SendDue());
  ASSERT_EQ(1u, transport_->batches().size());  // both endpoints together
  const std::vector<PingRequest> batch = transport_->batches()[0];
  const PingRequest* a = To(batch, kEdgeA);
  const PingRequest* b = To(batch, kEdgeB);
  ASSERT_TRUE(a && b);
  EXPECT_EQ("PURGE", a->method);
  EXPECT_EQ(std::vector<std::string>{"xkey-purge: doc:/feed.atom doc:/feed.rss"}, a->headers);
  EXPECT_EQ("", a->body);
  EXPECT_EQ("", a->content_type);
  EXPECT_EQ(milliseconds(700), a->timeout);
  EXPECT_FALSE(a->follow_redirects);  // a 3xx is the edge's answer
  EXPECT_EQ("BAN", b->method);
  EXPECT_EQ(
      (std::vector<std::string>{"Cache-Tag: doc:/feed.atom doc:/feed.rss", "X-Token: s3cret"}),
      b->headers);
  EXPECT_TRUE(Stored().empty());
  EXPECT_EQ(0u, sender_->SendDue());
  EXPECT_EQ("1", Count("sent", kEdgeA));
  EXPECT_EQ("0", Count("failed", kEdgeA));
  EXPECT_THAT(MetricsText(), HasSubstr("feedd_purge_latency_seconds_count 2\n"));
  EXPECT_THAT(MetricsText(), HasSubstr("feedd_purge_latency_seconds_bucket{le=\"0.05\"} 2\n"));
  EXPECT_THAT(MetricsText(), ::testing::Not(HasSubstr("feedd_pings_sent_total{")));
}

TEST_F(PurgeTest, NoEndpointsMeansNothingQueued) {
  settings_.purges.clear();
  MakeSender();
  ASSERT_TRUE(sender_->Purge({"doc:/feed.rss"}, now_).ok());
  EXPECT_TRUE(Stored().empty());
  EXPECT_EQ(0u, sender_->SendDue());
}

TEST_F(PurgeTest, MoreThanFourThousandBytesOfKeysAreSplitIntoSeveralRequests) {
  settings_.purges.resize(1);
  MakeSender();
  std::vector<std::string> keys;
  for (int i = 0; i < 400; ++i)
    keys.push_back("doc:/articles/story-" + std::to_string(i) + ".html");
  ASSERT_TRUE(sender_->Purge(keys, now_).ok());
  const std::size_t sent = sender_->SendDue();
  EXPECT_GE(sent, 3u);
  std::vector<std::string> purged;
  const std::vector<std::vector<PingRequest>> batches = transport_->batches();
  for (const PingRequest& r : batches.at(0)) {
    ASSERT_EQ(1u, r.headers.size());
    EXPECT_LE(r.headers[0].size(), std::string("xkey-purge: ").size() + 4000);
    for (std::string& k : KeysOf(r, "xkey-purge")) purged.push_back(std::move(k));
  }
  std::sort(keys.begin(), keys.end());
  std::sort(purged.begin(), purged.end());
  EXPECT_EQ(keys, purged);
  EXPECT_TRUE(Stored().empty());
}

TEST_F(PurgeTest, RefusalsAreGivenUpAtOnceAndLogged) {
  int refused = 0;
  for (const long status : {405L, 403L, 400L}) {
    SCOPED_TRACE(status);
    ++refused;
    sender_.reset();
    MakeSender();
    transport_->answer = [status](const PingRequest& r) {
      return Answer(r.url == kEdgeA ? status : 200);
    };
    ASSERT_TRUE(sender_->Purge({"doc:/feed.rss"}, now_).ok());
    EXPECT_EQ(2u, sender_->SendDue());
    EXPECT_TRUE(Stored().empty());  // not kept for a retry
    now_ += 3600 * 1000;
    EXPECT_EQ(0u, sender_->SendDue());
    EXPECT_EQ(std::to_string(refused), Count("failed", kEdgeA));
    EXPECT_EQ(std::to_string(refused), Count("given_up", kEdgeA));
    EXPECT_EQ("0", Count("failed", kEdgeB));
  }
}

TEST_F(PurgeTest, ServerErrorsAndNoConnectionAreRetriedWithBackoffAndCountedFailed) {
  MakeSender();
  int calls = 0;
  transport_->answer = [&calls](const PingRequest& r) {
    if (r.url == kEdgeB) return Answer(200);
    return ++calls == 1 ? Answer(503) : calls == 2 ? TimedOut() : Answer(200);
  };
  ASSERT_TRUE(sender_->Purge({"doc:/feed.rss"}, now_).ok());
  EXPECT_EQ(2u, sender_->SendDue());
  std::optional<PendingPing> row = StoredFor(PurgeEndpointId(kEdgeA));
  ASSERT_TRUE(row);
  EXPECT_EQ(1, row->attempts);
  EXPECT_GE(row->due_ms - now_, 800);  // retry_min with jitter
  EXPECT_EQ(0u, sender_->SendDue());   // not before its time, and edge B is done
  now_ = row->due_ms;
  EXPECT_EQ(1u, sender_->SendDue());
  row = StoredFor(PurgeEndpointId(kEdgeA));
  ASSERT_TRUE(row);
  EXPECT_EQ(2, row->attempts);
  now_ = row->due_ms;
  EXPECT_EQ(1u, sender_->SendDue());
  EXPECT_TRUE(Stored().empty());
  EXPECT_EQ("3", Count("sent", kEdgeA));
  EXPECT_EQ("2", Count("failed", kEdgeA));
  EXPECT_EQ("0", Count("given_up", kEdgeA));
  EXPECT_EQ("1", Count("sent", kEdgeB));
}

TEST_F(PurgeTest, PendingPurgesOutliveARestartAndThoseOfGoneEndpointsAreDropped) {
  MakeSender();
  ASSERT_TRUE(sender_->Purge({"doc:/feed.rss"}, now_).ok());
  sender_.reset();             // stopped before sending anything
  settings_.purges.resize(1);  // edge B is no longer configured
  MakeSender();
  ASSERT_EQ(1u, Stored().size());
  EXPECT_EQ(PurgeEndpointId(kEdgeA), Stored()[0].endpoint);
  transport_->answer = [](const PingRequest&) { return Answer(200); };
  EXPECT_EQ(1u, sender_->SendDue());
  EXPECT_EQ(std::vector<std::string>{"xkey-purge: doc:/feed.rss"},
            transport_->batches().at(0).at(0).headers);
  EXPECT_TRUE(Stored().empty());
}

TEST_F(PurgeTest, PingsAndPurgesGoOutInOneRoundAndNeverMix) {
  settings_.hubs = {kHubA};
  settings_.purges.resize(1);
  PurgeConfig same_url;  // a cache at a hub's URL is still a cache
  same_url.url = kHubA;
  settings_.purges.push_back(same_url);
  MakeSender();
  ASSERT_TRUE(sender_->Enqueue({kTopic}, now_).ok());
  ASSERT_TRUE(sender_->Purge({"doc:/feed.rss"}, now_).ok());
  EXPECT_EQ(3u, sender_->SendDue());
  const std::vector<PingRequest> batch = transport_->batches().at(0);
  int posts = 0, purges = 0;
  for (const PingRequest& r : batch) {
    if (r.method == "POST") {
      ++posts;
      EXPECT_EQ(kHubA, r.url);
      EXPECT_EQ(PublishForm({kTopic}), r.body);
    } else {
      ++purges;
      EXPECT_EQ(std::vector<std::string>{"xkey-purge: doc:/feed.rss"}, r.headers);
    }
  }
  EXPECT_EQ(1, posts);
  EXPECT_EQ(2, purges);
}

// Issue 22: a hanging edge holds back no purge of the other.
TEST_F(PurgeTest, AnEdgeThatNeverAnswersDelaysNoPurgeOfAnother) {
  MakeSender();
  transport_->holds = [](const PingRequest& r) { return r.url == kEdgeA; };
  transport_->answer = [](const PingRequest&) { return Answer(200); };
  sender_->Start();
  const auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(sender_->Purge({"doc:/feed.rss"}, now_).ok());
  ASSERT_TRUE(WaitFor([&] { return Count("sent", kEdgeB) == "1"; }));
  ASSERT_TRUE(sender_->Purge({"doc:/feed.rss", "doc:/index.html"}, now_).ok());
  ASSERT_TRUE(WaitFor([&] { return Count("sent", kEdgeB) == "2"; }));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
  EXPECT_EQ("0", Count("failed", kEdgeB));
  // Edge A: the first purge still out, and a second one for the key that
  // is not in flight; doc:/feed.rss waits for the first's answer.
  ASSERT_TRUE(WaitFor([&] { return transport_->SentTo(kEdgeA) == 2; }));
  EXPECT_EQ("none", Count("sent", kEdgeA));
  sender_->Stop();
  for (const PendingPing& p : Stored()) EXPECT_EQ(PurgeEndpointId(kEdgeA), p.endpoint);
  EXPECT_EQ(2u, Stored().size());
}

TEST_F(PurgeTest, AnEdgeThatNeverAnswersHoldsAtMostSixteenRequests) {
  settings_.purges.resize(1);
  MakeSender();
  transport_->holds = [](const PingRequest&) { return true; };
  std::vector<std::string> keys;  // about 100 keys per request: 25 requests' worth
  for (int i = 0; i < 2500; ++i) {
    keys.push_back("doc:/articles/a-long-story-number-" + std::to_string(i) + ".html");
  }
  ASSERT_TRUE(sender_->Purge(keys, now_).ok());
  sender_->Start();
  ASSERT_TRUE(WaitFor([&] { return transport_->SentTo(kEdgeA) >= 16; }));
  ASSERT_TRUE(sender_->Purge({"doc:/feed.rss"}, now_).ok());  // wakes the thread once more
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_EQ(16u, transport_->SentTo(kEdgeA));
  sender_->Stop();
}

TEST_F(PurgeTest, AKeyChangedAgainWhileInFlightIsPurgedOnceMore) {
  settings_.purges.resize(1);
  MakeSender();
  transport_->answer = [this](const PingRequest&) {
    // The document changes again while its purge is on its way.
    EXPECT_TRUE(sender_->Purge({"doc:/feed.rss"}, now_).ok());
    return Answer(200);
  };
  ASSERT_TRUE(sender_->Purge({"doc:/feed.rss"}, now_).ok());
  EXPECT_EQ(1u, sender_->SendDue());
  transport_->answer = [](const PingRequest&) { return Answer(200); };
  EXPECT_EQ(1u, sender_->SendDue());
  EXPECT_TRUE(Stored().empty());
}

}  // namespace
}  // namespace feedd
