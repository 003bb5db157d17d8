#include "daemon/push/curl_ping_transport.h"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace feedd {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;

// A socket listening on 127.0.0.1 at a port of the kernel's choosing.
// Connections to it complete (the kernel's backlog) whether or not anyone
// accepts them.
class Listener {
 public:
  Listener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof addr;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), size) != 0 ||
        ::listen(fd_, 8) != 0 || ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &size)) {
      ADD_FAILURE() << "cannot listen on 127.0.0.1";
      return;
    }
    port_ = ntohs(addr.sin_port);
    // accept() and read() give up rather than hang a failing test.
    const timeval limit{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  }
  ~Listener() { Close(); }
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  int fd() const { return fd_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hub"; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// Accepts one connection on |listener|, reads one request (headers and a
// Content-Length body), answers |response| and returns the request.
std::string AnswerOne(const Listener& listener, const std::string& response) {
  const int c = ::accept(listener.fd(), nullptr, nullptr);
  if (c < 0) return "";
  const timeval limit{5, 0};
  ::setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  std::string got;
  char buf[4096];
  for (;;) {
    const std::size_t end = got.find("\r\n\r\n");
    if (end != std::string::npos) {
      const std::size_t at = got.find("Content-Length: ");
      const std::size_t length = at < end ? std::stoul(got.substr(at + 16)) : 0;
      if (got.size() >= end + 4 + length) break;
    }
    const ssize_t n = ::read(c, buf, sizeof buf);
    if (n <= 0) break;
    got.append(buf, static_cast<std::size_t>(n));
  }
  std::size_t written = 0;
  while (written < response.size()) {
    const ssize_t n = ::write(c, response.data() + written, response.size() - written);
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  ::close(c);
  return got;
}

PingRequest Post(const std::string& url, milliseconds timeout) {
  PingRequest r;
  r.url = url;
  r.content_type = "application/x-www-form-urlencoded";
  r.body = "hub.mode=publish&hub.url=http%3A%2F%2Fnews.test%2Ffeed.rss";
  r.timeout = timeout;
  r.connect_timeout = milliseconds(1000);
  return r;
}

// Starts |requests| (tickets 0, 1, ...) and waits until every one has
// ended, at most 10 s; their answers in the same order.
std::vector<PingResponse> SendAll(PingTransport* transport,
                                  const std::vector<PingRequest>& requests) {
  for (std::size_t i = 0; i < requests.size(); ++i) transport->Start(i, requests[i]);
  std::vector<PingResponse> answers(requests.size());
  std::size_t left = requests.size();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (left > 0 && std::chrono::steady_clock::now() < deadline) {
    for (PingAnswer& a : transport->Wait(milliseconds(100))) {
      answers.at(a.ticket) = std::move(a.response);
      --left;
    }
  }
  EXPECT_EQ(0u, left) << "requests that never ended";
  return answers;
}

// Waits until the request under |ticket| ends, at most |limit|; its answer
// (answers of other requests go to |others|).
std::optional<PingResponse> WaitForTicket(PingTransport* transport, std::uint64_t ticket,
                                          milliseconds limit, std::vector<PingAnswer>* others) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  std::optional<PingResponse> mine;
  while (!mine && std::chrono::steady_clock::now() < deadline) {
    for (PingAnswer& a : transport->Wait(milliseconds(50))) {
      if (a.ticket == ticket) {
        mine = std::move(a.response);
      } else {
        others->push_back(std::move(a));
      }
    }
  }
  return mine;
}

TEST(CurlPingTransportTest, AnEndpointThatNeverAnswersTimesOutAlone) {
  Listener silent;  // accepts nothing, answers nothing
  Listener hub;
  std::string received;
  std::thread server([&] {
    received = AnswerOne(hub,
                         "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 7\r\n"
                         "Content-Length: 4\r\nConnection: close\r\n\r\nbusy");
  });
  CurlPingTransport transport;
  const auto started = std::chrono::steady_clock::now();
  const std::vector<PingResponse> answers = SendAll(
      &transport, {Post(silent.url(), milliseconds(400)), Post(hub.url(), milliseconds(5000))});
  const auto took = std::chrono::steady_clock::now() - started;
  server.join();

  ASSERT_EQ(2u, answers.size());
  EXPECT_EQ(0, answers[0].status);
  EXPECT_FALSE(answers[0].error.empty());
  EXPECT_GE(answers[0].took, milliseconds(350));
  EXPECT_LT(took, std::chrono::seconds(3));  // its own timeout, not the other's

  EXPECT_EQ(429, answers[1].status) << answers[1].error;
  EXPECT_EQ("7", answers[1].retry_after);
  EXPECT_EQ("busy", answers[1].body);
  EXPECT_LT(answers[1].took, milliseconds(350));  // not held back by the silent one
  EXPECT_THAT(received, HasSubstr("POST /hub HTTP/1.1\r\n"));
  EXPECT_THAT(received, HasSubstr("Content-Type: application/x-www-form-urlencoded\r\n"));
  EXPECT_THAT(received, HasSubstr("User-Agent: feedd/"));
  EXPECT_THAT(received, HasSubstr("\r\n\r\nhub.mode=publish&hub.url="));
}

// Issue 20, item 23: a request started while another endpoint hangs goes
// out, and is answered, at once.
TEST(CurlPingTransportTest, ASilentEndpointDoesNotDelayALaterRequestToALiveOne) {
  Listener silent;
  Listener hub;
  const std::string ok = "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n";
  std::thread server([&] {
    AnswerOne(hub, ok);
    AnswerOne(hub, ok);
  });
  CurlPingTransport transport;
  const auto started = std::chrono::steady_clock::now();
  transport.Start(0, Post(silent.url(), milliseconds(5000)));
  transport.Start(1, Post(hub.url(), milliseconds(5000)));
  std::vector<PingAnswer> others;
  const std::optional<PingResponse> first =
      WaitForTicket(&transport, 1, milliseconds(3000), &others);
  ASSERT_TRUE(first);
  EXPECT_EQ(204, first->status) << first->error;
  transport.Start(2, Post(hub.url(), milliseconds(5000)));  // the next change
  const std::optional<PingResponse> second =
      WaitForTicket(&transport, 2, milliseconds(3000), &others);
  ASSERT_TRUE(second);
  EXPECT_EQ(204, second->status) << second->error;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1));
  EXPECT_TRUE(others.empty());  // the silent one is still out
  server.join();
}

