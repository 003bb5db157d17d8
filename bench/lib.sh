# Shared by the bench scripts: paths, the corpus, starting feedd serve and
# reading its memory. Source it; it sets FEEDD, BENCH_DATA and helpers.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FEEDD=${FEEDD:-$ROOT/build/default/daemon/feedd}
BENCH_DATA=${BENCH_DATA:-/var/tmp/feedd-bench}
PY=/usr/bin/python3

# Builds feedd (default preset) unless FEEDD points at a binary already.
ensure_feedd() {
  if [[ ! -x $FEEDD ]]; then
    (cd "$ROOT" && cmake --preset default >/dev/null && cmake --build --preset default --target feedd)
  fi
}

# Installs the peers a script runs beside feedd (Debian packages).
ensure_packages() {
  local need=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
  done
  if ((${#need[@]})); then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
}

# corpus N -> prints the directory holding N generated articles (agency text
# in DIR/articles, the Hugo site in DIR/hugo), generating it once.
corpus() {
  local n=$1 dir=$BENCH_DATA/corpus-$1
  # (A corpus without hugo/full.toml predates the full-site Hugo config.)
  if [[ ! -f $dir/.complete || ! -f $dir/hugo/full.toml ]]; then
    rm -rf "$dir"
    mkdir -p "$dir"
    $PY "$ROOT/bench/gen_corpus.py" --count "$n" --out "$dir/articles" --hugo "$dir/hugo" >&2
    touch "$dir/.complete"
  fi
  # Read every file once, so each tool below starts from a warm page cache.
  find "$dir" -type f -print0 | xargs -0 cat >/dev/null
  echo "$dir"
}

# config DIR ARTICLES STATE [extra toml] -> writes DIR/feedd.toml for the corpus
write_config() {
  local dir=$1 articles=$2 state=$3 extra=${4:-}
  cat >"$dir/feedd.toml" <<TOML
[site]
title = "Bench News"
link = "https://news.example.org/"
[articles]
dir = "$articles"
[agency]
cut_from = ['^DKNews International News Agency is registered']
drop_lines = ['^Theme\$', '^Autoreload\$', '©']
[state]
dir = "$state"
$extra
TOML
}

now_ms() { date +%s%3N; }

# free_port -> a TCP port nothing listens on now
free_port() {
  $PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_serve CONFIG LOG -> starts feedd serve on a free port in the
# background; sets SERVE_PID and SERVE_PORT once it listens.
start_serve() {
  local config=$1 log=$2
  "$FEEDD" serve --config "$config" --listen 127.0.0.1:0 2>"$log" &
  SERVE_PID=$!
  for _ in $(seq 1000); do
    SERVE_PORT=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$log" | head -1 | grep -o '[0-9]*$' || true)
    [[ -n $SERVE_PORT ]] && return 0
    sleep 0.005
  done
  echo "feedd did not start: $(cat "$log")" >&2
  return 1
}

# wait_ready -> polls /readyz every 2 ms until 200, from one process over
# one keep-alive connection (a curl per poll would steal the CPU measured).
wait_ready() {
  $PY - "$SERVE_PORT" <<'PY'
import http.client, sys, time
conn = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=10)
while True:
    conn.request("GET", "/readyz")
    response = conn.getresponse()
    response.read()
    if response.status == 200:
        break
    time.sleep(0.002)
PY
}

# start_hugo_server SITE LOG -> starts `hugo server` on SITE in the
# background (full re-renders: its fast render skips list pages such as the
# feeds); sets HUGO_PID and HUGO_PORT once its main feed answers.
start_hugo_server() {
  local site=$1 log=$2
  HUGO_PORT=$(free_port)
  hugo server --source "$site" --port "$HUGO_PORT" --bind 127.0.0.1 --disableLiveReload \
    --disableFastRender >"$log" 2>&1 &
  HUGO_PID=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$HUGO_PORT/index.xml"; do
    kill -0 "$HUGO_PID" 2>/dev/null || { cat "$log" >&2; return 1; }
    sleep 0.05
  done
}

stop_serve() {
  kill "$SERVE_PID" 2>/dev/null || true
  wait "$SERVE_PID" 2>/dev/null || true
}

# rss_kb PID FIELD -> VmRSS or VmHWM of a process, in KB
proc_kb() { awk -v f="$2:" '$1 == f {print $2}' "/proc/$1/status"; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }'; }
