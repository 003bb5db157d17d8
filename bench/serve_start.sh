#!/usr/bin/env bash
# Serve start on N articles: feedd serve with no state until /readyz answers
# 200 (cold), then again with the state the first run left (warm restart,
# nothing changed), beside `hugo server` on the same articles until its
# first feed answers. Also resident memory per article (feedd's RSS once
# ready, minus its RSS serving an empty folder, over N).
#
#   bench/serve_start.sh [N, default 100000]
source "$(dirname "$0")/lib.sh"
n=${1:-100000}
ensure_packages hugo curl
ensure_feedd
data=$(corpus "$n")
work=$(mktemp -d)
trap 'stop_serve; kill $hugo_pid 2>/dev/null; rm -rf "$work"' EXIT
hugo_pid=
mkdir -p "$work/empty"

# Baseline: the daemon serving nothing.
write_config "$work" "$work/empty" "$work/state-empty"
start_serve "$work/feedd.toml" "$work/empty.log"
wait_ready
base_kb=$(proc_kb "$SERVE_PID" VmRSS)
stop_serve

# As for cold_build.sh: no author feeds, as Hugo builds no taxonomy feeds.
write_config "$work" "$data/articles" "$work/state" "${FEEDD_BENCH_EXTRA-$'[feeds]\nauthor_feeds = false'}"
started=$(now_ms)
start_serve "$work/feedd.toml" "$work/cold.log"
wait_ready
cold_ms=$(($(now_ms) - started))
cold_hwm=$(proc_kb "$SERVE_PID" VmHWM)
sleep 1  # let the allocator give back what the scan used
cold_rss=$(proc_kb "$SERVE_PID" VmRSS)
stop_serve

started=$(now_ms)
start_serve "$work/feedd.toml" "$work/warm.log"
wait_ready
warm_ms=$(($(now_ms) - started))
warm_rss=$(proc_kb "$SERVE_PID" VmRSS)
stop_serve

started=$(now_ms)
start_hugo_server "$data/hugo" "$work/hugo.log"
hugo_pid=$HUGO_PID
hugo_ms=$(($(now_ms) - started))
hugo_hwm=$(proc_kb "$hugo_pid" VmHWM)
kill "$hugo_pid"; wait "$hugo_pid" 2>/dev/null || true; hugo_pid=

printf '%-34s %10s %10s\n' "serve start, $n articles" seconds "peak MB"
printf '%-34s %10.2f %10d\n' "feedd serve cold (no state)" "$(ratio "$cold_ms" 1000)" $((cold_hwm / 1024))
printf '%-34s %10.2f %10s\n' "feedd serve warm restart" "$(ratio "$warm_ms" 1000)" -
printf '%-34s %10.2f %10d\n' "hugo server" "$(ratio "$hugo_ms" 1000)" $((hugo_hwm / 1024))
printf '%-34s %10s %10s\n' "feedd cold / hugo server" "$(ratio "$cold_ms" "$hugo_ms")" "$(ratio "$cold_hwm" "$hugo_hwm")"
printf 'resident: %d MB serving nothing, %d MB after a cold start, %d MB after a warm one\n' \
  $((base_kb / 1024)) $((cold_rss / 1024)) $((warm_rss / 1024))
printf 'per article: %.2f KB (cold), %.2f KB (warm)\n' \
  "$(ratio $((cold_rss - base_kb)) "$n")" "$(ratio $((warm_rss - base_kb)) "$n")"
