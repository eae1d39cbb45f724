package rules_test

import (
	"slices"
	"testing"

	"github.com/keyholesec/keyhole/rules"
)

// The default set's promise is breadth: hundreds of provider rules.
func TestDefaultSecretRuleCount(t *testing.T) {
	rs := loadDefault(t)
	n := 0
	seen := map[string]bool{}
	for _, r := range rs.Rules {
		if seen[r.ID] {
			t.Errorf("duplicate rule id %q", r.ID)
		}
		seen[r.ID] = true
		if r.Kind == rules.KindSecret {
			n++
		}
	}
	if n < 300 {
		t.Errorf("default rules have %d secret rules, want at least 300", n)
	}
}

// Every secret rule is selected by keywords that each match contains, so
// the engine can run it on windows around keyword hits only; a rule that
// would need the whole text is a speed bug in the rule file.
func TestSecretRulesAreWindowed(t *testing.T) {
	rs := loadDefault(t)
	for _, r := range secretRules(rs) {
		if len(r.Keywords) == 0 {
			t.Errorf("rule %q has no keywords", r.ID)
			continue
		}
		r.Prepare()
		if !r.Windowed {
			t.Errorf("rule %q: keywords %q are not literals every match contains", r.ID, r.Keywords)
		}
		if !slices.Contains(rules.Severities, r.Severity) {
			t.Errorf("rule %q: severity %q", r.ID, r.Severity)
		}
	}
}

// A secret is reported once: two provider rules must not both match the
// same span of an example. Generic rules (tag "generic": the keyed
// assignment rule, JWTs, credentials in URLs) may overlap a provider rule;
// such overlaps with a high-severity rule are logged, for review.
func TestProviderRulesDoNotDoubleReport(t *testing.T) {
	rs := loadDefault(t)
	all := secretRules(rs)
	for _, r := range all {
		for _, ex := range r.Examples {
			own := rs.Test(r, ex)
			if len(own) == 0 {
				continue // reported by TestDefaultRulesExamples
			}
			for _, o := range all {
				if o == r {
					continue
				}
				for _, m := range rs.Test(o, ex) {
					if !overlapsAny(m, own) {
						continue
					}
					switch {
					case !generic(r) && !generic(o):
						t.Errorf("rule %q also matches %q's example %q at %q", o.ID, r.ID, ex, ex[m.SecretStart:m.SecretEnd])
					case !generic(o) && rules.SeverityRank(o.Severity) >= rules.SeverityRank("high"):
						t.Logf("note: provider rule %q also fires on %q's example %q", o.ID, r.ID, ex)
					}
				}
			}
		}
	}
}

func secretRules(rs *rules.Ruleset) []*rules.Rule {
	var out []*rules.Rule
	for _, r := range rs.Rules {
		if r.Kind == rules.KindSecret {
			out = append(out, r)
		}
	}
	return out
}

func generic(r *rules.Rule) bool { return slices.Contains(r.Tags, "generic") }

func overlapsAny(m rules.Match, ms []rules.Match) bool {
	for _, o := range ms {
		if m.SecretStart < o.SecretEnd && o.SecretStart < m.SecretEnd {
			return true
		}
	}
	return false
}
