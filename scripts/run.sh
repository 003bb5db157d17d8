#!/usr/bin/env bash
# The README's run command: installs what is missing, builds, and publishes
# the bundled examples/ as feeds, printing where they are.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --preset default >/dev/null
cmake --build --preset default
exec build/default/daemon/feedd build --config examples/feedd.toml --out build/run/feeds "$@"
