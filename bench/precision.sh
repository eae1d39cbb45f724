#!/usr/bin/env bash
# Precision benchmark: secret findings per 100 MB on a large body of text
# that holds no real secrets (the Go toolchain's own source tree), for
# keyhole's default rules and for gitleaks' default config.
#
# Usage: bench/precision.sh [SRC]      (SRC defaults to $(go env GOROOT)/src)
#
# Excluded from the corpus, because they hold test keys on purpose:
#   - every directory named testdata that contains a PEM private key;
#   - crypto/x509/platform_root_key.pem (the test root key of the x509 tests);
#   - crypto/tls/example_test.go (an example that embeds a test key pair).
# Everything else is scanned as it is.
#
# keyhole runs as `keyhole scan --format json` with its default rules;
# findings of kind misconfig are not counted.
# Needs: go, jq, gitleaks on PATH or in $(go env GOPATH)/bin
# (go install github.com/zricethezav/gitleaks/v8@v8.30.0).
set -euo pipefail
cd "$(dirname "$0")/.."
src=${1:-$(go env GOROOT)/src}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

corpus=$work/corpus
cp -r "$src" "$corpus"
keys=$( (grep -rl -- '-----BEGIN [A-Z ]*PRIVATE KEY-----' "$corpus" 2>/dev/null || true) |
  grep '/testdata/' | sed 's|\(.*/testdata\)/.*|\1|' | sort -u)
for d in $keys crypto/x509/platform_root_key.pem crypto/tls/example_test.go; do
  d=${d#$corpus/}
  if [ -e "$corpus/$d" ]; then echo "excluded: $d"; rm -rf "${corpus:?}/$d"; fi
done
bytes=$(du -sb "$corpus" | cut -f1)
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
echo "corpus: $mb MB in $(find "$corpus" -type f | wc -l) files"

per100() { awk -v n="$1" -v b="$bytes" 'BEGIN { printf "%.1f", n * 1e8 / b }'; }

# keyhole
go build -o "$work/keyhole" ./cmd/keyhole
"$work/keyhole" scan "$corpus" --format json -o "$work/keyhole.json" 2>/dev/null || [ $? -eq 1 ]
jq '[.findings? // . | .[] | select(.kind == "secret")]' "$work/keyhole.json" > "$work/k.json"
kn=$(jq length "$work/k.json")

# gitleaks, default config
gitleaks=$(command -v gitleaks || echo "$(go env GOPATH)/bin/gitleaks")
"$gitleaks" dir "$corpus" --no-banner --log-level error --exit-code 0 \
  --report-format json --report-path "$work/gitleaks.json"
gn=$(jq length "$work/gitleaks.json")

echo
echo "keyhole  (keyhole scan --format json, default rules): $kn findings, $(per100 "$kn") per 100 MB"
jq -r '.[] | .rule' "$work/k.json" | sort | uniq -c | sort -rn | sed 's/^/    /'
echo "gitleaks ($(go version -m "$gitleaks" | awk '$1 == "mod" { print $3 }'), default config): $gn findings, $(per100 "$gn") per 100 MB"
jq -r '.[] | .RuleID' "$work/gitleaks.json" | sort | uniq -c | sort -rn | sed 's/^/    /'
if [ -n "${PRECISION_KEEP:-}" ]; then
  cp "$work/k.json" "$PRECISION_KEEP.keyhole.json"
  cp "$work/gitleaks.json" "$PRECISION_KEEP.gitleaks.json"
fi
