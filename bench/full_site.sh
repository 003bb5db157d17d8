#!/usr/bin/env bash
# The whole static site: Hugo and `feedd build` each writing every page and
# feed of the same N articles, in the same run, each from a warm page cache.
#
#   [FEEDD=/path/to/feedd] bench/full_site.sh [N, default 100000]
#
# Hugo (gen_corpus.py's full.toml): an HTML page per article, and an HTML
# list page and an RSS feed (50 items) for home, each section and each term
# of categories and authors. feedd: `feedd build` with the defaults
# (author feeds, article pages, archives; write_config sets none of them),
# with no state (cold), rerun with nothing changed, and rerun after one
# article's body was edited. Hugo has no state, so its rerun is its only
# incremental figure: feedd's reruns are compared with it.
#
# For each: wall seconds and peak memory (/usr/bin/time), and the files
# written: on a cold run every file of the output folder; on a rerun the
# files that are new or whose inode or mtime changed (a rename into place
# gives a new inode). Last, `cp -r` of feedd's output to a new folder on the
# same filesystem: what writing that many files costs at least (feedd's
# build ends with a syncfs, cp does not; the syncfs after cp is shown on its
# own line). Everything is written under $BENCH_DATA; KEEP_WORK=1 keeps the
# output folders.
source "$(dirname "$0")/lib.sh"
n=${1:-100000}
ensure_packages hugo
ensure_feedd
data=$(corpus "$n")
work=$(mktemp -d "$BENCH_DATA/full-site.XXXXXX")
edited=""
cleanup() {
  # The corpus is shared by the other scripts: the edited article goes back
  # as it was, bytes and mtime.
  if [[ -n $edited && -f $work/edited.orig ]]; then cp -p "$work/edited.orig" "$edited"; fi
  if [[ -z ${KEEP_WORK:-} ]]; then rm -rf "$work"; else echo "kept $work" >&2; fi
}
trap cleanup EXIT

# timed NAME COMMAND... -> runs COMMAND, sets S (seconds) and KB (peak RSS).
timed() {
  local name=$1
  shift
  # The previous step's writeback is not this one's (NOSYNC=1: the step is
  # that writeback).
  [[ -n ${NOSYNC:-} ]] || sync
  /usr/bin/time -f "%e %M" -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.log" || {
    echo "$name failed:" >&2
    tail -5 "$work/$name.log" >&2
    exit 1
  }
  read -r S KB <"$work/$name.time"
}

# listing DIR -> path, inode and mtime of every file, sorted by path
listing() { find "$1" -type f -printf '%P\t%i\t%T@\n' | LC_ALL=C sort; }

# changed BEFORE AFTER -> "W R": files new or with another inode or mtime
# in AFTER, and files of BEFORE gone from AFTER
changed() {
  awk -F'\t' 'NR == FNR { was[$1] = $2 "\t" $3; next }
    { if (!($1 in was) || was[$1] != $2 "\t" $3) w++; delete was[$1] }
    END { r = 0; for (p in was) r++; printf "%d %d\n", w, r }' "$1" "$2"
}

# rerun NAME DIR COMMAND... -> a timed run over an existing output folder;
# also sets W (files written) and R (files removed), and NEWER (files whose
# mtime is newer than a marker touched just before, as a cross-check)
rerun() {
  local name=$1 dir=$2
  shift 2
  listing "$dir" >"$work/$name.before"
  touch "$work/$name.marker"
  sleep 0.05
  timed "$name" "$@"
  listing "$dir" >"$work/$name.after"
  read -r W R < <(changed "$work/$name.before" "$work/$name.after")
  NEWER=$(find "$dir" -type f -newer "$work/$name.marker" | wc -l)
}

files() { find "$1" -type f | wc -l; }
mb() { echo $(($(du -sb "$1" | cut -f1) / 1048576)); }

echo "start: $(date -u +%FT%TZ), $(uptime | sed 's/.*load/load/'), feedd $FEEDD" >&2

# First what only creates files (Hugo, feedd and cp from nothing), then
# the reruns, which replace every file they rewrite: on ext4 without a
# journal, a new inode skips those freed in the last 60-360 s
# (recently_deleted() in fs/ext4/ialloc.c), so creating files just after
# deleting many costs more. Start at least 6 minutes after deleting a large
# tree (such as the work folder of a previous run).
hugo_cmd=(hugo --source "$data/hugo" --config full.toml --destination "$work/hugo-out" --quiet)
timed hugo "${hugo_cmd[@]}"
h_s=$S h_kb=$KB h_files=$(files "$work/hugo-out")

