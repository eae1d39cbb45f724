package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/keyholesec/keyhole/internal/hostilegen"
	"github.com/keyholesec/keyhole/internal/sarifcheck"
)

// The hostile-input suite: every case runs through the CLI beside a good
// file holding goodToken, and must end in bounded time and memory with a
// valid report that still has the good file's finding, the expected
// warning, and never the hostile case's planted secret in full.

const (
	goodToken = "ghp_R8rBwTHfqkGXiQ1MpcU2aNvLz06SJtC4dYe3"
	// maxHeap bounds any run's heap: the 100 MB one-line file peaks near
	// 280 MB (the file and its lower-cased copy for the keyword pass).
	maxHeap = 400 << 20
)

// hostileRun is what one CLI run produced and cost.
type hostileRun struct {
	stdout, stderr string
	code           int
	peakHeap       uint64
}

// runBounded runs the CLI and fails the test when it takes longer than
// limit (the run is then abandoned: a hang must not hang the suite) or
// its heap ever exceeds maxHeap.
func runBounded(t *testing.T, limit time.Duration, args ...string) hostileRun {
	t.Helper()
	runtime.GC()
	done := make(chan hostileRun, 1)
	go func() {
		var out, errb bytes.Buffer
		code := run(args, &out, &errb)
		done <- hostileRun{stdout: out.String(), stderr: errb.String(), code: code}
	}()
	var peak uint64
	var ms runtime.MemStats
	deadline := time.After(limit)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case r := <-done:
			runtime.ReadMemStats(&ms)
			r.peakHeap = max(peak, ms.HeapInuse)
			if r.peakHeap > maxHeap {
				t.Errorf("keyhole %s: peak heap %d MB, over %d MB", strings.Join(args, " "), r.peakHeap>>20, maxHeap>>20)
			}
			return r
		case <-tick.C:
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
		case <-deadline:
			t.Fatalf("keyhole %s: still running after %v", strings.Join(args, " "), limit)
		}
	}
}

// goodFile writes a file with one planted token into dir.
func goodFile(t *testing.T, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "good.txt")
	if err := os.WriteFile(p, []byte("token="+goodToken+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// scanEveryFormat scans targets in each report format and checks every
// report: valid, holding the good file's finding, free of the planted
// secret and of control characters. It returns the JSON run.
func scanEveryFormat(t *testing.T, limit time.Duration, good string, flagsAndTargets ...string) hostileRun {
	t.Helper()
	var jsonRun hostileRun
	for _, format := range []string{"json", "sarif", "text"} {
		r := runBounded(t, limit, append([]string{"scan", "--format", format}, flagsAndTargets...)...)
		checkReport(t, format, r, good)
		if format == "json" {
			jsonRun = r
		}
	}
	return jsonRun
}

func checkReport(t *testing.T, format string, r hostileRun, good string) {
	t.Helper()
	if strings.Contains(r.stdout+r.stderr, hostilegen.Secret) {
		t.Errorf("%s: the planted secret appears in the output or warnings", format)
	}
	if strings.Contains(r.stderr, "internal error") {
		t.Errorf("%s: a parser panicked: %s", format, r.stderr)
	}
	switch format {
	case "json":
		var fs []struct{ Rule, Target, Path string }
		if err := json.Unmarshal([]byte(r.stdout), &fs); err != nil {
			t.Fatalf("json report does not parse: %v", err)
		}
		found := false
		for _, f := range fs {
			found = found || filepath.Join(f.Target, f.Path) == good && f.Rule == "github-pat"
		}
		if !found {
			t.Errorf("json report lacks the good file's finding: %s", r.stdout)
		}
	case "sarif":
		if err := sarifcheck.Validate([]byte(r.stdout)); err != nil {
			t.Errorf("sarif report is invalid: %v", err)
		}
		if !strings.Contains(r.stdout, filepath.Base(good)) {
			t.Errorf("sarif report lacks the good file's finding")
		}
	case "text":
		if i := strings.IndexFunc(r.stdout, func(c rune) bool { return c < 0x20 && c != '\n' || c == 0x7f }); i >= 0 {
			t.Errorf("text report has control character %q at %d", r.stdout[i], i)
		}
		if !strings.Contains(r.stdout, "github-pat") || !strings.Contains(r.stdout, filepath.Base(good)) {
			t.Errorf("text report lacks the good file's finding")
		}
	}
}

// expectWarning fails unless a warning on stderr matches pattern.
func expectWarning(t *testing.T, r hostileRun, pattern string) {
	t.Helper()
	if !regexp.MustCompile(pattern).MatchString(r.stderr) {
		t.Errorf("no warning matching %q in:\n%s", pattern, r.stderr)
	}
}

func TestHostileCasesAreCommitted(t *testing.T) {
	for _, c := range hostilegen.Small() {
		got, err := os.ReadFile(filepath.Join("../../testdata/hostile", c.Name))
		if err != nil || !bytes.Equal(got, c.Data) {
			t.Errorf("testdata/hostile/%s is missing or stale: run go run ./testdata/hostile/gen (%v)", c.Name, err)
		}
	}
}

// hostileWarnings are the warnings the committed cases must produce: each
// names the case (and member), and a limit when one was hit.
var hostileWarnings = map[string]string{
	"truncated.zip":               `truncated\.zip: malformed zip archive`,
	"lying-size.zip":              `lying-size\.zip!small\.txt: (.*damaged|limit max-ratio)`,
	"deep.zip":                    `deep\.zip(!inner\.zip){4}: limit max-depth: archive nested deeper than 4 levels`,
	"no-arsc.apk":                 `no-arsc\.apk!AndroidManifest\.xml: malformed`,
	"huge-count.axml":             `huge-count\.axml: malformed Android binary XML`,
	"huge-count.arsc":             `huge-count\.arsc: malformed resources\.arsc`,
	"huge-count.dex":              `huge-count\.dex: malformed DEX`,
	"truncated.dex":               `truncated\.dex: malformed DEX`,
	"past-end.elf":                `past-end\.elf: malformed ELF`,
	"past-end.macho":              `past-end\.macho: malformed Mach-O`,
	"self-fat.macho":              `self-fat\.macho: malformed Mach-O`,
	"cycle.plist":                 `cycle\.plist: malformed binary plist`,
	"huge-length.mobileprovision": `huge-length\.mobileprovision: malformed provisioning profile`,
	"huge-count.hbc":              `huge-count\.hbc: malformed Hermes`,
	"truncated.hbc":               `truncated\.hbc: malformed Hermes`,
}

func TestHostileFiles(t *testing.T) {
	for _, c := range hostilegen.Small() {
		t.Run(c.Name, func(t *testing.T) {
			dir := t.TempDir()
			good := goodFile(t, dir)
			hostile := filepath.Join(dir, c.Name)
			if err := os.WriteFile(hostile, c.Data, 0o644); err != nil {
				t.Fatal(err)
			}
			r := scanEveryFormat(t, 20*time.Second, good, hostile, good)
			if r.code != exitFindings {
				t.Errorf("exit %d, want %d (a malformed file is scanned, not an error): %s", r.code, exitFindings, r.stderr)
			}
			if want, ok := hostileWarnings[c.Name]; ok {
				expectWarning(t, r, want)
			}
		})
	}
}
