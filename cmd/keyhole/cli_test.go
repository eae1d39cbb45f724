package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return out.String(), errb.String(), code
}

const (
	sampleDir   = "../../sample"
	sampleToken = "ghp_R8rBwTHfqkGXiQ1MpcU2aNvLz06SJtC4dYe3"
)

func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestExitCodes(t *testing.T) {
	clean := tree(t, map[string]string{"main.go": "package main\n\nfunc main() {}\n"})
	medium := tree(t, map[string]string{"app.py": "requests.get(url, verify=False)\n"})
	badConfig := tree(t, map[string]string{"bad.toml": "[[rules]]\nid = \"x\"\nregex = '''(unclosed'''\nkeywords = [\"x\"]\n"})
	cases := []struct {
		name string
		args []string
		code int
	}{
		{"clean tree", []string{"scan", clean}, 0},
		{"findings", []string{"scan", sampleDir}, 1},
		{"below --fail-on", []string{"scan", "--fail-on", "critical", medium}, 0},
		{"at --fail-on", []string{"scan", "--fail-on", "medium", medium}, 1},
		{"unreadable target among good ones", []string{"scan", clean, filepath.Join(clean, "missing"), sampleDir}, 2},
		{"unknown flag", []string{"scan", "--no-such-flag", clean}, 2},
		{"no target", []string{"scan"}, 2},
		{"bad --fail-on", []string{"scan", "--fail-on", "urgent", clean}, 2},
		{"bad config", []string{"scan", "--config", filepath.Join(badConfig, "bad.toml"), clean}, 2},
		{"bad format", []string{"scan", "--format", "yaml", clean}, 2},
	}
	for _, c := range cases {
		if _, stderr, code := runCLI(t, c.args...); code != c.code {
			t.Errorf("%s: exit %d, want %d (stderr: %s)", c.name, code, c.code, stderr)
		}
	}
}

func TestUnreadableTargetKeepsOtherFindings(t *testing.T) {
	out, _, code := runCLI(t, "scan", "-f", "json", "/nonexistent/keyhole", sampleDir)
	var findings []map[string]any
	if err := json.Unmarshal([]byte(out), &findings); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if code != 2 || len(findings) == 0 {
		t.Errorf("exit %d with %d findings; want 2 and the sample's findings", code, len(findings))
	}
}

