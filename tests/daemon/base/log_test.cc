#include "daemon/base/log.h"

#include <gtest/gtest.h>

namespace feedd {
namespace {

TEST(LogTest, FieldsAreKeyValueAndQuotedWhenTheyMustBe) {
  EXPECT_EQ("ready: articles=2 ms=13", FormatLogLine("ready:", {{"articles", "2"}, {"ms", "13"}}));
  EXPECT_EQ("x title=\"two words\" eq=\"a=b\" q=\"say \\\"hi\\\"\" empty=\"\"",
            FormatLogLine(
                "x", {{"title", "two words"}, {"eq", "a=b"}, {"q", "say \"hi\""}, {"empty", ""}}));
}

TEST(LogTest, NothingFromInputBreaksTheLine) {
  const std::string line =
      FormatLogLine("title\nfeedd: error: forged", {{"file", "a\nfeedd: error: forged.txt"}});
  EXPECT_EQ(std::string::npos, line.find('\n'));
  EXPECT_EQ("title\\nfeedd: error: forged file=\"a\\nfeedd: error: forged.txt\"", line);
}

TEST(LogTest, LevelsByName) {
  EXPECT_EQ(LogLevel::kWarning, ParseLogLevel("warning"));
  EXPECT_EQ(LogLevel::kDebug, ParseLogLevel("debug"));
  EXPECT_FALSE(ParseLogLevel("verbose"));
  SetLogLevel(LogLevel::kNotice);
  EXPECT_TRUE(LogEnabled(LogLevel::kError));
  EXPECT_TRUE(LogEnabled(LogLevel::kNotice));
  EXPECT_FALSE(LogEnabled(LogLevel::kInfo));
  SetLogLevel(LogLevel::kInfo);
}

}  // namespace
}  // namespace feedd
