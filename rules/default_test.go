package rules_test

import (
	"strings"
	"testing"

	"github.com/keyholesec/keyhole"
	"github.com/keyholesec/keyhole/rules"
)

func loadDefault(t testing.TB) *rules.Ruleset {
	t.Helper()
	rs, err := rules.Load(rules.Source{Name: keyhole.DefaultRulesName, Data: keyhole.DefaultRules}, nil)
	if err != nil {
		t.Fatalf("default rules do not load:\n%v", err)
	}
	return rs
}

// Every default rule documents itself with examples it must find and at
// least one negative it must not.
func TestDefaultRulesExamples(t *testing.T) {
	rs := loadDefault(t)
	for _, r := range rs.Rules {
		if len(r.Examples) == 0 {
			t.Errorf("rule %q has no examples", r.ID)
		}
		if len(r.Negatives) == 0 {
			t.Errorf("rule %q has no negatives", r.ID)
		}
		if r.Description == "" {
			t.Errorf("rule %q has no description", r.ID)
		}
	}
	for _, f := range rs.Check() {
		t.Error(f)
	}
}

// The engine runs a rule wherever one of its keywords occurs: a keyword
// that occurs everywhere ("/", "|", a run of one letter) makes the rule
// run everywhere, and a scan of a large tree crawl.
func TestDefaultKeywordsAreSelective(t *testing.T) {
	rs := loadDefault(t)
	for _, r := range rs.Rules {
		for _, k := range r.Keywords {
			if len(k) < 2 || !strings.ContainsAny(k, "abcdefghijklmnopqrstuvwxyz0123456789") {
				t.Errorf("rule %q: keyword %q is too common; use a longer literal, with a letter or digit, that every match contains", r.ID, k)
			} else if len(k) > 2 && strings.Count(k, k[:1]) == len(k) {
				t.Errorf("rule %q: keyword %q repeats one character; long runs of it in data make the rule run at every position", r.ID, k)
			}
		}
	}
}

// The embedded defaults load trusted (regexes parsed on first use); they
// must behave exactly as when loaded and validated in full.
func TestTrustedDefaultsBehaveAlike(t *testing.T) {
	rs, err := rules.Load(rules.Source{Name: keyhole.DefaultRulesName, Data: keyhole.DefaultRules, Trusted: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := len(loadDefault(t).Rules); len(rs.Rules) != want {
		t.Fatalf("trusted load has %d rules, want %d", len(rs.Rules), want)
	}
	for _, f := range rs.Check() {
		t.Error(f)
	}
}

// BenchmarkLoadDefault is the rules' share of a pre-commit hook's start.
func BenchmarkLoadDefault(b *testing.B) {
	for _, trusted := range []bool{false, true} {
		name := map[bool]string{false: "validated", true: "trusted"}[trusted]
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := rules.Load(rules.Source{Name: keyhole.DefaultRulesName, Data: keyhole.DefaultRules, Trusted: trusted}, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
