// One session alone, on beast::test::stream: no sockets, no real time.
// The stream is wrapped with what a session needs of a TCP stream: a
// deadline per operation, kept by a timer on which a configured second
// lasts 10 ms, so timeouts are tested without waiting for them.

#include "daemon/http/session.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/_experimental/test/stream.hpp>
#include <chrono>

#include "daemon/http/server_state.h"
#include "daemon/http/session_impl.h"
#include "tests/testing/served_text.h"

namespace feedd::http {

// beast::test::stream plus a deadline and cancel(): when the deadline
// passes, the stream is closed, so the pending read fails as a timed-out
// TCP read does.
class TimedTestStream {
 public:
  using executor_type = beast::test::stream::executor_type;

  /// |read| (may be null) gets the bytes read in all, when the stream goes.
  explicit TimedTestStream(beast::test::stream stream, std::size_t* read = nullptr)
      : stream_(std::move(stream)), timer_(stream_.get_executor()), read_(read) {}
  TimedTestStream(TimedTestStream&& other) noexcept
      : stream_(std::move(other.stream_)),
        timer_(std::move(other.timer_)),
        read_(std::exchange(other.read_, nullptr)) {}
  ~TimedTestStream() {
    if (read_) *read_ = stream_.nread_bytes();
  }

  executor_type get_executor() { return stream_.get_executor(); }

  template <class Buffers, class Handler>
  auto async_read_some(const Buffers& buffers, Handler&& handler) {
    return stream_.async_read_some(buffers, std::forward<Handler>(handler));
  }
  template <class Buffers, class Handler>
  auto async_write_some(const Buffers& buffers, Handler&& handler) {
    return stream_.async_write_some(buffers, std::forward<Handler>(handler));
  }

  void expires_after(std::chrono::steady_clock::duration after) {
    timer_.expires_after(after / 100);  // one configured second: 10 ms
    timer_.async_wait([stream = &stream_](boost::system::error_code ec) {
      if (!ec) stream->close();
    });
  }
  void cancel() { stream_.close(); }

  beast::test::stream& stream() { return stream_; }

 private:
  beast::test::stream stream_;
  net::steady_timer timer_;
  std::size_t* read_;
};

// test::stream has no half-close: closing tells the peer "end of stream"
// and cancels only a read in progress, so later reads still drain what the
// peer sends, as reads after a TCP shutdown(SHUT_WR) do.
void ShutdownSend(TimedTestStream& s, beast::error_code& ec) {
  s.stream().close();
  ec = {};
}
void CloseStream(TimedTestStream& s, beast::error_code& ec) {
  s.stream().close();
  ec = {};
}

namespace {

using TestSession = BasicSession<TimedTestStream>;

class SessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    snapshots_.Publish(testing::TwoTextDocuments());
    config_.header_timeout = 1;
    config_.idle_timeout = 2;
    config_.pipeline_limit = 2;
  }

  // Starts a session on a fresh stream pair; the peer is what a client
  // writes to and reads from.
  void Start(std::size_t read_size = 0) {
    state_ = std::make_shared<ServerState>();
    state_->snapshots = &snapshots_;
    state_->SetLimits(LimitsFrom(config_, false));
    ASSERT_TRUE(state_->Admit("127.0.0.1", 0));
    beast::test::stream local(ioc_);
    peer_.emplace(beast::test::connect(local));
    if (read_size) local.read_size(read_size);
    auto session = std::make_shared<TestSession>(TimedTestStream(std::move(local), &read_), state_,
                                                 state_->limits(), "127.0.0.1");
    session_ = session;
    session->Run();
  }
  // Runs until nothing is left to do, or 5 s pass.
  void RunAll() {
    ioc_.restart();
    ioc_.run_for(std::chrono::seconds(5));
  }
  // What the session wrote so far.
  std::string Written() { return peer_->str(); }
  bool Closed() { return session_.expired(); }

  net::io_context ioc_;
  SnapshotHolder snapshots_;
  ServerConfig config_;
  std::shared_ptr<ServerState> state_;
  std::optional<beast::test::stream> peer_;
  std::weak_ptr<TestSession> session_;
  std::size_t read_ = 0;  ///< what the session read in all, once it is gone
};

TEST_F(SessionTest, ARequestReadOneByteAtATimeIsAnswered) {
  Start(/*read_size=*/1);
  peer_->write_some(
      net::buffer(std::string("GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")));
  RunAll();
  const std::string out = Written();
  EXPECT_TRUE(out.starts_with("HTTP/1.1 200 OK\r\n")) << out;
  EXPECT_NE(std::string::npos, out.find("Connection: close\r\n"));
  EXPECT_TRUE(out.ends_with("\r\n\r\ndocument a\n"));
  EXPECT_TRUE(Closed());
}

