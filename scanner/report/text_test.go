package report

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/keyholesec/keyhole/scanner"
)

// hostile is one finding whose every field from scanned content or file
// names tries to forge report lines.
func hostile(junk string) *scanner.Result {
	date := time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)
	return &scanner.Result{
		Findings: []scanner.Finding{{
			Rule: "generic-api-key", Kind: "secret", Severity: "high",
			Description: "key for " + junk, Target: "t" + junk, Path: "p" + junk, Location: "t" + junk + "/p" + junk,
			Line: 1, Column: 1, Secret: "s" + junk, Match: "m" + junk, Format: "f" + junk,
			Commit: "c" + junk, Author: "a" + junk, Email: "e" + junk, Date: &date, Fingerprint: "fp",
		}},
		Warnings: []scanner.Warning{{Target: "t" + junk, Path: "p" + junk, Limit: "l" + junk, Message: "w" + junk}},
		Targets:  []scanner.TargetResult{{Target: "t" + junk, Kind: "k" + junk}},
	}
}

func TestTextNewlinesCannotForgeLines(t *testing.T) {
	for _, opts := range []Options{{Format: "text", Summary: true}, {Format: "text", Summary: true, Color: true}, {Format: "jsonl"}} {
		var plain, forged bytes.Buffer
		if err := Write(&plain, hostile("x"), opts); err != nil {
			t.Fatal(err)
		}
		if err := Write(&forged, hostile("\n\r\n\u2028\u0085x\n"), opts); err != nil {
			t.Fatal(err)
		}
		if p, f := bytes.Count(plain.Bytes(), []byte("\n")), bytes.Count(forged.Bytes(), []byte("\n")); p != f {
			t.Errorf("%+v: newlines in content made %d lines instead of %d:\n%s", opts, f, p, forged.Bytes())
		}
		if bytes.ContainsAny(forged.Bytes(), "\r\u2028\u0085") {
			t.Errorf("%+v: raw line breaks in output:\n%q", opts, forged.Bytes())
		}
	}
}

// sgr matches the colour sequences the palette writes.
var sgr = regexp.MustCompile(`\x1b\[[0-9;]*m`)

func TestTextHasNoRawControlCharacters(t *testing.T) {
	for _, color := range []bool{false, true} {
		var b bytes.Buffer
		if err := Write(&b, fixture(), Options{Format: "text", Summary: true, Color: color}); err != nil {
			t.Fatal(err)
		}
		out := sgr.ReplaceAllString(b.String(), "")
		for i, r := range out {
			if (r < 0x20 && r != '\n') || r == 0x7f || r == '\uFFFD' {
				t.Fatalf("color=%v: control character %U at %d: %q", color, r, i, out[max(0, i-40):i+1])
			}
		}
	}
}

func TestColourOnlyWhenAsked(t *testing.T) {
	plain := string(render(t, Options{Format: "text", Summary: true}))
	if strings.Contains(plain, "\x1b") {
		t.Errorf("escape character without Color (the fixture's match carries one, it must be escaped)")
	}
	coloured := string(render(t, Options{Format: "text", Summary: true, Color: true}))
	for sev, code := range map[string]string{"critical": "\x1b[1;31m", "high": "\x1b[31m", "medium": "\x1b[33m", "low": "\x1b[36m", "info": "\x1b[2m"} {
		if !strings.Contains(coloured, code+sev) {
			t.Errorf("%s is not coloured %q", sev, code)
		}
	}
	if sgr.ReplaceAllString(coloured, "") != plain {
		t.Errorf("without its colours the coloured report differs from the plain one")
	}
}

