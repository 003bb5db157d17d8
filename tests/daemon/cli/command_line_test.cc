// The command line through RunCommandLine(): what each command prints and
// which exit code each failure maps to. The default config file is
// pointed away (FEEDD_CONFIG), so no test reads a system path.

#include "daemon/cli/command_line.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "daemon/base/exit_codes.h"
#include "tests/testing/temp_dir.h"

namespace feedd {
namespace {

namespace fs = std::filesystem;

class CommandLineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(root_ / "articles" / "world");
    ::setenv("FEEDD_CONFIG", (root_ / "no-such.toml").c_str(), 1);
  }
  void TearDown() override { ::unsetenv("FEEDD_CONFIG"); }

  int Run(std::vector<std::string> args) {
    args.insert(args.begin(), "feedd");
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    out_.str("");
    err_.str("");
    return RunCommandLine(static_cast<int>(argv.size()), argv.data(), out_, err_);
  }
  void Write(const fs::path& rel, const std::string& text) {
    fs::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel) << text;
  }

  const testing::TempDir temp_{"cli-test"};
  const fs::path root_ = temp_.path();
  std::ostringstream out_, err_;
};

TEST_F(CommandLineTest, HelpAndVersionPrintOnStdoutAndSucceed) {
  EXPECT_EQ(kExitOk, Run({"--help"}));
  EXPECT_NE(std::string::npos, out_.str().find("serve"));
  EXPECT_NE(std::string::npos, out_.str().find("build"));
  EXPECT_EQ("", err_.str());
  EXPECT_EQ(kExitOk, Run({"--version"}));
  EXPECT_TRUE(out_.str().starts_with("feedd ")) << out_.str();
}

TEST_F(CommandLineTest, UsageMistakesExit64WithTheUsageOnStderr) {
  EXPECT_EQ(kExitUsage, Run({"--no-such-option"}));
  EXPECT_NE(std::string::npos, err_.str().find("feedd: "));
  EXPECT_NE(std::string::npos, err_.str().find("Usage"));
  EXPECT_EQ(kExitUsage, Run({"build"}));  // --out is required
  EXPECT_EQ(kExitUsage, Run({"--listen", "nonsense", "check", "--config-only"}));
  EXPECT_NE(std::string::npos, err_.str().find("ADDR:PORT"));
}

TEST_F(CommandLineTest, ABadConfigExits78NamingFileAndLine) {
  Write("feedd.toml", "[server]\nmax_age = \"soon\"\n");
  EXPECT_EQ(kExitConfig,
            Run({"--config", (root_ / "feedd.toml").string(), "check", "--config-only"}));
  EXPECT_NE(std::string::npos, err_.str().find("feedd.toml:2")) << err_.str();
  EXPECT_EQ(kExitConfig, Run({"--config", (root_ / "missing.toml").string(), "check"}));
}

TEST_F(CommandLineTest, WithoutAConfigFileTheDefaultsAreValid) {
  EXPECT_EQ(kExitOk, Run({"check", "--config-only"}));
  EXPECT_EQ("feedd: the config is valid\n", out_.str());
}

TEST_F(CommandLineTest, CheckExits65WhenAnArticleHasAnError) {
  Write("articles/world/good.txt", "A Good Story\n\nIts body.\n");
  EXPECT_EQ(kExitOk, Run({"--articles", (root_ / "articles").string(), "--state-dir",
                          (root_ / "state").string(), "check"}));
  Write("articles/world/empty.txt", "");
  EXPECT_EQ(kExitDataError, Run({"--articles", (root_ / "articles").string(), "--state-dir",
                                 (root_ / "state").string(), "check"}));
  EXPECT_NE(std::string::npos, (out_.str() + err_.str()).find("world/empty.txt"));
}

TEST_F(CommandLineTest, CheckOfAMissingArticlesFolderExits66NamingIt) {
  const fs::path missing = root_ / "no-such-articles";
  EXPECT_EQ(kExitNoInput, Run({"--articles", missing.string(), "check"}));
  EXPECT_NE(std::string::npos,
            err_.str().find(missing.string() + ": cannot list the articles directory"))
      << err_.str();
  EXPECT_EQ("", out_.str());
}

TEST_F(CommandLineTest, BuildWritesTheFeedsWithTheOverridesApplied) {
  Write("articles/world/good.txt", "A Good Story\n\nIts body.\n");
  EXPECT_EQ(kExitOk, Run({"--articles", (root_ / "articles").string(), "--state-dir",
                          (root_ / "state").string(), "build", "--feeds-only", "-o",
                          (root_ / "out").string()}));
  EXPECT_TRUE(fs::exists(root_ / "out" / "feed.rss"));
  EXPECT_TRUE(fs::exists(root_ / "out" / "category" / "world" / "feed.atom"));
  EXPECT_FALSE(fs::exists(root_ / "out" / "articles"));  // --feeds-only
}

TEST_F(CommandLineTest, ShowPrintsHowOneFileIsRead) {
  Write("articles/world/good.txt", "A Good Story\n\nIts body.\n");
  EXPECT_EQ(kExitOk, Run({"show", (root_ / "articles" / "world" / "good.txt").string()}));
  EXPECT_NE(std::string::npos, out_.str().find("A Good Story"));
  EXPECT_EQ(kExitNoInput, Run({"show", (root_ / "articles" / "nothing.txt").string()}));
}

}  // namespace
}  // namespace feedd
