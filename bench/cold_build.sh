#!/usr/bin/env bash
# Cold build: feedd build (no state store) and Hugo on the same N articles,
# in the same run, each from a warm page cache. Prints seconds and peak
# memory of each and feedd's share of Hugo's.
#
#   bench/cold_build.sh [N, default 100000]
source "$(dirname "$0")/lib.sh"
n=${1:-100000}
ensure_packages hugo
ensure_feedd
data=$(corpus "$n")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Hugo is configured without taxonomy feeds, so feedd's author feeds are off
# for the comparison (FEEDD_BENCH_EXTRA adds config lines; set it to "" to
# keep them).
write_config "$work" "$data/articles" "$work/state" "${FEEDD_BENCH_EXTRA-$'[feeds]\nauthor_feeds = false'}"

# The feeds only, as Hugo is configured to build (RSS, 50 items per feed)...
/usr/bin/time -f "%e %M" -o "$work/feedd.time" "$FEEDD" build --config "$work/feedd.toml" \
  --out "$work/out" --feeds-only >/dev/null 2>"$work/feedd.log"
/usr/bin/time -f "%e %M" -o "$work/hugo.time" hugo --source "$data/hugo" \
  --destination "$work/hugo-out" --quiet >/dev/null 2>"$work/hugo.log"
read -r f_s f_kb <"$work/feedd.time"
read -r h_s h_kb <"$work/hugo.time"
printf '%-22s %10s %12s\n' "cold build, $n" seconds "peak MB"
printf '%-22s %10s %12d\n' feedd "$f_s" $((f_kb / 1024))
printf '%-22s %10s %12d\n' "hugo $(hugo version | grep -o 'v[0-9.]*' | head -1)" "$h_s" $((h_kb / 1024))
printf '%-22s %10s %12s\n' "feedd / hugo" "$(ratio "$f_s" "$h_s")" "$(ratio "$f_kb" "$h_kb")"
# ...and the whole static site feedd serves with its defaults (author feeds,
# article pages, archives), once the state store exists.
rm -rf "$work/out"
mkdir -p "$work/full"
write_config "$work/full" "$data/articles" "$work/state"
/usr/bin/time -f "%e %M" -o "$work/full.time" "$FEEDD" build --config "$work/full/feedd.toml" \
  --out "$work/out" >"$work/full.out" 2>"$work/full.log"
read -r full_s full_kb <"$work/full.time"
printf 'full static site (warm store): %s s, peak %d MB, %s files: %s\n' "$full_s" $((full_kb / 1024)) \
  "$(find "$work/out" -type f | wc -l)" "$(head -1 "$work/full.out")"
printf 'state store: %d MB for %d MB of articles (%s)\n' \
  $(($(stat -c %s "$work/state/state.sqlite3") / 1048576)) \
  $(($(du -sb "$data/articles" | cut -f1) / 1048576)) \
  "$(ratio "$(stat -c %s "$work/state/state.sqlite3")" "$(du -sb "$data/articles" | cut -f1)")"
