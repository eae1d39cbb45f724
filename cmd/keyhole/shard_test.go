package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/keyholesec/keyhole/internal/sarifcheck"
)

// portfolioOf writes n targets, each with a finding of its own: env files,
// a directory, and zips that look like APKs.
func portfolioOf(t *testing.T, n int) (root string, targets []string) {
	t.Helper()
	root = t.TempDir()
	for i := range n {
		tok := fmt.Sprintf("ghp_%036d", i*7919+1)[:4] + tokenA[4:36] + fmt.Sprintf("%04d", i)
		var p string
		switch i % 3 {
		case 0:
			p = filepath.Join(root, fmt.Sprintf("app-%02d.apk", i))
			writeZip(t, p, map[string]string{"AndroidManifest.xml": "<manifest/>", "assets/cfg.txt": "token " + tok + "\n"})
		case 1:
			p = filepath.Join(root, fmt.Sprintf("svc-%02d", i))
			os.MkdirAll(p, 0o755)
			os.WriteFile(filepath.Join(p, "prod.env"), []byte("GITHUB_TOKEN="+tok+"\n"), 0o644)
		default:
			p = filepath.Join(root, fmt.Sprintf("ci-%02d.env", i))
			os.WriteFile(p, []byte("TOKEN="+tok+"\n"), 0o644)
		}
		targets = append(targets, p)
	}
	return root, targets
}

// N shards, as a Kubernetes Indexed Job (--shard auto/N with
// JOB_COMPLETION_INDEX) or a GitHub Actions matrix (--shard K/N) runs
// them, scan every target once between them, and merging their reports
// gives exactly the report of one unsharded run, in JSON and in SARIF.
func TestShardsMergeIntoTheUnshardedReport(t *testing.T) {
	root, targets := portfolioOf(t, 24)
	list := filepath.Join(root, "targets.txt")
	os.WriteFile(list, []byte(strings.Join(targets, "\n")+"\n"), 0o644)
	out := t.TempDir()
	const n = 4

	for _, format := range []string{"json", "sarif"} {
		whole := filepath.Join(out, "whole."+format)
		if _, stderr, code := runCLI(t, "scan", "-f", format, "-o", whole, "--targets-from", list); code != 1 {
			t.Fatalf("unsharded scan: exit %d: %s", code, stderr)
		}
		var shards []string
		var union []string
		for k := range n {
			shard := filepath.Join(out, fmt.Sprintf("shard-%d.%s", k, format))
			args := []string{"scan", "-f", format, "-o", shard, "--targets-from", list, "--shard", fmt.Sprintf("%d/%d", k, n)}
			if format == "json" { // the Indexed Job's way
				t.Setenv("JOB_COMPLETION_INDEX", fmt.Sprint(k))
				args[len(args)-1] = fmt.Sprintf("auto/%d", n)
			}
			if _, stderr, code := runCLI(t, args...); code > 1 {
				t.Fatalf("shard %d: exit %d: %s", k, code, stderr)
			}
			shards = append(shards, shard)
			if format == "json" {
				f, _, _ := scanJSON(t, "--targets-from", list, "--shard", fmt.Sprintf("%d/%d", k, n))
				union = append(union, targetsOf(f)...)
			}
		}
		if format == "json" {
			slices.Sort(union)
			want := slices.Clone(targets)
			slices.Sort(want)
			if !slices.Equal(union, want) {
				t.Errorf("the shards scanned %d targets between them, want each of the %d once:\n%q", len(union), len(want), union)
			}
		}

		merged := filepath.Join(out, "merged."+format)
		if _, stderr, code := runCLI(t, append([]string{"merge", "-f", format, "-o", merged}, shards...)...); code != 1 {
			t.Fatalf("merge: exit %d: %s", code, stderr)
		}
		got, _ := os.ReadFile(merged)
		want, _ := os.ReadFile(whole)
		if string(got) != string(want) {
			t.Errorf("%s: merged shards differ from the unsharded report:\n%s\nwant:\n%s", format, got, want)
		}
		if format == "sarif" {
			if err := sarifcheck.Validate(got); err != nil {
				t.Errorf("merged SARIF: %v", err)
			}
			if strings.Count(string(got), `"tool":`) != 1 {
				t.Error("merged SARIF has more than one run")
			}
		}
	}
}

// Merging reports that overlap keeps each finding once; text output
// groups a secret found in targets of different shards.
func TestMergeOverlappingReports(t *testing.T) {
	a := tree(t, map[string]string{"x.env": "GITHUB_TOKEN=" + tokenA + "\n"})
	b := tree(t, map[string]string{"y.env": "GITHUB_TOKEN=" + tokenA + "\n"})
	out := t.TempDir()
	ra, rb := filepath.Join(out, "a.sarif"), filepath.Join(out, "b.json")
	runCLI(t, "scan", "-f", "sarif", "-o", ra, a)
	runCLI(t, "scan", "-f", "json", "-o", rb, a, b)
	text, _, code := runCLI(t, "merge", ra, rb, ra)
	if code != 1 || strings.Count(text, "github-pat") != 3 || !strings.Contains(text, "same secret in several targets") ||
		!strings.Contains(text, "2 findings (2 critical)") {
		t.Errorf("exit %d:\n%s", code, text)
	}
	if _, stderr, code := runCLI(t, "merge", filepath.Join(out, "missing.json")); code != 2 || !strings.Contains(stderr, "missing.json") {
		t.Errorf("missing report: exit %d, %q", code, stderr)
	}
}

// The committed examples run as many shards as they say, with the flags
// this keyhole has.
func TestShardExamplesAgree(t *testing.T) {
	for file, count := range map[string]*regexp.Regexp{
		"../../.github/workflows/keyhole-shards.yml": regexp.MustCompile(`shard: \[([0-9, ]+)\]`),
		"../../deploy/k8s-indexed-job.yaml":          regexp.MustCompile(`completions: (\d+)`),
	} {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		m := count.FindSubmatch(data)
		shard := regexp.MustCompile(`--shard (auto|\$\{\{ matrix\.shard \}\})/(\d+)`).FindSubmatch(data)
		if m == nil || shard == nil || !bytes.Contains(data, []byte("keyhole merge")) {
			t.Errorf("%s: no shard count, --shard or merge step", file)
			continue
		}
		n := len(strings.Split(string(m[1]), ","))
		if !strings.Contains(string(m[1]), ",") {
			n, _ = strconv.Atoi(string(m[1]))
		}
		if fmt.Sprint(n) != string(shard[2]) {
			t.Errorf("%s: %d shards run, but --shard says /%s", file, n, shard[2])
		}
	}
}
