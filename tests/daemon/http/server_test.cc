// The server and its sessions over real loopback connections, with a raw
// socket client, so the bytes on the wire are exactly what a test sends:
// requests split into single bytes, pipelined requests, silent and idle
// clients, garbage after a bad request (which only a real TCP stack turns
// into a reset), and more connections than allowed. session_test.cc runs a
// session alone on beast::test::stream.

#include "daemon/http/server.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <thread>

#include "tests/testing/served_text.h"

namespace feedd::http {
namespace {

namespace net = boost::asio;

// A blocking client socket; every read gives up after 10 s, so a server
// that never answers fails the test instead of hanging it.
class Client {
 public:
  explicit Client(unsigned short port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    const int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    timeval tv{10, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~Client() { ::close(fd_); }
  bool connected() const { return connected_; }

  bool Send(const std::string& bytes) {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(bytes.size());
  }
  /// Reads until the server closes; |eof| tells whether it did (rather
  /// than the read timing out or being reset).
  std::string ReadToClose(bool* eof = nullptr) {
    std::string all;
    char buf[4096];
    for (;;) {
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        if (eof) *eof = n == 0;
        return all;
      }
      all.append(buf, static_cast<std::size_t>(n));
    }
  }
  /// Reads until |count| complete responses of known length are in.
  std::string ReadResponses(std::size_t count) {
    std::string all;
    char buf[4096];
    while (Complete(all) < count) {
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) break;
      all.append(buf, static_cast<std::size_t>(n));
    }
    return all;
  }

 private:
  // How many whole responses |s| holds (each with a Content-Length).
  static std::size_t Complete(const std::string& s) {
    std::size_t count = 0, at = 0;
    for (;;) {
      const std::size_t end = s.find("\r\n\r\n", at);
      if (end == std::string::npos) return count;
      const std::size_t cl = s.find("Content-Length: ", at);
      std::size_t length = 0;
      if (cl != std::string::npos && cl < end) length = std::stoul(s.substr(cl + 16));
      if (s.size() < end + 4 + length) return count;
      ++count;
      at = end + 4 + length;
    }
  }
  int fd_;
  bool connected_ = false;
};

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    snapshots_.Publish(testing::TwoTextDocuments());
    config_.listen = {"127.0.0.1:0"};
    config_.header_timeout = 1;
    config_.idle_timeout = 1;
    config_.pipeline_limit = 2;
  }
  void Start() {
    server_ = std::make_unique<Server>(ioc_, config_, false, &snapshots_);
    const Result<boost::asio::ip::tcp::endpoint> bound =
        server_->Listen(*ParseListenAddress("127.0.0.1:0"));
    ASSERT_TRUE(bound.ok()) << bound.status().message();
    port_ = bound->port();
    server_->Start();
    thread_ = std::thread([this] { ioc_.run(); });
  }
  void TearDown() override {
    ioc_.stop();
    if (thread_.joinable()) thread_.join();
  }

  net::io_context ioc_;
  SnapshotHolder snapshots_;
  ServerConfig config_;
  std::unique_ptr<Server> server_;
  unsigned short port_ = 0;
  std::thread thread_;
};

TEST_F(ServerTest, ARequestSentOneByteAtATimeIsAnswered) {
  Start();
  Client client(port_);
  ASSERT_TRUE(client.connected());
  const std::string request = "GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  for (char c : request) ASSERT_TRUE(client.Send(std::string(1, c)));
  bool eof = false;
  const std::string response = client.ReadToClose(&eof);
  EXPECT_TRUE(response.starts_with("HTTP/1.1 200 OK\r\n")) << response;
  EXPECT_TRUE(response.ends_with("\r\n\r\ndocument a\n"));
  EXPECT_TRUE(eof);
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrderPastThePipelineLimit) {
  Start();
  Client client(port_);
  std::string burst;
  const char* targets[] = {"/a", "/b", "/a", "/b", "/a", "/missing", "/b"};
  for (const char* target : targets) {
    burst += std::string("GET ") + target + " HTTP/1.1\r\nHost: x\r\n\r\n";
  }
  ASSERT_TRUE(client.Send(burst));  // 7 requests, at most 2 answers queued at once
  const std::string all = client.ReadResponses(7);
  EXPECT_EQ(6u, testing::Occurrences(all, "HTTP/1.1 200 OK"));
  EXPECT_EQ(1u, testing::Occurrences(all, "HTTP/1.1 404"));
  std::vector<std::size_t> at;
  for (std::size_t i = all.find("document "); i != std::string::npos;
       i = all.find("document ", i + 1)) {
    at.push_back(i);
  }
  ASSERT_EQ(6u, at.size());
  std::string order;
  for (std::size_t i : at) order += all[i + 9];
  EXPECT_EQ("ababab", order);
  const std::size_t not_found = all.find("Not found.");
  EXPECT_GT(not_found, at[4]);  // the 404 came between the fifth and the last
  EXPECT_LT(not_found, at[5]);
}

