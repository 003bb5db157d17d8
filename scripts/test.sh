#!/usr/bin/env bash
# The README's test command: installs what is missing, then builds and runs
# the whole suite as CI does, warnings as errors:
#   default  the optimised build, every test;
#   asan     AddressSanitizer + UndefinedBehaviorSanitizer, every test;
#   tsan     ThreadSanitizer, the tests where the watcher, the rebuild
#            worker and the server threads work at once;
#   fuzz     clang-14 libFuzzer targets, a few seconds each on their seeds
#            (tests/fuzz/run.sh runs them for as long as you like).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

for preset in default asan tsan fuzz; do
  echo "== $preset build"
  cmake --preset "$preset" -DFEEDD_WARNINGS_AS_ERRORS=ON >/dev/null
  cmake --build --preset "$preset"
  echo "== $preset tests"
  ctest --preset "$preset" --parallel 2
done