TEST(CurlPingTransportTest, APurgeIsSentWithItsMethodAndHeadersAndNoBody) {
  Listener edge;
  std::string received;
  std::thread server([&] {
    received = AnswerOne(edge,
                         "HTTP/1.1 200 OK\r\nxkey-purged: 2\r\nContent-Length: 9\r\n"
                         "Connection: close\r\n\r\npurged 2\n");
  });
  PingRequest purge;
  purge.url = edge.url();
  purge.method = "PURGE";
  purge.headers = {"xkey-purge: doc:/feed.rss doc:/feed.atom", "X-Purge-Secret: s"};
  CurlPingTransport transport;
  const std::vector<PingResponse> answers = SendAll(&transport, {purge});
  server.join();
  ASSERT_EQ(1u, answers.size());
  EXPECT_EQ(200, answers[0].status) << answers[0].error;
  EXPECT_THAT(received, HasSubstr("PURGE /hub HTTP/1.1\r\n"));
  EXPECT_THAT(received, HasSubstr("\r\nxkey-purge: doc:/feed.rss doc:/feed.atom\r\n"));
  EXPECT_THAT(received, HasSubstr("\r\nX-Purge-Secret: s\r\n"));
  EXPECT_THAT(received, HasSubstr("\r\nContent-Length: 0\r\n"));
  EXPECT_THAT(received, ::testing::Not(HasSubstr("Content-Type")));
  EXPECT_TRUE(received.ends_with("\r\n\r\n"));
}

TEST(CurlPingTransportTest, APingFollowsARedirectAndARequestThatMustNotDoesNot) {
  Listener moved;
  Listener hub;
  const std::string redirect = "HTTP/1.1 307 Temporary Redirect\r\nLocation: " + hub.url() +
                               "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
  std::string followed;
  std::thread server([&] {
    AnswerOne(moved, redirect);
    followed = AnswerOne(hub, "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
  });
  CurlPingTransport transport;
  const std::vector<PingResponse> ping =
      SendAll(&transport, {Post(moved.url(), milliseconds(3000))});
  server.join();
  ASSERT_EQ(1u, ping.size());
  EXPECT_EQ(204, ping[0].status) << ping[0].error;
  EXPECT_THAT(followed, HasSubstr("POST /hub HTTP/1.1\r\n"));  // still a POST

  server = std::thread([&] { AnswerOne(moved, redirect); });
  PingRequest purge;
  purge.url = moved.url();
  purge.method = "PURGE";
  purge.follow_redirects = false;
  const std::vector<PingResponse> answer = SendAll(&transport, {purge});
  server.join();
  ASSERT_EQ(1u, answer.size());
  EXPECT_EQ(307, answer[0].status) << answer[0].error;  // the answer, not followed
}

TEST(CurlPingTransportTest, NoConnectionIsAnErrorWithoutAStatus) {
  Listener closed;
  const std::string url = closed.url();
  closed.Close();  // nothing listens there any more
  CurlPingTransport transport;
  const std::vector<PingResponse> answers = SendAll(&transport, {Post(url, milliseconds(2000))});
  ASSERT_EQ(1u, answers.size());
  EXPECT_EQ(0, answers[0].status);
  EXPECT_FALSE(answers[0].error.empty());
}

TEST(CurlPingTransportTest, WakeEndsAWaitAndARequestInFlightIsDroppedWithTheTransport) {
  Listener silent;
  const auto started = std::chrono::steady_clock::now();
  {
    CurlPingTransport transport;
    transport.Start(0, Post(silent.url(), milliseconds(10000)));
    std::thread waker([&] {
      std::this_thread::sleep_for(milliseconds(100));
      transport.Wake();
    });
    EXPECT_TRUE(transport.Wait(milliseconds(10000)).empty());
    waker.join();
    transport.Wake();  // before a Wait(): that one returns at once
    EXPECT_TRUE(transport.Wait(milliseconds(10000)).empty());
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
}

}  // namespace
}  // namespace feedd
