#!/usr/bin/env bash
# Freshness at N articles: a new article file -> in the served feed, p50 and
# p95 over TRIALS saves, for feedd serve (debounce window reported apart)
# and `hugo server` on the same articles, in the same run. (hugo server runs
# with --disableFastRender: its fast render re-renders only visited pages
# and never puts the new article in the feed.)
#
#   bench/freshness.sh [N, default 100000] [TRIALS, default 30]
source "$(dirname "$0")/lib.sh"
n=${1:-100000}
trials=${2:-30}
ensure_packages hugo curl
ensure_feedd
data=$(corpus "$n")
work=$(mktemp -d)
hugo_pid=
trap 'stop_serve; [[ -n $hugo_pid ]] && kill $hugo_pid 2>/dev/null; rm -rf "$work" "$data"/articles/world/fresh_* "$data"/hugo/content/world/fresh_*' EXIT

write_config "$work" "$data/articles" "$work/state"
start_serve "$work/feedd.toml" "$work/feedd.log"
wait_ready
start_hugo_server "$data/hugo" "$work/hugo.log"
hugo_pid=$HUGO_PID
port=$HUGO_PORT

$PY "$ROOT/bench/freshness.py" --trials "$trials" \
  --feedd "http://127.0.0.1:$SERVE_PORT/feed.json" --articles "$data/articles" \
  --hugo "http://127.0.0.1:$port/index.xml" --hugo-content "$data/hugo/content"
grep -o 'rebuilt: ms=[0-9]*' "$work/feedd.log" | cut -d= -f2 | sort -n |
  awk '{a[NR]=$1} END {if (NR) printf "feedd rebuild (from its log): p50 %d ms over %d rebuilds\n", a[int((NR+1)/2)], NR}'