TEST_F(ServerTest, ASilentClientIsClosedAtTheHeaderTimeout) {
  Start();
  Client client(port_);
  ASSERT_TRUE(client.Send("GET /a HTTP/1.1\r\nHost: x\r\n"));  // never finished
  bool eof = false;
  const std::string response = client.ReadToClose(&eof);
  EXPECT_TRUE(eof) << "the server did not close a half-sent request";
  EXPECT_EQ("", response);
}

TEST_F(ServerTest, AnIdleKeepAliveConnectionIsClosedAtTheIdleTimeout) {
  Start();
  Client client(port_);
  ASSERT_TRUE(client.Send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n"));
  const std::string first = client.ReadResponses(1);
  EXPECT_TRUE(first.starts_with("HTTP/1.1 200 OK\r\n"));
  EXPECT_EQ(std::string::npos, first.find("Connection: close"));
  bool eof = false;
  EXPECT_EQ("", client.ReadToClose(&eof));
  EXPECT_TRUE(eof);
}

TEST_F(ServerTest, ABadRequestIsAnsweredInFullDespiteWhatFollowsIt) {
  Start();
  Client client(port_);
  // A malformed request line, then more than the socket buffers hold: a
  // plain close would reset the connection and lose the 400.
  ASSERT_TRUE(client.Send("GET /a HTTP/9.9 garbage\r\n\r\n"));
  client.Send(std::string(256 * 1024, 'x'));
  bool eof = false;
  const std::string response = client.ReadToClose(&eof);
  EXPECT_TRUE(response.starts_with("HTTP/1.1 400 Bad Request\r\n")) << response;
  EXPECT_NE(std::string::npos, response.find("Connection: close"));
  EXPECT_TRUE(eof);
}

TEST_F(ServerTest, AnOversizedHeaderGets431) {
  config_.max_header_bytes = 1024;
  Start();
  Client client(port_);
  ASSERT_TRUE(
      client.Send("GET /a HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4096, 'y') + "\r\n\r\n"));
  const std::string response = client.ReadToClose();
  EXPECT_TRUE(response.starts_with("HTTP/1.1 431")) << response.substr(0, 80);
}

TEST_F(ServerTest, AtMaxConnectionsTheLongestIdleMakesRoom) {
  config_.max_connections = 2;
  config_.idle_timeout = 30;
  Start();
  Client first(port_), second(port_);
  for (Client* c : {&first, &second}) {
    ASSERT_TRUE(c->Send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_TRUE(c->ReadResponses(1).starts_with("HTTP/1.1 200"));
  }
  Client third(port_);
  ASSERT_TRUE(third.Send("GET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  EXPECT_NE(std::string::npos, third.ReadToClose().find("document b"));
  bool eof = false;
  first.ReadToClose(&eof);  // idle the longest: closed to make room
  EXPECT_TRUE(eof);
  EXPECT_LE(server_->connections(), 2u);
}

// A response that takes longer to download than idle_timeout: the wait for
// the next request starts only once it is written.
TEST_F(ServerTest, ASlowDownloadOutlastsTheIdleTimeoutAndIsNotEvicted) {
  auto snapshot = std::make_shared<Snapshot>(*testing::TwoTextDocuments());
  const std::string big(24 << 20, 'x');
  snapshot->routes["/big"] = MakeDocument("text/plain; charset=utf-8", big, 1772323200);
  snapshots_.Publish(snapshot);
  config_.idle_timeout = 1;
  config_.write_timeout = 30;
  config_.max_connections = 1;
  Start();
  // A small receive window, so the server's write waits on the reader.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  const int small = 4096;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port_);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(0, ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr));
  const std::string get = "GET /big HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_EQ(static_cast<ssize_t>(get.size()), ::send(fd, get.data(), get.size(), MSG_NOSIGNAL));
  // Another client at max_connections while the download is in flight:
  // the busy connection is not "idle", so it is not closed to make room.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  {
    Client other(port_);
    ASSERT_TRUE(other.Send("GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    other.ReadToClose();
  }
  std::string all;
  char buf[65536];
  timeval tv{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  const std::size_t header_end_guess = 512;
  while (all.size() < big.size() + header_end_guess) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    all.append(buf, static_cast<std::size_t>(n));
    const std::size_t end = all.find("\r\n\r\n");
    if (end != std::string::npos && all.size() >= end + 4 + big.size()) break;
  }
  ::close(fd);
  const std::size_t end = all.find("\r\n\r\n");
  ASSERT_NE(std::string::npos, end);
  EXPECT_TRUE(all.starts_with("HTTP/1.1 200")) << all.substr(0, 200);
  EXPECT_EQ(big.size(), all.size() - end - 4);
}

TEST_F(ServerTest, DrainClosesIdleConnections) {
  config_.idle_timeout = 30;
  Start();
  Client client(port_);
  ASSERT_TRUE(client.Send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(client.ReadResponses(1).starts_with("HTTP/1.1 200"));
  server_->Drain();
  bool eof = false;
  client.ReadToClose(&eof);
  EXPECT_TRUE(eof);
  Client late(port_);
  EXPECT_FALSE(late.connected() && late.Send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n") &&
               !late.ReadToClose().empty());
}

}  // namespace
}  // namespace feedd::http
