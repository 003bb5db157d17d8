#include "daemon/base/progress_line.h"

#include <gtest/gtest.h>

#include <mutex>
#include <sstream>
#include <vector>

namespace feedd {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(ProgressLineTest, SaysFilesReadThenDocumentsWithTheRate) {
  ProgressLine::Counters counters;
  counters.files_read = 12345;
  EXPECT_EQ("feedd: 12,345 files read, 3 s", ProgressLine::Describe(counters, seconds(3)));
  counters.documents_total = 527512;
  counters.documents_done = 20000;
  EXPECT_EQ("feedd: 12,345 files read, 20,000 of 527,512 documents exported (5,000/s), 4 s",
            ProgressLine::Describe(counters, seconds(4)));
  counters.documents_total = 0;  // serve: the total is not known ahead
  EXPECT_EQ("feedd: 12,345 files read, 20,000 documents exported, 0 s",
            ProgressLine::Describe(counters, milliseconds(500)));
}

TEST(ProgressLineTest, ALogGetsALinePerIntervalAndNoneForShortWork) {
  ProgressLine::Counters counters;
  std::mutex mu;
  std::vector<std::string> lines;
  auto log = [&](const std::string& line) {
    std::lock_guard lock(mu);
    lines.push_back(line);
  };
  ProgressLine(log, &counters, seconds(60)).Stop();  // done before the first interval
  EXPECT_TRUE(lines.empty());
  {
    ProgressLine progress(log, &counters, milliseconds(10));
    counters.files_read = 7;
    for (int i = 0; i < 500; ++i) {
      {
        std::lock_guard lock(mu);
        if (lines.size() >= 2) break;
      }
      std::this_thread::sleep_for(milliseconds(5));
    }
  }
  std::lock_guard lock(mu);
  ASSERT_GE(lines.size(), 2u);
  EXPECT_NE(std::string::npos, lines.back().find("7 files read")) << lines.back();
}

TEST(ProgressLineTest, ATerminalLineIsRedrawnInPlaceAndErasedAtTheEnd) {
  ProgressLine::Counters counters;
  std::ostringstream terminal;
  ProgressLine(terminal, &counters).Stop();
  const std::string out = terminal.str();
  EXPECT_EQ(0u, out.find("\r\x1b[Kfeedd: 0 files read")) << out;
  EXPECT_EQ(out.size() - 4, out.rfind("\r\x1b[K")) << "not erased at the end";
}

}  // namespace
}  // namespace feedd
