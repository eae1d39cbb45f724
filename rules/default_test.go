package rules_test

import (
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
