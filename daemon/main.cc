// feedd's entry point: runs the command line and turns anything unexpected
// into a message and exit code 70 instead of a crash.

#include <exception>
#include <iostream>

#include "daemon/command_line.h"
#include "daemon/exit_codes.h"

int main(int argc, char** argv) {
  try {
    return feedd::RunCommandLine(argc, argv, std::cout, std::cerr);
  } catch (const std::exception& e) {
    std::cerr << "feedd: internal error: " << e.what() << "\n";
    return feedd::kExitSoftware;
  }
}
