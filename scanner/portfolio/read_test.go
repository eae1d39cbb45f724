package portfolio

import (
	"bytes"
	"strings"
	"testing"

	"github.com/keyholesec/keyhole/scanner"
	"github.com/keyholesec/keyhole/scanner/report"
)

// Every report format keyhole writes reads back to the same findings
// (SARIF also to the warnings).
func TestReadResultRoundTrips(t *testing.T) {
	a := finding("github-pat", "build/app.apk", "assets/k.txt", "ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 3)
	a.Severity, a.Description, a.Column, a.EndLine, a.Location = "critical", "GitHub token", 5, 3, "build/app.apk!assets/k.txt"
	a.SecretHash = scanner.SecretHash("ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
	b := finding("cleartext-endpoint", "src", "main.go", "http://api.example.net", 9)
	b.Kind, b.Severity, b.Description, b.Column, b.EndLine = "misconfig", "medium", "Cleartext URL", 2, 9
	res := &scanner.Result{
		Findings: []scanner.Finding{a, b},
		Warnings: []scanner.Warning{{Target: "gone.ipa", Message: "no such file or directory", Fatal: true}},
	}
	for _, format := range []string{"json", "jsonl", "sarif"} {
		var buf bytes.Buffer
		if err := report.Write(&buf, res, report.Options{Format: format}); err != nil {
			t.Fatal(err)
		}
		got, err := ReadResult(&buf)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if len(got.Findings) != 2 {
			t.Fatalf("%s: %d findings", format, len(got.Findings))
		}
		for i, want := range res.Findings {
			g := got.Findings[i]
			if format != "sarif" {
				g.Location = want.Location // not in JSON
			}
			if g.Rule != want.Rule || g.Target != want.Target || g.Path != want.Path || g.Line != want.Line || g.Column != want.Column ||
				g.Secret != want.Secret || g.SecretHash != want.SecretHash || g.Fingerprint != want.Fingerprint ||
				g.Description != want.Description || g.Severity != want.Severity || g.Kind != want.Kind || g.Location != want.Location {
				t.Errorf("%s: finding %d read back as\n%+v\nwant\n%+v", format, i, g, want)
			}
		}
		if format == "sarif" && (len(got.Warnings) != 1 || got.Warnings[0] != res.Warnings[0]) {
			t.Errorf("sarif: warnings %+v", got.Warnings)
		}
	}
	for _, bad := range []string{"{", "[1]", `{"findings": 3}`, "not json"} {
		if _, err := ReadResult(strings.NewReader(bad)); err == nil {
			t.Errorf("%q read as a report", bad)
		}
	}
}

func TestMergeAndCompare(t *testing.T) {
	x := finding("github-pat", "a", "x.env", "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 1)
	y := finding("github-pat", "b", "y.env", "ghp_yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy", 1)
	z := finding("github-pat", "c", "z.env", "ghp_zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", 1)
	m := Merge([]*scanner.Result{{Findings: []scanner.Finding{y, x}}, {Findings: []scanner.Finding{x, z}}})
	if len(m.Findings) != 3 || m.Findings[0].Target != "a" || m.Findings[2].Target != "c" {
		t.Errorf("merge: %+v", m.Findings)
	}

	moved := x
	moved.Line = 40
	d := Compare([]scanner.Finding{x, y}, []scanner.Finding{moved, z})
	if len(d.New) != 1 || d.New[0].Target != "c" || len(d.Fixed) != 1 || d.Fixed[0].Target != "b" ||
		len(d.Unchanged) != 1 || d.Unchanged[0].Line != 40 {
		t.Errorf("compare: %+v", d)
	}
}
