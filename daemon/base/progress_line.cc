#include "daemon/base/progress_line.h"

#include <ostream>

namespace feedd {

namespace {

constexpr std::chrono::milliseconds kTerminalEvery{200};

// 1234567 -> "1,234,567"
std::string Grouped(std::size_t n) {
  std::string digits = std::to_string(n);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(i, ",");
  return digits;
}

}  // namespace

ProgressLine::ProgressLine(std::ostream& terminal, const Counters* counters)
    : terminal_(&terminal),
      counters_(counters),
      every_(kTerminalEvery),
      started_(std::chrono::steady_clock::now()),
      thread_([this] { Run(); }) {}

ProgressLine::ProgressLine(std::function<void(const std::string&)> log, const Counters* counters,
                           std::chrono::milliseconds every)
    : terminal_(nullptr),
      log_(std::move(log)),
      counters_(counters),
      every_(every),
      started_(std::chrono::steady_clock::now()),
      thread_([this] { Run(); }) {}

std::string ProgressLine::Describe(const Counters& counters,
                                   std::chrono::steady_clock::duration elapsed) {
  const double seconds = std::chrono::duration<double>(elapsed).count();
  const std::size_t total = counters.documents_total.load(std::memory_order_relaxed);
  const std::size_t read = counters.files_read.load(std::memory_order_relaxed);
  std::string line = "feedd: " + Grouped(read) + " files read";
  const std::size_t done = counters.documents_done.load(std::memory_order_relaxed);
  if (total > 0 || done > 0) {
    line +=
        ", " + Grouped(done) + (total > 0 ? " of " + Grouped(total) : "") + " documents exported";
    if (seconds >= 1) line += " (" + Grouped(static_cast<std::size_t>(done / seconds)) + "/s)";
  }
  return line + ", " + std::to_string(static_cast<long long>(seconds)) + " s";
}

void ProgressLine::Run() {
  std::unique_lock lock(mu_);
  for (;;) {
    if (terminal_) {
      *terminal_ << "\r\x1b[K" << Describe(*counters_, std::chrono::steady_clock::now() - started_)
                 << std::flush;
    }
    if (wake_.wait_for(lock, every_, [this] { return stop_; })) break;
    if (!terminal_) log_(Describe(*counters_, std::chrono::steady_clock::now() - started_));
  }
  if (terminal_) *terminal_ << "\r\x1b[K" << std::flush;
}

void ProgressLine::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

}  // namespace feedd
