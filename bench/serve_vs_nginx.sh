#!/usr/bin/env bash
# Serving: feedd against nginx 1.22 (one worker, etag on, gzip_static on)
# serving the same bytes (feedd's static export), loaded by the same wrk
# (-t1 -c50) in one run, alternating feedd, nginx, feedd, nginx. Two
# documents: the main feed of the bundled examples (about 60 KB) and of
# 2,000 generated articles (about 300 KB); three requests each: a plain GET,
# a gzip GET and a conditional GET answered 304. Both servers hold IDLE idle
# keep-alive connections meanwhile; their memory is reported.
#
#   bench/serve_vs_nginx.sh [seconds per run, default 5] [IDLE, default 10000]
source "$(dirname "$0")/lib.sh"
seconds=${1:-5}
idle=${2:-10000}
ensure_packages nginx-light wrk curl
ensure_feedd
ulimit -n "$(ulimit -Hn)"  # 10,000 idle connections need the fds
work=$(mktemp -d)
chmod 755 "$work"  # nginx's workers run as www-data
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; nginx -c "$work/nginx.conf" -s stop 2>/dev/null; rm -rf "$work"' EXIT

big=$(corpus 2000)
# feedd serves each document set and exports the same bytes for nginx.
serve_set() {  # name articles -> feedd port
  local name=$1 articles=$2
  mkdir -p "$work/$name"
  write_config "$work/$name" "$articles" "$work/$name/state" "
[output]
dir = \"$work/$name/public\"
[server]
threads = 1
max_connections = 30000
# The idle connections all come from 127.0.0.1.
max_connections_per_address = 0
idle_timeout = 3600
header_timeout = 3600"
  start_serve "$work/$name/feedd.toml" "$work/$name/feedd.log"
  wait_ready
  pids+=("$SERVE_PID")
}
serve_set examples "$ROOT/examples/articles"
port_small=$SERVE_PORT
serve_set generated "$big/articles"
port_big=$SERVE_PORT
nginx_small=$(free_port)
nginx_big=$(free_port)

cat >"$work/nginx.conf" <<NGINX
worker_processes 1;
worker_rlimit_nofile 20000;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 19000; }
http {
  access_log off;
  keepalive_timeout 3600;
  keepalive_requests 1000000;
  client_header_timeout 3600;
  types { application/rss+xml rss; application/atom+xml atom; application/feed+json json; }
  server { listen 127.0.0.1:$nginx_small; root $work/examples/public; gzip_static on; etag on; }
  server { listen 127.0.0.1:$nginx_big; root $work/generated/public; gzip_static on; etag on; }
}
NGINX
nginx -c "$work/nginx.conf"
sleep 0.3

# Idle keep-alive connections held on every server while measuring.
for port in "$port_small" "$port_big" "$nginx_small" "$nginx_big"; do
  $PY "$ROOT/bench/hold_idle.py" "$port" "$((idle / 2))" >"$work/idle-$port.txt" &
  pids+=("$!")
done
for port in "$port_small" "$port_big" "$nginx_small" "$nginx_big"; do
  until [[ -s $work/idle-$port.txt ]]; do sleep 0.2; done
done

etag() {  # url [header] -> the ETag the server sends
  curl -s -D - -o /dev/null ${2:+-H "$2"} "$1" | awk 'tolower($1)=="etag:" {print $2}' | tr -d '\r'
}
run() {  # url [header] -> "requests/s p99(ms)"; fails on any non-2xx/3xx answer
  wrk -t1 -c50 -d"${seconds}s" --latency ${2:+-H "$2"} "$1" | awk '
    /Non-2xx/ {print "wrong answers from " url ": " $0 > "/dev/stderr"; bad = 1}
    /Requests\/sec/ {rps = int($2)}
    $1 == "99%" {v = $2; ms = v + 0; if (v ~ /us$/) ms /= 1000; else if (v ~ /[^m]s$/) ms *= 1000; p99 = ms}
    END {if (bad) exit 1; printf "%d %.2f", rps, p99}' url="$1"
}

printf '%-26s %9s %9s %7s %9s %9s %7s\n' case "feedd r/s" "nginx r/s" ratio "feedd p99" "nginx p99" ratio
for doc in small big; do
  fp=$([[ $doc == small ]] && echo "$port_small" || echo "$port_big")
  np=$([[ $doc == small ]] && echo "$nginx_small" || echo "$nginx_big")
  f="http://127.0.0.1:$fp/feed.rss"
  n="http://127.0.0.1:$np/feed.rss"
  size=$(curl -s "$f" | wc -c)
  for case in plain gzip 304; do
    case $case in
      plain) fh=; nh= ;;
      gzip) fh="Accept-Encoding: gzip"; nh=$fh ;;
      304) fh="If-None-Match: $(etag "$f")"; nh="If-None-Match: $(etag "$n")" ;;
    esac
    read -r a1 al1 <<<"$(run "$f" "$fh")"
    read -r b1 bl1 <<<"$(run "$n" "$nh")"
    read -r a2 al2 <<<"$(run "$f" "$fh")"
    read -r b2 bl2 <<<"$(run "$n" "$nh")"
    a=$(((a1 + a2) / 2)); b=$(((b1 + b2) / 2))
    al=$(awk -v x="$al1" -v y="$al2" 'BEGIN {print (x > y ? x : y)}')
    bl=$(awk -v x="$bl1" -v y="$bl2" 'BEGIN {print (x > y ? x : y)}')
    printf '%-26s %9d %9d %7s %9s %9s %7s\n' "$((size / 1024)) KB $case" "$a" "$b" \
      "$(ratio "$a" "$b")" "$al" "$bl" "$(ratio "$al" "$bl")"
  done
done
printf 'idle connections held: feedd %s + %s, nginx %s + %s\n' \
  "$(cat "$work/idle-$port_small.txt")" "$(cat "$work/idle-$port_big.txt")" \
  "$(cat "$work/idle-$nginx_small.txt")" "$(cat "$work/idle-$nginx_big.txt")"
nginx_worker=$(pgrep -P "$(cat "$work/nginx.pid")" | head -1)
printf 'resident with them: feedd %d MB + %d MB (two daemons), nginx worker %d MB\n' \
  $(($(proc_kb "${pids[0]}" VmRSS) / 1024)) $(($(proc_kb "${pids[1]}" VmRSS) / 1024)) \
  $(($(proc_kb "$nginx_worker" VmRSS) / 1024))
