package rules

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"testing"

	"github.com/BurntSushi/toml"
)

// Every default rule's regex, and relaxed for its gate, prints
// to a pattern that compiles to the same program. (Trees may differ in
// harmless ways: a simplified tree nests concatenations a parse flattens.)
func TestPatternRoundTrip(t *testing.T) {
	var cfg struct{ Rules []struct{ ID, Regex string } }
	if _, err := toml.DecodeFile("../rules.toml", &cfg); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range cfg.Rules {
		if r.Regex == "" {
			continue
		}
		re, err := syntax.Parse(r.Regex, syntax.Perl)
		if err != nil {
			t.Fatalf("%s: %v", r.ID, err)
		}
		loose := copyTree(re)
		relax(loose)
		for _, tree := range []*syntax.Regexp{re, loose} {
			checkRoundTrip(t, r.ID, tree)
			n++
		}
	}
	if n < 800 {
		t.Fatalf("only %d trees checked", n)
	}
}

func checkRoundTrip(t *testing.T, name string, re *syntax.Regexp) {
	t.Helper()
	p := pattern(re)
	back, err := syntax.Parse(p, syntax.Perl)
	if err != nil {
		t.Errorf("%s: %q does not parse: %v", name, p, err)
		return
	}
	if program(back) != program(re) {
		t.Errorf("%s: its pattern (%d bytes) compiles to another program", name, len(p))
	}
}

func program(re *syntax.Regexp) string {
	p, err := syntax.Compile(re.Simplify())
	if err != nil {
		return err.Error()
	}
	return p.String()
}

// Any pattern, printed and compiled again, matches where the original
// does, groups included.
func FuzzPattern(f *testing.F) {
	for _, s := range []string{`a+b*?c{2,5}`, `(?i)ab[^\s;>]+`, `(?m)^x$`, `\Ax\z|(?s:.)`, `(?P<n>x)|\b\B`, `[^\x00-\x{10FFFF}]`, `(?:)`, `x{3}y{2,}`, `0||A|a`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 100 {
			return
		}
		re, err := syntax.Parse(s, syntax.Perl)
		if err != nil {
			return
		}
		want, err := regexp.Compile(s)
		if err != nil {
			return // too large a repeat
		}
		got, err := regexp.Compile(pattern(re))
		if err != nil {
			t.Fatalf("%q prints as %q, which does not compile: %v", s, pattern(re), err)
		}
		for _, probe := range []string{s, "0aA_- \n\tKey=Value xx xyz 123", s + "\n" + s} {
			if w, g := fmt.Sprint(want.FindAllStringSubmatchIndex(probe, -1)), fmt.Sprint(got.FindAllStringSubmatchIndex(probe, -1)); w != g {
				t.Fatalf("%q printed as %q matches %s, not %s, in %q", s, pattern(re), g, w, probe)
			}
		}
	})
}
