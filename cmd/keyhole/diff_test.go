package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDiff(t *testing.T) {
	dir := tree(t, map[string]string{
		"keep.env": "GITHUB_TOKEN=" + tokenA + "\n",
		"gone.env": "GITHUB_TOKEN=" + tokenB + "\n",
	})
	out := t.TempDir()
	before, after := filepath.Join(out, "before.json"), filepath.Join(out, "after.sarif")
	runCLI(t, "scan", "-f", "json", "-o", before, dir)

	os.Remove(filepath.Join(dir, "gone.env"))
	os.WriteFile(filepath.Join(dir, "keep.env"), []byte("# moved down\nGITHUB_TOKEN="+tokenA+"\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "new.env"), []byte("GITHUB_TOKEN="+tokenB+"\n"), 0o644)
	runCLI(t, "scan", "-f", "sarif", "-o", after, dir)

	text, _, code := runCLI(t, "diff", before, after)
	if code != 1 || !strings.Contains(text, "1 new, 1 fixed, 1 unchanged") {
		t.Errorf("exit %d:\n%s", code, text)
	}
	for section, file := range map[string]string{"new (1)\n": "new.env:1", "fixed (1)\n": "gone.env:1", "unchanged (1)\n": "keep.env:2"} {
		_, rest, ok := strings.Cut(text, section)
		if line, _, _ := strings.Cut(rest, "\n"); !ok || !strings.Contains(line, file) || strings.Contains(line, tokenB[4:]) {
			t.Errorf("section %q does not list %s (redacted):\n%s", section, file, text)
		}
	}

	js, _, _ := runCLI(t, "diff", "-f", "json", before, after)
	var d struct{ New, Fixed, Unchanged []struct{ Path string } }
	if err := json.Unmarshal([]byte(js), &d); err != nil || len(d.New) != 1 || d.New[0].Path != "new.env" || len(d.Fixed) != 1 || len(d.Unchanged) != 1 {
		t.Errorf("json diff: %v\n%s", err, js)
	}

	if text, _, code := runCLI(t, "diff", after, after); code != 0 || !strings.Contains(text, "0 new, 0 fixed, 2 unchanged") {
		t.Errorf("same report twice: exit %d\n%s", code, text)
	}
	if _, _, code := runCLI(t, "diff", before, filepath.Join(out, "nope.json")); code != 2 {
		t.Errorf("missing report: exit %d", code)
	}
}
