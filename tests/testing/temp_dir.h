// tests/testing/temp_dir.h
//
// A fresh, empty folder under the system's temporary directory for one
// test, named after the test and the process (tests may run in parallel),
// and removed with everything in it when the TempDir goes; and ReadFile(),
// the bytes of a file a test made there.

#ifndef FEEDD_TESTS_TESTING_TEMP_DIR_H_
#define FEEDD_TESTS_TESTING_TEMP_DIR_H_

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace feedd::testing {

class TempDir {
 public:
  /// |tag| says which suite made it: "feedd-<tag>-<pid>-<test name>".
  explicit TempDir(const std::string& tag) {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() /
            ("feedd-" + tag + "-" + std::to_string(::getpid()) + "-" +
             (test ? test->name() : "outside-a-test"));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::filesystem::path& rel) const { return path_ / rel; }

 private:
  std::filesystem::path path_;
};

/// The bytes of the file at |path|; "" when it cannot be read.
inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace feedd::testing

#endif  // FEEDD_TESTS_TESTING_TEMP_DIR_H_
