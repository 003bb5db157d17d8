#!/usr/bin/env bash
# Runs every libFuzzer target (or those named) for SECONDS each, two at a
# time, each on a scratch copy of its seed corpus, and prints executions and
# findings per target. A crash leaves its input as fuzz-out/<target>/crash-*;
# keep it as a regression seed in tests/fuzz/corpus/<target>/ once fixed.
#
#   tests/fuzz/run.sh SECONDS [target...]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:?seconds per target}
shift
targets=("$@")
if ((${#targets[@]} == 0)); then
  targets=(fuzz_article fuzz_front_matter fuzz_config fuzz_http_headers fuzz_request fuzz_round_trip)
fi
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz >/dev/null
out=fuzz-out
mkdir -p "$out"
run_one() {
  local t=$1
  mkdir -p "$out/$t/corpus"
  cp -n tests/fuzz/corpus/"$t"/* "$out/$t/corpus/" 2>/dev/null || true
  (cd "$out/$t" && ASAN_OPTIONS=detect_leaks=1 ../../build/fuzz/tests/fuzz/"$t" \
     -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
     corpus >log 2>&1) || true
  local execs crashes
  execs=$(awk '/stat::number_of_executed_units/ {print $2}' "$out/$t/log")
  crashes=$(ls "$out/$t" | grep -cE '^(crash|leak|timeout|oom)-' || true)
  printf '%-20s %12s executions %3s findings  corpus %s\n' "$t" "${execs:-?}" "$crashes" \
    "$(ls "$out/$t/corpus" | wc -l)"
}
for ((i = 0; i < ${#targets[@]}; i += 2)); do
  run_one "${targets[i]}" &
  if ((i + 1 < ${#targets[@]})); then run_one "${targets[i + 1]}" & fi
  wait
done
