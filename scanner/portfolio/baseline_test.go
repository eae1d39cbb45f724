package portfolio

import (
	"bytes"
	"strings"
	"testing"

	"github.com/keyholesec/keyhole/scanner"
)

func finding(rule, target, path, secret string, line int) scanner.Finding {
	fp := path
	if fp == "" {
		fp = target[strings.LastIndexByte(target, '/')+1:]
	}
	return scanner.Finding{
		Rule: rule, Kind: "secret", Target: target, Path: path, Line: line,
		Secret: scanner.Redact(secret), Fingerprint: scanner.Fingerprint(rule, fp, secret),
	}
}

func TestBaselineIsSortedAndHasNoLines(t *testing.T) {
	fs := []scanner.Finding{
		finding("github-pat", "/src/app", "z.env", "ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 9),
		finding("github-pat", "/src/app", "a.env", "ghp_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", 3),
		finding("github-pat", "/src/app", "a.env", "ghp_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", 7), // same secret twice in a file
		finding("aws-access-token", "/other/ci.yml", "", "AKIAZZZZZZZZZZZZZZZZ", 1),
	}
	var buf bytes.Buffer
	if err := NewBaseline(fs).Write(&buf); err != nil {
		t.Fatal(err)
	}
	got := buf.String()
	want := `{
  "version": 1,
  "findings": [
    {
      "rule": "github-pat",
      "path": "a.env",
      "fingerprint": "` + fs[1].Fingerprint + `",
      "hint": "ghp_…REDACTED"
    },
    {
      "rule": "aws-access-token",
      "path": "ci.yml",
      "fingerprint": "` + fs[3].Fingerprint + `",
      "hint": "AKIA…REDACTED"
    },
    {
      "rule": "github-pat",
      "path": "z.env",
      "fingerprint": "` + fs[0].Fingerprint + `",
      "hint": "ghp_…REDACTED"
    }
  ]
}
`
	if got != want {
		t.Errorf("baseline:\n%s\nwant:\n%s", got, want)
	}
	// The same findings in another order, at other lines, found from
	// another directory: not one byte differs.
	moved := []scanner.Finding{fs[3], fs[0], fs[2]}
	moved[1].Line = 40
	moved[0].Target = "/elsewhere/ci.yml"
	buf.Reset()
	NewBaseline(moved).Write(&buf)
	if buf.String() != want {
		t.Errorf("the baseline churned:\n%s", buf.String())
	}
}

func TestBaselineUpdate(t *testing.T) {
	a := finding("github-pat", "/src", "a.env", "ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 1)
	b := finding("github-pat", "/src", "b.env", "ghp_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", 1)
	c := finding("github-pat", "/src", "c.env", "ghp_cccccccccccccccccccccccccccccccccccc", 1)

	base := NewBaseline([]scanner.Finding{a, b})
	dropped, added := base.Update([]scanner.Finding{b, c}, false)
	if dropped != 1 || added != 0 || len(base.Findings) != 1 || base.Findings[0].Fingerprint != b.Fingerprint {
		t.Errorf("update: dropped %d, added %d, entries %+v; want only b.env's", dropped, added, base.Findings)
	}
	dropped, added = base.Update([]scanner.Finding{b, c}, true)
	fps := base.Fingerprints()
	if dropped != 0 || added != 1 || len(fps) != 2 || !fps[b.Fingerprint] || !fps[c.Fingerprint] {
		t.Errorf("update --add: dropped %d, added %d, entries %+v", dropped, added, base.Findings)
	}
}

func TestReadBaselineFromAReport(t *testing.T) {
	// A --no-redact JSON report: the hint must not carry the secret.
	report := `[{"rule":"github-pat","kind":"secret","target":"/src","path":"a.env","line":3,
	  "secret":"ghp_R8rBwTHfqkGXiQ1MpcU2aNvLz06SJtC4dYe3","fingerprint":"f1"},
	 {"rule":"cleartext-endpoint","kind":"misconfig","target":"/src","path":"b.js","secret":"http://api.example.net","fingerprint":"f2"},
	 {"rule":"x","path":"c","fingerprint":""}]`
	for name, doc := range map[string]string{"array": report, "object": `{"findings":` + report + `}`} {
		b, err := ReadBaseline(strings.NewReader(doc))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(b.Findings) != 2 || b.Findings[0].Hint != "ghp_…REDACTED" || b.Findings[1].Hint != "http://api.example.net" {
			t.Errorf("%s: entries %+v", name, b.Findings)
		}
	}
	for _, bad := range []string{`{"version":1}`, `"findings"`, `[{"fingerprint":1}]`} {
		if _, err := ReadBaseline(strings.NewReader(bad)); err == nil {
			t.Errorf("%s was read as a baseline", bad)
		}
	}
}
