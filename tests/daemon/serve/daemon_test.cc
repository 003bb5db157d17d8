// The whole daemon in one process: the articles in a MemoryFolder, the
// state store in a temporary folder, a free loopback port, the feed fetched
// over HTTP with libcurl, an article added while it runs, and Stop() as
// SIGTERM would stop it. Then the startup errors that must end Run() with
// an exit code and a message saying what went wrong.
//
// Nothing sleeps blindly: every wait has a deadline and fails the test
// when it passes.

#include "daemon/serve/daemon.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include "daemon/base/exit_codes.h"
#include "feeds/input/memory_folder.h"
#include "tests/testing/temp_dir.h"

namespace feedd {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

// Runs a Daemon on a thread of its own and tells the test what it heard:
// the bound ports, readiness, the exit code. Every wait has a deadline.
class DaemonThread {
 public:
  DaemonThread(Config config, OpenArticleFolder open_folder)
      : daemon_(std::move(config), nullptr, Parts(std::move(open_folder))) {}

  ~DaemonThread() {
    if (!thread_.joinable()) return;
    daemon_.Stop();
    if (!WaitForExit(10s)) {
      // Joining would hang the test run; fail loudly instead.
      std::fprintf(stderr, "the daemon did not stop within 10 s of Stop()\n");
      std::abort();
    }
    thread_.join();
  }

  void Start() {
    thread_ = std::thread([this] {
      const int code = daemon_.Run(err_);
      std::lock_guard<std::mutex> lock(mu_);
      exit_code_ = code;
      changed_.notify_all();
    });
  }
  void Stop() { daemon_.Stop(); }

  /// Whether it became ready within |timeout| (false at once if Run()
  /// returned first).
  bool WaitForReady(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    changed_.wait_for(lock, timeout, [this] { return ready_ || exit_code_.has_value(); });
    return ready_;
  }
  /// Run()'s exit code, if it returned within |timeout|.
  std::optional<int> WaitForExit(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    changed_.wait_for(lock, timeout, [this] { return exit_code_.has_value(); });
    return exit_code_;
  }

  /// What on_listening gave (empty until then).
  std::vector<boost::asio::ip::tcp::endpoint> endpoints() {
    std::lock_guard<std::mutex> lock(mu_);
    return endpoints_;
  }
  int listening_calls() {
    std::lock_guard<std::mutex> lock(mu_);
    return listening_calls_;
  }
  std::string status() {
    std::lock_guard<std::mutex> lock(mu_);
    return status_;
  }
  /// What Run() wrote to |err|; only once it has returned.
  std::string errors() {
    EXPECT_TRUE(WaitForExit(0ms).has_value());
    return err_.str();
  }

 private:
  DaemonParts Parts(OpenArticleFolder open_folder) {
    DaemonParts parts;
    parts.open_folder = std::move(open_folder);
    parts.on_listening = [this](const std::vector<boost::asio::ip::tcp::endpoint>& bound) {
      std::lock_guard<std::mutex> lock(mu_);
      endpoints_ = bound;
      ++listening_calls_;
    };
    parts.on_ready = [this](const std::string& status) {
      std::lock_guard<std::mutex> lock(mu_);
      ready_ = true;
      status_ = status;
      changed_.notify_all();
    };
    return parts;
  }

