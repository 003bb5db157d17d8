// feedd's entry point: runs the command line and turns anything unexpected
// into a message and exit code 70 instead of a crash.

#include <curl/curl.h>

#include <exception>
#include <iostream>

#include "daemon/base/exit_codes.h"
#include "daemon/cli/command_line.h"

int main(int argc, char** argv) {
  // Once, before any thread: libcurl's global state (the WebSub ping sender).
  curl_global_init(CURL_GLOBAL_DEFAULT);
  try {
    return feedd::RunCommandLine(argc, argv, std::cout, std::cerr);
  } catch (const std::exception& e) {
    std::cerr << "feedd: internal error: " << e.what() << "\n";
    return feedd::kExitSoftware;
  }
}
