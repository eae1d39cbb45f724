#!/usr/bin/env bash
# History benchmark: keyhole git against gitleaks (and trufflehog when it
# is on PATH) on a synthetic history built with git fast-import, plus the
# pre-commit case: keyhole git --staged on a 10-file change in a 10k-file
# repository.
#
#   bench/git.sh [COMMITS]      default 20000 commits
#
# The history has ~2000 files in 40 directories; each commit edits 1-3 of
# them, and 3 in 10 also add a line to one of 8 changelogs of 2000+ lines;
# 25 GitHub tokens are planted (some later deleted, some in commit
# messages, one in a side branch). It is packed as a clone is. Prints hyperfine medians, peak RSS and
# how many planted tokens each tool reports. Reports go to files, never to
# /dev/null: gitleaks replaces its report path, device or not. Needs: go, git, python3,
# hyperfine, jq, /usr/bin/time; gitleaks (go install
# github.com/zricethezav/gitleaks/v8@v8.30.0). Not run in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
commits=${1:-20000}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# KEEP=DIR keeps the history there and reuses it on the next run.
go build -o "$out/keyhole" ./cmd/keyhole

# synth COMMITS FILES: a fast-import stream; planted tokens go to $out/planted.
synth() {
  python3 - "$1" "$2" "$out/planted" <<'EOF'
import random, sys
commits, nfiles, planted_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = random.Random(7)
alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
def token(): return "ghp_" + "".join(rng.choice(alnum) for _ in range(36))
words = "alpha beta gamma delta config value return func struct import package client server retry timeout".split()
def line(): return " ".join(rng.choice(words) for _ in range(rng.randint(3, 10)))
files = {f"src/d{i % 40}/f{i}.go": [line() for _ in range(rng.randint(20, 300))] for i in range(nfiles)}
names = sorted(files)
# Long files edited by many commits, as a large project's changelogs are:
# most of the history's blob bytes are their versions.
logs = [f"log{i}/CHANGELOG.md" for i in range(8)]
for p in logs: files[p] = [line() for _ in range(2000)]
plant_at = set(rng.sample(range(10, max(commits, 30)), min(25, commits - 10)))
planted, out = [], sys.stdout.buffer
def w(s): out.write(s.encode() if isinstance(s, str) else s)
def data(b):
    b = b.encode(); w(f"data {len(b)}\n"); w(b); w("\n")
def filemodify(path):
    data_ = "\n".join(files[path]) + "\n"
    w(f"M 100644 inline {path}\n"); data(data_)
t = 1600000000
for c in range(commits):
    t += 60
    msg = f"change {c}"
    changed = rng.sample(names, 1 + rng.randint(0, 2)) if c else names + logs
    if c and rng.random() < 0.3:
        log = rng.choice(logs); files[log].insert(rng.randrange(20), "* " + line()); changed = changed + [log]
    for p in changed[1 if c in plant_at else 0:] if c else []:
        files[p][rng.randrange(len(files[p]))] = line()
        # Now and then a planted token is deleted again (it stays in history).
        files[p] = [l for l in files[p] if not (l.startswith("token :=") and rng.random() < 0.3)]
    if c in plant_at:
        tok = token(); planted.append(tok)
        if len(planted) % 5 == 0:
            msg += "\n\ntoken was " + tok
        else:
            p = changed[0]; files[p].insert(rng.randrange(len(files[p]) + 1), f'token := "{tok}"')
    w(f"commit refs/heads/main\ncommitter Dev <dev@example.com> {t} +0000\n"); data(msg)
    for p in changed: filemodify(p)
    w("\n")
side = token(); planted.append(side)
w(f"commit refs/heads/side\ncommitter Dev <dev@example.com> {t+60} +0000\n"); data("side branch")
w("from refs/heads/main\n"); w("M 100644 inline side.env\n"); data(f"GITHUB_TOKEN={side}\n"); w("\n")
open(planted_path, "w").write("\n".join(planted) + "\n")
EOF
}

