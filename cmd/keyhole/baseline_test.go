package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func readEntries(t *testing.T, path string) []map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version  int              `json:"version"`
		Findings []map[string]any `json:"findings"`
	}
	if err := json.Unmarshal(data, &doc); err != nil || doc.Version != 1 {
		t.Fatalf("baseline %s: version %d, %v", path, doc.Version, err)
	}
	return doc.Findings
}

// create, scan with it after the secrets moved, update after one was
// removed, update --add after a new one came.
func TestBaselineLifecycle(t *testing.T) {
	dir := tree(t, map[string]string{
		"a.env": "GITHUB_TOKEN=" + tokenA + "\n",
		"b.env": "GITHUB_TOKEN=" + tokenB + "\n",
	})
	base := filepath.Join(t.TempDir(), "keyhole-baseline.json")
	if _, stderr, code := runCLI(t, "baseline", "create", "-o", base, dir); code != 0 {
		t.Fatalf("create: exit %d: %s", code, stderr)
	}
	created, _ := os.ReadFile(base)
	entries := readEntries(t, base)
	if len(entries) != 2 || strings.Contains(string(created), tokenA[4:]) || strings.Contains(string(created), `"line"`) {
		t.Fatalf("baseline has %d entries, or a secret, or lines:\n%s", len(entries), created)
	}
	for _, key := range []string{"rule", "path", "fingerprint", "hint"} {
		if _, ok := entries[0][key]; !ok {
			t.Errorf("entry lacks %q: %v", key, entries[0])
		}
	}

	// Secrets moved down: still known; created again, the file is the same.
	os.WriteFile(filepath.Join(dir, "a.env"), []byte("# moved\n\n\nGITHUB_TOKEN="+tokenA+"\n"), 0o644)
	if out, _, code := runCLI(t, "scan", "--baseline", base, dir); code != 0 || !strings.Contains(out, "2 suppressed") {
		t.Errorf("scan with baseline after a move: exit %d\n%s", code, out)
	}
	again := filepath.Join(t.TempDir(), "again.json")
	runCLI(t, "baseline", "create", "-o", again, dir)
	if recreated, _ := os.ReadFile(again); string(recreated) != string(created) {
		t.Errorf("moving a secret changed the baseline:\n%s", recreated)
	}

	// One secret removed: the scan says its entry is unused, in text and
	// as a warning for machine formats; update drops it.
	os.Remove(filepath.Join(dir, "b.env"))
	out, _, code := runCLI(t, "scan", "--baseline", base, dir)
	if code != 0 || !strings.Contains(out, "1 baseline entry no longer found") {
		t.Errorf("unused entry not reported in text: exit %d\n%s", code, out)
	}
	if _, stderr, _ := runCLI(t, "scan", "-f", "json", "--baseline", base, dir); !strings.Contains(stderr, "1 baseline entry no longer found") {
		t.Errorf("unused entry not warned about: %q", stderr)
	}
	if out, _, _ := runCLI(t, "scan", "-f", "sarif", "--baseline", base, dir); !strings.Contains(out, "baseline entry no longer found") {
		t.Error("unused entry not a SARIF notification")
	}
	if _, stderr, code := runCLI(t, "baseline", "update", "--baseline", base, dir); code != 0 || !strings.Contains(stderr, "1 dropped") {
		t.Errorf("update: exit %d: %s", code, stderr)
	}
	if entries := readEntries(t, base); len(entries) != 1 || entries[0]["path"] != "a.env" {
		t.Errorf("after update: %v", entries)
	}

	// A new secret: update keeps it out, --add takes it in.
	os.WriteFile(filepath.Join(dir, "c.env"), []byte("GITHUB_TOKEN="+tokenB+"\n"), 0o644)
	runCLI(t, "baseline", "update", "--baseline", base, dir)
	if n := len(readEntries(t, base)); n != 1 {
		t.Errorf("update without --add added entries: %d", n)
	}
	if _, _, code := runCLI(t, "scan", "--baseline", base, dir); code != 1 {
		t.Errorf("the new secret was hidden: exit %d", code)
	}
	runCLI(t, "baseline", "update", "--add", "--baseline", base, dir)
	if n := len(readEntries(t, base)); n != 2 {
		t.Errorf("update --add: %d entries, want 2", n)
	}
	if _, _, code := runCLI(t, "scan", "--baseline", base, dir); code != 0 {
		t.Errorf("scan after update --add: exit %d", code)
	}
}

// An unreadable target leaves the baseline alone: its findings are not
// gone, only unseen.
func TestBaselineUpdateKeepsEntriesOfUnreadableTargets(t *testing.T) {
	dir := tree(t, map[string]string{"a.env": "GITHUB_TOKEN=" + tokenA + "\n"})
	base := filepath.Join(t.TempDir(), "base.json")
	runCLI(t, "baseline", "create", "-o", base, dir)
	before, _ := os.ReadFile(base)
	if _, _, code := runCLI(t, "baseline", "update", "--baseline", base, filepath.Join(dir, "missing")); code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	if after, _ := os.ReadFile(base); string(after) != string(before) {
		t.Error("the baseline changed")
	}
}

// A baseline written to a pipe or device goes through it; the special
// file is never replaced by a rename. (Tried on a FIFO of the test's own,
// never on a system device.)
func TestReplaceFileWritesThroughSpecialFiles(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	got := make(chan []byte)
	go func() {
		data, _ := os.ReadFile(fifo)
		got <- data
	}()
	if err := replaceFile(fifo, []byte("{}\n")); err != nil {
		t.Fatal(err)
	}
	if data := <-got; string(data) != "{}\n" {
		t.Errorf("read %q through the FIFO", data)
	}
	if st, err := os.Lstat(fifo); err != nil || st.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced: %v, %v", st.Mode(), err)
	}
}