func TestConfigErrorNamesFileAndLine(t *testing.T) {
	dir := tree(t, map[string]string{"my.toml": "[[rules]]\nid = \"mine\"\nregex = '''x'''\nkeywords = [\"x\"]\nseverty = \"high\"\n"})
	_, stderr, code := runCLI(t, "scan", "--config", filepath.Join(dir, "my.toml"), dir)
	if code != 2 || !strings.Contains(stderr, "my.toml:5") || !strings.Contains(stderr, `rule "mine"`) || !strings.Contains(stderr, "severty") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestSecretsRedactedUnlessAsked(t *testing.T) {
	for _, format := range []string{"text", "json", "jsonl", "sarif"} {
		out, stderr, _ := runCLI(t, "scan", "-f", format, sampleDir)
		if strings.Contains(out+stderr, sampleToken[4:]) {
			t.Errorf("%s: the secret appears in the output", format)
		}
	}
	out, _, _ := runCLI(t, "scan", "-f", "json", "--no-redact", sampleDir)
	if !strings.Contains(out, sampleToken) {
		t.Error("--no-redact did not show the secret")
	}
}

func TestFormats(t *testing.T) {
	out, _, _ := runCLI(t, "scan", "-f", "json", sampleDir)
	var findings []map[string]any
	if err := json.Unmarshal([]byte(out), &findings); err != nil || len(findings) < 5 {
		t.Fatalf("json: %d findings, %v", len(findings), err)
	}
	for _, key := range []string{"rule", "kind", "severity", "description", "target", "path", "line", "column", "endLine", "secret", "match", "entropy", "fingerprint"} {
		if _, ok := findings[0][key]; !ok {
			t.Errorf("json finding lacks %q", key)
		}
	}
	out, _, _ = runCLI(t, "scan", "-f", "jsonl", sampleDir)
	lines := 0
	for sc := bufio.NewScanner(strings.NewReader(out)); sc.Scan(); lines++ {
		var f map[string]any
		if err := json.Unmarshal(sc.Bytes(), &f); err != nil {
			t.Fatalf("jsonl line %d: %v", lines+1, err)
		}
	}
	if lines != len(findings) {
		t.Errorf("jsonl has %d lines for %d findings", lines, len(findings))
	}
	out, _, _ = runCLI(t, "scan", "-f", "sarif", sampleDir)
	var sarif struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []any `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &sarif); err != nil || sarif.Version != "2.1.0" || len(sarif.Runs) != 1 || len(sarif.Runs[0].Results) != len(findings) {
		t.Errorf("sarif: %v, %+v", err, sarif)
	}
}

func TestTextHasNoColourWhenPiped(t *testing.T) {
	out, _, _ := runCLI(t, "scan", sampleDir)
	if strings.Contains(out, "\x1b[") {
		t.Error("colour codes in output that is not a terminal")
	}
	if !strings.Contains(out, "config/.env") || !strings.Contains(out, "github-pat") {
		t.Errorf("text report lacks the expected finding:\n%s", out)
	}
}

func TestOutputFileAndDeterminism(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")
	runCLI(t, "scan", "-j", "1", "-f", "json", "-o", a, sampleDir)
	runCLI(t, "scan", "-j", "8", "-f", "json", "-o", b, sampleDir)
	da, errA := os.ReadFile(a)
	db, errB := os.ReadFile(b)
	if errA != nil || errB != nil || len(da) == 0 || !bytes.Equal(da, db) {
		t.Errorf("-j 1 and -j 8 reports differ or are missing (%v, %v)", errA, errB)
	}
}

func TestBaselineHidesKnownFindings(t *testing.T) {
	dir := tree(t, map[string]string{"app.env": "GITHUB_TOKEN=" + sampleToken + "\n"})
	base := filepath.Join(t.TempDir(), "base.json")
	if _, _, code := runCLI(t, "scan", "-f", "json", "-o", base, dir); code != 1 {
		t.Fatalf("exit %d", code)
	}
	os.WriteFile(filepath.Join(dir, "app.env"), []byte("# moved\n\nGITHUB_TOKEN="+sampleToken+"\n"), 0o644)
	if out, _, code := runCLI(t, "scan", "--baseline", base, dir); code != 0 {
		t.Errorf("baseline did not hide the moved secret: exit %d\n%s", code, out)
	}
}

func TestRulesCommands(t *testing.T) {
	out, _, code := runCLI(t, "rules", "check")
	if code != 0 || !strings.Contains(out, " 0 failures") {
		t.Errorf("rules check: exit %d\n%s", code, out)
	}
	out, _, _ = runCLI(t, "rules", "list", "-f", "json")
	var rows []struct{ ID, Kind, Severity string }
	if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) < 300 {
		t.Errorf("rules list: %d rules, %v", len(rows), err)
	}
	dir := tree(t, map[string]string{"r.toml": "[[rules]]\nid = \"x\"\nregex = '''xx_[0-9]{4}'''\nkeywords = [\"xx_\"]\nexamples = [\"xx_12\"]\nnegatives = [\"xx_1234\"]\n"})
	out, _, code = runCLI(t, "rules", "check", "--config", filepath.Join(dir, "r.toml"))
	if code != 1 || !strings.Contains(out, `example not found: "xx_12"`) || !strings.Contains(out, `negative matched: "xx_1234"`) {
		t.Errorf("rules check on failing rules: exit %d\n%s", code, out)
	}
}
