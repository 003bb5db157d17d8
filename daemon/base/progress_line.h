// daemon/base/progress_line.h
//
// Says how far long work has got (`feedd build`, the first scan of `feedd
// serve`): files read, documents exported, the rate and the time so far. On
// a terminal, one line redrawn a few times a second and erased at the end;
// elsewhere (a log, a pipe), one line every few seconds, and nothing for
// work shorter than that.
//
// The work counts into Counters from any thread; a thread of the
// ProgressLine's own reads them.

#ifndef FEEDD_DAEMON_BASE_PROGRESS_LINE_H_
#define FEEDD_DAEMON_BASE_PROGRESS_LINE_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
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

  /// Redraws the line in place on |terminal| until Stop().
  ProgressLine(std::ostream& terminal, const Counters* counters);
  /// Hands |log| a line every |every| until Stop().
  ProgressLine(std::function<void(const std::string&)> log, const Counters* counters,
               std::chrono::milliseconds every = std::chrono::seconds(5));
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

  std::ostream* terminal_;                             // or null
  const std::function<void(const std::string&)> log_;  // when not a terminal
  const Counters* counters_;
  const std::chrono::milliseconds every_;
  const std::chrono::steady_clock::time_point started_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace feedd

#endif  // FEEDD_DAEMON_BASE_PROGRESS_LINE_H_