TEST_F(SessionTest, PipelinedRequestsAreAnsweredInOrderPastThePipelineLimit) {
  Start();
  std::string burst;
  for (const char* target : {"/a", "/b", "/missing", "/b", "/a"}) {
    burst += std::string("GET ") + target + " HTTP/1.1\r\nHost: x\r\n\r\n";
  }
  burst += "GET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  peer_->write_some(net::buffer(burst));
  RunAll();
  const std::string out = Written();
  EXPECT_EQ(5u, testing::Occurrences(out, "HTTP/1.1 200 OK\r\n"));
  EXPECT_EQ(1u, testing::Occurrences(out, "HTTP/1.1 404 Not Found\r\n"));
  std::string order;
  for (auto at = out.find("document "); at != std::string::npos; at = out.find("document ", at + 1))
    order += out[at + 9];
  EXPECT_EQ("abbab", order);
  EXPECT_LT(out.find("document b"), out.find("Not found."));
  EXPECT_TRUE(Closed());
}

TEST_F(SessionTest, ASilentClientIsClosedAtTheHeaderTimeout) {
  Start();
  peer_->write_some(net::buffer(std::string("GET /a HTTP/1.1\r\nHost: x\r\n")));
  RunAll();
  EXPECT_EQ("", Written());
  EXPECT_TRUE(Closed());
}

TEST_F(SessionTest, AnIdleKeepAliveConnectionIsClosedAtTheIdleTimeout) {
  Start();
  peer_->write_some(net::buffer(std::string("GET /a HTTP/1.1\r\nHost: x\r\n\r\n")));
  ioc_.run_for(std::chrono::milliseconds(5));  // less than the idle timeout's 20 ms
  EXPECT_EQ(1u, testing::Occurrences(Written(), "HTTP/1.1 200 OK\r\n"));
  EXPECT_FALSE(Closed());
  RunAll();
  EXPECT_TRUE(Closed());
  EXPECT_EQ(std::string::npos, Written().find("Connection: close"));
}

TEST_F(SessionTest, ABadRequestIsAnsweredThenTheRestIsDrainedUpToALimit) {
  Start();
  const std::string bad = "GET /a HTTP/9.9 garbage\r\n\r\n";
  peer_->write_some(net::buffer(bad));
  // Far more than the lingering close reads (64 KB) before it gives up.
  peer_->write_some(net::buffer(std::string(1 << 20, 'x')));
  RunAll();
  const std::string out = Written();
  EXPECT_TRUE(out.starts_with("HTTP/1.1 400 Bad Request\r\n")) << out;
  EXPECT_NE(std::string::npos, out.find("Connection: close\r\n"));
  EXPECT_TRUE(Closed());
  // It read on after answering (64 KB), so a TCP client gets the 400
  // rather than a reset, but gave up long before the megabyte.
  EXPECT_GT(read_, bad.size() + 64 * 1024);
  EXPECT_LT(read_, bad.size() + 128 * 1024);
  EXPECT_EQ(0u, state_->connections.load());
}

TEST_F(SessionTest, AFoldedHeaderLineGets400AndCloses) {
  // obs-fold, which Beast would join into "Host: x": RFC 9112 5.2.
  for (const char* fold : {"Host:\r\n x\r\n\r\n", "Host: x\r\nAccept: a,\r\n\tb\r\n\r\n"}) {
    for (std::size_t read_size : {std::size_t{0}, std::size_t{1}}) {
      Start(read_size);
      peer_->write_some(net::buffer(std::string("GET /a HTTP/1.1\r\n") + fold));
      RunAll();
      const std::string out = Written();
      EXPECT_TRUE(out.starts_with("HTTP/1.1 400 Bad Request\r\n")) << fold << out;
      EXPECT_NE(std::string::npos, out.find("Connection: close\r\n")) << out;
      EXPECT_EQ(std::string::npos, out.find("document a")) << out;
      EXPECT_TRUE(Closed());
    }
  }
}

TEST_F(SessionTest, AHeadRequestAndARevalidationGetHeadersOnly) {
  Start();
  const std::string etag = snapshots_.Current()->Find("/a")->etag;
  peer_->write_some(
      net::buffer("HEAD /a HTTP/1.1\r\nHost: x\r\n\r\nGET /a HTTP/1.1\r\nHost: x\r\n"
                  "If-None-Match: " +
                  etag + "\r\nConnection: close\r\n\r\n"));
  RunAll();
  const std::string out = Written();
  EXPECT_TRUE(out.starts_with("HTTP/1.1 200 OK\r\n"));
  EXPECT_NE(std::string::npos, out.find("\r\n\r\nHTTP/1.1 304 Not Modified\r\n"));
  EXPECT_EQ(std::string::npos, out.find("document a"));
  EXPECT_TRUE(out.ends_with("Connection: close\r\n\r\n"));
}

TEST_F(SessionTest, DrainClosesAnIdleConnectionAndFinishesABusyOne) {
  Start();
  peer_->write_some(net::buffer(std::string("GET /a HTTP/1.1\r\nHost: x\r\n\r\n")));
  ioc_.run_for(std::chrono::milliseconds(5));
  ASSERT_EQ(1u, testing::Occurrences(Written(), "HTTP/1.1 200 OK\r\n"));
  session_.lock()->Drain();
  ioc_.run_for(std::chrono::milliseconds(5));  // well before the idle timeout
  EXPECT_TRUE(Closed());
}

}  // namespace
}  // namespace feedd::http
