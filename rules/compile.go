package rules

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
)

func compile(spec *loadedSpec) (*Ruleset, []Problem) {
	var problems []Problem
	rs := &Ruleset{byID: map[string]*Rule{}}
	for _, l := range spec.rules {
		r, ps := compileRule(l)
		problems = append(problems, ps...)
		if r == nil {
			continue
		}
		if _, dup := rs.byID[r.ID]; dup {
			problems = append(problems, Problem{File: l.pos.file, Line: l.pos.line, Rule: r.ID, Msg: "duplicate rule id"})
			continue
		}
		rs.byID[r.ID] = r
		rs.Rules = append(rs.Rules, r)
	}
	for _, r := range rs.Rules {
		for _, req := range r.Required {
			if rs.byID[req.ID] == nil {
				problems = append(problems, Problem{File: r.source.file, Line: r.source.line, Rule: r.ID,
					Msg: fmt.Sprintf("required rule %q does not exist", req.ID)})
			}
		}
	}
	for i, a := range spec.allowlists {
		al, err := compileAllowlist(a, true)
		if err != nil {
			problems = append(problems, Problem{File: spec.allowPos.file, Line: spec.allowPos.loc.keyLine("regexes"),
				Msg: fmt.Sprintf("global allowlist %d: %v", i+1, err)})
			continue
		}
		rs.Allowlists = append(rs.Allowlists, al)
	}
	return rs, problems
}