# feedd: defaults (no [feeds] or [site] item_link lines), no state store.
write_config "$work" "$data/articles" "$work/state"
feedd_cmd=("$FEEDD" build --config "$work/feedd.toml" --out "$work/feedd-out")
timed feedd "${feedd_cmd[@]}"
f_s=$S f_kb=$KB f_files=$(files "$work/feedd-out")
f_summary=$(head -1 "$work/feedd.out")

# The files alone: a copy of feedd's output tree on the same filesystem.
timed cp cp -r "$work/feedd-out" "$work/cp-out"
c_s=$S
NOSYNC=1 timed cp-sync sync -f "$work/cp-out"
cs_s=$S

# Hugo keeps no state: its rerun over its own output is a full build.
rerun hugo-rerun "$work/hugo-out" "${hugo_cmd[@]}"
hr_s=$S hr_kb=$KB hr_w=$W hr_r=$R hr_newer=$NEWER
rerun feedd-rerun "$work/feedd-out" "${feedd_cmd[@]}"
fr_s=$S fr_kb=$KB fr_w=$W fr_r=$R fr_newer=$NEWER

# One article's body edited: a sentence appended to the last paragraph
# before the agency footer (text after the footer is cut, so appending at
# the end of the file would leave the body as it was). The newest article:
# it is in the first 50 items of the main, its category's and its author's
# feeds.
edited=$(find "$data/articles" -name "$(printf '%06d' $((n - 1)))_*.txt" | head -1)
cp -p "$edited" "$work/edited.orig"
$PY - "$edited" <<'PY'
import sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
footer = text.index("\nDKNews International News Agency is registered")
body, rest = text[:footer].rstrip("\n"), text[footer:]
open(path, "w", encoding="utf-8").write(
    body + " The ministry later corrected one figure in this report.\n" + rest)
PY
rerun feedd-edit "$work/feedd-out" "${feedd_cmd[@]}"
fe_s=$S fe_kb=$KB fe_w=$W fe_r=$R fe_newer=$NEWER

echo "end: $(date -u +%FT%TZ), $(uptime | sed 's/.*load/load/')" >&2
hv=$(hugo version | grep -o 'v[0-9.]*' | head -1)
row() { printf '%-34s %9s %9s %10s %9s %9s %9s\n' "$@"; }
row "full site, $n articles" seconds "peak MB" "files" "feedd/hugo" "mem" "files"
row "hugo $hv, cold" "$h_s" $((h_kb / 1024)) "$h_files" "" "" ""
row "hugo rerun, nothing changed" "$hr_s" $((hr_kb / 1024)) "$hr_w" "" "" ""
row "feedd build, cold" "$f_s" $((f_kb / 1024)) "$f_files" \
  "$(ratio "$f_s" "$h_s")" "$(ratio "$f_kb" "$h_kb")" "$(ratio "$f_files" "$h_files")"
row "feedd rerun, nothing changed" "$fr_s" $((fr_kb / 1024)) "$fr_w" \
  "$(ratio "$fr_s" "$hr_s")" "$(ratio "$fr_kb" "$hr_kb")" "$(ratio "$fr_w" "$hr_w")"
row "feedd rerun, one article edited" "$fe_s" $((fe_kb / 1024)) "$fe_w" \
  "$(ratio "$fe_s" "$hr_s")" "$(ratio "$fe_kb" "$hr_kb")" "$(ratio "$fe_w" "$hr_w")"
row "cp -r of feedd's output" "$c_s" "" "$f_files" "" "" ""
row "syncfs after the cp" "$cs_s" "" "" "" "" ""
printf 'reruns are compared with the hugo rerun (Hugo keeps no state: an edit costs it a full build)\n'
printf 'feedd cold / cp -r: %s; / (cp -r + syncfs): %s\n' "$(ratio "$f_s" "$c_s")" \
  "$(ratio "$f_s" "$(awk -v a="$c_s" -v b="$cs_s" 'BEGIN { print a + b }')")"
printf 'files removed by the reruns: hugo %s, feedd %s and %s; mtime newer than the marker: hugo %s, feedd %s and %s\n' \
  "$hr_r" "$fr_r" "$fe_r" "$hr_newer" "$fr_newer" "$fe_newer"
printf 'output: hugo %d MB in %s files; feedd %d MB in %s files (%s .gz)\n' "$(mb "$work/hugo-out")" \
  "$h_files" "$(mb "$work/feedd-out")" "$f_files" "$(find "$work/feedd-out" -type f -name '*.gz' | wc -l)"
printf '%s\n' "$f_summary"
printf 'edited: %s\n' "${edited#"$data/"}"