keep=${KEEP:-$out}
mkdir -p "$keep"
repo=$keep/clone
if [ ! -f "$keep/planted" ]; then
  began=$(date +%s)
  git init -q --bare "$out/history"
  synth "$commits" 2000 | git -C "$out/history" fast-import --quiet
  # TruffleHog refuses bare repositories: every tool reads one non-bare
  # copy holding the same refs and pack.
  git init -q "$repo"
  git -C "$repo" fetch -q "$out/history" '+refs/*:refs/*'
  git -C "$repo" checkout -q main
  # Deltas computed afresh, as a clone from a server has them: fast-import
  # makes each blob a delta on the blob written before it, whatever its
  # path, and gc keeps those (its docs advise this repack).
  git -C "$repo" repack -a -d -f -q
  mv "$out/planted" "$keep/planted"
  echo "built in $(( $(date +%s) - began ))s"
fi
cp "$keep/planted" "$out/planted"
echo "history: $(git -C "$repo" rev-list --all --count) commits, $(git -C "$repo" count-objects -vH | awk '/size-pack/{print $2 $3}') packed, $(wc -l < "$out/planted") tokens planted; $(nproc) cores"

found() { # FILE: how many planted tokens appear in FILE
  grep -o -F -f "$out/planted" "$1" | sort -u | wc -l
}
cmds=(-n keyhole "$out/keyhole git --no-redact --format json -o $out/keyhole.json $repo")
if command -v gitleaks >/dev/null; then
  cmds+=(-n gitleaks "gitleaks git --no-banner --exit-code 0 --report-format json --report-path $out/gitleaks.json $repo")
fi
if command -v trufflehog >/dev/null; then
  cmds+=(-n trufflehog "trufflehog git --no-verification --json file://$repo > $out/trufflehog.json 2>/dev/null")
fi
hyperfine --warmup 1 --runs "${RUNS:-3}" --ignore-failure --export-json "$out/h.json" "${cmds[@]}" >&2
jq -r '.results[] | "\(.command): median \(.median*1000|floor) ms"' "$out/h.json"
for tool in keyhole gitleaks trufflehog; do
  [ -f "$out/$tool.json" ] || continue
  echo "$tool: $(found "$out/$tool.json") of $(wc -l < "$out/planted") planted tokens reported"
done
/usr/bin/time -f "keyhole peak RSS: %M KB" "$out/keyhole" git --format json -o "$out/keyhole-rss.json" "$repo" 2>&1 >/dev/null | tail -1 || true
if command -v gitleaks >/dev/null; then
  /usr/bin/time -f "gitleaks peak RSS: %M KB" gitleaks git --no-banner --exit-code 0 --report-format json --report-path "$out/gitleaks-rss.json" "$repo" 2>&1 >/dev/null | tail -1 || true
fi

# Pre-commit: a 10-file change (one with a secret) in a 10k-file repository.
work=$out/worktree
git init -q "$work"
python3 - "$work" <<'EOF'
import os, sys
root = sys.argv[1]
for i in range(10000):
    d = os.path.join(root, f"pkg{i % 100}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"file{i}.txt"), "w") as f:
        f.write("".join(f"line {j} of file {i}\n" for j in range(30)))
EOF
git -C "$work" add -A
git -C "$work" -c user.name=Dev -c user.email=dev@example.com commit -q -m base
for i in $(seq 0 9); do echo "edit $i" >> "$work/pkg$i/file$i.txt"; done
echo 'GITHUB_TOKEN=ghp_R8rBwTHfqkGXiQ1MpcU2aNvLz06SJtC4dYe3' >> "$work/pkg3/file3.txt"
git -C "$work" add -A
hyperfine --warmup 3 --runs "${RUNS_STAGED:-30}" --ignore-failure --export-json "$out/s.json" \
  -n "keyhole git --staged" "cd $work && $out/keyhole git --staged --format json -o $out/staged.json" >&2
jq -r '.results[] | "\(.command) (10 files of 10k): median \(.median*1000|floor) ms"' "$out/s.json"
echo "staged findings: $(jq length "$out/staged.json")"
