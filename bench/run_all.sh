#!/usr/bin/env bash
# Every figure of bench/RESULTS.md in one run, on one machine: the
# micro-benchmarks, then each script beside its peer. Prints the versions
# and the date first; takes about 15 minutes at 100,000 articles.
#
#   bench/run_all.sh [N, default 100000]
source "$(dirname "$0")/lib.sh"
n=${1:-100000}
ensure_packages hugo nginx-light wrk curl
(cd "$ROOT" && cmake --preset default >/dev/null && cmake --build --preset default >/dev/null)
echo "== $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(awk '/MemTotal/ {printf "%d GiB", $2/1048576}' /proc/meminfo)"
echo "feedd $("$FEEDD" --version | awk '{print $2}') ($(git -C "$ROOT" rev-parse --short HEAD)), $(hugo version | grep -o 'v[0-9.]*' | head -1) hugo, $(nginx -v 2>&1 | cut -d/ -f2) nginx, $(wrk --version 2>&1 | head -1 | awk '{print $2}') wrk"
echo "== micro-benchmarks"
"$ROOT/build/default/bench/micro/feedd_bench" --benchmark_min_time=0.2 2>/dev/null
echo "== cold build"
"$ROOT/bench/cold_build.sh" "$n"
echo "== serve start and memory"
"$ROOT/bench/serve_start.sh" "$n"
echo "== freshness"
"$ROOT/bench/freshness.sh" "$n" 30
echo "== serving against nginx"
"$ROOT/bench/serve_vs_nginx.sh" 5 10000
