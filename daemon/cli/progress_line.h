// daemon/cli/progress_line.h
//
// Says how far a long command has got: files read, documents written, the
// rate and the time so far. On a terminal, one line redrawn a few times a
// second and erased at the end; elsewhere (a log, a pipe), one line every
// few seconds, and nothing for work shorter than that.
//
// The work counts into Counters from any thread; a thread of the
// ProgressLine's own reads them.

#ifndef FEEDD_DAEMON_CLI_PROGRESS_LINE_H_
#define FEEDD_DAEMON_CLI_PROGRESS_LINE_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <iosfwd>
#include <mutex>
#include <string>
#include <thread>

namespace feedd {

class ProgressLine {
 public:
  struct Counters {
    std::atomic<std::size_t> files_read{0};
    std::atomic<std::size_t> documents_done{0};
    std::atomic<std::size_t> documents_total{0};  ///< 0 while the files are read
  };

  /// Draws on |out| (redrawn in place when |terminal|) until Stop().
  ProgressLine(std::ostream& out, bool terminal, const Counters* counters);
  ~ProgressLine() { Stop(); }
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  /// Ends the drawing (erasing the line on a terminal); idempotent.
  void Stop();

  /// The text of the line for |counters| after |elapsed|.
  static std::string Describe(const Counters& counters,
                              std::chrono::steady_clock::duration elapsed);

 private:
  void Run();

  std::ostream& out_;
  const bool terminal_;
  const Counters* counters_;
  const std::chrono::steady_clock::time_point started_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace feedd

#endif  // FEEDD_DAEMON_CLI_PROGRESS_LINE_H_