  std::mutex mu_;
  std::condition_variable changed_;
  std::vector<boost::asio::ip::tcp::endpoint> endpoints_;  // guarded by mu_
  int listening_calls_ = 0;                                // guarded by mu_
  bool ready_ = false;                                     // guarded by mu_
  std::string status_;                                     // guarded by mu_
  std::optional<int> exit_code_;                           // guarded by mu_
  std::ostringstream err_;                                 // the daemon's thread, until it returns
  Daemon daemon_;                                          // after everything its callbacks touch
  std::thread thread_;
};

struct Response {
  long status = 0;  ///< 0: no response (|error| says why)
  std::string body;
  std::string error;
};

std::size_t Append(char* data, std::size_t size, std::size_t n, void* body) {
  static_cast<std::string*>(body)->append(data, size * n);
  return size * n;
}

// GET http://127.0.0.1:|port||path|, giving up after 5 s; no proxy, whatever
// the environment says.
Response Get(unsigned short port, const std::string& path) {
  Response response;
  CURL* curl = curl_easy_init();
  if (!curl) {
    response.error = "curl_easy_init failed";
    return response;
  }
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + path;
  char error[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 5000L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  if (curl_easy_perform(curl) == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  } else {
    response.error = error;
  }
  curl_easy_cleanup(curl);
  return response;
}

// Articles written for this test: two in Markdown with front matter, one in
// the agency's plain text (title first; dated by the file's mtime).
constexpr const char* kBudget =
    "---\n"
    "title: Council Passes the Harbour Budget\n"
    "date: 2026-11-20T08:00:00Z\n"
    "category: Politics\n"
    "---\n"
    "\n"
    "The council voted eleven to four for the new harbour budget on Thursday evening.\n";
constexpr const char* kRegatta =
    "---\n"
    "title: Regatta Moved to Saturday\n"
    "date: 2026-11-21T09:30:00Z\n"
    "---\n"
    "\n"
    "Strong winds forecast for Friday pushed the autumn regatta back by a day.\n";
constexpr const char* kLibrary =
    "Library Opens Late on Thursdays\n"
    "\n"
    "The town library will keep its doors open until nine in the evening every Thursday.\n";
constexpr const char* kFerry =
    "---\n"
    "title: Night Ferry Returns for the Winter\n"
    "date: 2026-11-22T18:00:00Z\n"
    "---\n"
    "\n"
    "The late crossing to the islands runs again from the first of December.\n";

class DaemonTest : public ::testing::Test {
 protected:
  // Once, before any thread: libcurl's global state, as main() does.
  static void SetUpTestSuite() { curl_global_init(CURL_GLOBAL_DEFAULT); }
  static void TearDownTestSuite() { curl_global_cleanup(); }

  Config MakeConfig() const {
    Config config;
    config.articles_dir = "/nonexistent/articles";  // never read: the folder is in memory
    config.state_dir = temp_ / "state";
    config.server.listen = {"127.0.0.1:0"};
    config.server.drain_timeout = 2;
    config.watch.poll_interval = 1;  // the memory folder is scanned every second
    config.log.level = "warning";
    // The tests poll /feed.rss until it changes: unconditional repeats.
    config.server.pollers.enabled = false;
    return config;  // no export (output_dir empty), no hubs
  }

  /// Fetches /feed.rss until it has |title| or |timeout| passes; the last
  /// response either way.
  static Response FeedWith(unsigned short port, const std::string& title,
                           std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      Response response = Get(port, "/feed.rss");
      if (response.body.find(title) != std::string::npos ||
          std::chrono::steady_clock::now() >= deadline) {
        return response;
      }
      std::this_thread::sleep_for(50ms);
    }
  }

  const testing::TempDir temp_{"daemon-test"};
  MemoryFolder folder_;
};

TEST_F(DaemonTest, ServesTheFolderSeesANewArticleAndStopsWithExitZero) {
  folder_.Put("politics/budget.md", kBudget);
  folder_.Put("sport/regatta.md", kRegatta);
  folder_.Put("notes/library.txt", kLibrary);
  DaemonThread daemon(MakeConfig(), folder_.Opener());
  daemon.Start();
  ASSERT_TRUE(daemon.WaitForReady(10s)) << "not ready within 10 s";
  EXPECT_EQ(1, daemon.listening_calls());
  ASSERT_EQ(1u, daemon.endpoints().size());
  const unsigned short port = daemon.endpoints()[0].port();
  ASSERT_NE(0, port);  // the real port, not the 0 asked for
  EXPECT_THAT(daemon.status(), HasSubstr("3 articles"));

  const Response feed = Get(port, "/feed.rss");
  ASSERT_EQ(200, feed.status) << feed.error;
  EXPECT_THAT(feed.body, HasSubstr("Council Passes the Harbour Budget"));
  EXPECT_THAT(feed.body, HasSubstr("Regatta Moved to Saturday"));
  EXPECT_THAT(feed.body, HasSubstr("Library Opens Late on Thursdays"));
  EXPECT_THAT(feed.body, Not(HasSubstr("Night Ferry Returns")));
  EXPECT_EQ(404, Get(port, "/no-such-feed.rss").status);

  // No watcher on a memory folder: the next poll scan finds it.
  folder_.Put("harbour/ferry.md", kFerry);
  const Response changed = FeedWith(port, "Night Ferry Returns for the Winter", 10s);
  EXPECT_EQ(200, changed.status) << changed.error;
  EXPECT_THAT(changed.body, HasSubstr("Night Ferry Returns for the Winter"));
  EXPECT_THAT(changed.body, HasSubstr("Council Passes the Harbour Budget"));

  const auto asked = std::chrono::steady_clock::now();
  daemon.Stop();
  const std::optional<int> code = daemon.WaitForExit(5s);
  ASSERT_TRUE(code.has_value()) << "Run() did not return within 5 s of Stop()";
  EXPECT_EQ(kExitOk, *code);
  EXPECT_LT(std::chrono::steady_clock::now() - asked, 3s);  // nothing open to drain
  EXPECT_EQ("", daemon.errors());
  // Stopped means stopped: nothing listens any more.
  EXPECT_EQ(0, Get(port, "/feed.rss").status);
}

TEST_F(DaemonTest, AMissingFolderIsNotReadyUntilItAppears) {
  folder_.Put("sport/regatta.md", kRegatta);
  folder_.SetUnreadable("", true);  // as a folder that does not exist
  DaemonThread daemon(MakeConfig(), folder_.Opener());
  daemon.Start();
  // Polled for two seconds (two poll scans at least): never ready.
  const auto until = std::chrono::steady_clock::now() + 2s;
  unsigned short port = 0;
  int answers = 0;
  while (std::chrono::steady_clock::now() < until) {
    if (port == 0 && !daemon.endpoints().empty()) port = daemon.endpoints()[0].port();
    if (port != 0) {
      const Response ready = Get(port, "/readyz");
      ASSERT_EQ(503, ready.status) << ready.error;
      EXPECT_EQ(503, Get(port, "/feed.rss").status);
      ++answers;
    }
    ASSERT_FALSE(daemon.WaitForReady(100ms)) << "ready with the folder missing";
  }
  ASSERT_GT(answers, 0) << "the daemon never listened";
  ASSERT_FALSE(daemon.WaitForExit(0ms).has_value()) << "a missing folder must not stop it";

  folder_.SetUnreadable("", false);  // the folder appears
  ASSERT_TRUE(daemon.WaitForReady(10s)) << "not ready within 10 s of the folder appearing";
  EXPECT_THAT(daemon.status(), HasSubstr("1 article"));
  EXPECT_EQ(200, Get(port, "/readyz").status);
  const Response feed = Get(port, "/feed.rss");
  EXPECT_EQ(200, feed.status) << feed.error;
  EXPECT_THAT(feed.body, HasSubstr("Regatta Moved to Saturday"));
}

TEST_F(DaemonTest, AFolderThatVanishesKeepsTheLastGoodFeedsServed) {
  folder_.Put("sport/regatta.md", kRegatta);
  DaemonThread daemon(MakeConfig(), folder_.Opener());
  daemon.Start();
  ASSERT_TRUE(daemon.WaitForReady(10s)) << "not ready within 10 s";
  const unsigned short port = daemon.endpoints()[0].port();
  folder_.SetUnreadable("", true);  // gone at run time
  // Two seconds: two poll scans at least, each of which fails.
  const auto until = std::chrono::steady_clock::now() + 2s;
  while (std::chrono::steady_clock::now() < until) {
    const Response feed = Get(port, "/feed.rss");
    ASSERT_EQ(200, feed.status) << feed.error;
    ASSERT_THAT(feed.body, HasSubstr("Regatta Moved to Saturday"));
    EXPECT_EQ(200, Get(port, "/readyz").status);
    std::this_thread::sleep_for(50ms);
  }
}

TEST_F(DaemonTest, StopBeforeRunMakesRunReturnOnceStarted) {
  folder_.Put("sport/regatta.md", kRegatta);
  DaemonThread daemon(MakeConfig(), folder_.Opener());
  daemon.Stop();
  daemon.Start();
  const std::optional<int> code = daemon.WaitForExit(5s);
  ASSERT_TRUE(code.has_value()) << "Run() did not return within 5 s";
  EXPECT_EQ(kExitOk, *code);
}

TEST_F(DaemonTest, AnAddressInUseEndsRunWithAnExitCodeNamingIt) {
  // Hold a loopback port: bound and listening, without SO_REUSEPORT.
  const int held = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(held, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(0, ::bind(held, reinterpret_cast<sockaddr*>(&addr), sizeof addr));
  ASSERT_EQ(0, ::listen(held, 1));
  socklen_t len = sizeof addr;
  ASSERT_EQ(0, ::getsockname(held, reinterpret_cast<sockaddr*>(&addr), &len));
  const std::string address = "127.0.0.1:" + std::to_string(ntohs(addr.sin_port));

  Config config = MakeConfig();
  config.server.listen = {address};
  DaemonThread daemon(std::move(config), folder_.Opener());
  daemon.Start();
  const std::optional<int> code = daemon.WaitForExit(5s);
  ::close(held);
  ASSERT_TRUE(code.has_value()) << "Run() did not return within 5 s";
  EXPECT_EQ(kExitCantCreate, *code);
  EXPECT_THAT(daemon.errors(), HasSubstr("cannot listen on " + address));
  EXPECT_EQ(0, daemon.listening_calls());
  EXPECT_FALSE(daemon.WaitForReady(0ms));
}

TEST_F(DaemonTest, AStateDirThatCannotBeMadeEndsRunWithAnExitCodeNamingIt) {
  std::ofstream(temp_ / "plain-file") << "not a folder\n";
  Config config = MakeConfig();
  config.state_dir = temp_ / "plain-file" / "state";
  DaemonThread daemon(config, folder_.Opener());
  daemon.Start();
  const std::optional<int> code = daemon.WaitForExit(5s);
  ASSERT_TRUE(code.has_value()) << "Run() did not return within 5 s";
  EXPECT_EQ(kExitCantCreate, *code);
  EXPECT_THAT(daemon.errors(), HasSubstr(config.state_dir.string()));
  EXPECT_FALSE(daemon.WaitForReady(0ms));
}

}  // namespace
}  // namespace feedd
