#!/usr/bin/env bash
# The README's test command: installs what is missing, then builds and runs
# the whole suite twice, as CI does: the default build and the asan build
# (AddressSanitizer + UndefinedBehaviorSanitizer), warnings as errors.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

for preset in default asan; do
  echo "== $preset build"
  cmake --preset "$preset" -DFEEDD_WARNINGS_AS_ERRORS=ON >/dev/null
  cmake --build --preset "$preset"
  echo "== $preset tests"
  ctest --preset "$preset" --parallel 2
done
