#!/usr/bin/env bash
# Whole-process benchmark on app builds: `keyhole scan` of synthetic APKs
# and IPAs (bench/appgen, fixed seed) of about 4-5 MB and 100 MB, run as a
# user runs it. Targets for IPAs: 5 MB under 200 ms median, 100 MB under
# 5 s, peak RSS under 300 MB.
#
#   bench/app.sh              OUT=DIR keeps the apps, reports and timings
#
# Prints per app its size, the hyperfine median (20 runs; 5 at 100 MB),
# keyhole's peak RSS, and its findings: for an IPA, checked against what
# appgen planted. The APK generator undershoots its -size (DEX deflates
# well): 6MB and 153MB give 3.7 MB and 100 MB APKs.
# Needs: go, hyperfine, jq, /usr/bin/time. Not run in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-$(mktemp -d)}
[ -n "${OUT:-}" ] || trap 'rm -rf "$out"' EXIT
mkdir -p "$out"

go build -o "$out/keyhole" ./cmd/keyhole
dirty=$(git status --porcelain --untracked-files=no -- . | grep -q . && echo ", uncommitted changes" || true)
echo "keyhole at $(git rev-parse --short HEAD)$dirty; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

for app in apk:6MB:20 apk:153MB:5 ipa:5MB:20 ipa:100MB:5; do
  IFS=: read -r format size runs <<< "$app"
  f=$out/app-$size.$format
  go run ./bench/appgen -format "$format" -size "$size" -o "$f" > "$f.planted" 2> "$f.log"
  hyperfine -N --warmup 3 --runs "$runs" --ignore-failure --export-json "$f.hyperfine.json" \
    "$out/keyhole scan -q --format json -o $f.json $f" > "$f.hyperfine.txt" 2>&1
  # keyhole exits 1 when it finds something; time still records the peak.
  /usr/bin/time -f %M -o "$f.rss" "$out/keyhole" scan -q --format json -o "$f.json" "$f" || true
  findings=$(jq length "$f.json")
  check=""
  if [ "$format" = ipa ]; then
    if diff <(sort "$f.planted") <(jq -r '.[] | "\(.rule) \(.path)"' "$f.json" | sort) > "$f.diff"; then
      check=", exactly the $(wc -l < "$f.planted") planted"
    else
      check=", NOT the planted ones (see $f.diff)"
    fi
  fi
  printf '%s %s (%.1f MB): median %d ms (%d runs, min %d, max %d), peak RSS %d MB, %d findings%s\n' \
    "$format" "$size" "$(awk "BEGIN { print $(stat -c %s "$f") / 1048576 }")" \
    "$(jq '.results[0].median * 1000 | floor' "$f.hyperfine.json")" "$runs" \
    "$(jq '.results[0].min * 1000 | floor' "$f.hyperfine.json")" \
    "$(jq '.results[0].max * 1000 | floor' "$f.hyperfine.json")" \
    $(($(tail -1 "$f.rss") / 1024)) "$findings" "$check"
done
