#!/usr/bin/env bash
# Whole-process benchmark: `keyhole inventory` against `keyhole scan` on the
# same generated ~4 MB APK (testdata/inventory/release2.apk, many copies of
# its binary XML, and Go's net, crypto/tls, crypto/x509 and encoding/json
# sources as assets: real code full of URLs, hosts and identifiers). It
# builds the same app as BenchmarkAPK in inventory/bench_test.go.
#
#   bench/inventory.sh
#
# Prints hyperfine medians and the ratio inventory/scan. The inventory runs
# the rules too (on chunks with endpoints, to link findings), so the ratio
# is what an inventory costs next to a scan. Needs: go, zip, hyperfine, jq.
# Not run in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

go build -o "$out/keyhole" ./cmd/keyhole
app="$out/app"
mkdir -p "$app/assets/src" "$app/res/xml"
(cd "$app" && unzip -q "$OLDPWD/testdata/inventory/release2.apk")
goroot=$(go env GOROOT)
for d in net/http net/url net crypto/tls crypto/x509 encoding/json; do
  for f in "$goroot/src/$d"/*.go; do cp "$f" "$app/assets/src/$(basename "$d")_$(basename "$f")"; done
done
(cd "$app" && zip -q -r "$out/big.apk" .)
i=0
while [ "$(stat -c %s "$out/big.apk")" -lt $((4 << 20)) ]; do
  for n in $(seq $i $((i + 49))); do
    cp "$app/res/xml/network_security_config.xml" "$app/res/xml/nsc_$n.xml"
    cp "$app/AndroidManifest.xml" "$app/res/xml/manifest_$n.xml"
  done
  i=$((i + 50))
  (cd "$app" && zip -q -r "$out/big.apk" res/xml)
done
echo "app: $(stat -c %s "$out/big.apk") bytes, $(unzip -l "$out/big.apk" | tail -1 | awk '{print $1}') bytes uncompressed, $(nproc) cores"

hyperfine --warmup 1 --runs "${RUNS:-7}" --ignore-failure --export-json "$out/h.json" \
  -n scan "$out/keyhole scan --format json -o $out/scan.json $out/big.apk" \
  -n inventory "$out/keyhole inventory --format json -o $out/inventory.json $out/big.apk" >&2

jq -r '.results | (.[0].median) as $scan | (.[0].user) as $user | .[] | "\(.command): median \(.median*1000|floor) ms  (\(.median/$scan*100|floor/100)x scan), user CPU \(.user*1000|floor) ms  (\(.user/$user*100|floor/100)x scan)"' "$out/h.json"
echo "endpoints: $(jq '.endpoints | length' "$out/inventory.json"), findings: $(jq length "$out/scan.json")"
