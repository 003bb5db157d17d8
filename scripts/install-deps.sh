#!/usr/bin/env bash
# Installs every Debian 12 package feedd needs to build, test and benchmark.
# Idempotent: installs only what is missing, and touches apt only then.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake pkg-config git ca-certificates clang-format ccache
  # libraries (DESIGN.md "Dependencies")
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libpugixml-dev libcurl4-openssl-dev
  libtomlplusplus-dev libyaml-cpp-dev libmd4c-dev libmd4c-html0-dev
  libsqlite3-dev zlib1g-dev libxxhash-dev libcli11-dev nlohmann-json3-dev
  libsystemd-dev libre2-dev libgumbo-dev libdeflate-dev libuchardet-dev
  # man pages
  scdoc
  # tests and benchmarks; clang-14 and its runtime for the libFuzzer targets
  libgtest-dev libgmock-dev libbenchmark-dev clang-14 libclang-rt-14-dev
  python3 python3-feedparser python3-pycurl python3-html5lib jing curl newsboat
  # pages in a real browser (headless), and its screenshots
  chromium fonts-dejavu-core
  # operations tests: systemd-analyze and systemd-socket-activate (PID 1 need
  # not be systemd), promtool for /metrics, man -l, nginx in front of feedd,
  # Varnish edges with the shipped VCL (xkey and vsthrottle are in the modules)
  systemd man-db prometheus nginx varnish varnish-modules
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
sudo=()
if [[ $(id -u) -ne 0 ]]; then sudo=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
