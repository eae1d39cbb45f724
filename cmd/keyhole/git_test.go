package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// --whole-blobs scans every version whole; by default later versions are
// scanned where they differ. Both report the same findings, at the
// commit that introduced each.
func TestGitWholeBlobsFindsTheSame(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git executable")
	}
	repo := t.TempDir()
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
			"GIT_AUTHOR_NAME=Dev", "GIT_AUTHOR_EMAIL=dev@example.com", "GIT_COMMITTER_NAME=Dev", "GIT_COMMITTER_EMAIL=dev@example.com")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	var lines []string
	for i := range 50 {
		lines = append(lines, "option_"+string(rune('a'+i%26))+" = on")
	}
	commit := func(msg string) string {
		if err := os.WriteFile(filepath.Join(repo, "settings.conf"), []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		git("add", "-A")
		git("commit", "-q", "-m", msg)
		return git("rev-parse", "HEAD")
	}
	git("init", "-q")
	commit("first")
	lines[25] = "GITHUB_TOKEN=" + sampleToken
	added := commit("add a token")
	lines[3] = "option_d = off"
	commit("unrelated change")

	for _, args := range [][]string{{"git", "--format", "json", repo}, {"git", "--whole-blobs", "--format", "json", repo}} {
		out, _, code := runCLI(t, args...)
		var fs []struct {
			Rule   string `json:"rule"`
			Commit string `json:"commit"`
			Line   int    `json:"line"`
		}
		if err := json.Unmarshal([]byte(out), &fs); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
		if code != 1 || len(fs) != 1 || fs[0].Rule != "github-pat" || fs[0].Commit != added || fs[0].Line != 26 {
			t.Errorf("%v: exit %d, findings %+v; want one github-pat at line 26 of %s", args, code, fs, added)
		}
	}
}