func TestTextGroupsByLocation(t *testing.T) {
	res := fixture()
	// Interleave two locations: each must still be one group.
	res.Findings = append(res.Findings, res.Findings[0])
	res.Findings[len(res.Findings)-1].Line = 99
	var b bytes.Buffer
	if err := Write(&b, res, Options{Format: "text"}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if n := strings.Count(out, "\nsrc/config/app.env\n"); n != 0 || !strings.HasPrefix(out, "src/config/app.env\n") {
		t.Errorf("src/config/app.env heads %d later groups", n)
	}
	if i, j := strings.Index(out, "  99:19"), strings.Index(out, "src/deploy/ci.sh\n"); i < 0 || i > j {
		t.Errorf("the later finding at src/config/app.env is not in its group:\n%s", out)
	}
	if strings.Contains(out, "target  kind") {
		t.Errorf("summary table without Summary")
	}
}

func TestTally(t *testing.T) {
	for _, c := range []struct {
		res  *scanner.Result
		want string
	}{
		{&scanner.Result{}, "no findings"},
		{&scanner.Result{Targets: []scanner.TargetResult{{Target: "a"}}}, "no findings in 1 target"},
		{&scanner.Result{
			Findings: []scanner.Finding{{Target: "a", Severity: "high"}, {Target: "b", Severity: "critical"}, {Target: "b", Severity: "high"}},
			Warnings: []scanner.Warning{{Target: "a"}}, BaselineUnused: 3,
		}, "3 findings (1 critical, 2 high) in 2 targets, 1 warning, 3 baseline entries no longer found"},
		{&scanner.Result{Findings: []scanner.Finding{{Target: "a", Severity: "odd"}}}, "1 finding (1 unrated) in 1 target"},
	} {
		if got := tally(c.res); got != c.want {
			t.Errorf("tally = %q, want %q", got, c.want)
		}
	}
}

func TestRepeatedSecrets(t *testing.T) {
	key := func(target, path, secret, fp string) scanner.Finding {
		return scanner.Finding{Rule: "aws-access-token", Kind: "secret", Severity: "critical",
			Target: target, Path: path, Location: target + "/" + path, Line: 1, Column: 1, Secret: secret, Fingerprint: fp}
	}
	hashed := func(f scanner.Finding, h string) scanner.Finding { f.SecretHash = h; return f }
	for _, c := range []struct {
		name     string
		findings []scanner.Finding
		grouped  bool
	}{
		// Redacted, different keys look alike: only the fingerprint may tell.
		{"different redacted keys", []scanner.Finding{key("a", "x.env", "AKIA…REDACTED", "f1"), key("b", "x.env", "AKIA…REDACTED", "f2")}, false},
		{"same redacted key and path", []scanner.Finding{key("a", "x.env", "AKIA…REDACTED", "f1"), key("b", "x.env", "AKIA…REDACTED", "f1")}, true},
		{"same unredacted key, other paths", []scanner.Finding{key("a", "x.env", "AKIAIOSFODNN7EXAMPLE", "f1"), key("b", "y.env", "AKIAIOSFODNN7EXAMPLE", "f2")}, true},
		{"same key, one target", []scanner.Finding{key("a", "x.env", "AKIAIOSFODNN7EXAMPLE", "f1"), key("a", "y.env", "AKIAIOSFODNN7EXAMPLE", "f2")}, false},
		// The engine's SecretHash tells redacted keys apart wherever they are.
		{"same hashed key, other paths", []scanner.Finding{hashed(key("a", "x.env", "AKIA…REDACTED", "f1"), "h1"), hashed(key("b", "y.env", "AKIA…REDACTED", "f2"), "h1")}, true},
		{"other hashed keys, same path", []scanner.Finding{hashed(key("a", "x.env", "AKIA…REDACTED", "f1"), "h1"), hashed(key("b", "x.env", "AKIA…REDACTED", "f1"), "h2")}, false},
	} {
		var b bytes.Buffer
		writeRepeatedSecrets(&b, palette{}, c.findings)
		if got := strings.Contains(b.String(), "same secret in several targets"); got != c.grouped {
			t.Errorf("%s: grouped = %v, want %v:\n%s", c.name, got, c.grouped, b.String())
		}
		if c.grouped && (!strings.Contains(b.String(), "    a/x.env:1:1\n") || strings.Count(b.String(), "aws-access-token") != 1) {
			t.Errorf("%s: want the secret once and every place:\n%s", c.name, b.String())
		}
	}
}

func TestHumanSizes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KB", 1536: "1.5 KB", 5 << 30: "5.0 GB"} {
		if got := humanBytes(n); got != want {
			t.Errorf("humanBytes(%d) = %q, want %q", n, got, want)
		}
	}
	for d, want := range map[time.Duration]string{84*time.Millisecond + 400*time.Microsecond: "84ms", 1426 * time.Millisecond: "1.43s", 0: "0s"} {
		if got := humanDuration(d); got != want {
			t.Errorf("humanDuration(%v) = %q, want %q", d, got, want)
		}
	}
}