func compileRule(l located) (*Rule, []Problem) {
	var problems []Problem
	s := l.ruleSpec
	bad := func(key, format string, args ...any) {
		line := l.pos.line
		if l.pos.loc != nil && key != "" {
			if n := l.pos.loc.keyLineIn(key, l.pos.line, l.pos.line+200); n > 0 {
				line = n
			}
		}
		problems = append(problems, Problem{File: l.pos.file, Line: line, Rule: s.ID, Msg: fmt.Sprintf(format, args...)})
	}
	if s.ID == "" {
		bad("", "rule has no id")
		return nil, problems
	}
	r := &Rule{
		ID: s.ID, Description: s.Description, Kind: s.Kind, Severity: s.Severity,
		Tags: s.Tags, References: s.References, Examples: s.Examples, Negatives: s.Negatives,
		SecretGroup: s.SecretGroup, Entropy: s.Entropy, SkipReport: s.SkipReport,
		severityGroup: -1, source: l.pos, Reach: -1,
	}
	switch r.Kind {
	case "":
		r.Kind = KindSecret
	case KindSecret, KindMisconfig:
	default:
		bad("kind", "kind %q is not %q or %q", r.Kind, KindSecret, KindMisconfig)
	}
	switch {
	case r.Severity == "" && r.Kind == KindMisconfig:
		r.Severity = "medium"
	case r.Severity == "":
		r.Severity = "high"
	case SeverityRank(r.Severity) == 0:
		bad("severity", "severity %q is not one of %s", r.Severity, strings.Join(Severities, ", "))
	}
	if s.Entropy < 0 {
		bad("entropy", "entropy must not be negative")
	}
	if s.Regex == "" && s.Path == "" {
		bad("", "rule needs a regex or a path")
	}
	var parsed *syntax.Regexp
	if s.Regex != "" && l.pos.trusted && len(s.Keywords) > 0 {
		r.pattern = s.Regex
	} else if s.Regex != "" {
		// Parsing validates; compiling waits for the rule's first use.
		re, err := syntax.Parse(s.Regex, syntax.Perl)
		if err != nil {
			bad("regex", "regex does not compile: %v", cleanRegexError(err))
		} else {
			parsed, r.pattern = re, s.Regex
			if groups := re.MaxCap(); s.SecretGroup < 0 || s.SecretGroup > groups {
				bad("secretGroup", "secretGroup %d, but the regex has %d groups", s.SecretGroup, groups)
			}
		}
	}
	if s.Path != "" {
		re, err := regexp.Compile(s.Path)
		if err != nil {
			bad("path", "path regex does not compile: %v", cleanRegexError(err))
		}
		r.Path = re
	}
	for _, k := range s.Keywords {
		if k = strings.ToLower(k); k != "" && !slices.Contains(r.Keywords, k) {
			r.Keywords = append(r.Keywords, k)
		}
	}
	for i, a := range s.Allowlists {
		al, err := compileAllowlist(a, false)
		if err != nil {
			bad("regexes", "allowlist %d: %v", i+1, err)
			continue
		}
		r.Allowlists = append(r.Allowlists, al)
	}
	for _, q := range s.Required {
		req := Required{ID: q.ID, WithinLines: -1, WithinColumns: -1}
		if q.WithinLines != nil {
			req.WithinLines = *q.WithinLines
		}
		if q.WithinColumns != nil {
			req.WithinColumns = *q.WithinColumns
		}
		if req.ID == "" {
			bad("id", "required component has no id")
		}
		r.Required = append(r.Required, req)
	}
	for _, o := range s.Overrides {
		ov := Override{Severity: o.Severity}
		if SeverityRank(o.Severity) == 0 {
			bad("severity", "override severity %q is not one of %s", o.Severity, strings.Join(Severities, ", "))
		}
		for _, p := range o.Paths {
			re, err := regexp.Compile(p)
			if err != nil {
				bad("paths", "override path does not compile: %v", cleanRegexError(err))
				continue
			}
			ov.Paths = append(ov.Paths, re)
		}
		r.Overrides = append(r.Overrides, ov)
	}
	if parsed != nil && len(r.Keywords) == 0 {
		// Without keywords the prefilter needs the regex's literals now;
		// other rules are analysed when first used (Prepare).
		analyse(r, parsed)
		r.analysed = true
		if len(r.Keywords) == 0 && r.Path == nil {
			bad("regex", "rule has no keywords and its regex has no literal of 3 or more characters that every match contains; add keywords (or a path) so the prefilter can select it")
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return r, nil
}

func compileAllowlist(a allowlistSpec, global bool) (*Allowlist, error) {
	al := &Allowlist{Description: a.Description, RegexTarget: a.RegexTarget}
	switch strings.ToUpper(a.Condition) {
	case "", "OR":
	case "AND":
		al.MatchAll = true
	default:
		return nil, fmt.Errorf("condition %q is not OR or AND", a.Condition)
	}
	switch a.RegexTarget {
	case "", "secret", "match", "line":
	default:
		return nil, fmt.Errorf("regexTarget %q is not secret, match or line", a.RegexTarget)
	}
	if len(a.TargetRules) > 0 && !global {
		return nil, fmt.Errorf("targetRules belongs in a global [[allowlists]]")
	}
	if len(a.Commits)+len(a.Paths)+len(a.Regexes)+len(a.StopWords) == 0 {
		return nil, fmt.Errorf("allowlist has no commits, paths, regexes or stopwords")
	}
	for _, c := range a.Commits {
		if al.Commits == nil {
			al.Commits = map[string]bool{}
		}
		al.Commits[c] = true
	}
	for _, p := range a.Paths {
		re, err := regexp.Compile(p)
		if err != nil {
			return nil, fmt.Errorf("path %q: %v", p, cleanRegexError(err))
		}
		al.Paths = append(al.Paths, re)
	}
	for _, p := range a.Regexes {
		re, err := regexp.Compile(p)
		if err != nil {
			return nil, fmt.Errorf("regex %q: %v", p, cleanRegexError(err))
		}
		al.Regexes = append(al.Regexes, re)
	}
	for _, w := range a.StopWords {
		al.StopWords = append(al.StopWords, strings.ToLower(w))
	}
	if len(a.TargetRules) > 0 {
		al.TargetRules = map[string]bool{}
		for _, id := range a.TargetRules {
			al.TargetRules[id] = true
		}
	}
	return al, nil
}

func cleanRegexError(err error) string {
	return strings.TrimPrefix(err.Error(), "error parsing regexp: ")
}
