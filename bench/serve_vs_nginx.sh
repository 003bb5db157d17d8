#!/usr/bin/env bash
# Serves the bundled examples with feedd and the same bytes (feedd's static
# export) with nginx (one worker, gzip_static), loads both with wrk in the
# same run, and prints requests/s and the feedd/nginx ratio for a plain GET,
# a gzip GET and a 304. Only ratios from one run mean anything: the machine
# is shared and wrk competes for the same cores.
#
#   bench/serve_vs_nginx.sh [seconds per run, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-5}

need=()
for p in nginx-light wrk; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if ((${#need[@]})); then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
[[ -x build/default/daemon/feedd ]] || { cmake --preset default >/dev/null && cmake --build --preset default; }

work=$(mktemp -d)
trap 'kill $feedd_pid 2>/dev/null; nginx -c "$work/nginx.conf" -s stop 2>/dev/null; rm -rf "$work"' EXIT
cp -r examples/articles "$work/articles"
cat > "$work/feedd.toml" <<TOML
[site]
title = "Bench"
[articles]
dir = "articles"
[output]
dir = "public"
TOML
build/default/daemon/feedd serve --config "$work/feedd.toml" --state-dir "$work/state" \
  --listen 127.0.0.1:0 2> "$work/feedd.log" &
feedd_pid=$!
for _ in $(seq 100); do grep -q "ready:" "$work/feedd.log" && break; sleep 0.1; done
feedd_port=$(grep -o '127.0.0.1:[0-9]*' "$work/feedd.log" | head -1 | cut -d: -f2)
nginx_port=$((feedd_port + 1))

cat > "$work/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  types { application/rss+xml rss; application/atom+xml atom; application/feed+json json; }
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/public;
    gzip_static on;
    etag on;
  }
}
NGINX
nginx -c "$work/nginx.conf"
sleep 0.3

rps() {  # url, extra header...
  local url=$1; shift
  local args=()
  for h in "$@"; do args+=(-H "$h"); done
  wrk -t1 -c50 -d"${seconds}s" "${args[@]}" "$url" | awk '/Requests\/sec/ {print int($2)}'
}
etag() {  # url, extra header...
  local url=$1; shift
  local args=()
  for h in "$@"; do args+=(-H "$h"); done
  curl -s -D - -o /dev/null "${args[@]}" "$url" | awk 'tolower($1)=="etag:" {print $2}' | tr -d '\r'
}

printf '%-10s %12s %12s %8s\n' case feedd nginx ratio
for case in plain gzip 304; do
  f="http://127.0.0.1:$feedd_port/feed.rss"
  n="http://127.0.0.1:$nginx_port/feed.rss"
  case $case in
    plain) a=$(rps "$f"); b=$(rps "$n") ;;
    gzip) a=$(rps "$f" "Accept-Encoding: gzip"); b=$(rps "$n" "Accept-Encoding: gzip") ;;
    304) a=$(rps "$f" "If-None-Match: $(etag "$f")"); b=$(rps "$n" "If-None-Match: $(etag "$n")") ;;
  esac
  printf '%-10s %12s %12s %8.2f\n' "$case" "$a" "$b" "$(echo "$a / $b" | bc -l)"
done
