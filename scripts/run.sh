#!/usr/bin/env bash
# The README's run command: installs what is missing, builds, and serves the
# bundled examples/ at http://127.0.0.1:8080/ until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --preset default >/dev/null
cmake --build --preset default
exec build/default/daemon/feedd serve --config examples/feedd.toml "$@"
