#!/usr/bin/env bash
# Whole-process benchmark: keyhole scan against ripgrep doing only the
# keyword pass (rg -i -F -f KEYWORDS) over the same tree. Both write their
# output to a file: ripgrep stops at the first match when stdout is /dev/null.
#
#   bench/scan.sh [TREE]        default TREE: the Go toolchain's src (~150 MB)
#
# Prints hyperfine medians, the ratio keyhole/rg, and keyhole's peak RSS.
# Needs: go, rg (ripgrep), hyperfine, jq, /usr/bin/time. Not run in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
tree=${1:-$(go env GOROOT)/src}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

go build -o "$out/keyhole" ./cmd/keyhole
"$out/keyhole" rules list --format json | jq -r '.[].keywords[]?' | sort -u > "$out/keywords"
echo "tree: $tree ($(du -sh "$tree" | cut -f1)), $(wc -l < "$out/keywords") keywords, $(nproc) cores"

hyperfine --warmup 1 --runs "${RUNS:-7}" --ignore-failure --export-json "$out/h.json" \
  -n rg "rg -i -F -f $out/keywords $tree > $out/rg.out" \
  -n keyhole "$out/keyhole scan --format json -o $out/keyhole.json $tree" >&2

jq -r '.results | (.[0].median) as $rg | .[] | "\(.command): median \(.median*1000|floor) ms  (\(.median/$rg*100|floor/100)x rg)"' "$out/h.json"
/usr/bin/time -f "keyhole peak RSS: %M KB" "$out/keyhole" scan --format json -o /dev/null "$tree" 2>&1 >/dev/null | tail -1 || true
