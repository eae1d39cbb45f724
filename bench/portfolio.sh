#!/usr/bin/env bash
# Portfolio benchmark: one `keyhole scan` over 100 app builds of ~5 MB each
# (50 APKs from bench/appgen, 50 IPA-like zips with a Mach-O-sized binary
# of random bytes, an Info.plist and text assets), each with a secret of
# its own planted in a member. Prints wall time, peak RSS, findings.
#
#   bench/portfolio.sh [N]      N builds (default 100)
#
# Needs: go, python3, /usr/bin/time. Not run in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

go build -o "$out/keyhole" ./cmd/keyhole
go run ./bench/appgen -size 5MB -o "$out/base.apk" >/dev/null
mkdir "$out/apps"
python3 - "$out/base.apk" "$out/apps" "$n" <<'PY'
import os, random, shutil, sys, zipfile
base, dest, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
rnd = random.Random(8)
alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
words = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima".split()
def token():
    return "ghp_" + "".join(rnd.choice(alnum) for _ in range(36))
for i in range(n):
    if i % 2 == 0:
        path = os.path.join(dest, f"app-{i:03d}.apk")
        shutil.copy(base, path)
        with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z:
            z.writestr("assets/config.properties", f"github.token={token()}\n")
    else:
        path = os.path.join(dest, f"App-{i:03d}.ipa")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            app = f"Payload/App{i}.app/"
            z.writestr(app + "Info.plist", '<?xml version="1.0"?><plist version="1.0"><dict>'
                       f'<key>CFBundleIdentifier</key><string>com.example.app{i}</string></dict></plist>')
            z.writestr(app + f"App{i}", rnd.randbytes(3 << 20))  # incompressible, like code
            text = " ".join(rnd.choice(words) for _ in range(300000))
            z.writestr(app + "www/main.js", text[:1 << 20] + f'\nconst token = "{token()}";\n')
            z.writestr(app + "Assets.car", rnd.randbytes(1 << 20))
PY
echo "$n builds, $(du -sh "$out/apps" | cut -f1), $(nproc) cores"
/usr/bin/time -v "$out/keyhole" scan -q --format json -o "$out/report.json" "$out/apps/*" 2> "$out/time" || true
grep -E "Elapsed \(wall clock\)|Maximum resident" "$out/time"
echo "findings: $(grep -c '"rule"' "$out/report.json"), of which github-pat: $(grep -c '"rule": "github-pat"' "$out/report.json")"
